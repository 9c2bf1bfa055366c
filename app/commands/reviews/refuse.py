"""Refuse the application at the current step: closed, with the reason for the applicant.

At the acceptance (the chain's first step people decide) that is 不予受理, later 不予批准
(app.workflow.routing.refuses_acceptance): the applicant's notification says which."""
from __future__ import annotations

from app import workflow
from app.commands.reviews.base import ReviewCommand
from app.models.application import Application
from app.workflow.routing import refuses_acceptance


class RefuseCommand(ReviewCommand):
    """Refuse: status ``refused``, ``closed_at`` set; a comment (the reason) is required."""

    decision = "refuse"
    comment_required = True

    def apply(self, application: Application, step: dict) -> tuple[str, dict]:
        workflow.close(application, "refused")
        if refuses_acceptance(application.version, step.get("key")):
            return "review.refused", {}
        return "review.not_approved", {}
