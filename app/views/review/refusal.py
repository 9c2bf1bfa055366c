"""The words of a refusal, by where in the chain it happens: at the acceptance (the chain's
first step people decide) it is 不予受理, later (会签, 审核 …) 不予批准
(:func:`app.workflow.routing.refuses_acceptance`). An item's own ``outcomes`` name for
``refused`` still wins for the status."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from flask_babel import lazy_gettext as _l

from app.workflow.routing import refuses_acceptance

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


def refusal_words(version: Any, step_key: Optional[str]) -> Mapping[str, Any]:
    """Return the words of refusing at ``step_key`` of ``version``."""
    return NOT_ACCEPTED if refuses_acceptance(version, step_key) else NOT_APPROVED
