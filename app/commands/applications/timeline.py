"""An application's history as its applicant follows it (我要查): what, when, by whom.

    for entry in timeline(application):
        entry.action, entry.at, entry.by, entry.step_name, entry.reason, entry.missing

Read from the history events (``AuditEvent`` rows with ``object_type = "application"``, written
in the same transaction as each change). ``by`` is a role — ``applicant``, ``reviewer``,
``clerk`` or ``system`` — never a reviewer's name. Only the events that mean something to
the applicant are listed (not staff views of files, not routing details); the caller has
already loaded ``application`` through the scoped lookup.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field as dataclass_field
from typing import Optional

from sqlalchemy import select

from app.audit import application_events
from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.workflow.routing import approves_acceptance, refuses_acceptance

#: Actions shown to the applicant (without the ``application.`` prefix), in no special order.
CITIZEN_ACTIONS = ("created", "filer_set", "submitted", "resubmitted", "approve", "decide",
                   "return", "refuse", "withdrawn", "urged")
#: Decisions whose comment is the reason the applicant must read.
WITH_REASON = ("return", "refuse", "withdrawn")
DECISIONS = ("approve", "return", "refuse")


@dataclass(frozen=True)
class TimelineEntry:
    action: str
    at: dt.datetime
    by: str
    step: Optional[str] = None
    step_name: str = ""
    reason: Optional[str] = None
    missing: dict = dataclass_field(default_factory=dict)
    #: A refusal made after the acceptance (会签, 审核 …): 不予批准, not 不予受理.
    approval_denied: bool = False
    #: A reviewer's approval at the acceptance with a later step to decide: 已受理, not
    #: 审核通过 (app.workflow.routing.approves_acceptance, as the reviewers' words).
    accepted: bool = False
    #: An approval on a 会签 step that still waits for others: ``{"approvals", "approvers"}``
    #: — the step has not passed; None for any other entry.
    cosign: Optional[dict] = None


def _who(event: AuditEvent, application: Application) -> str:
    detail = event.detail or {}
    if event.actor_id is None or detail.get("by") == "rule":
        return "system"
    if event.actor_id == application.applicant_id:
        return "applicant"
    action = event.action.removeprefix("application.")
    return "reviewer" if action in DECISIONS else "clerk"


def timeline(application: Application, actions=CITIZEN_ACTIONS) -> list[TimelineEntry]:
    """Return the applicant-facing history of ``application``, oldest first."""
    from app import workflow  # the review package: step names of the pinned version

    names = [f"application.{action}" for action in actions]
    events = db.session.scalars(select(AuditEvent).where(
        *application_events(application.id), AuditEvent.action.in_(names))
        .order_by(AuditEvent.at, AuditEvent.id))
    entries = []
    for event in events:
        detail = event.detail or {}
        action = event.action.removeprefix("application.")
        step = detail.get("step")
        entries.append(TimelineEntry(
            action=action, at=event.at, by=_who(event, application), step=step,
            step_name=workflow.step_label(workflow.step_of(application.version, step))
            if step else "",
            reason=(detail.get("comment") or detail.get("reason")) if action in WITH_REASON
            else None,
            missing=dict(detail.get("missing") or {}) if action == "return" else {},
            approval_denied=action == "refuse" and not refuses_acceptance(
                application.version, step),
            accepted=action == "approve" and approves_acceptance(application.version, step),
            cosign=cosign_pending(detail) if action == "approve" else None))
    return entries


def cosign_pending(detail: dict) -> Optional[dict]:
    """Return ``{"approvals", "approvers"}`` of an approval's history detail when it left its
    会签 step waiting for more approvals (the step did not pass), else None."""
    approvals, approvers = detail.get("approvals"), detail.get("approvers")
    if isinstance(approvals, int) and isinstance(approvers, int) and approvals < approvers:
        return {"approvals": approvals, "approvers": approvers}
    return None
