"""Withdraw an application before any decision on it (returned, or submitted untouched).

A step approved counts as a decision: once a reviewer (or an ``auto`` rule) has decided a step
in the current round, the application stays submitted but can no longer be withdrawn.
:func:`withdrawable` is that rule; the command checks it under the row lock, and the pages and
the API's ``may_withdraw`` ask it before offering the button.

A draft never submitted is deleted instead (app.commands.applications.delete), as 我要查 offers
only 删除草稿 for it: withdrawn, it would be listed as an "已撤回" application nobody received.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit import record
from app.commands.applications.access import ensure_owner
from app.commands.applications.context import now
from app.commands.applications.errors import (NotAllowedError, StateConflictError,
                                              commit_or_stale)
from app.extensions import db
from app.models.application import Application, StepDecision
from app.validators import ValidationError
from app.validators.text import clean_text

DECIDED = _l("A decision has already been made on this application; it can no longer be "
             "withdrawn.")
STEP_DECIDED = _l("A step of this application has already been decided (approved by the "
                  "office), so it can no longer be withdrawn.")


class DraftNotWithdrawnError(StateConflictError):
    """A draft never submitted: nothing to withdraw, it is deleted instead (409)."""

    default_message = _l("This draft was never submitted, so there is nothing to withdraw. "
                         "Delete the draft instead.")

    def __init__(self, application_id: int):
        super().__init__()
        self.application_id = application_id  # where the API says to DELETE it


def decided_this_round(application: Application) -> bool:
    """Tell whether anyone (or a rule) decided a step in the application's current round."""
    return bool(db.session.scalar(select(func.count()).select_from(StepDecision).where(
        StepDecision.application_id == application.id,
        StepDecision.round == application.round)))


def withdrawable(application: Application) -> bool:
    """Tell whether the application may be withdrawn now: returned, or submitted with no step
    decided in this round. A draft never submitted is deleted instead."""
    if application.status == "returned":
        return True
    return application.status == "submitted" and not decided_this_round(application)


@dataclass
class WithdrawApplicationCommand:
    application: Application
    user: Any = None
    reason: Optional[str] = None

    def validate(self) -> None:
        application = self.application
        ensure_owner(application, self.user, withdrawing=True)
        # Lock the row so that a reviewer's decision and the withdrawal cannot both commit.
        db.session.refresh(application, with_for_update=True)
        if application.status == "draft" and application.submitted_at is None:
            raise DraftNotWithdrawnError(application.id)
        if application.status in ("approved", "refused", "withdrawn"):
            raise StateConflictError(DECIDED if application.status != "withdrawn"
                                     else _l("This application is already withdrawn."))
        if not withdrawable(application):  # submitted, a step decided this round
            raise StateConflictError(STEP_DECIDED)
        try:
            self.reason = clean_text(self.reason, max_length=500) or None
        except ValidationError as error:
            raise NotAllowedError(error.message) from error

    def run(self) -> Application:
        try:
            self.validate()
        except Exception:
            db.session.rollback()
            raise
        application = self.application
        previous = application.status
        application.status = "withdrawn"
        application.closed_at = now()
        step, application.current_step = application.current_step, None
        application.step_deadline = application.step_signed = None
        record("application.withdrawn", "application", application.id, application.region_code,
               step=step, previous=previous, reason=self.reason)
        commit_or_stale()
        return application
