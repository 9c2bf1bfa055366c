"""Real-name verification (实名认证): the verifier interface and the development verifier."""
import hmac
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.validators import ValidationError, canonical_id_number, mask_id_number

log = logging.getLogger(__name__)

# 医保电子凭证 password; social security card number + card password.
METHODS = ("ec_password", "sscard")


@dataclass(frozen=True)
class VerificationResult:
    """The verifier's answer; ``reason`` (translatable) says why it refused."""

    ok: bool
    reason: Optional[Any] = None


class IdentityVerifier(ABC):
    """Confirm that a name, ID number and secret belong together, through a national service."""

    development = False

    @classmethod
    def from_config(cls, config) -> "IdentityVerifier":
        """Build the verifier from the app configuration (credentials, endpoints)."""
        return cls()

    @abstractmethod
    def verify(self, name: str, id_number: str, method: str, secret: str,
               card_number: Optional[str] = None) -> VerificationResult:
        """Check the person; ``card_number`` is the social security card number for 'sscard'."""


class DevelopmentIdentityVerifier(IdentityVerifier):
    """Accept only a valid ID number with the configured development secret; never a silent pass."""

    development = True

    def __init__(self, secret: str):
        self.secret = secret

    @classmethod
    def from_config(cls, config) -> "DevelopmentIdentityVerifier":
        """Read DEV_IDENTITY_SECRET (default 123456)."""
        return cls(str(config.get("DEV_IDENTITY_SECRET") or "123456"))

    def verify(self, name: str, id_number: str, method: str, secret: str,
               card_number: Optional[str] = None) -> VerificationResult:
        """Refuse with a reason unless every part is present, valid and the secret matches."""
        if method not in METHODS:
            return VerificationResult(False, _l("Choose how to verify your identity."))
        if not (name or "").strip():
            return VerificationResult(False, _l("Enter your full name."))
        if method == "sscard" and not card_number:
            return VerificationResult(False, _l("Enter your social security card number."))
        try:
            canonical_id_number(id_number)
        except ValidationError as error:
            return VerificationResult(False, error.message)
        if not hmac.compare_digest((secret or "").encode(), self.secret.encode()):
            log.warning("DEVELOPMENT identity check refused for %s", mask_id_number(id_number))
            return VerificationResult(
                False, _l("The name, ID number and password do not match our records."))
        log.warning("DEVELOPMENT identity check passed for %s (%s)",
                    mask_id_number(id_number), method)
        return VerificationResult(True)
