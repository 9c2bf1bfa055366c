"""FAB list and show pages never print "None": an empty value reads "—", or its meaning (an
account without a region belongs to the whole country), in both languages."""
import re

import pytest

from tests.support import login, make_user


def cells(html):
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


@pytest.fixture
def admin(client, ctx):
    user = make_user("Admin", username="ev_admin")
    login(client, "ev_admin")
    return client, user


@pytest.mark.parametrize("locale, country", [("zh", "全国"), ("en", "Whole country")])
def test_no_none_on_list_and_show_pages(admin, locale, country):
    client, user = admin
    make_user("Reviewer", "130203", username="ev_reviewer")  # no mobile: an empty column
    client.get(f"/lang/{locale}")
    pages = {
        "/users/list/": None, f"/users/show/{user.id}": None,
        "/regionmodelview/list/": None, "/regionmodelview/show/110000": None,
        "/dictionaryentrymodelview/list/": None, "/auditlog/list/": None,
        "/calendar/list/": None, "/roles/list/": None,
    }
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        shown = cells(response.get_data(as_text=True))
        assert "None" not in shown, (url, [c for c in shown if "None" in c][:3])
    account = cells(client.get(f"/users/show/{user.id}").get_data(as_text=True))
    assert country in account
    listed = cells(client.get("/users/list/?_flt_0_username=ev_admin").get_data(as_text=True))
    assert country in listed
    beijing = cells(client.get("/regionmodelview/show/110000").get_data(as_text=True))
    assert "—" in beijing  # its parent: none
