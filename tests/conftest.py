"""Test fixtures: one migrated, seeded app per database backend (SQLite, PostgreSQL).

Every test that takes ``app`` (or anything built on it) runs once per backend.
``TEST_DATABASE_URL`` names the PostgreSQL database (default ``postgresql:///test``); with
``REQUIRE_POSTGRES=1`` an unreachable server fails the run instead of skipping.
"""
import os

import pytest
import sqlalchemy as sa
from hypothesis import settings

from app import create_app
from tests.support import backends, build_app, clean_database

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql:///test")

# Property tests check what is true of every example, never how fast one runs: Hypothesis's
# default 200 ms deadline per example made them fail on a loaded machine.
settings.register_profile("banshi", deadline=None)
settings.load_profile("banshi")


@pytest.fixture(scope="session", params=backends(PG_URL),
                ids=lambda url: "sqlite" if url == "sqlite" else "postgresql")
def app(request, tmp_path_factory):
    """A migrated app with regions, code tables and roles loaded."""
    url = request.param
    if url.startswith("!"):
        pytest.fail(url[1:])
    if url == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'banshi.db'}"
    application = build_app(url, tmp_path_factory.mktemp("files"))
    yield application
    with application.app_context():
        from app.extensions import db

        db.session.remove()
        db.engines[None].dispose() if hasattr(db, "engines") else None


@pytest.fixture(autouse=True)
def _clean(request):
    """Remove what a test created (accounts, history, local codes) after it ran."""
    yield
    if "app" in request.fixturenames:
        application = request.getfixturevalue("app")
        with application.app_context():
            clean_database()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf(app):
    """Turn CSRF protection on for one test (off by default to keep form tests short)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def db_dialect(app) -> str:
    return sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


@pytest.fixture
def limited(app, tmp_path):
    """A second app on the same database with rate limiting on (the suite runs with it off).

    Flask-Limiter skips its whole set-up when RATELIMIT_ENABLED is false at start, so flipping
    a flag on the shared app cannot turn it on: build one with it on, memory storage.
    """
    from app.extensions import db

    limited_app = create_app(
        "config", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], TESTING=True,
        WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
        UPLOAD_FOLDER=str(tmp_path), FAB_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    limiter = limited_app.appbuilder.sm.limiter
    assert limiter.enabled and limiter.initialized
    yield limited_app
    limiter.reset()
    with limited_app.app_context():
        db.session.remove()
        db.engines[None].dispose()
