"""The words of a refusal, by where in the chain it happens: at the acceptance (the chain's
first step people decide) it is 不予受理, later (会签, 审核 …) 不予批准
(:func:`app.workflow.routing.refuses_acceptance`). An item's own ``outcomes`` name for
``refused`` still wins for the status.

Approving reads the same way: at the acceptance it is 予以受理, unless the acceptance is the
chain's last step (approving it grants the application: 审核通过, as at any later step):
:func:`app.workflow.routing.approves_acceptance`, which the applicant's timeline reads too."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from flask_babel import lazy_gettext as _l

from app.workflow.routing import (approves_acceptance_in, refuses_acceptance,
                                  refuses_acceptance_in, steps)

NOT_ACCEPTED = {
    "button": _l("Refuse"), "reason": _l("Reason for refusing (required)"),
    "confirm": _l("Refuse this application?"), "yes": _l("Yes, refuse"),
    "done": _l("Refused. The applicant will read your reason."),
    "history": _l("Refused"), "status": _l("Refused"),
}
NOT_APPROVED = {
    "button": _l("Deny approval"), "reason": _l("Reason for denying approval (required)"),
    "confirm": _l("Deny approval of this application?"), "yes": _l("Yes, deny approval"),
    "done": _l("Approval denied. The applicant will read your reason."),
    "history": _l("Approval denied"), "status": _l("Not approved"),
}

ACCEPTED = {
    "button": _l("Accept"), "confirm": _l("Accept this application?"),
    "yes": _l("Yes, accept"), "done": _l("Accepted. The application moves on."),
    "history": _l("Accepted"),
}
APPROVED = {
    "button": _l("Approve"), "confirm": _l("Approve this application?"),
    "yes": _l("Yes, approve"), "done": _l("Approved. The application moves on."),
    "history": _l("Approved"),
}


def approval_words(version: Any, step_key: Optional[str]) -> Mapping[str, Any]:
    """Return the words of approving at ``step_key`` of ``version``: accepting at the
    acceptance step when a later step decides, approving otherwise."""
    return approval_words_in(steps(version) if version is not None else [], step_key)


def approval_words_in(chain: list, step_key: Optional[str]) -> Mapping[str, Any]:
    """:func:`approval_words` on a version's approval steps, in their order."""
    return ACCEPTED if approves_acceptance_in(chain, step_key) else APPROVED


def refusal_words(version: Any, step_key: Optional[str]) -> Mapping[str, Any]:
    """Return the words of refusing at ``step_key`` of ``version``."""
    return NOT_ACCEPTED if refuses_acceptance(version, step_key) else NOT_APPROVED


def decision_label(decision: Any, item: Any) -> str:
    """Return the words of one of the user's decisions on a 已办 row (``decision``: a queue
    Decision, ``item``: the row's ItemInfo, whose ``steps`` are the chain in order): a refusal
    reads by where in the chain it was made, as the history does."""
    from app.views.review import DECISION_LABELS

    if decision is None:
        return ""
    if decision.decision == "refuse":
        chain = list(item.steps.values()) if item is not None else []
        words = NOT_ACCEPTED if refuses_acceptance_in(chain, decision.step_key) else NOT_APPROVED
        return str(words["history"])
    if decision.decision == "approve":
        chain = list(item.steps.values()) if item is not None else []
        return str(approval_words_in(chain, decision.step_key)["history"])
    return str(DECISION_LABELS.get(decision.decision, decision.decision))


def refused_words(row: Any, item: Any) -> Optional[str]:
    """Return a refused queue row's status words by where it was refused (``row``: its
    ``status`` and ``current_step``; ``item``: its ItemInfo), or None when it is not refused."""
    if row.status != "refused":
        return None
    chain = list(item.steps.values()) if item is not None else []
    refused_there = refuses_acceptance_in(chain, row.current_step)
    return str((NOT_ACCEPTED if refused_there else NOT_APPROVED)["status"])


def refused_status(application: Any) -> Optional[str]:
    """Return the words of a refused application's status by where it was refused (its
    current step stays the refusing one), or None when it is not refused."""
    if getattr(application, "status", None) != "refused":
        return None
    version = getattr(application, "version", None)
    if version is None or refuses_acceptance(version, application.current_step):
        return str(NOT_ACCEPTED["status"])
    return str(NOT_APPROVED["status"])
