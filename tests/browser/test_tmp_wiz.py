import pytest
from tests.browser.test_review_chain import *  # noqa
from tests.browser.test_review_chain import frozen  # noqa
from tests.applications_support import make_citizen, load_gd8, CODE, REGION

def test_wiz(desk_page, live_server, app, frozen):
    page, base = desk_page, live_server
    with app.app_context():
        load_gd8()
        alice = make_citizen(mobile="13700137000").username
    sign_in(page, base, alice)
    page.goto(base + f"/apply/{CODE}?region={REGION}")
    print("URL", page.url)
    print(page.locator("main").inner_html()[-1500:])
    page.get_by_role("button", name=say(app, "Start the application")).click()
    page.wait_for_load_state()
    for i in range(8):
        print("\n==== URL", page.url)
        print(page.locator("main").inner_html()[:4000])
        break
