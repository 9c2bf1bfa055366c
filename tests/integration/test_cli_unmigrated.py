"""A command run on a database never migrated says to run `flask db upgrade` (in the commands'
language), exit 1, instead of a traceback (app.cli_errors): on SQLite and PostgreSQL (an empty
schema of the test database)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from tests.integration.designer_support import PROVINCE

PROJECT = Path(__file__).resolve().parents[2]
ZH = "错误：数据库尚未建立，或与当前版本不符：请先运行 “flask db upgrade”。\n"
EN = ("Error: The database is not set up, or not up to date with this version: run "
      "“flask db upgrade” first.\n")
COMMANDS = [["formdefs", "lint", str(PROVINCE)], ["formdefs", "load", str(PROVINCE)],
            ["applications", "purge"], ["applications", "unstaffed"],
            ["users", "add", "--username", "u", "--password", "Secret2026x", "--role", "Admin"]]
EMPTY_SCHEMA = "banshi_unmigrated"


@pytest.fixture
def unmigrated(app, db_dialect, tmp_path):
    """Return a function making an app on an empty database of the test's backend."""
    made, url = [], f"sqlite:///{tmp_path / 'empty.db'}"
    if db_dialect == "postgresql":
        base = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        engine = sa.create_engine(base)
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {EMPTY_SCHEMA} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {EMPTY_SCHEMA}"))
        url = base.update_query_dict({"options": f"-csearch_path={EMPTY_SCHEMA}"})
        url = url.render_as_string(hide_password=False)

    def make(**settings):
        made.append(create_app("config", SQLALCHEMY_DATABASE_URI=url, TESTING=True,
                               UPLOAD_FOLDER=str(tmp_path / "files"), **settings))
        return made[-1]
    yield make
    for application in made:
        with application.app_context():
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()
    if db_dialect == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {EMPTY_SCHEMA} CASCADE"))
        engine.dispose()


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_each_command_says_run_db_upgrade(unmigrated, args):
    for locale, text in ((None, ZH), ("en", EN)):
        application = unmigrated(CLI_LOCALE=locale)
        with application.app_context():  # as `flask` pushes it
            result = application.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(text), result.stderr
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_the_flask_command_prints_no_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
           "BANSHI_INSTANCE": str(tmp_path)}
    env.pop("BANSHI_LOCALE", None)
    flask = str(Path(sys.executable).with_name("flask"))
    done = subprocess.run([flask, "--app", "app", "formdefs", "lint", str(PROVINCE)],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ZH + "(no such table: dictionary)\n"


def test_other_database_errors_are_not_taken_for_it(app, ctx):
    from sqlalchemy.exc import OperationalError

    from app.cli_errors import missing_schema

    assert missing_schema(OperationalError("SELECT 1", {}, Exception("no such table: x")))
    assert not missing_schema(OperationalError("SELECT 1", {}, Exception("database is locked")))
