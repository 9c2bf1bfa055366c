"""What create_app checks before it serves, and how a refusal reads on the command line.

- ``BANSHI_ENV`` is one of :data:`ENVIRONMENTS` (unset: development): a typo such as
  ``Production`` must not give a development deployment with its public secret key and /dev/sms;
- in production ``SECRET_KEY`` and ``DATABASE_URL`` are set, the key at least
  :data:`MIN_SECRET_KEY_LENGTH` characters long, and the development pages are off;
- every backend named by a dotted path (:data:`BACKENDS`) can be imported and is of its kind,
  and in production none is a development backend unless ``ALLOW_DEVELOPMENT_BACKENDS`` is set
  (a staging deployment), which is then logged as a WARNING;
- a development deployment logs a WARNING when it starts serving.

Loaded by the ``flask`` command (``flask --app app db upgrade``, or ``flask --app app --help``
listing the commands), a refusal is one line in the commands' language and exit status 1
(:func:`refused_on_command_line`), not a traceback.
"""
from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import ScriptInfo
from werkzeug.utils import import_string

from app.config_errors import DEFAULT_LOCALE, ConfigurationError, N_, catalog, configured_backend

#: The values of BANSHI_ENV (config.py reads it; unset means development).
ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY_LENGTH = 32
#: config.py's key when none is set (a published string); never valid in production.
DEVELOPMENT_SECRET_KEY = "banshi-development-only-not-secret"
#: Settings naming a backend class, and the class it must be a subclass of.
BACKENDS = (
    ("SMS_BACKEND", "app.services.sms.SmsGateway"),
    ("IDENTITY_BACKEND", "app.services.identity.IdentityVerifier"),
    ("NOTIFICATION_SENDER", "app.commands.notifications.NotificationSender"),
    ("PERSON_REGISTRY_BACKEND", "app.registry.base.PersonRegistry"),
    ("STORAGE_BACKEND", "app.storage.Storage"),
)


def check_settings(app: Flask) -> None:
    """Refuse an unknown environment and the production settings that are missing or unsafe."""
    config = app.config
    environment = config.get("ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(
            N_("BANSHI_ENV=%(value)s is not one of %(allowed)s (unset means development)"),
            value=repr(environment), allowed=", ".join(ENVIRONMENTS))
    if config.get("PRODUCTION"):
        if not config.get("SECRET_KEY"):
            raise ConfigurationError(N_("%(key)s must be set in production"), key="SECRET_KEY")
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            raise ConfigurationError(N_("%(key)s must be set in production"), key="DATABASE_URL")
        if config.get("DEV_PAGES"):
            raise ConfigurationError(N_("%(key)s must be off in production"), key="DEV_PAGES")
        if config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY:
            raise ConfigurationError(
                N_("%(key)s is the development key, which is public: set a secret one"),
                key="SECRET_KEY")
        if len(str(config["SECRET_KEY"])) < MIN_SECRET_KEY_LENGTH:
            raise ConfigurationError(
                N_("%(key)s must be at least %(length)s characters long in production"),
                key="SECRET_KEY", length=MIN_SECRET_KEY_LENGTH)
    if not config.get("SECRET_KEY"):
        raise ConfigurationError(N_("%(key)s is not set"), key="SECRET_KEY")


def check_backends(app: Flask) -> list[str]:
    """Refuse a backend that cannot be imported, is of another kind, or is a development
    backend in production without ALLOW_DEVELOPMENT_BACKENDS; return the development backends
    a production configuration is allowed to use."""
    config, allowed = app.config, []
    for key, interface_path in BACKENDS:
        backend = configured_backend(config, key, import_string(interface_path))
        if getattr(backend, "development", False) and config.get("PRODUCTION"):
            allowed.append(f"{key}={config.get(key)}")
    return allowed


def warn_if_not_for_real(app: Flask, development_backends: list[str]) -> None:
    """Log a WARNING when the app starts serving as development, or as production with
    development backends (a command line other than ``flask run`` does not serve: no warning)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_object(ScriptInfo) is not None and ctx.info_name != "run":
        return
    if not app.config.get("PRODUCTION"):
        app.logger.warning(
            "DEVELOPMENT deployment (BANSHI_ENV is not production): a public development "
            "SECRET_KEY unless one is set, /dev/sms shows every SMS code, development SMS, "
            "identity and notification backends. Set BANSHI_ENV=production to serve people.")
    elif development_backends:
        app.logger.warning(
            "PRODUCTION configuration with DEVELOPMENT backends (ALLOW_DEVELOPMENT_BACKENDS is "
            "set): %s. No SMS or notification reaches anyone and identity checks are not real; "
            "only for a staging deployment that must not reach real people.",
            ", ".join(development_backends))


def refused_on_command_line(error: ConfigurationError) -> None:
    """End the ``flask`` command with ``error`` in one line in the commands' language (exit 1)
    when it is loading the app; else return (gunicorn and a test see the ConfigurationError).

    SystemExit, not a ClickException: listing the commands (``flask --help``), Flask prints the
    traceback of any exception loading the app and goes on with a list that lacks banshi's."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.find_object(ScriptInfo) is None:
        return
    words = catalog(os.environ.get("BANSHI_LOCALE") or DEFAULT_LOCALE)
    click.echo(words.gettext("Error: %(message)s") % {"message": str(error)}, err=True)
    raise SystemExit(1) from error
