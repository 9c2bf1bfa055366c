"""The notification outbox: rows written with the change they announce, delivered later.

    queue_notification(application, "review.approved", step="审核")   # in the change's transaction
    send_pending()                       # `flask notifications send`: deliver, mark sent_at

The sender is pluggable: ``NOTIFICATION_SENDER`` names a :class:`NotificationSender` subclass,
loaded by ``app.services.load_backend`` (so a development sender refuses to serve a production
configuration unless ``ALLOW_DEVELOPMENT_BACKENDS``). Texts are rendered from the templates
below with masked data only: parameters are redacted when queued and the text again when sent,
so no full ID number (or other long number) ever leaves in a message (SECURITY_TESTS F1).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Optional

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Notification
from app.models.base import utcnow
from app.models.user import BanshiUser
from app.models.verification import DevSmsMessage
from app.validators import mask_bank_account, mask_id_number, mask_mobile

log = logging.getLogger(__name__)

#: The notice to an agent's subject: no account receives it (``recipient_id`` is null).
SUBJECT_NOTICE = "application.submitted_for_you"
TEMPLATES = {
    # Written by app.commands.applications.submit.
    "application.submitted": _l("Your application %(serial)s (%(item)s) was received. Sign in "
                                "to follow its progress."),
    "application.resubmitted": _l("Your corrected application %(serial)s (%(item)s) was "
                                  "received and is being reviewed again."),
    "review.advanced": _l("Your application %(serial)s (%(item)s) passed %(step)s and moves on "
                          "to the next step."),
    "review.approved": _l("Your application %(serial)s (%(item)s) has been approved."),
    # The same, for an item that names its approval (``outcomes``: 备案成功 …).
    "review.approved_as": _l("Your application %(serial)s (%(item)s) has been decided: "
                             "%(status)s."),
    "review.returned": _l("Your application %(serial)s (%(item)s) was returned at %(step)s. "
                          "Please sign in, correct what is asked and submit it again."),
    # The same, for a counter application (窗口代录): the counter that entered it corrects it.
    "review.returned_at_counter": _l("Your application %(serial)s (%(item)s) was returned at "
                                     "%(step)s. The service counter that entered it makes the "
                                     "corrections; it contacts you if it needs anything."),
    "review.refused": _l("Your application %(serial)s (%(item)s) was refused at %(step)s. "
                         "Sign in to read the reason."),
    # Refused after the acceptance (会签, 审核 …): 不予批准 (app.workflow.routing).
    "review.not_approved": _l("Your application %(serial)s (%(item)s) was not approved at "
                              "%(step)s. Sign in to read the reason."),
    # To the person an agent filed for, at their registry mobile (app.commands.applications.
    # subject_notice): ``agent`` is the agent's name masked, ``phone`` the service number.
    SUBJECT_NOTICE: _l("%(agent)s submitted the application %(serial)s (%(item)s) on your "
                       "behalf. If you did not authorise this, call %(phone)s."),
}
#: Notices to staff shown in the app, never sent by SMS (:func:`queue_in_app`).
IN_APP = "inapp"
STAFF_TEMPLATES = {
    # Written by app.commands.applications.urge, to each reviewer who may decide the step.
    "application.urged": _l("The applicant urged application %(serial)s (%(item)s), overdue "
                            "at %(step)s."),
}
TEMPLATES.update(STAFF_TEMPLATES)
#: For a template this module does not know (written by a newer release, say).
FALLBACK = _l("There is news about your application %(serial)s. Sign in to see it.")
#: An ID-card-like or account-like number: 15 or more digits (an ID's final X included), alone
#: or in groups split by single spaces or hyphens ("1101 0519 4912 3100 2X", "110105-19491231-
#: 002X"); then a mobile number, 1[3-9] and nine more digits, grouped the same way.
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){14,}(?:[ -]?[Xx])?(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9](?:[ -]?[0-9]){9}(?![0-9])")
#: A serial number as app.commands.applications.serials writes it (region-day-number): it names
#: no one, though its digits read as an account number to :func:`redact`.
_SERIAL = re.compile(r"[0-9]{6,12}-[0-9]{8}-[0-9]{1,9}")


def _digit_shadow(text: str) -> str:
    """Return ``text`` with each character that NFKC reads as one ASCII character (a full-width
    digit, say) replaced by it: the same length, so its matches are spans of ``text``."""
    return "".join(folded if len(folded := unicodedata.normalize("NFKC", char)) == 1 else char
                   for char in text)


def _mask_number(found: str) -> str:
    number = re.sub(r"[ -]", "", found)
    if _MOBILE.fullmatch(number):
        return mask_mobile(number)
    return mask_id_number(number) if len(number) in (15, 18) else mask_bank_account(number)


def redact(text: Any) -> str:
    """Return ``text`` as written, but with every ID-card-like, account-like or mobile number
    (in any width of digits, grouped or not) masked."""
    text = str(text or "")
    shadow, parts, start = _digit_shadow(text), [], 0
    spans = sorted([m.span() for m in _LONG_NUMBER.finditer(shadow)] + [
        m.span() for m in _MOBILE.finditer(_LONG_NUMBER.sub(lambda m: "#" * len(m[0]), shadow))])
    for begin, end in spans:
        parts += [text[start:begin], _mask_number(shadow[begin:end])]
        start = end
    return "".join(parts) + text[start:]


def queue_notification(application: Application, template: str, **params: Any) -> Notification:
    """Add a notification for the applicant to the session (the caller commits)."""
    if template not in TEMPLATES or template in STAFF_TEMPLATES:
        raise ValueError(f"unknown notification template {template!r}")
    definition = application.version.definition
    named = (definition.get("outcomes") or {}).get("approved")
    if template == "review.approved" and named:
        template, params = "review.approved_as", {"status": named.get("zh", ""), **params}
    values = {"serial": application.serial or "", "item": definition
              .get("name", {}).get("zh", ""), **params}
    notification = Notification(
        application_id=application.id, recipient_id=application.applicant_id,
        region_code=application.region_code, channel="sms", template=template,
        params={key: _param(key, value) for key, value in values.items()})
    db.session.add(notification)
    return notification


def queue_in_app(application: Application, recipient_ids, template: str,
                 **params: Any) -> list[Notification]:
    """Add an in-app notice for each staff account of ``recipient_ids`` to the session (the
    caller commits): the review pages list it, :func:`send_pending` never sends it; it is
    marked read (``sent_at``) when its reader opens the application."""
    if template not in STAFF_TEMPLATES:
        raise ValueError(f"unknown staff notification template {template!r}")
    values = {"serial": application.serial or "",
              "item": application.version.definition.get("name", {}).get("zh", ""), **params}
    notices = [Notification(application_id=application.id, recipient_id=recipient_id,
                            region_code=application.region_code, channel=IN_APP,
                            template=template,
                            params={key: _param(key, value) for key, value in values.items()})
               for recipient_id in recipient_ids]
    db.session.add_all(notices)
    return notices


def _param(key: str, value: Any) -> str:
    """Return a parameter redacted, but a serial number whole (it names no one)."""
    text = str(value or "")
    return text if key == "serial" and _SERIAL.fullmatch(text) else redact(text)


def render(notification: Notification, locale: Optional[str] = None) -> str:
    """Return the text of a notification in ``locale`` (the default locale), redacted."""
    locale = locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh")
    params = {"serial": "", "item": "", "step": "", "agent": "", "phone": ""}
    params.update({key: _param(key, value) for key, value in
                   (notification.params or {}).items()})
    serial, params["serial"] = params["serial"], "\x00"  # put back after the text is redacted
    with force_locale(locale):
        text = redact(str(TEMPLATES.get(notification.template, FALLBACK)) % params)
    return text.replace("\x00", serial)


class DeliveryError(Exception):
    """A notification could not be delivered (kept for another attempt)."""


class NotificationSender(ABC):
    """Deliver one rendered notification to its recipient; raise on failure."""

    development = False

    @classmethod
    def from_config(cls, config) -> "NotificationSender":
        return cls()

    @abstractmethod
    def send(self, notification: Notification, recipient: BanshiUser, text: str) -> None:
        """Deliver ``text``; raise DeliveryError (or anything) when it did not go out."""


def _mobile(recipient: Optional[BanshiUser]) -> str:
    if recipient is None or not recipient.mobile:
        raise DeliveryError("the recipient has no mobile number")
    return recipient.mobile


class SmsNotificationSender(NotificationSender):
    """Send notifications as text messages through the configured ``SMS_BACKEND``."""

    def __init__(self, gateway) -> None:
        self.gateway = gateway

    @classmethod
    def from_config(cls, config) -> "SmsNotificationSender":
        from app.services import get_sms_gateway

        return cls(get_sms_gateway())

    def send(self, notification: Notification, recipient: BanshiUser, text: str) -> None:
        self.gateway.send(_mobile(recipient), text)


class DevelopmentNotificationSender(NotificationSender):
    """Send nothing: store the text for /dev/sms and log it, visibly as development."""

    development = True

    def send(self, notification: Notification, recipient: BanshiUser, text: str) -> None:
        mobile = _mobile(recipient)
        db.session.add(DevSmsMessage(mobile=mobile, text=text))
        log.warning("DEVELOPMENT notification %s to %s: %s", notification.id,
                    mask_mobile(mobile), text)


def get_sender() -> NotificationSender:
    """Return the sender that ``NOTIFICATION_SENDER`` names (refused when unsafe)."""
    from app.services import load_backend

    return load_backend("NOTIFICATION_SENDER", NotificationSender)


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0


def _next(after_id: int, max_attempts: int) -> Optional[Notification]:
    # SKIP LOCKED: two senders running at once never pick the same row (PostgreSQL).
    return db.session.scalar(
        select(Notification).where(Notification.sent_at.is_(None),
                                   Notification.channel != IN_APP,
                                   Notification.attempts < max_attempts,
                                   Notification.id > after_id)
        .order_by(Notification.id).limit(1).with_for_update(skip_locked=True))


def send_pending(sender: Optional[NotificationSender] = None, limit: int = 100) -> SendResult:
    """Deliver up to ``limit`` unsent notifications, oldest first; each commits on its own.

    A notification to no account (:data:`SUBJECT_NOTICE`) goes by SMS to the mobile the person
    registry holds for the application's subject, through ``SMS_BACKEND``, whatever the sender.

    Every try counts in ``attempts``; a failure keeps the row for a later run (its error,
    redacted, in ``last_error``) until ``NOTIFICATION_MAX_ATTEMPTS`` tries were made.
    """
    sender = sender or get_sender()
    max_attempts = int(current_app.config.get("NOTIFICATION_MAX_ATTEMPTS", 5))
    result, after_id = SendResult(), 0
    for _ in range(limit):
        notification = _next(after_id, max_attempts)
        if notification is None:
            break
        after_id = notification.id
        notification.attempts = (notification.attempts or 0) + 1
        try:
            if notification.recipient_id is None:  # the subject an agent filed for
                from app.commands.applications.subject_notice import deliver

                deliver(notification, render(notification))
            else:
                recipient = db.session.get(BanshiUser, notification.recipient_id)
                sender.send(notification, recipient, render(notification))
        except Exception as error:  # any sender failure: keep the row for another attempt
            notification.last_error = redact(error)[:300] or type(error).__name__
            result.failed += 1
            log.warning("notification %s not delivered: %s", notification.id,
                        notification.last_error)
        else:
            notification.sent_at, notification.last_error = utcnow(), None
            result.sent += 1
        db.session.commit()
    return result
