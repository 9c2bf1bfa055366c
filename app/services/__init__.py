"""Outside services behind small interfaces; each backend is chosen by dotted path in config.

``SMS_BACKEND`` and ``IDENTITY_BACKEND`` name the classes. Development backends are marked
``development = True`` and refuse to serve a production configuration unless
``ALLOW_DEVELOPMENT_BACKENDS`` says so (a staging deployment without the national systems).
"""
from flask import current_app
from werkzeug.utils import ImportStringError, import_string

from app import ConfigurationError
from app.services.identity import IdentityVerifier
from app.services.sms import SmsGateway

__all__ = ["get_identity_verifier", "get_sms_gateway", "load_backend"]


def load_backend(config_key: str, interface: type):
    """Return an instance of the backend class that ``config_key`` names, checked for safety."""
    config = current_app.config
    path = config.get(config_key)
    try:
        backend = import_string(path) if path else None
    except ImportStringError as error:
        raise ConfigurationError(f"{config_key}={path!r} cannot be imported: {error}") from error
    if not (isinstance(backend, type) and issubclass(backend, interface)):
        raise ConfigurationError(
            f"{config_key}={path!r} must name a subclass of {interface.__module__}."
            f"{interface.__name__}")
    if backend.development and config.get("PRODUCTION") and not config.get(
            "ALLOW_DEVELOPMENT_BACKENDS"):
        raise ConfigurationError(
            f"{config_key}={path!r} is a development backend and this is a production "
            f"configuration: configure a real backend, or set ALLOW_DEVELOPMENT_BACKENDS "
            f"for a staging deployment that must not reach real people.")
    return backend.from_config(config)


def get_sms_gateway() -> SmsGateway:
    """Return the configured SMS gateway."""
    return load_backend("SMS_BACKEND", SmsGateway)


def get_identity_verifier() -> IdentityVerifier:
    """Return the configured real-name (identity) verifier."""
    return load_backend("IDENTITY_BACKEND", IdentityVerifier)
