"""What the retention purge does to one application (SECURITY_TESTS.md F2), each in its own
transaction: a closed application's personal content is taken out, an expired draft is deleted.

Anonymising keeps what the figures and the registers need — item, version, region, status,
serial, channel, dates, deadlines, working days, step decisions (without their comments) — and
takes out the answers, the subject's identity, the agent's details, the return request, the
reviewers' comments, every material file with its row and the application's notifications
(sent or not: the outbox is no record). History rows stay (E5: nothing is
deleted from it); the personal texts inside them go (:func:`redact_history`).

Order, so that a stop at any point leaves nothing that ``flask applications reconcile`` cannot
find (E4): a closed application's files are deleted first, then its rows change in one commit.
Stopped in between, its rows name files that are gone — reconcile lists them as rows without
files — and the application is still due, so the next purge finishes it. A draft goes through
the citizen's own delete (DeleteDraftCommand): rows first, files after the commit; stopped in
between, reconcile lists the files without rows and ``--delete-orphans`` removes them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from app.audit import record, redact_history
from app.commands.applications.context import now
from app.commands.applications.delete import DeleteDraftCommand
from app.commands.applications.errors import StateConflictError
from app.extensions import db
from app.models.application import CLOSED_STATUSES, Application, Notification, StepDecision
from app.storage import get_storage

CHANGED_SINCE = _l("The application changed since it was found due; it is kept.")


@dataclass
class AnonymiseApplicationCommand:
    """Take the personal content out of one closed application whose period has passed."""

    application_id: int
    closed_before: dt.datetime  # due when closed before this moment (checked under the lock)
    years: int

    def validate(self) -> Application:
        application = db.session.scalar(select(Application).where(
            Application.id == self.application_id).with_for_update())
        if application is None or application.status not in CLOSED_STATUSES \
                or application.anonymised_at is not None or application.closed_at is None \
                or application.closed_at >= self.closed_before:
            raise StateConflictError(CHANGED_SINCE)
        return application

    def run(self) -> int:
        """Anonymise the application and return how many files were deleted."""
        try:
            application = self.validate()
            attachments = list(application.attachments)
            storage = get_storage()
            for attachment in attachments:  # before the commit: see the module's docstring
                storage.delete(attachment.storage_key)
            for attachment in attachments:
                db.session.delete(attachment)
            application.answers = {}
            application.answers_at_return = None
            application.return_request = None
            application.subject_name = application.subject_id_number = None
            application.subject_verified_at = None
            application.agent_relationship = application.agent_address = None
            application.anonymised_at = now()
            db.session.execute(update(StepDecision).where(
                StepDecision.application_id == application.id).values(comment=None))
            # The outbox is a delivery queue, not the record (the history is): its texts name
            # the serial and item and, in older rows, whatever a step passed on. Emptied
            # params would only render a meaningless message, so the rows go.
            notifications = db.session.execute(delete(Notification).where(
                Notification.application_id == application.id)).rowcount
            redact_history(application.id)
            record("application.anonymised", "application", application.id,
                   application.region_code, cause="retention", years=self.years,
                   files=len(attachments), notifications=notifications)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return len(attachments)


@dataclass
class DeleteExpiredDraftCommand(DeleteDraftCommand):
    """Delete a draft nobody has touched since ``touched_before``: the citizen's own delete,
    run for its applicant, after checking under its lock that it is still untouched."""

    touched_before: Optional[dt.datetime] = None
    files: int = 0

    def validate(self) -> None:
        super().validate()  # the row locked, still a draft never submitted
        application = self.application
        touched = max([application.updated_at] + [a.uploaded_at for a in application.attachments])
        if touched >= self.touched_before:
            raise StateConflictError(CHANGED_SINCE)
        self.files = len(application.attachments)
        redact_history(application.id)  # committed with the deletion
