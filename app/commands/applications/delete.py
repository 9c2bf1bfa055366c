"""Delete a draft the citizen no longer wants (never sent, so nobody else has seen it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.audit import record, redact_history
from app.commands.applications.access import ensure_owner
from app.commands.applications.errors import StateConflictError
from app.extensions import db
from app.models.application import Application
from app.storage import get_storage

NOT_A_DRAFT = _l("Only a draft that was never submitted can be deleted; withdraw it instead.")


@dataclass
class DeleteDraftCommand:
    application: Application
    user: Any = None
    cause: Optional[str] = None  # why, when not the applicant's wish: "retention"

    def validate(self) -> None:
        ensure_owner(self.application, self.user)
        # Lock the row: a submission in another tab cannot commit alongside the deletion.
        db.session.refresh(self.application, with_for_update=True)
        if self.application.status != "draft" or self.application.submitted_at is not None:
            raise StateConflictError(NOT_A_DRAFT)

    def run(self) -> None:
        try:
            self.validate()
        except Exception:
            db.session.rollback()
            raise
        application = self.application
        keys = [attachment.storage_key for attachment in application.attachments]
        record("application.deleted", "application", application.id, application.region_code,
               item=application.item_id, files=len(keys),
               **({"cause": self.cause} if self.cause else {}))
        redact_history(application.id)  # nobody else saw it: its agent and reasons go with it
        for attachment in application.attachments:
            db.session.delete(attachment)
        db.session.delete(application)
        try:
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        storage = get_storage()
        for key in keys:
            storage.delete(key)  # after the commit: at worst a file `reconcile` lists
