"""Production configuration: refuses to start unsafe, hardened cookies, gunicorn serves it.

Production is chosen by ``BANSHI_ENV=production`` (read by config.py at import) or by
``create_app(PRODUCTION=True)``; both apply ``config.production_settings()``.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app import ConfigurationError, create_app
from tests.support import build_app, login, make_user

PROJECT = Path(__file__).resolve().parents[2]
SECRET = "a-test-secret-that-is-long-enough-0123456789"
# The development SMS/identity backends are refused in production unless explicitly allowed.
PRODUCTION = dict(PRODUCTION=True, SECRET_KEY=SECRET, RATELIMIT_STORAGE_URI="memory://",
                  ALLOW_DEVELOPMENT_BACKENDS=True)


@pytest.fixture
def no_env(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "BANSHI_ENV"):
        monkeypatch.delenv(name, raising=False)


def test_production_refuses_to_start_without_secret_key(no_env, tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("config", PRODUCTION=True, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db")


def test_production_refuses_to_start_without_database_url(no_env):
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app("config", PRODUCTION=True, SECRET_KEY=SECRET)


def test_production_reads_secret_and_database_from_the_environment(no_env, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    app = create_app("config", PRODUCTION=True, ALLOW_DEVELOPMENT_BACKENDS=True)
    assert app.config["SECRET_KEY"] == SECRET
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.db"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["DEV_PAGES"] is False and app.config["PREFERRED_URL_SCHEME"] == "https"


def test_production_refuses_development_pages(no_env, tmp_path):
    with pytest.raises(ConfigurationError, match="DEV_PAGES"):
        create_app("config", DEV_PAGES=True, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db",
                   **PRODUCTION)


def test_development_defaults_are_not_production(no_env):
    app = create_app("config", SQLALCHEMY_DATABASE_URI="sqlite://")
    assert not app.config["PRODUCTION"] and not app.config["SESSION_COOKIE_SECURE"]


@pytest.fixture(scope="module")
def production_app(tmp_path_factory):
    files = tmp_path_factory.mktemp("production")
    return build_app(f"sqlite:///{files / 'banshi.db'}", files / "files", **PRODUCTION)


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def test_production_cookies_are_secure_httponly_samesite(production_app):
    with production_app.app_context():
        username = make_user("Reviewer", "130200").username
    client = production_app.test_client()
    response = login(client, username)
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    for header in cookies:
        assert {"secure", "httponly", "samesite", "expires"} <= cookie_attributes(header), header
        assert "SameSite=Lax" in header
    assert production_app.test_client().get("/dev/sms").status_code == 404


def test_dev_pages_answer_404_when_off(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'banshi.db'}", tmp_path / "files", DEV_PAGES=False)
    assert app.test_client().get("/dev/sms").status_code == 404
    assert "DevView.sms" not in {rule.endpoint for rule in app.url_map.iter_rules()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_the_app(tmp_path):
    """`gunicorn "app:create_app()"` starts in production mode and answers /."""
    database = f"sqlite:///{tmp_path / 'banshi.db'}"
    build_app(database, tmp_path / "files")  # migrated schema and seed data
    port = free_port()
    env = {**os.environ, "BANSHI_ENV": "production", "SECRET_KEY": SECRET,
           "DATABASE_URL": database, "RATELIMIT_STORAGE_URI": "memory://",
           "BANSHI_INSTANCE": str(tmp_path), "ALLOW_DEVELOPMENT_BACKENDS": "1"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30",
         "app:create_app()"],
        cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        deadline, answer = time.monotonic() + 30, None
        while time.monotonic() < deadline and answer is None:
            if process.poll() is not None:
                break
            try:
                answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            except OSError:
                time.sleep(0.2)
        assert answer is not None, process.stdout.read1().decode() if process.poll() else "timeout"
        assert answer.status == 200
        assert "banshi" in answer.read().decode("utf-8").lower()
        cookies = answer.headers.get_all("Set-Cookie") or []
        assert all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies), cookies
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
