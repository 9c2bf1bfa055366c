"""Staff pages: a skip link is the first Tab stop, and FAB's Back button says 返回 (go back),
not 上一步 (previous step, which the counter's page-by-page form keeps)."""
import re

import pytest

from tests.support import login, make_user

FOCUSABLE = re.compile(r"<(a|button|input|select|textarea)\b[^>]*>", re.S)


@pytest.fixture
def admin(client, ctx):
    user = make_user("Admin", username="sl_admin")
    login(client, "sl_admin")
    return client, user


@pytest.mark.parametrize("locale, skip, back", [("zh", "跳到主要内容", "返回"),
                                                ("en", "Skip to content", "Back")])
def test_skip_link_first_and_back_means_back(admin, locale, skip, back):
    client, user = admin
    client.get(f"/lang/{locale}")
    for url in ("/users/list/", f"/users/show/{user.id}", "/calendar/years/", "/items/"):
        html = client.get(url).get_data(as_text=True)
        body = html.split("<body", 1)[1]
        first = FOCUSABLE.search(body)
        assert 'href="#main-content"' in first.group(0), (url, first.group(0))
        assert f'href="#main-content">{skip}</a>' in body, url
        assert 'id="main-content"' in body, url
    html = client.get(f"/users/show/{user.id}").get_data(as_text=True)
    assert f'title="{back}"' in html and 'title="上一步"' not in html
