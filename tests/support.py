"""Helpers shared by the fixtures: backends, app building, cleaning between tests."""
import datetime as dt
import os
import re
from contextlib import contextmanager

import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

PASSWORD = "Banshi2026ok"

# Tables whose rows are reference data loaded once per session; the rest are emptied per test.
SEEDED = {"region", "dictionary", "dictionary_entry", "calendar_day", "calendar_year",
          "ab_role", "ab_permission",
          "ab_view_menu", "ab_permission_view", "ab_permission_view_role", "alembic_version"}


def postgres_reachable(url: str) -> bool:
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def backends(pg_url: str) -> list:
    """Return the database backends to run on ('!' marks a required one that is missing)."""
    result = ["sqlite"]
    if postgres_reachable(pg_url):
        result.append(pg_url)
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        result.append(f"!PostgreSQL at {pg_url} is not reachable and REQUIRE_POSTGRES=1")
    return result


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context (fresh ``g``, own
    session), as in production, even while the test itself holds an app context."""

    def open(self, *args, **kwargs):
        from app.extensions import db

        with self.application.app_context():
            try:
                response = super().open(*args, **kwargs)
            finally:
                db.session.remove()
        if has_app_context():
            db.session.expire_all()  # the test's own session sees what the request committed
        return response


def build_app(url: str, files_dir, **overrides):
    """Create, migrate and seed an app on ``url``."""
    from flask_migrate import upgrade

    from app import create_app
    from app.cli import sync_security
    from app.commands.calendar import load_calendar
    from app.commands.dictionaries import load_dictionaries
    from app.commands.regions import load_regions

    if url.startswith("postgresql"):
        reset_postgres(url)
    settings = dict(
        SQLALCHEMY_DATABASE_URI=url, TESTING=True, WTF_CSRF_ENABLED=False,
        RATELIMIT_ENABLED=False, UPLOAD_FOLDER=str(files_dir), SERVER_NAME=None,
        CLI_LOCALE="en",  # messages of commands run outside a request are asserted in English
        FAB_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",  # fast hashes in tests only
    )
    settings.update(overrides)
    application = create_app("config", **settings)
    application.test_client_class = FreshContextClient
    with application.app_context():
        upgrade()
        sync_security()
        load_regions()
        load_dictionaries()
        load_calendar()
    return application


def clean_database() -> None:
    """Empty every non-seeded table and remove admin-added regions and local codes."""
    from app.extensions import db
    from flask_appbuilder import Model

    db.session.rollback()
    tables = [t for t in reversed(Model.metadata.sorted_tables) if t.name not in SEEDED]
    for table in tables:
        if table.name == "ab_user":
            # created_by/changed_by point at other users: clear them first.
            db.session.execute(table.update().values(created_by_fk=None, changed_by_fk=None))
        db.session.execute(table.delete())
    db.session.execute(sa.text("DELETE FROM dictionary_entry WHERE region_code IS NOT NULL"))
    db.session.execute(sa.text("DELETE FROM region WHERE kind <> 'gb2260'"))
    # Calendar rows written by administrators; the years chinese-calendar knows end with 2026.
    db.session.execute(sa.text("DELETE FROM calendar_day WHERE source = 'admin'"))
    db.session.execute(sa.text("DELETE FROM calendar_year WHERE year > 2026"))
    db.session.commit()


def make_user(role="Citizen", region=None, username=None, password=PASSWORD, **kw):
    """Create an account through the same command the CLI uses."""
    from app.commands.users import AddUserCommand

    username = username or f"{role.lower()}_{region or 'all'}_{make_user.counter}"
    make_user.counter += 1
    return AddUserCommand(username, password, role, region, kw.pop("name", None), **kw).run()


make_user.counter = 0


CAPTCHA_KEY = re.compile(r'name="captcha_key" value="([^"]+)"')


def captcha_answer(app, key: str) -> str:
    """Read the answer of captcha ``key`` from ``app``'s server-side store (the page never
    holds it: a test reads it where only the server can)."""
    from app.captcha import answer_of

    with app.app_context():
        answer = answer_of(key)
    assert answer, f"no live captcha under {key!r}"
    return answer


def solved_captcha(client, url="/login/") -> dict:
    """Open the login page and return its captcha fields, answered; {} when the page sends a
    signed-in client on instead."""
    response = client.get(url)
    if response.status_code in (301, 302, 303):
        return {}
    match = CAPTCHA_KEY.search(response.get_data(as_text=True))
    assert match, f"no captcha on {url}"
    return {"captcha_key": match.group(1), "captcha": captcha_answer(client.application,
                                                                     match.group(1))}


def login(client, username, password=PASSWORD, follow=False, **kwargs):
    """Sign in through the web form as a person does: open it, answer the captcha, send it."""
    data = {"username": username, "password": password, **solved_captcha(client)}
    return client.post("/login/", data=data, follow_redirects=follow, **kwargs)


def csrf_token(client, url) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@contextmanager
def counted_queries():
    """Collect the SQL statements the app's engine sends inside the block."""
    from app.extensions import db

    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


class FrozenClock:
    """The application commands' clock (``BANSHI_CLOCK``) held at a moment the test moves."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment

    def day(self, year: int, month: int, day: int, hour: int = 10) -> None:
        """Move to ``hour`` o'clock of a day, China time."""
        self.moment = dt.datetime(year, month, day, hour,
                                  tzinfo=dt.timezone(dt.timedelta(hours=8)))


@contextmanager
def frozen_clock(app, moment: dt.datetime):
    """Hold ``app``'s clock at ``moment`` (a FrozenClock) until the block ends."""
    clock = FrozenClock(moment)
    app.config["BANSHI_CLOCK"] = lambda: clock.moment
    try:
        yield clock
    finally:
        app.config.pop("BANSHI_CLOCK", None)
