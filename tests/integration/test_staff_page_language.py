"""Staff pages speak the page's language to browsers and screen readers: ``<html lang>``, a
named menu button, the item designer's item names in English and its notices in both
languages; every page has an icon."""
import re

from tests.browser.helpers import say
from tests.review_support import HB1, LUBEI, publish, reviewer
from tests.support import login, make_user

ENGLISH_NAME = "Outpatient chronic and special disease application"


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def test_staff_pages_name_their_language_and_the_menu_button(app, ctx):
    client = signed_in(app, reviewer(LUBEI))
    for lang, html_lang in (("en", "en"), ("zh", "zh-CN")):
        html = client.get(f"/review/pending?_l_={lang}").get_data(as_text=True)
        assert re.search(rf'<html lang="{html_lang}">', html), lang
        button = re.search(r'<button type="button" class="navbar-toggle"[^>]*>', html).group(0)
        assert f'aria-label="{say(app, "Menu", locale=lang)}"' in button, button
        assert 'rel="icon"' in html


def test_the_icon_is_served_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.location.endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)  # citizen pages link it too


def test_designer_names_items_in_the_page_language_and_shows_both_notices(app, ctx):
    publish(HB1)
    client = signed_in(app, make_user("RegionAdmin", "130000"))
    english = client.get("/items/?_l_=en").get_data(as_text=True)
    row = re.search(r'<a href="/items/(\d+)/">([^<]*)</a>', english)
    assert row.group(2) == ENGLISH_NAME
    assert client.get("/items/?_l_=zh").get_data(as_text=True).count(">门诊慢特病申报</a>") == 1
    overview = client.get(f"/items/{row.group(1)}/?_l_=en").get_data(as_text=True)
    assert f"<li>{ENGLISH_NAME}</li></ol>" in overview  # the breadcrumb
    notice = overview.split('id="setting-notice"', 1)[1].split("</tr>", 1)[0]
    assert "尊敬的参保人" in notice and 'lang="en"' in notice and "Dear insured person" in notice
    audience = overview.split('id="setting-audience"', 1)[1].split("</tr>", 1)[0]
    assert "参保人员" in audience and "Insured persons with a chronic" in audience


def test_designer_overview_says_who_may_file_in_words(app, ctx):
    publish(HB1)
    client = signed_in(app, make_user("RegionAdmin", "130000"))
    english = client.get("/items/?_l_=en").get_data(as_text=True)
    pk = re.search(r'<a href="/items/(\d+)/">', english).group(1)
    overview = client.get(f"/items/{pk}/?_l_=en").get_data(as_text=True)
    filers = overview.split('id="setting-filers"', 1)[1].split("</tr>", 1)[0]
    assert "<td>The person; An agent on their behalf</td>" in filers, filers  # words, no codes
    assert f"<title>{ENGLISH_NAME} · " in overview
