"""Send text messages: the gateway interface and the development gateway."""
import logging
from abc import ABC, abstractmethod

from app.extensions import db
from app.models.verification import DevSmsMessage
from app.validators import mask_mobile

log = logging.getLogger(__name__)


class SmsGateway(ABC):
    """Deliver a text message to a mainland mobile number; raise on delivery failure."""

    development = False

    @classmethod
    def from_config(cls, config) -> "SmsGateway":
        """Build the gateway from the app configuration (credentials, endpoints)."""
        return cls()

    @abstractmethod
    def send(self, mobile: str, text: str) -> None:
        """Send ``text`` to the 11-digit ``mobile``."""


class DevelopmentSmsGateway(SmsGateway):
    """Send nothing: store the message for /dev/sms and log it, visibly as development."""

    development = True

    def send(self, mobile: str, text: str) -> None:
        """Record the message in the caller's transaction and log it at WARNING."""
        db.session.add(DevSmsMessage(mobile=mobile, text=text))
        log.warning("DEVELOPMENT SMS to %s: %s", mask_mobile(mobile), text)
