"""会签 progress: how many have approved a co-signed step this round, and who.

    progress(application, step)   # CoSign(done=1, needed=2, names=("张三",)), or None

The approvers' names are kept on the application (``step_signed``, joined by
:data:`SEPARATOR`) by the workflow, as ``step_barred`` is: written when a co-signer approves
(:func:`signers`), cleared whenever a step is entered or the application closes. Reading the
progress costs no statement — a queue page shows it for every row from the rows themselves.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

from sqlalchemy import func, select

from app.extensions import db
from app.models.application import StepDecision
from app.models.user import BanshiUser

#: Between the names in ``Application.step_signed``: a character no name holds (the request
#: guard refuses control characters).
SEPARATOR = "\x1f"


class CoSign(NamedTuple):
    """A 会签 step's progress this round: approvals so far, approvals needed, the approvers'
    names (in the order they signed)."""

    done: int
    needed: int
    names: tuple[str, ...]


def approvers_needed(step: Optional[dict]) -> int:
    """Return how many distinct people must approve ``step`` (1 unless it is co-signed)."""
    return int((step or {}).get("approvers") or 1)


def progress(application: Any, step: Optional[dict]) -> Optional[CoSign]:
    """Return the progress of ``application`` (a model or a queue row: ``status`` and
    ``step_signed``) at ``step``, the step it waits at; None unless that step is co-signed."""
    needed = approvers_needed(step)
    if step is None or needed <= 1 or application.status != "submitted":
        return None
    names = application.step_signed.split(SEPARATOR) if application.step_signed else []
    return CoSign(len(names), needed, tuple(filter(None, names)))


def signers(application: Any, step: dict) -> list[str]:
    """Return the names of who approved ``step`` this round, in the order they signed (a
    nameless account as ""), the decision just flushed included: what ``step_signed`` holds."""
    return list(db.session.scalars(
        select(func.coalesce(BanshiUser.first_name, ""))
        .join(StepDecision, StepDecision.actor_id == BanshiUser.id)
        .where(StepDecision.application_id == application.id,
               StepDecision.step_key == step["key"], StepDecision.round == application.round,
               StepDecision.decision == "approve")
        .order_by(StepDecision.id)))


def signed(names: list[str]) -> Optional[str]:
    """Return ``names`` as ``step_signed`` keeps them (None: nobody)."""
    return SEPARATOR.join(names) if names else None
