"""Staff pages (FAB layout) on a desktop screen: what region staff see is limited to their subtree.

A region admin of 唐山市 (130200) sees 唐山市 and its districts, nothing of 广东, the region tree
from 唐山市 down, and only the accounts of the subtree, with masked mobiles. A reviewer is not an
account administrator: no menu entry, and the friendly 403 page when the address is typed.
"""
import re

import pytest
from playwright.sync_api import expect

from app.validators import mask_mobile
from tests.browser.helpers import (
    FULL_MOBILE, assert_menu_opens, broken_menu_links, has_chinese, menu_links, say, sign_in, watch_server_errors,
)
from tests.support import make_user

pytestmark = pytest.mark.browser

ADMIN_MOBILE = "13803150001"
INSIDE_MOBILE = "13903150002"
OUTSIDE_MOBILE = "13602000003"


def list_rows(page):
    """Return the data rows of FAB's list table."""
    return page.locator("table.table-bordered tbody tr")


def column_texts(page, header: str) -> list[str]:
    """Return the cells of the list column whose header reads ``header``."""
    headers = [text.strip() for text in page.locator("table.table-bordered thead th").all_inner_texts()]
    index = headers.index(header)
    return [text.strip() for text in
            list_rows(page).locator(f"td:nth-child({index + 1})").all_inner_texts()]


def search_list(page, app, column_label: str, operation: str, value: str):
    """Use FAB's search panel: open it, add a filter on a column, pick the operation, search."""
    page.get_by_role("link", name=say(app, "Search")).first.click()
    panel = page.locator("#filter_form")
    expect(panel).to_be_visible()
    panel.get_by_role("button", name=say(app, "Add Filter")).click()
    # The exact label: "名称" is also the start of "名称（英文）".
    panel.locator("ul.dropdown-menu a.filter").filter(
        has_text=re.compile(rf"^\s*{re.escape(column_label)}\s*$")).click()
    row = panel.locator("table.filters tbody tr").last
    row.locator("select").select_option(label=operation)
    row.locator("input[type=text]").fill(value)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_region_admin_sees_only_the_130200_subtree(desk_page, live_server, app):
    page = desk_page
    server_errors = watch_server_errors(page)
    with app.app_context():
        admin = make_user("RegionAdmin", "130200", username="ts_admin", name="唐山管理员",
                          mobile=ADMIN_MOBILE).username
        inside = make_user("Reviewer", "130203", username="lubei_reviewer", name="路北审核员",
                           mobile=INSIDE_MOBILE).username
        outside = make_user("RegionAdmin", "440000", username="gd_admin", name="广东管理员",
                            mobile=OUTSIDE_MOBILE).username

    sign_in(page, live_server, admin)
    expect(page.locator(".navbar")).to_contain_text("唐山管理员")

    # The region list: 唐山市 and its districts; nothing of 广东 even when searched for.
    page.goto(live_server + "/regionmodelview/list/")
    expect(page.locator(".panel-heading .panel-title").first).to_have_text(say(app, "Regions"))
    names = column_texts(page, say(app, "Name"))
    assert "唐山市" in names and "路北区" in names, names
    assert not any("广东" in name or "北京" in name for name in names), names
    codes = column_texts(page, say(app, "Code"))
    assert codes and all(code.startswith("1302") for code in codes), codes

    search_list(page, app, say(app, "Name"), say(app, "Contains"), "广东")
    expect(page).to_have_url(re.compile(r"_flt_\d+_name=%E5%B9%BF%E4%B8%9C"))
    expect(page.locator("body")).to_contain_text(say(app, "No records found"))
    expect(list_rows(page)).to_have_count(0)
    assert "广东" not in str(page.locator("table").all_inner_texts())

    # The same search for 路北 does find the district (the search itself works).
    page.goto(live_server + "/regionmodelview/list/")
    search_list(page, app, say(app, "Name"), say(app, "Contains"), "路北")
    assert column_texts(page, say(app, "Name")) == ["路北区"]

    # The region tree starts at 唐山市: no 河北省 above it, its districts below.
    page.goto(live_server + "/regions/tree/")
    expect(page.locator(".container-fluid h3")).to_contain_text("唐山市")
    trail = [t.strip() for t in page.locator("ol.breadcrumb li").all_inner_texts()]
    assert trail == [say(app, "Region tree"), "唐山市"], trail
    expect(page.locator("table")).to_contain_text("路北区")
    assert "河北省" not in page.inner_text("body")
    page.locator("ol.breadcrumb").get_by_role("link", name=say(app, "Region tree")).click()
    expect(page.locator(".container-fluid h3")).to_contain_text("唐山市")  # still the top
    response = page.goto(live_server + "/regions/tree/440000")
    assert response.status == 404

    # The account list: the subtree's accounts only, mobiles masked.
    page.goto(live_server + "/users/list/")
    usernames = column_texts(page, say(app, "Username"))
    assert sorted(usernames) == sorted([admin, inside]), usernames
    body = page.inner_text("body")
    assert outside not in body and "广东管理员" not in body
    mobiles = column_texts(page, say(app, "Mobile"))
    assert sorted(mobiles) == sorted([mask_mobile(ADMIN_MOBILE), mask_mobile(INSIDE_MOBILE)])
    assert not FULL_MOBILE.search(body), FULL_MOBILE.findall(body)
    assert not FULL_MOBILE.search(page.content()), "a full mobile number is in the page source"
    # Searching by username does not reach outside the subtree either.
    search_list(page, app, say(app, "Username"), say(app, "Contains"), "gd_")
    expect(list_rows(page)).to_have_count(0)
    assert not server_errors, server_errors

    # Every entry the menu offers opens (checked last: a broken one does not hide the rest).
    page.goto(live_server + "/")
    assert_menu_opens(page, live_server)


def test_reviewer_gets_the_friendly_403_page_and_no_user_menu(desk_page, live_server, app):
    page = desk_page
    server_errors = watch_server_errors(page)
    with app.app_context():
        reviewer = make_user("Reviewer", "130200", username="ts_reviewer", name="唐山审核员").username

    sign_in(page, live_server, reviewer)
    expect(page.locator("h1")).to_have_text(say(app, "Welcome, %(name)s", name="唐山审核员"))

    # The staff menu has region work, but nothing that administers accounts.
    links = menu_links(page)
    assert any(link.startswith("/regionmodelview/") for link in links), links
    administration = ("/users/list", "/users/add", "/users/edit", "/roles/", "/permissions/",
                      "/viewmenus/", "/permissionviews/")
    assert not [link for link in links if link.startswith(administration)], links
    navbar = page.locator(".navbar").inner_text()
    for label in ("List Users", "List Roles", "Security"):
        assert say(app, label) not in navbar, (label, navbar)

    # Typing the address gives our 403 page in the staff layout (the menu kept): status,
    # heading, message, the code and a way back.
    response = page.goto(live_server + "/users/list/")
    assert response.status == 403
    title = say(app, "No permission")
    expect(page).to_have_title(re.compile(rf"^{re.escape(title)} · "))
    expect(page.locator(".staff-error h2")).to_have_text(title)
    message = say(app, "You do not have permission to do this.")
    expect(page.locator(".staff-error [role=alert]")).to_have_text(message)
    expect(page.locator(".staff-error")).to_contain_text(say(app, "Error code: %(code)s",
                                                             code=403))
    expect(page.locator(".navbar[role=navigation]")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("table")).to_have_count(0)  # no part of the user list leaks
    page.locator(".staff-error").get_by_role("link",
                                             name=say(app, "Back to the home page")).click()
    expect(page.locator("h1")).to_have_text(say(app, "Welcome, %(name)s", name="唐山审核员"))
    assert not server_errors, server_errors

    # Every entry the menu does offer opens (checked last: a broken one does not hide the rest).
    problems = [f"menu entry answers an error: {b}"
                for b in broken_menu_links(page, live_server).values()]

    # In Chinese (the default) the page says so in Chinese; in English, in English.
    page.goto(live_server + "/users/list/")
    shown = page.inner_text(".staff-error [role=alert]")
    page.goto(live_server + "/lang/en")  # what the staff menu's language entry opens
    page.goto(live_server + "/users/list/")
    expect(page.locator(".staff-error [role=alert]")).to_have_text(
        "You do not have permission to do this.")
    if not has_chinese(shown):
        problems.append(f"the 403 page in Chinese reads {shown!r}")
    page.goto(live_server + "/lang/zh")
    assert not problems, "\n".join(problems)
