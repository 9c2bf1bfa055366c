"""Refuse the application at the current step: closed, with the reason for the applicant."""
from __future__ import annotations

from app import workflow
from app.commands.reviews.base import ReviewCommand
from app.models.application import Application


class RefuseCommand(ReviewCommand):
    """Refuse: status ``refused``, ``closed_at`` set; a comment (the reason) is required."""

    decision = "refuse"
    comment_required = True

    def apply(self, application: Application, step: dict) -> tuple[str, dict]:
        workflow.close(application, "refused")
        return "review.refused", {}
