"""Helpers for the security tests (SECURITY_TESTS.md A and B): logins, redirects, pages."""
import re
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

from tests.support import PASSWORD, login, make_user

HOST = "localhost"  # the test client's host
EVIL = "evil.cn"
HOSTILE_NEXT = ["//evil.cn", "\\\\evil.cn", "/\\evil.cn", "https:evil.cn", "/%09/evil.cn",
                "https://evil.cn", "javascript:alert(1)", "http://evil.cn/login/"]


def browser_target(location: str, base: str = f"http://{HOST}/login/") -> tuple[str, str]:
    """Resolve a Location header the way a browser does: (scheme, host) it would go to.

    Browsers drop tabs and newlines and read ``\\`` as ``/`` in http(s) URLs, which is what
    turns ``/\\evil.cn`` into another host.
    """
    cleaned = re.sub(r"[\t\r\n]", "", location).replace("\\", "/").strip()
    target = urlsplit(urljoin(base, cleaned))
    return target.scheme, target.netloc


def assert_stays_home(response) -> None:
    assert response.status_code in (301, 302, 303, 307, 308), response.status_code
    scheme, host = browser_target(response.headers["Location"])
    assert scheme in ("http", "https") and host == HOST, response.headers["Location"]


def assert_to_login(response) -> None:
    """The response sends an anonymous visitor to the login page (or answers 401)."""
    if response.status_code == 401:
        return
    where = (response.request.method, response.request.path, response.status_code)
    assert response.status_code in (302, 303), where
    assert urlsplit(response.headers["Location"]).path == "/login/", (
        *where, response.headers["Location"])


def assert_refused(response, what="") -> None:
    assert response.status_code in (403, 404), (what or response.request.path,
                                                response.status_code)


def user_client(app, role, region=None, **kw):
    """Create an account with ``role`` and return (user id, username, logged-in client)."""
    with app.app_context():
        user = make_user(role, region, **kw)
        user_id, username = user.id, user.username
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 302, f"{username} could not log in"
    return user_id, username, client


def api_token(client, username, password=PASSWORD, refresh=False) -> dict:
    response = client.post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db", "refresh": refresh})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def record_count(html: str) -> int:
    """Return the total FAB's list page shows ('Record Count: N', in any language)."""
    match = re.search(r"<strong>[^<]*</strong>\s*(\d+)", html)
    return int(match.group(1)) if match else 0


def without_csrf(html: str) -> str:
    """Return a page without what differs on every load: its CSRF token and captcha key."""
    html = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", html)
    html = re.sub(r'name="captcha_key" value="[^"]*"', "", html)
    return re.sub(r'/captcha/[\w-]+\.(png|wav)', "", html)


def user_ids(html: str) -> set[str]:
    """Return the row ids of a FAB list page (the action checkboxes and the show links)."""
    return set(re.findall(r'/users/show/(\d+)', html)) | set(
        re.findall(r'name="rowid" value="(\d+)"', html))


@contextmanager
def granted(app, role_name, view_name, *permissions):
    """Grant ``permissions`` on ``view_name`` to a built-in role for the duration of the block.

    Built-in roles take their permissions from app.roles (FAB's builtin_roles), not the DB.
    """
    builtin = app.appbuilder.sm.builtin_roles
    before = builtin[role_name]
    builtin[role_name] = [*before, *([view_name, p] for p in permissions)]
    try:
        yield
    finally:
        builtin[role_name] = before
