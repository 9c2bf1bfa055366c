"""Approve the current step: 会签 steps wait for ``approvers`` distinct approvals, then move on."""
from __future__ import annotations

from sqlalchemy import func, select

from app import workflow
from app.commands.reviews.base import ReviewCommand
from app.extensions import db
from app.models.application import Application, StepDecision


class ApproveCommand(ReviewCommand):
    """Approve: the next applicable step, or approved (办结) after the last one."""

    decision = "approve"

    def apply(self, application: Application, step: dict) -> tuple[str, dict]:
        needed = int(step.get("approvers") or 1)
        approvals = db.session.scalar(select(func.count(StepDecision.id)).where(
            StepDecision.application_id == application.id,
            StepDecision.step_key == step["key"], StepDecision.round == application.round,
            StepDecision.decision == "approve", StepDecision.actor_id.is_not(None)))
        detail = {"approvals": approvals, "approvers": needed}
        if approvals < needed:
            # Co-signing: the step waits for the others, and no longer lists this reviewer.
            application.step_barred = workflow.barred(application, step)
            return "", detail
        following = workflow.advance(application)
        return ("review.advanced" if following else "review.approved"), detail
