"""The region picker on the counter's pages (窗口代录) and in the designer's preview behaves as in
the citizen wizard: htmx and the wizard's field script are loaded, each select asks
``/regions/picker`` for the next level; without JavaScript the picker's button saves the page
and draws it again with the next level (it used to save and go on to the next page)."""
import html as htmlmod
import re

import pytest

from app.extensions import db
from app.models.application import Application
from tests.applications_support import clock, id_number, make_person  # noqa: F401
from tests.integration.designer_support import PROVINCE, item, load, staff
from tests.support import login, make_user

LUBEI = "130203"  # 唐山市路北区
CITIZEN_ID = id_number("13020319800101001")
SCRIPTS = ("vendor/htmx/htmx.min.js", "wizard_fields.js", 'name="htmx-config"')


def text(response) -> str:
    return response.get_data(as_text=True)


def picker_urls(page: str, name: str = "home_region") -> list[str]:
    """Return the hx-get URLs of the question's selects, in order."""
    selects = re.findall(rf'<select id="[^"]*" name="{name}"[^>]*>', page)
    return [htmlmod.unescape(m) for s in selects for m in re.findall(r'hx-get="([^"]+)"', s)]


def options(page: str, select_id: str) -> list[str]:
    match = re.search(rf'<select id="{select_id}".*?</select>', page, re.S)
    return re.findall(r'<option value="(\d+)"', match.group(0)) if match else []


@pytest.fixture
def window_page(app, ctx, clock):
    """demo_allowance published (home_region on its first page); a clerk at 路北区 has started
    an application for a walk-in citizen. Returns (clerk client, page URL, application id)."""
    load(PROVINCE)
    make_person(CITIZEN_ID, "王建国", LUBEI, sex="1")
    clerk = app.test_client()
    login(clerk, make_user("Reviewer", LUBEI, name="窗口李").username)
    started = clerk.post("/review/window/", data={
        "item": "demo_allowance", "region": LUBEI, "name": "王建国", "id_number": CITIZEN_ID,
        "identity_checked": "y", "action": "create"})
    assert started.status_code == 303, text(started)[-2000:]
    url = started.headers["Location"]
    assert url.endswith("/pages/applicant")
    return clerk, url, int(re.search(r"/window/(\d+)/", url).group(1))


def test_the_window_page_loads_htmx_and_the_picker_asks_for_the_next_level(window_page):
    clerk, url, _pk = window_page
    page = text(clerk.get(url))
    for needle in SCRIPTS:
        assert needle in page, needle
    assert page.index("vendor/htmx/htmx.min.js") < page.index("wizard_fields.js")
    form = page[page.index('<form method="post" novalidate class="window-form">'):]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert 'class="default-action"' in first_button and 'value="next"' in first_button
    (province_url,) = picker_urls(page)
    assert 'hx-target="closest .region-picker"' in page and "region-refine" in page
    redrawn = text(clerk.get(province_url + "&home_region=130000"))  # what htmx sends
    assert "<html" not in redrawn and 'id="home_region-2"' in redrawn
    assert "130200" in options(redrawn, "home_region-2")  # 唐山市 under 河北省


def test_without_javascript_the_picker_button_saves_and_draws_the_next_level(window_page):
    clerk, url, pk = window_page
    listed = clerk.post(url, data={"cert_type": "01", "special": "0", "home_region": "130000",
                                   "_action": "update"})
    assert listed.status_code == 303 and listed.headers["Location"].endswith(url)  # same page
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["home_region"] == "130000"  # saved
    page = text(clerk.get(url))
    assert options(page, "home_region") and "130200" in options(page, "home_region-2")
    assert len(picker_urls(page)) == 2
    listed = clerk.post(url, data={"cert_type": "01", "special": "0",
                                   "home_region": ["130000", "130200"], "_action": "update"})
    assert listed.headers["Location"].endswith(url)
    assert LUBEI in options(text(clerk.get(url)), "home_region-3")
    done = clerk.post(url, data={"cert_type": "01", "special": "0",
                                 "home_region": ["130000", "130200", LUBEI], "_go": "next"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/pages/claim")
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["home_region"] == LUBEI


def test_the_designer_preview_loads_htmx_and_lists_the_next_level_in_place(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    url = f"/items/{item().id}/preview"
    page = text(client.get(url))
    for needle in SCRIPTS:
        assert needle in page, needle
    assert len(picker_urls(page)) == 1
    # Without JavaScript: the same page again, one level deeper, nothing checked yet.
    page = text(client.post(url, data={"page": "applicant", "_answers": "{}", "cert_type": "01",
                                       "special": "0", "home_region": "130000",
                                       "_action": "update"}))
    assert 'name="page" value="applicant"' in page and "130200" in options(page, "home_region-2")
    assert "Answer this question." not in page
