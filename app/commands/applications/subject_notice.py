"""Tell the person an agent filed for, by SMS, that an application was submitted for them.

    queue_subject_notice(application)     # in the first submission's transaction
    deliver(notification, text)           # by app.commands.notifications.send_pending

Anyone who knows a name and an ID number may file as an agent: the identity is checked, not a
mandate. So when an agent (not the subject, not a clerk at the counter, who checks the identity
in person: app.commands.applications.context.agent_filing) first submits an application, the
subject is sent a text at the mobile the person registry holds for them (none when it holds
none, or does not know them): the item, the serial
number, the agent's name masked (李**) and the service phone to call if they did not authorise
it (``SUBJECT_NOTICE_PHONE``, default 12393). A resubmission after a return sends none (the same
application, already announced), nor does a retry with the same Idempotency-Key.

The notice is an outbox row written with the submission, without a recipient account, and sent
by ``flask notifications send`` like every notification: an SMS that fails never loses the
submission and is tried again. The mobile is read from the registry when the text is sent (the
outbox holds none) through ``SMS_BACKEND``; the log and the audit event
(``application.subject_notified``) hold it masked only.
"""
from __future__ import annotations

import logging

from flask import current_app

from app.audit import record
from app.commands.applications.context import agent_filing, variables
from app.commands.notifications import SUBJECT_NOTICE, DeliveryError
from app.extensions import db
from app.models.application import Application, Notification
from app.registry import get_person_registry
from app.validators import mask_mobile, mask_name

log = logging.getLogger(__name__)
DEFAULT_PHONE = "12393"  # the national medical-insurance service hotline


def queue_subject_notice(application: Application) -> Notification | None:
    """Add the notice to the subject of an agent's first submission (the caller commits)."""
    if not agent_filing(application) or not application.subject_id_number:
        return None
    if not (variables(application).get("person") or {}).get("mobile"):
        return None  # the registry has no mobile for them (read for the submission's rules)
    agent = getattr(application.applicant, "first_name", None) or ""
    params = {"serial": application.serial or "", "item": application.item.name_zh or "",
              "agent": mask_name(agent),
              "phone": str(current_app.config.get("SUBJECT_NOTICE_PHONE") or DEFAULT_PHONE)}
    notification = Notification(
        application_id=application.id, recipient_id=None, region_code=application.region_code,
        channel="sms", template=SUBJECT_NOTICE,
        params=params)  # redacted when the text is rendered
    db.session.add(notification)
    return notification


def deliver(notification: Notification, text: str) -> None:
    """Send ``text`` to the registry's mobile of the application's subject; raise when it
    cannot go (no application, no mobile on record, the registry or the gateway failing)."""
    from app.services import get_sms_gateway

    application = db.session.get(Application, notification.application_id) \
        if notification.application_id else None
    number = application.subject_id_number if application is not None else None
    person = get_person_registry().find(number) if number else None
    mobile = person.mobile if person is not None else None
    if not mobile:
        raise DeliveryError("the person applied for has no mobile number on record")
    get_sms_gateway().send(mobile, text)
    record("application.subject_notified", "application", application.id,
           application.region_code, notification=notification.id, mobile=mask_mobile(mobile))
    log.info("notice %s of application %s sent to its subject at %s", notification.id,
             application.id, mask_mobile(mobile))
