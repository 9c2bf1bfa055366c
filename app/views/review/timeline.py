"""An application's history (办理记录) as the reviewers' detail page shows it.

Every action recorded on an application is labelled in :data:`ACTIONS` or kept out of the
timeline in :data:`HIDDEN_ACTIONS` (tests/unit/test_history_labels.py); the audit log reuses
the labels. A refusal reads by where in the chain it was made (``refusal``), a reveal by what
it showed (``reveal_words``).
"""
from __future__ import annotations

from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import workflow
from app.audit import application_events
from app.extensions import db
from app.models.application import Application, StepDecision
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from app.views.review import local_time
from app.views.review.display import field_labels, material_labels
from app.views.review.refusal import approval_words, refusal_words
from app.views.review.reveal_words import reveal_history

ACTIONS = {
    "application.created": _l("Application started"),
    "application.filer_set": _l("Who applies was recorded"),
    "application.window_entry": _l("Entered at the window, identity card checked"),
    "application.submitted": _l("Submitted"),
    "application.resubmitted": _l("Resubmitted after correction"),
    "application.approve": _l("Approved"),
    "application.return": _l("Returned for correction"),
    "application.refuse": _l("Refused"),
    "application.decide": _l("Approved by rule"),
    "application.rule_referred": _l("Referred to a reviewer by rule"),
    "application.material_added": _l("Material added"),
    "application.material_removed": _l("Material removed"),
    "application.withdrawn": _l("Withdrawn"),
    "application.urged": _l("Urged"),
    "application.subject_notified": _l("The person applied for was told by SMS"),
    "application.anonymised": _l("Personal data removed after the retention period"),
    "application.deleted": _l("Draft deleted"),
    "identity.reveal": _l("Full numbers revealed"),
}
# Recorded for audit, not part of the timeline.
HIDDEN_ACTIONS = {"application.file_viewed", "application.files_shown"}


def last_return(application: Application) -> Optional[Any]:
    """Return when the application was last returned (the commands' clock), or None."""
    return db.session.scalar(select(func.max(StepDecision.at)).where(
        StepDecision.application_id == application.id, StepDecision.decision == "return"))


def _action(application: Application, event: AuditEvent, detail: dict) -> Any:
    if event.action == "application.refuse":
        return refusal_words(application.version, detail.get("step"))["history"]
    if event.action == "application.approve":
        return approval_words(application.version, detail.get("step"))["history"]
    if event.action == "identity.reveal":
        return reveal_history(detail)
    return ACTIONS.get(event.action, event.action)


def timeline(application: Application, ctx) -> list[dict]:
    """Return the history rows, oldest first."""
    events = list(db.session.scalars(select(AuditEvent).where(
        *application_events(application.id))
        .order_by(AuditEvent.at, AuditEvent.id)))
    actors = {e.actor_id for e in events if e.actor_id is not None}
    names = dict(db.session.execute(select(BanshiUser.id, BanshiUser.first_name).where(
        BanshiUser.id.in_(sorted(actors)))).all()) if actors else {}
    definition, rows = application.version.definition, []
    labels = {"fields": field_labels(definition, ctx, application.answers or {}),
              "materials": material_labels(definition, ctx)}
    for event in events:
        if event.action in HIDDEN_ACTIONS:
            continue
        detail = event.detail or {}
        if event.actor_id is None:
            by = _l("System")
        elif event.actor_id == application.applicant_id:
            by = _l("Applicant")
        else:
            by = names.get(event.actor_id) or _l("Staff")
        missing = detail.get("missing") or {}
        rows.append({
            "at": local_time(event.at), "action": _action(application, event, detail),
            "code": event.action, "by": by,
            "step": workflow.step_label(workflow.step_of(application.version,
                                                         detail.get("step"))),
            "comment": detail.get("comment"), "reason": detail.get("reason"),
            "flagged": [labels[kind].get(key, key) for kind in ("fields", "materials")
                        for key in missing.get(kind, ())],
        })
    return rows
