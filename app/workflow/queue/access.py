"""Which queues a user may read — one rule for the pages (app.views.review.queue) and the API
(app.api.reviews).

Pending and done hold what one decides and what one decided: they are for those who decide (a
reviewer: ``can_decide``). The late queues, overdue and due soon, are supervision too: reading
the queues is enough (a regional administrator). Admin holds every permission.
"""
from __future__ import annotations

from flask import current_app

#: Every queue, in the order the review desk's tabs show them.
QUEUES = ("pending", "done", "due_soon", "overdue")
#: The queues of what one decides: ``can_decide`` as well as reading the queues.
DECISION_QUEUES = ("pending", "done")


def may_read_queue(state: str, permission_view: str) -> bool:
    """Tell whether the signed-in user, who reads the queues of ``permission_view`` (the pages'
    ``ReviewDesk``, the API's ``ReviewApi``), may read queue ``state``."""
    return state not in DECISION_QUEUES or current_app.appbuilder.sm.has_access(
        "can_decide", permission_view)


def readable_queues(permission_view: str) -> tuple[str, ...]:
    """Return the queues the signed-in user may read, in tab order."""
    decides = may_read_queue(DECISION_QUEUES[0], permission_view)
    return tuple(state for state in QUEUES if decides or state not in DECISION_QUEUES)
