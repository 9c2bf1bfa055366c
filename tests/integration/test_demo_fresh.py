"""`flask --app app demo` on a fresh clone (README): an empty SQLite database is migrated
first, and the command speaks the commands' language (BANSHI_LOCALE; Chinese by default)."""
import sqlalchemy as sa

from app import create_app


def fresh_app(tmp_path, **settings):
    return create_app(
        "config", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}", TESTING=True,
        UPLOAD_FOLDER=str(tmp_path / "files"), FAB_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
        **settings)


def test_demo_migrates_an_empty_database_and_speaks_chinese(tmp_path):
    app = fresh_app(tmp_path, CLI_LOCALE=None)
    with app.app_context():  # as `flask` pushes it
        result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "数据库结构已是最新" in result.output
    assert "演示账号（密码均为 banshi2026）：" in result.output
    assert "hb_admin" in result.output and "130200" in result.output
    assert "Demo accounts" not in result.output and " in 130200" not in result.output
    with app.app_context():
        from app.extensions import db

        assert db.session.scalar(sa.text("SELECT count(*) FROM ab_user")) > 10
        db.session.remove()
        db.engine.dispose()


def test_demo_in_english_on_a_migrated_database(tmp_path):
    app = fresh_app(tmp_path, CLI_LOCALE="en")
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo accounts (password for all: banshi2026):" in result.output
    assert "in 130200" in result.output
    with app.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
