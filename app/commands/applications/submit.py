"""Submit a draft (or resubmit a returned application) against its pinned version.

One transaction: canonical answers, serial number, statutory deadline, the workflow's first
(or returning) step, history, a notification to the applicant (and to the subject an agent
first submits for: app.commands.applications.subject_notice) and, with an Idempotency-Key, the
stored response that a retry with the same key and body gets back instead of a second
submission (SECURITY_TESTS E3).

Everything is read first and written in one flush at commit (autoflush is off while the command
runs): one UPDATE of the application — checked against ``lock_version``, so a submission made
from a stale copy fails instead of overwriting — and one INSERT each for the history event, the
notification and the idempotency record. Callers that load the application for a submission
pass :data:`SUBMIT_LOADS` (and lock the row) so that what it reads comes in the same query.

An Idempotency-Key is looked up only when the submission does not go ahead: a key used before
makes the commit fail on its unique constraint (``uq_idempotency_account_key``), everything is
rolled back and the stored answer replayed (or, for another body, the conflict reported) — what
a lookup first would have answered, without a query on every first attempt.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.audit import record
from app.commands.applications.access import acting_user, ensure_owner
from app.commands.applications.context import engine_context, now, people, variables
from app.commands.applications.errors import (ApplicationError, ApplicationInvalidError,
                                              IdempotencyConflictError,
                                              StaleApplicationError, StateConflictError)
from app.commands.applications.requirements import (material_problems, notice_problem,
                                                    valid_pledges)
from app.commands.applications.save import EDITABLE, NOT_EDITABLE
from app.commands.applications.serials import next_serial
from app.commands.applications.subject_notice import queue_subject_notice
from app.commands.applications.unchanged import warnings
from app.engine.answers import validate_all
from app.engine.cel_functions import CST
from app.engine.people import people_problems
from app.extensions import db
from app.models.application import Application, IdempotencyRecord, Notification
from app.models.item import Item, ItemVersion
from app.workdays import add_working_days

ALREADY = _l("This application has already been submitted.")
EARLIER_KEY = _l("This Idempotency-Key was used for an earlier submission of this application. "
                 "Send the corrected application with a new key.")
#: Loader options for an application about to be submitted: its pinned version, its item's
#: name (for the notification) and its attachments (the materials check), in the same query.
SUBMIT_LOADS = (joinedload(Application.version).defer(ItemVersion.source),
                joinedload(Application.item).load_only(Item.name_zh),
                joinedload(Application.attachments))


def request_hash(application_id: int, body: bytes = b"") -> str:
    """Return the hash an Idempotency-Key is bound to: the application and the request body."""
    return hashlib.sha256(b"%d\n" % application_id + (body or b"")).hexdigest()


def answer_diff(before: Optional[dict], after: dict) -> dict[str, list[str]]:
    """Return which answer keys were added, removed or changed (keys only: no personal data)."""
    before = before or {}
    return {"added": sorted(k for k in after if k not in before),
            "removed": sorted(k for k in before if k not in after),
            "changed": sorted(k for k in after if k in before and before[k] != after[k])}


@dataclass
class SubmitResult:
    """The response body ({id, status, serial}; on a resubmission ``warnings``: what the return
    asked for and was sent again unchanged) and whether it was replayed from a key."""

    status_code: int
    body: dict
    replayed: bool = False


@dataclass
class SubmitApplicationCommand:
    """Submit as ``user`` (the applicant); ``requester`` is who sent it, when someone else
    (a clerk at the counter, app.commands.reviews.window): its Idempotency-Keys are theirs."""

    application: Any
    idempotency_key: Optional[str] = None
    body_hash: Optional[str] = None
    user: Any = None
    requester: Any = None

    def _stored(self, requester) -> Optional[SubmitResult]:
        if not self.idempotency_key:
            return None
        stored = db.session.scalar(select(IdempotencyRecord).where(
            IdempotencyRecord.account_id == requester.id,
            IdempotencyRecord.key == self.idempotency_key))
        if stored is None:
            return None
        if stored.request_hash != self.body_hash:
            raise IdempotencyConflictError()
        return SubmitResult(stored.status_code or 200, dict(stored.response or {}), True)

    def validate(self):
        application = self.application
        ensure_owner(application, self.user)
        if application.status not in EDITABLE:
            raise StateConflictError(ALREADY if application.status == "submitted" else NOT_EDITABLE)
        definition = application.version.definition  # the pinned version, never the latest (E6)
        scope_vars = variables(application)
        result = validate_all(definition, application.answers or {},
                              engine_context(application), scope_vars)
        errors = {**result.errors, **people_problems(definition, result.answers,
                                                     application.answers or {},
                                                     people(application), result.rows),
                  **notice_problem(application, definition),
                  **material_problems(application, definition, result.answers, scope_vars)}
        if errors:
            raise ApplicationInvalidError(errors)
        return result

    def run(self) -> SubmitResult:
        requester = self.requester or acting_user(self.user)
        self.body_hash = self.body_hash or request_hash(self.application.id)
        with db.session.no_autoflush:  # written in one flush, at commit (module docstring)
            if self.application.status == "returned" and self._stored(requester) is not None:
                # A correction is a new submission: the key answered an earlier one, and
                # replaying that answer would say "submitted" of an application still returned.
                raise IdempotencyConflictError(EARLIER_KEY)
            try:
                result = self.validate()
            except ApplicationError:
                # Refused (already submitted, say): a retry with the same key and body gets the
                # first answer back; the same key with another body a conflict.
                replay = self._stored(requester)
                if replay is not None:
                    return replay
                raise
            try:
                body = self._submit(result.answers)
                if self.idempotency_key:
                    db.session.add(IdempotencyRecord(
                        account_id=requester.id, key=self.idempotency_key,
                        request_hash=self.body_hash, status_code=200, response=body))
                db.session.commit()
            except (IntegrityError, StaleDataError) as error:
                # The key was used already, or a concurrent submit (a double click) won.
                db.session.rollback()
                replay = self._stored(requester)
                if replay is not None:
                    return replay
                raise StaleApplicationError() from error
            except Exception:
                db.session.rollback()
                raise
        return SubmitResult(200, body)

    def _submit(self, answers: dict) -> dict:
        from app import workflow  # the review engineer's package: routing and steps

        application = self.application
        definition = application.version.definition
        resubmission = application.status == "returned"
        before = application.answers_at_return
        # As the web confirmation page warns: asked for, but sent again as it was returned.
        unchanged = warnings(application, definition, engine_context(application)) \
            if resubmission else None
        moment = now()
        day = moment.astimezone(CST).date()
        application.answers = {**answers, **({"_pledges": p} if (
            p := valid_pledges(application, definition)) else {})}
        if application.submitted_at is None:
            application.submitted_at = moment
        if not resubmission and definition.get("time_limit_days"):
            deadline = add_working_days(day, int(definition["time_limit_days"]))
            application.deadline, application.deadline_provisional = deadline
        application.status = "submitted"
        action = "application.resubmitted" if resubmission else "application.submitted"
        # Added before the chain moves, so that it is written (and shown in the history) before
        # what the submission sets off: a step an ``auto`` rule decides at once.
        event = record(action, "application", application.id, application.region_code)
        if resubmission:
            workflow.resume(application)
        else:
            workflow.start(application)
        if application.serial is None:  # last: the region's counter stays locked to the commit
            application.serial = next_serial(application.region_code, day)
        detail = {"serial": application.serial, "version": application.version.number}
        if resubmission:
            detail["diff"] = answer_diff(before, application.answers)
        event.detail = {"step": application.current_step, **detail}
        db.session.add(Notification(
            application_id=application.id, recipient_id=application.applicant_id,
            region_code=application.region_code, template=action,
            params={"serial": application.serial, "item": application.item.name_zh,
                    "deadline": application.deadline.isoformat() if application.deadline
                    else None}))
        if not resubmission:  # an agent's: the subject is told too (its own module)
            queue_subject_notice(application)
        body = {"id": application.id, "status": application.status, "serial": application.serial}
        if unchanged is not None:
            body["warnings"] = unchanged
        return body
