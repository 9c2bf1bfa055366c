"""Outside services behind small interfaces; each backend is chosen by dotted path in config.

``SMS_BACKEND`` and ``IDENTITY_BACKEND`` name the classes. Development backends are marked
``development = True`` and refuse to serve a production configuration unless
``ALLOW_DEVELOPMENT_BACKENDS`` says so (a staging deployment without the national systems).
The refusals are worded in the commands' language (app.config_errors).
"""
from flask import current_app

from app.config_errors import configured_backend
from app.services.identity import IdentityVerifier
from app.services.sms import SmsGateway

__all__ = ["get_identity_verifier", "get_sms_gateway", "load_backend"]


def load_backend(config_key: str, interface: type):
    """Return an instance of the backend class that ``config_key`` names, checked for safety."""
    return configured_backend(current_app.config, config_key, interface).from_config(
        current_app.config)


def get_sms_gateway() -> SmsGateway:
    """Return the configured SMS gateway."""
    return load_backend("SMS_BACKEND", SmsGateway)


def get_identity_verifier() -> IdentityVerifier:
    """Return the configured real-name (identity) verifier."""
    return load_backend("IDENTITY_BACKEND", IdentityVerifier)
