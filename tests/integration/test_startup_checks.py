"""create_app refuses what would deploy unsafely or fail later (app.startup): an unknown
BANSHI_ENV, a short SECRET_KEY in production, a backend that cannot be imported, a development
backend in production without ALLOW_DEVELOPMENT_BACKENDS; a development or staging deployment
says so in a WARNING; the `flask` command says a refusal in one line (exit 1), no traceback."""
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import ConfigurationError, create_app
from app.services.identity import IdentityVerifier
from app.services.sms import SmsGateway

PROJECT = Path(__file__).resolve().parents[2]
SECRET = "a-test-secret-that-is-long-enough-0123456789"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "DATABASE_URL", "BANSHI_ENV", "BANSHI_LOCALE",
                 "ALLOW_DEVELOPMENT_BACKENDS"):
        monkeypatch.delenv(name, raising=False)
    return dict(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db",
                UPLOAD_FOLDER=str(tmp_path / "files"), RATELIMIT_STORAGE_URI="memory://")


class RealSms(SmsGateway):
    """A gateway that is not a development one (the real ones live outside banshi)."""

    def send(self, mobile, text):
        raise AssertionError("not sent at start")


class RealIdentity(IdentityVerifier):
    def verify(self, name, id_number, method, secret, card_number=None):
        raise AssertionError("not verified at start")


def production(clean_env, **settings):
    return dict(clean_env, PRODUCTION=True, SECRET_KEY=SECRET, **settings)


@pytest.mark.parametrize("key, path", [
    ("SMS_BACKEND", "app.services.sms.DevelopmentSmsGateway"),
    ("IDENTITY_BACKEND", "app.services.identity.DevelopmentIdentityVerifier"),
    ("NOTIFICATION_SENDER", "app.commands.notifications.DevelopmentNotificationSender"),
])
def test_production_refuses_to_start_with_a_development_backend(clean_env, key, path):
    real = {"SMS_BACKEND": "tests.integration.test_startup_checks.RealSms",
            "IDENTITY_BACKEND": "tests.integration.test_startup_checks.RealIdentity",
            "NOTIFICATION_SENDER": "app.commands.notifications.SmsNotificationSender"}
    with pytest.raises(ConfigurationError) as refused:
        create_app("config", **production(clean_env, **dict(real, **{key: path})))
    assert refused.value.params["key"] == key
    assert "ALLOW_DEVELOPMENT_BACKENDS" in str(refused.value)
    create_app("config", **production(clean_env, **real))  # real ones start


def test_development_backends_in_production_only_when_allowed_and_then_loudly(clean_env,
                                                                             caplog):
    with caplog.at_level(logging.WARNING):
        create_app("config", **production(clean_env, ALLOW_DEVELOPMENT_BACKENDS=True))
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("DEVELOPMENT backends" in text and "SMS_BACKEND=" in text
               and "IDENTITY_BACKEND=" in text for text in warned), warned


@pytest.mark.parametrize("key, path", [
    ("SMS_BACKEND", "app.services.sms.Nope"),
    ("STORAGE_BACKEND", "app.storage.nope.X"),
    ("PERSON_REGISTRY_BACKEND", "app.models.user.BanshiUser"),
    ("NOTIFICATION_SENDER", ""),
])
def test_a_backend_that_is_not_one_is_refused_at_start(clean_env, key, path):
    with pytest.raises(ConfigurationError) as refused:
        create_app("config", **dict(clean_env, **{key: path}))
    assert refused.value.params["key"] == key and refused.value.params["path"] == repr(path)


@pytest.mark.parametrize("value", ["Production", "prod", "", "staging"])
def test_an_unknown_environment_is_refused(clean_env, value):
    with pytest.raises(ConfigurationError) as refused:
        create_app("config", **dict(clean_env, ENV=value))
    assert str(refused.value) == (f"BANSHI_ENV={value!r} 不是 development, production 之一"
                                  "（不设置即为 development）")


def test_development_warns_when_it_starts(clean_env, caplog):
    with caplog.at_level(logging.WARNING):
        create_app("config", **clean_env)
    assert any("DEVELOPMENT deployment" in r.getMessage() for r in caplog.records)


def test_production_refuses_a_short_secret_key(clean_env):
    settings = production(clean_env, ALLOW_DEVELOPMENT_BACKENDS=True)
    with pytest.raises(ConfigurationError, match="SECRET_KEY 至少须有 32 个字符"):
        create_app("config", **dict(settings, SECRET_KEY="x" * 31))
    assert create_app("config", **dict(settings, SECRET_KEY="x" * 32))


def test_production_refuses_the_development_key_even_when_set_explicitly(clean_env):
    import config

    settings = production(clean_env, ALLOW_DEVELOPMENT_BACKENDS=True)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("config", **dict(settings, SECRET_KEY=config.DEVELOPMENT_SECRET_KEY))


def flask_command(tmp_path, *args, **env):
    environ = {k: v for k, v in os.environ.items()
               if k not in ("SECRET_KEY", "DATABASE_URL", "BANSHI_ENV", "BANSHI_LOCALE",
                            "ALLOW_DEVELOPMENT_BACKENDS")}
    environ.update(BANSHI_INSTANCE=str(tmp_path), **env)
    flask = str(Path(sys.executable).with_name("flask"))
    return subprocess.run([flask, "--app", "app", *args], cwd=PROJECT, env=environ,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env, text", [
    ({"BANSHI_ENV": "production"}, "错误：生产环境必须设置 SECRET_KEY\n"),
    ({"BANSHI_ENV": "production", "SECRET_KEY": SECRET, "BANSHI_LOCALE": "en"},
     "Error: DATABASE_URL must be set in production\n"),
    ({"BANSHI_ENV": "Production"},
     "错误：BANSHI_ENV='Production' 不是 development, production 之一（不设置即为 development）\n"),
])
def test_the_flask_command_says_a_refused_configuration_in_one_line(tmp_path, env, text):
    done = flask_command(tmp_path, "db", "upgrade", **env)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", text)


@pytest.mark.parametrize("env, text", [
    ({"BANSHI_ENV": "Production"},
     "错误：BANSHI_ENV='Production' 不是 development, production 之一（不设置即为 development）\n"),
    ({"BANSHI_ENV": "production", "BANSHI_LOCALE": "en"},
     "Error: SECRET_KEY must be set in production\n"),
])
def test_the_list_of_commands_says_a_refused_configuration_in_one_line(tmp_path, env, text):
    done = flask_command(tmp_path, "--help", **env)  # Flask printed a traceback, then the list
    assert (done.returncode, done.stdout, done.stderr) == (1, "", text)


def test_the_flask_command_says_an_unreachable_database_in_one_line(tmp_path):
    unreachable = flask_command(tmp_path, "db", "upgrade", BANSHI_LOCALE="en",
                                DATABASE_URL="postgresql://nobody@127.0.0.1:1/banshi")
    assert (unreachable.returncode, unreachable.stdout) == (1, "")
    assert unreachable.stderr.startswith(
        "Error: cannot connect to the database (DATABASE_URL): connection to server at "
        "\"127.0.0.1\", port 1 failed"), unreachable.stderr
    assert len(unreachable.stderr.splitlines()) == 1
    reachable = flask_command(tmp_path, "db", "upgrade",
                              DATABASE_URL=f"sqlite:///{tmp_path / 'banshi.db'}")
    assert reachable.returncode == 0, reachable.stderr  # Flask-Migrate's group still migrates
