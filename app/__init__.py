"""banshi (办事): a low-code platform for government service items."""
import os
from pathlib import Path

from flask import Flask

from app.config_errors import ConfigurationError, N_

__all__ = ["ConfigurationError", "create_app"]

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(config_object: str = "config", **overrides) -> Flask:
    """Build the banshi application (FAB inside, bound to this app only).

    :raises ConfigurationError: the settings are unknown, incomplete or unsafe (app.startup);
        loaded by the ``flask`` command, it is said in one line instead (exit status 1).
    """
    from app import startup

    try:
        return _build_app(config_object, overrides)
    except ConfigurationError as error:
        startup.refused_on_command_line(error)
        raise


def _build_app(config_object, overrides: dict) -> Flask:
    from flask_appbuilder import AppBuilder
    from flask_wtf.csrf import CSRFProtect

    from app import (cli, errors, form_translations, headers, initialization, request_guard,
                     sqlite_setup, startup, url_ids)
    from app.extensions import db, migrate
    from app.json_provider import BanshiJSONProvider
    from app.security import fab_password_policy
    from app.uploads import limits as upload_limits
    from app.views.admin import password_change
    from app.views.admin.list_guard import guard_list_args
    from app.views.admin.scoped import guard_action_routes

    app = Flask(__name__)
    url_ids.register(app)  # before any route: an id past the id columns matches none (404)
    app.json = BanshiJSONProvider(app)
    app.config.from_object(config_object)
    if overrides.get("PRODUCTION") and not app.config.get("PRODUCTION"):
        app.config.update(_production_settings(config_object))
    app.config.update(overrides)
    startup.check_settings(app)
    development_backends = startup.check_backends(app)
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", fab_password_policy)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]).parent.mkdir(
            parents=True, exist_ok=True)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    db.init_app(app)
    sqlite_setup.register(app, db)  # development: wait for a lock instead of a 500
    # First of all hooks: a declared body over MAX_CONTENT_LENGTH is answered 413 unread (C3).
    upload_limits.register(app)
    request_guard.register(app)  # then a NUL or other control character: 400, never a 500
    # Every state-changing browser request needs a CSRF token (A8), not only FAB's WTForms:
    # FAB's delete and action routes rely on CSRFProtect. Bound before AppBuilder so that
    # FAB exempts its token-authenticated REST APIs.
    CSRFProtect(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"),
                     render_as_batch=True, compare_type=True)
    with app.app_context():
        from app import models  # noqa: F401  (every table known to FAB and Alembic)

        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)
        initialization.register(appbuilder)
        _select_locale(app)
    if app.config.get("PROXY_FIX_HOPS"):
        # Behind a reverse proxy the client IP (rate limits, history) comes from
        # X-Forwarded-For, trusted for exactly the configured number of hops; hosts are not.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_HOPS"]),
                                x_proto=1, x_host=0)
    app.before_request(_assign_request_id)
    app.before_request(guard_action_routes)
    app.before_request(guard_list_args)
    password_change.register(app)  # a password an administrator chose: changed first
    form_translations.register(app)  # form messages: banshi's catalog, then WTForms'
    app.context_processor(_template_globals)
    app.add_template_filter(local_text, "local_text")
    app.add_template_filter(region_name, "region_name")
    app.add_url_rule("/favicon.ico", "favicon", _favicon)  # asked for by pages without a link
    errors.register(app)
    headers.register(app)
    cli.register(app)
    startup.warn_if_not_for_real(app, development_backends)
    return app


def _select_locale(app: Flask) -> None:
    """Choose each reply's language: pages keep FAB's choice (``?_l_=``, the session, default
    zh); API calls take ``?_l_=``, else Accept-Language, and never write the session
    (app.api.base.api_locale); commands and workers speak ``CLI_LOCALE`` (``BANSHI_LOCALE=en``).
    """
    from dataclasses import replace

    from flask import has_request_context

    from app.api.base import api_locale, is_api_request

    babel = app.extensions["babel"]
    request_selector = babel.locale_selector

    def select():
        if has_request_context():
            return api_locale() if is_api_request() else request_selector()
        return app.config.get("CLI_LOCALE") or None

    app.extensions["babel"] = replace(babel, locale_selector=select)


def _assign_request_id() -> None:
    # Not ``before_request(request_id)``: a before_request function that returns a value ends
    # the request with that value as the response.
    from app.audit import request_id

    request_id()


def _template_globals() -> dict:
    # banshi's own templates (citizen layout, error pages) need these outside FAB's
    # render_template too (error handlers render with Flask's).
    from flask import current_app
    from flask_babel import get_locale

    return {"get_locale": get_locale, "appbuilder": current_app.appbuilder}


def _favicon():
    from flask import redirect, url_for

    return redirect(url_for("static", filename="favicon.svg"), 301)


def local_text(value) -> str:
    """Return a definition's ``{zh, en}`` text (or plain text) in the request's language,
    falling back to Chinese, as the engine reads it: ``{{ d.name | local_text }}``."""
    from flask_babel import get_locale

    from app.engine.fields import EngineContext

    return EngineContext(locale=str(get_locale() or "zh")).text(value)


def region_name(region) -> str:
    """Return a region (a ``Region`` row or a region-tree node) named in the request's language,
    the Chinese name when it has no English one: ``{{ item.region | region_name }}``."""
    return region.name_for() if region is not None else ""


def _production_settings(config_object) -> dict:
    """Return the config object's hardened settings (``production_settings()`` in config.py)."""
    from werkzeug.utils import import_string

    module = import_string(config_object) if isinstance(config_object, str) else config_object
    settings = getattr(module, "production_settings", None)
    if settings is None:
        raise ConfigurationError(N_("%(config)s has no production_settings()"),
                                 config=config_object)
    return settings()

