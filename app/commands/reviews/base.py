"""What every review decision does, in one transaction (SECURITY_TESTS B1, B6, E1, E4, E5).

1. load the application with ``SELECT … FOR UPDATE`` among those the actor may see
   (``app.workflow.get_reviewable``) — else ApplicationNotFoundError (404, existence never
   confirmed);
2. an application the applicant withdrew: StateConflictError (409) saying so, whatever the
   version; ``expected_version`` must equal ``lock_version`` — else StaleApplicationError
   (409), unless the refusal below holds whatever changed
   (:meth:`ReviewCommand._refused_for_good`): then that 403 first, so that nobody is told to
   reload only to be refused;
3. the application must wait at a step, ``step`` (when given) must be that step, and
   ``app.workflow.can_decide`` must allow the actor — else NotAllowedError (403);
4. the verb's own input checks (ApplicationInvalidError, 422);
5. write the StepDecision (its unique constraint per actor/step/round is the last line of
   defence: an IntegrityError, like a lost version race, becomes a 409), move the chain, record
   the history event and queue the applicant's notification — then commit, or roll all back.
"""
from __future__ import annotations

from typing import Any, ClassVar, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import workflow
from app.audit import record
from app.commands.applications.errors import (ApplicationInvalidError, NotAllowedError,
                                              StaleApplicationError, StateConflictError)
from app.commands.notifications import queue_notification, redact
from app.extensions import db
from app.models.application import Application, StepDecision
from app.validators import ValidationError
from app.validators.text import clean_text
from app.workflow import deadlines
from app.workflow.routing import (ENTERED_BY_YOU, NOT_CURRENT, NOT_WAITING, OTHER_REGION,
                                  OTHER_ROLE, OWN_APPLICATION)

COMMENT_MAX = 2000
#: Said instead of "someone else has acted" when that someone was the applicant withdrawing.
WITHDRAWN = _l("The applicant has withdrawn this application, so your decision was not "
               "recorded. There is nothing left to decide.")


class ReviewCommand:
    """Base of ApproveCommand, ReturnCommand, RefuseCommand: ``run()`` returns the application.

    :param application_id: the application's id (anything else → 404).
    :param actor: the reviewer (``g.user`` in views and APIs).
    :param comment: free text for the history and the applicant (not for the SMS); long
        numbers in it (ID cards, accounts) are masked.
    :param expected_version: the ``lock_version`` the reviewer saw; None skips this check (the
        state checks under the row lock still prevent a double decision).
    :param step: the step key the reviewer saw; when given it must be the current step.
    """

    decision: ClassVar[str]
    comment_required: ClassVar[bool] = False

    def __init__(self, application_id: Any, actor: Any, comment: Optional[str] = None,
                 expected_version: Optional[int] = None, step: Optional[str] = None) -> None:
        self.application_id, self.actor = application_id, actor
        self.comment, self.expected_version, self.step_key = comment, expected_version, step
        self.application: Optional[Application] = None
        self.step: Optional[dict] = None

    # -- checks ---------------------------------------------------------------------------
    def _clean_comment(self) -> dict[str, list]:
        try:
            # Stored, shown to the applicant and recorded: never with a full ID number (F1).
            self.comment = redact(clean_text(self.comment, max_length=COMMENT_MAX)) or None
        except ValidationError as error:
            return {"comment": [str(error)]}
        if self.comment_required and not self.comment:
            return {"comment": [str(_l("Give the reason: the applicant will read it."))]}
        return {}

    def check_input(self, application: Application, step: dict) -> dict[str, list]:
        """Return per-key messages about the verb's own input (subclasses extend)."""
        return {}

    def validate(self) -> Application:
        """Load and lock the application and check everything; raise a typed error."""
        application = workflow.get_reviewable(self.application_id, self.actor, for_update=True)
        stale = (self.expected_version is not None
                 and self.expected_version != application.lock_version)
        if application.status == "withdrawn":  # the race lost to the applicant: say so
            raise StateConflictError(WITHDRAWN)
        step = workflow.current_step(application)
        if self.step_key is not None and self.step_key != application.current_step:
            raise StaleApplicationError() if stale else NotAllowedError(NOT_CURRENT)
        allowed, reason = workflow.can_decide(self.actor, application, step)
        if stale and (allowed or not self._refused_for_good(application, reason)):
            raise StaleApplicationError()
        if not allowed:  # a closed application is a state conflict; the rest, not permitted
            raise (StateConflictError if reason is NOT_WAITING else NotAllowedError)(reason)
        errors = {**self._clean_comment(), **self.check_input(application, step)}
        if errors:
            raise ApplicationInvalidError(errors)
        self.application, self.step = application, step
        return application

    def _refused_for_good(self, application: Application, reason) -> bool:
        """Tell whether a refusal would stand after the reviewer reloads the application.

        Deciding one's own application, or one entered at one's counter, never becomes
        possible. A step that is not the reviewer's (role, level, ``distinct``, decided
        already) stays so while it is the current step: known when the reviewer names the step
        they read and it is still current. Unnamed, a step of another role or region is the
        reviewer's refusal for good unless the application last left a step the reviewer may
        handle: then the change may be the decision that moved it on — another reviewer's
        (SECURITY_TESTS E1: the others get 409).
        """
        if reason in (OWN_APPLICATION, ENTERED_BY_YOU):
            return True
        if self.step_key is not None:
            return reason is not NOT_WAITING
        if reason in (OTHER_ROLE, OTHER_REGION):
            return not self._left_a_step_of_theirs(application)
        return False

    def _left_a_step_of_theirs(self, application: Application) -> bool:
        last = db.session.scalar(select(StepDecision.step_key).where(
            StepDecision.application_id == application.id)
            .order_by(StepDecision.id.desc()).limit(1))
        step = workflow.step_of(application.version, last) if last is not None else None
        return step is not None and workflow.may_handle(self.actor, application, step)

    # -- the change -----------------------------------------------------------------------
    def apply(self, application: Application, step: dict) -> tuple[str, dict]:
        """Move the chain; return the notification template (or "") and history details."""
        raise NotImplementedError

    def run(self) -> Application:
        try:
            application = self.validate()
            step = self.step
            db.session.add(StepDecision(
                application_id=application.id, step_key=step["key"], round=application.round,
                actor_id=self.actor.id, decision=self.decision, comment=self.comment,
                at=deadlines.now()))
            db.session.flush()  # the unique constraint answers here, before anything else
            handled_by, decided_round = application.step_region_code, application.round
            # Added before the chain moves, so that it is written (and shown in the history)
            # before what the decision sets off: a step an ``auto`` rule then decides.
            event = record(f"application.{self.decision}", "application", application.id,
                           region_code=application.region_code, actor_id=self.actor.id)
            with db.session.no_autoflush:  # one UPDATE: lock_version moves on exactly once
                template, detail = self.apply(application, step)
            application.updated_at = deadlines.now()
            event.detail = dict(
                step=step["key"], round=decided_round, decision=self.decision,
                comment=self.comment, handled_by=handled_by,
                reviewer_region=self.actor.region_code, status=application.status,
                current_step=application.current_step, **detail)
            if template:
                queue_notification(application, template,
                                   step=workflow.step_label(step, "zh"))
            db.session.commit()
        except (IntegrityError, StaleDataError):
            db.session.rollback()
            raise StaleApplicationError() from None
        except Exception:
            db.session.rollback()
            raise
        return application
