"""Send and check one-time SMS codes: hashed, short-lived, few attempts, one send a minute.

Sending answers the same way whether or not the mobile has an account (SECURITY_TESTS.md A3):
where no code may go out (registering a taken mobile, resetting an unknown one) a *decoy*
challenge is stored — its hash matches no 6-digit code — so throttling, invalidation and every
later check behave exactly as for a real code.

Every time here (sent, expiry, throttle, use) is the application's clock (app.clock), which the
retention purge compares them with: a test holding the clock holds the one-minute wait as well.
"""
import hashlib
import hmac
import logging
import math
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from app.commands import CommandError
from app.extensions import db
from app.models.base import app_now
from app.models.user import BanshiUser
from app.models.verification import SmsChallenge
from app.services import get_sms_gateway
from app.validators import ValidationError, canonical_mobile

log = logging.getLogger(__name__)

PURPOSES = ("register", "reset")
CODE_DIGITS = 6
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60


class SmsCodeError(CommandError):
    """The code (or the request for one) was refused; the message is for the user."""

    field = "code"


class SmsThrottledError(SmsCodeError):
    """A code was sent to this mobile for this purpose less than a minute ago."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(_l("Wait %(seconds)d seconds before requesting another code.",
                            seconds=seconds))


def canonical_sms_code(value: object) -> str:
    """Return the code as 6 ASCII digits (full-width digits and spaces allowed) or raise."""
    text = unicodedata.normalize("NFKC", value if isinstance(value, str) else "")
    text = "".join(text.split())
    if len(text) != CODE_DIGITS or not text.isascii() or not text.isdigit():
        raise ValidationError(_l("The code has %(n)d digits.", n=CODE_DIGITS), code="sms_code")
    return text


def account_for_mobile(mobile: str) -> Optional[BanshiUser]:
    """Return the account using ``mobile`` as its mobile or username, if any."""
    return db.session.scalar(select(BanshiUser).where(
        or_(BanshiUser.mobile == mobile, BanshiUser.username == mobile)).limit(1))


def _hash(mobile: str, purpose: str, code: str) -> str:
    """Return the HMAC-SHA256 (keyed with SECRET_KEY) of a code bound to mobile and purpose."""
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else str(key).encode()
    return hmac.new(key, f"{purpose}:{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _canonical(mobile: str, purpose: str) -> str:
    """Return the canonical mobile, refusing an unknown purpose (a programming error)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown SMS code purpose {purpose!r}; use one of {PURPOSES}")
    try:
        return canonical_mobile(mobile)
    except ValidationError as error:
        raise SmsCodeError(error.message) from error


def _recent(mobile: str, purpose: str, since, exclude: Optional[int] = None):
    """Return when the newest challenge after ``since`` was made (other than ``exclude``)."""
    query = select(SmsChallenge.created_at).where(
        SmsChallenge.mobile == mobile, SmsChallenge.purpose == purpose,
        SmsChallenge.created_at > since)
    if exclude is not None:
        query = query.where(SmsChallenge.id != exclude)
    return db.session.scalar(query.order_by(SmsChallenge.created_at.desc()).limit(1))


@dataclass
class SendSmsCodeCommand:
    """Send a code for ``purpose`` to ``mobile`` — or, where none may go, behave as if."""

    mobile: str
    purpose: str

    def validate(self) -> None:
        """Canonicalise the mobile and refuse a second send within a minute."""
        self.mobile = _canonical(self.mobile, self.purpose)
        now = app_now()
        last = _recent(self.mobile, self.purpose, now - timedelta(seconds=RESEND_SECONDS))
        if last is not None:
            raise SmsThrottledError(self._wait(last, now))

    def run(self) -> None:
        """Store the challenge, re-check the throttle across workers, then send and commit."""
        self.validate()
        gateway = get_sms_gateway()  # a misconfigured backend fails loudly, before anything
        code, text = self._message()
        now = app_now()
        challenge = SmsChallenge(
            mobile=self.mobile, purpose=self.purpose, created_at=now, attempts=0,
            code_hash=_hash(self.mobile, self.purpose, code or secrets.token_hex(16)),
            expires_at=now + timedelta(seconds=current_app.config["SMS_CODE_TTL_SECONDS"]))
        db.session.add(challenge)
        db.session.commit()
        # Two workers may both have passed validate(): once both rows are committed at least
        # one of them sees the other here, so never both send (rarely neither: retry).
        rival = _recent(self.mobile, self.purpose, now - timedelta(seconds=RESEND_SECONDS),
                        exclude=challenge.id)
        if rival is not None:
            db.session.execute(delete(SmsChallenge).where(SmsChallenge.id == challenge.id))
            db.session.commit()
            raise SmsThrottledError(self._wait(rival, app_now()))
        db.session.execute(update(SmsChallenge).where(
            SmsChallenge.mobile == self.mobile, SmsChallenge.purpose == self.purpose,
            SmsChallenge.id != challenge.id, SmsChallenge.expires_at > now,
        ).values(expires_at=now))
        if text is not None:
            try:
                gateway.send(self.mobile, text)
            except Exception:  # answer as if sent (A3); operators see the failure in the log
                log.exception("SMS gateway failed for a %s code", self.purpose)
        db.session.commit()

    def _message(self) -> tuple[Optional[str], Optional[str]]:
        """Return (code, text); code None means a decoy, text None means send nothing."""
        account = account_for_mobile(self.mobile)
        if self.purpose == "register" and account is not None:
            return None, gettext(
                "Someone tried to create a new banshi account with this mobile number, which "
                "already has one. If it was you, sign in or reset your password. If not, "
                "ignore this message.")
        if self.purpose == "reset" and (account is None or not account.is_active):
            return None, None
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        minutes = max(1, current_app.config["SMS_CODE_TTL_SECONDS"] // 60)
        return code, gettext(
            "Your banshi verification code is %(code)s, valid for %(minutes)d minutes. "
            "Never tell it to anyone.", code=code, minutes=minutes)

    @staticmethod
    def _wait(last, now) -> int:
        """Return the whole seconds left before another code may be sent."""
        return max(1, math.ceil(RESEND_SECONDS - (now - last).total_seconds()))


@dataclass
class CheckSmsCodeCommand:
    """Consume the latest code for ``mobile`` and ``purpose``; the caller commits its change."""

    mobile: str
    purpose: str
    code: str

    def run(self) -> SmsChallenge:
        """Count the attempt (committed at once), compare, and mark the challenge used."""
        self.mobile = _canonical(self.mobile, self.purpose)
        try:
            self.code = canonical_sms_code(self.code)
        except ValidationError as error:
            raise SmsCodeError(error.message) from error
        now = app_now()
        challenge = db.session.scalar(select(SmsChallenge).where(
            SmsChallenge.mobile == self.mobile, SmsChallenge.purpose == self.purpose,
        ).order_by(SmsChallenge.created_at.desc(), SmsChallenge.id.desc()).limit(1))
        if challenge is None or challenge.used_at is not None or challenge.expires_at <= now:
            raise SmsCodeError(_l("This code has expired or was already used. "
                                  "Request a new one."))
        counted = db.session.execute(update(SmsChallenge).where(
            SmsChallenge.id == challenge.id, SmsChallenge.attempts < MAX_ATTEMPTS,
        ).values(attempts=SmsChallenge.attempts + 1)).rowcount
        db.session.commit()
        if not counted:
            raise SmsCodeError(_l("Too many wrong codes. Request a new one."))
        expected = _hash(self.mobile, self.purpose, self.code)
        if not hmac.compare_digest(challenge.code_hash, expected):
            raise SmsCodeError(_l("The code is wrong; %(left)d attempts left.",
                                  left=max(0, MAX_ATTEMPTS - challenge.attempts)))
        used = db.session.execute(update(SmsChallenge).where(
            SmsChallenge.id == challenge.id, SmsChallenge.used_at.is_(None),
        ).values(used_at=now)).rowcount
        if not used:
            raise SmsCodeError(_l("This code has expired or was already used. "
                                  "Request a new one."))
        return challenge
