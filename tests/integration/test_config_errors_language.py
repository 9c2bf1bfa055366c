"""Configuration errors are worded in the commands' language (BANSHI_LOCALE, Chinese by
default): a command stopped by an unsafe or wrong backend, and an application refusing to start
(app.config_errors). They were English whatever the language."""
import pytest

from app import ConfigurationError, create_app

SENDER = "app.commands.notifications.DevelopmentNotificationSender"


@pytest.fixture
def production(app, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    monkeypatch.setitem(app.config, "ALLOW_DEVELOPMENT_BACKENDS", False)
    monkeypatch.setitem(app.config, "NOTIFICATION_SENDER", SENDER)
    return app


def send(app, runner, monkeypatch, locale):
    monkeypatch.setitem(app.config, "CLI_LOCALE", locale)
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 1
    return result.output


def test_a_development_sender_in_production_is_said_in_the_commands_language(
        production, runner, monkeypatch):
    chinese = send(production, runner, monkeypatch, None)
    assert chinese.startswith(f"错误：NOTIFICATION_SENDER='{SENDER}' 是开发用后端")
    assert "ALLOW_DEVELOPMENT_BACKENDS" in chinese
    english = send(production, runner, monkeypatch, "en")
    assert english.startswith(f"Error: NOTIFICATION_SENDER='{SENDER}' is a development backend "
                              "and this is a production configuration")


@pytest.mark.parametrize("path, zh, en", [
    ("app.commands.notifications.NoSuchSender", "无法导入", "cannot be imported"),
    ("app.models.user.BanshiUser", "必须指定 app.commands.notifications.NotificationSender 的子类",
     "must name a subclass of app.commands.notifications.NotificationSender"),
])
def test_a_wrong_sender_is_said_in_the_commands_language(app, runner, monkeypatch, path, zh, en):
    monkeypatch.setitem(app.config, "NOTIFICATION_SENDER", path)
    assert f"NOTIFICATION_SENDER='{path}' {zh}" in send(app, runner, monkeypatch, None)
    assert f"NOTIFICATION_SENDER='{path}' {en}" in send(app, runner, monkeypatch, "en")


@pytest.mark.parametrize("locale, text", [
    (None, "生产环境必须设置 SECRET_KEY"), ("zh", "生产环境必须设置 SECRET_KEY"),
    ("en", "SECRET_KEY must be set in production")])
def test_an_application_refusing_to_start_says_why_in_the_commands_language(
        monkeypatch, tmp_path, locale, text):
    for name in ("SECRET_KEY", "DATABASE_URL", "BANSHI_ENV", "BANSHI_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    if locale:
        monkeypatch.setenv("BANSHI_LOCALE", locale)
    with pytest.raises(ConfigurationError) as refused:
        create_app("config", PRODUCTION=True, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db")
    assert str(refused.value) == text


def test_any_command_says_a_wrong_backend_without_a_traceback(app, runner, monkeypatch):
    from app.storage import _EXTENSION

    monkeypatch.delitem(app.extensions, _EXTENSION, raising=False)  # built again, and refused
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "collections.OrderedDict")
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)
    chinese = runner.invoke(args=["applications", "reconcile"])
    assert chinese.exit_code == 1 and "Traceback" not in chinese.output
    assert chinese.output.startswith("错误：STORAGE_BACKEND='collections.OrderedDict' 必须指定 "
                                     "app.storage.Storage 的子类")
    monkeypatch.setitem(app.config, "CLI_LOCALE", "en")
    english = runner.invoke(args=["applications", "reconcile"])
    assert english.exit_code == 1 and english.output.startswith(
        "Error: STORAGE_BACKEND='collections.OrderedDict' must name a subclass of "
        "app.storage.Storage")


def test_a_sender_that_cannot_be_imported_is_one_line_with_the_reason(app, runner, monkeypatch):
    path = "app.commands.notifications.NoSuchSender"
    monkeypatch.setitem(app.config, "NOTIFICATION_SENDER", path)
    assert send(app, runner, monkeypatch, "en") == (
        f"Error: NOTIFICATION_SENDER='{path}' cannot be imported: module "
        "'app.commands.notifications' has no attribute 'NoSuchSender'\n")
