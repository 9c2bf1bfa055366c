"""Approve the current step: 会签 steps wait for ``approvers`` distinct approvals, then move on."""
from __future__ import annotations

from app import workflow
from app.commands.reviews.base import ReviewCommand
from app.models.application import Application
from app.workflow import cosign


class ApproveCommand(ReviewCommand):
    """Approve: the next applicable step, or approved (办结) after the last one."""

    decision = "approve"
    #: After ``run()`` on a 会签 step still waiting for others: ``{"approvals", "approvers"}``
    #: (the step did not pass, so nobody may say it did); None once the step passed.
    cosign_pending: dict | None = None

    def apply(self, application: Application, step: dict) -> tuple[str, dict]:
        needed = cosign.approvers_needed(step)
        names = cosign.signers(application, step)  # this decision's included
        detail = {"approvals": len(names), "approvers": needed}
        if len(names) < needed:
            # Co-signing: the step waits for the others, and no longer lists this reviewer.
            application.step_barred = workflow.barred(application, step)
            application.step_signed = cosign.signed(names)
            self.cosign_pending = detail
            return "", detail
        following = workflow.advance(application)
        return ("review.advanced" if following else "review.approved"), detail
