"""What an application's API history (GET /api/v1/applications/<id>) shows and calls each entry.

The applicant is shown the same process events as their web page (我要查): the timeline's
filter (app.commands.applications.timeline.CITIZEN_ACTIONS), so staff looking at files
(``application.files_shown``, ``application.file_viewed``) and routing details never appear,
and each entry's ``action_name`` is the sentence that page shows for it, written once here
(:func:`citizen_action_name`). Staff get every event, named as the audit log names it
(app.views.admin.audit_display.action_label).
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.commands.applications.timeline import CITIZEN_ACTIONS, timeline
from app.models.application import Application

SHOWN = {f"application.{action}" for action in CITIZEN_ACTIONS}
#: The entries said without a step (marked here so that extraction finds them).
PLAIN = {"created": _l("Application started"), "filer_set": _l("Who applies was recorded"),
         "submitted": _l("Submitted"), "resubmitted": _l("Corrected and resubmitted"),
         "withdrawn": _l("Withdrawn"), "urged": _l("Urged")}


def citizen_action_name(entry: Any) -> str:
    """Return what 我要查 says of a timeline entry: its web page (citizen/application.html,
    given these sentences by its view) and this history's ``action_name`` alike."""
    action, step = entry.action, entry.step_name
    cosign = getattr(entry, "cosign", None)
    if action == "approve" and cosign:
        return gettext("Co-signed at: %(step)s (%(approvals)d of %(approvers)d); waiting for "
                       "the other co-signers", step=step, **cosign)
    if action in PLAIN:
        return str(PLAIN[action])
    if action == "approve" and entry.accepted:
        return gettext("Accepted at step “%(step)s”", step=step)
    if action in ("approve", "decide"):
        return gettext("Step “%(step)s” completed", step=step)
    if action == "return":
        return gettext("Returned for correction at step “%(step)s”", step=step)
    if action == "refuse" and entry.approval_denied:
        return gettext("Approval denied at step “%(step)s”", step=step)
    if action == "refuse":
        return gettext("Refused at step “%(step)s”", step=step)
    return action


def shown_history(application: Application, rows: list[dict], owner: bool) -> list[dict]:
    """Return the history ``rows`` (oldest first, one per event) the caller is shown, each with
    its ``action_name``: the applicant's filtered and named as on their web page."""
    from app.views.admin.audit_display import action_label  # every action's label

    if not owner:
        return [{**row, "action_name": action_label(row["action"])} for row in rows]
    kept = [row for row in rows if row["action"] in SHOWN]
    entries = timeline(application)  # the same events in the same order (at, id)
    if len(entries) != len(kept):  # one recorded between the two reads: the plain labels
        return [{**row, "action_name": action_label(row["action"])} for row in kept]
    return [{**row, "action_name": citizen_action_name(entry)}
            for row, entry in zip(kept, entries)]
