"""会签 progress: how many have approved a co-signed step this round, and who.

    progress({application.id: step})   # {id: CoSign(done=1, needed=2, names=("张三",))}

One statement for any number of applications (a queue page's rows, or the one on a detail
page), and none when no step among them needs more than one approver. The applications are
those waiting at ``step``: its approvals are counted in their current round.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, StepDecision
from app.models.user import BanshiUser


class CoSign(NamedTuple):
    """A 会签 step's progress this round: approvals so far, approvals needed, the approvers'
    names (in the order they signed)."""

    done: int
    needed: int
    names: tuple[str, ...]


def approvers_needed(step: Optional[dict]) -> int:
    """Return how many distinct people must approve ``step`` (1 unless it is co-signed)."""
    return int((step or {}).get("approvers") or 1)


def progress(waiting: dict[int, Any]) -> dict[int, CoSign]:
    """Return the progress of each application in ``waiting`` (``{id: step it waits at}``)
    whose step is co-signed."""
    cosigned = {pk: approvers_needed(step) for pk, step in waiting.items()
                if approvers_needed(step) > 1}
    if not cosigned:
        return {}
    names: dict[int, list] = {pk: [] for pk in cosigned}
    rows = db.session.execute(
        select(StepDecision.application_id, BanshiUser.first_name)
        .join(Application, Application.id == StepDecision.application_id)
        .join(BanshiUser, BanshiUser.id == StepDecision.actor_id)
        .where(StepDecision.application_id.in_(sorted(cosigned)),
               StepDecision.step_key == Application.current_step,
               StepDecision.round == Application.round, StepDecision.decision == "approve")
        .order_by(StepDecision.id))
    for pk, name in rows:
        names[pk].append(name)
    return {pk: CoSign(len(names[pk]), needed, tuple(filter(None, names[pk])))
            for pk, needed in cosigned.items()}
