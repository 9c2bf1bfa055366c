"""Configuration errors worded in the commands' language (``BANSHI_LOCALE``, Chinese by default).

They stop a command (``flask notifications send`` with an unsafe ``NOTIFICATION_SENDER``) or the
application's start (no ``SECRET_KEY`` in production), so they are read by whoever runs the
command. The text is chosen when the error is shown: inside an application context by
Flask-Babel (a command's ``CLI_LOCALE``, a request's language), before any application exists
(``create_app`` refusing its settings) from the catalog of ``BANSHI_LOCALE``.

    raise ConfigurationError(N_("%(key)s is not set"), key="SECRET_KEY")
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
DEFAULT_LOCALE = "zh"


def N_(message: str) -> str:  # noqa: N802  (gettext's name for "mark for the catalog only")
    """Return ``message`` unchanged: marks a msgid that is translated later."""
    return message


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete for the chosen environment."""

    def __init__(self, message: str, **params) -> None:
        super().__init__(message % params if params else message)
        self.msgid, self.params = message, params

    def __str__(self) -> str:
        from flask import current_app, has_app_context

        if has_app_context() and "babel" in current_app.extensions:
            from flask_babel import gettext

            return gettext(self.msgid, **self.params)
        text = catalog(os.environ.get("BANSHI_LOCALE") or DEFAULT_LOCALE).gettext(self.msgid)
        return text % self.params if self.params else text


def backend_class(config_key: str, path: str | None, interface: type) -> type:
    """Return the class that ``path`` (the setting ``config_key``) names, a subclass of
    ``interface``; raise ConfigurationError when it cannot be imported or is another thing."""
    from werkzeug.utils import ImportStringError, import_string

    try:
        backend = import_string(path) if path else None
    except ImportStringError as error:
        raise ConfigurationError(N_("%(key)s=%(path)s cannot be imported: %(error)s"),
                                 key=config_key, path=repr(path),
                                 error=error.exception) from error  # one line: the reason
    if not (isinstance(backend, type) and issubclass(backend, interface)):
        raise ConfigurationError(N_("%(key)s=%(path)s must name a subclass of %(interface)s"),
                                 key=config_key, path=repr(path),
                                 interface=f"{interface.__module__}.{interface.__name__}")
    return backend


def configured_backend(config, config_key: str, interface: type) -> type:
    """Return the backend class that the setting ``config_key`` of ``config`` names
    (:func:`backend_class`); refuse a development backend in a production configuration unless
    ``ALLOW_DEVELOPMENT_BACKENDS`` is set (a staging deployment)."""
    path = config.get(config_key)
    backend = backend_class(config_key, path, interface)
    if getattr(backend, "development", False) and config.get("PRODUCTION") and not config.get(
            "ALLOW_DEVELOPMENT_BACKENDS"):
        raise ConfigurationError(N_(
            "%(key)s=%(path)s is a development backend and this is a production "
            "configuration: configure a real backend, or set ALLOW_DEVELOPMENT_BACKENDS for a "
            "staging deployment that must not reach real people."),
            key=config_key, path=repr(path))
    return backend


@lru_cache(maxsize=4)
def catalog(locale: str) -> NullTranslations:
    """Return the compiled catalog of ``locale`` (none: the English msgids)."""
    return Translations.load(str(TRANSLATIONS), [locale])
