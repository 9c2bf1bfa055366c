"""Outside services behind small interfaces; each backend is chosen by dotted path in config.

``SMS_BACKEND`` and ``IDENTITY_BACKEND`` name the classes. Development backends are marked
``development = True`` and refuse to serve a production configuration unless
``ALLOW_DEVELOPMENT_BACKENDS`` says so (a staging deployment without the national systems).
The refusals are worded in the commands' language (app.config_errors).
"""
from flask import current_app

from app.config_errors import ConfigurationError, N_, backend_class
from app.services.identity import IdentityVerifier
from app.services.sms import SmsGateway

__all__ = ["get_identity_verifier", "get_sms_gateway", "load_backend"]


def load_backend(config_key: str, interface: type):
    """Return an instance of the backend class that ``config_key`` names, checked for safety."""
    config = current_app.config
    path = config.get(config_key)
    backend = backend_class(config_key, path, interface)
    if backend.development and config.get("PRODUCTION") and not config.get(
            "ALLOW_DEVELOPMENT_BACKENDS"):
        raise ConfigurationError(N_(
            "%(key)s=%(path)s is a development backend and this is a production "
            "configuration: configure a real backend, or set ALLOW_DEVELOPMENT_BACKENDS for a "
            "staging deployment that must not reach real people."),
            key=config_key, path=repr(path))
    return backend.from_config(config)


def get_sms_gateway() -> SmsGateway:
    """Return the configured SMS gateway."""
    return load_backend("SMS_BACKEND", SmsGateway)


def get_identity_verifier() -> IdentityVerifier:
    """Return the configured real-name (identity) verifier."""
    return load_backend("IDENTITY_BACKEND", IdentityVerifier)
