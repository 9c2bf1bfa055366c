"""What a person reads around signing in and printing (HTTP): a page that needs signing in asks
for it (请先登录) rather than saying access is denied; a wrong password keeps the name typed,
never the password; a result document offers 打印 only where the script that prints runs, and
says how to print without it."""
import html
import re

from tests.integration.test_result_document import issued  # noqa: F401
from tests.review_support import workday_clock  # noqa: F401
from tests.support import PASSWORD, login, make_user

DENIED = ("访问被拒绝", "Access is Denied")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+" role="status">([^<]*)</p>', page)


def test_a_deep_link_signed_out_asks_to_sign_in(app, client, ctx):
    for url in ("/my/applications/", "/my/applications/1"):
        sent = client.get(url)
        assert sent.status_code == 302 and "/login/?next=" in sent.headers["Location"], url
        page = text(client.get(sent.headers["Location"]))
        assert flashes(page) == ["请先登录。"], url
        assert not any(word in page for word in DENIED), url
    client.get("/lang/en")
    page = text(client.get(client.get("/my/applications/").headers["Location"]))
    assert flashes(page) == ["Please sign in first."]


def test_a_wrong_password_keeps_the_name_typed_and_never_the_password(app, client, ctx):
    user = make_user("Citizen", "130203")
    wrong = "not-the-password-1"
    page = text(login(client, user.username, password=wrong, follow=True))
    assert "账号或密码错误。" in page
    field = re.search(r'<input[^>]*name="username"[^>]*>', page).group(0)
    assert f'value="{user.username}"' in field
    assert wrong not in page and PASSWORD not in page
    again = text(client.get("/login/"))  # shown once, not kept for later
    assert f'value="{user.username}"' not in again


def test_the_print_button_comes_with_the_script_that_prints(client, issued):  # noqa: F811
    application, person = issued
    login(client, person.username)
    page = text(client.get(f"/my/applications/{application.id}/document"))
    actions = re.search(r'<p class="document-actions".*?</p>', page, re.S).group(0)
    assert "<button" not in actions  # nothing that does nothing without JavaScript
    assert "如需打印，请使用浏览器自带的“打印”功能。" in actions
    assert 'data-print-label="打印"' in actions and "window.print()" in page
