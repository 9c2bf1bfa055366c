"""Which steps an item version has, which region handles each, and who may decide one.

Level semantics. A step's ``level`` names the tier of the region tree whose agency handles it:
the handling region is the ancestor of the application's region (or of the region answered in
``region_field``) at that level. Where the tree has no node at that level on the way up — a
municipality's districts hang directly under the province, so a ``city`` step of a Beijing
application is handled by 110000 — the nearest ancestor *above* the level handles it; an 11-digit
grassroots node resolves upward like any other; a region already above the level (an application
filed at a city for a ``county`` step) handles the step itself. A step without ``level`` is
handled by the region itself.

A user decides a step when the handling region lies in their subtree AND their own region is
at the step's level or is the handling region itself. Both together mean: their region *is*
the handling region (a county reviewer cannot take a city step, a city reviewer does not take
its counties' steps) — which is why the pending queue can filter on one indexed column.
"""
from __future__ import annotations

import logging
from typing import Any, NamedTuple, Optional

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from app.commands.applications.context import region_nodes
from app.extensions import db
from app.models.application import Application, StepDecision
from app.models.item import ItemVersion
from app.models.region import LEVELS
from app.scoping import in_subtree, role_names

log = logging.getLogger(__name__)

#: The role that handles a step naming none (an ``auto`` step whose rule did not approve).
DEFAULT_ROLE = "Reviewer"
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# Why can_decide said no (compare with ``is``; translated when shown).
NOT_SIGNED_IN = _l("Please sign in first.")
NOT_WAITING = _l("This application is not waiting for a decision.")
NOT_CURRENT = _l("This step is not the application's current step.")
OTHER_ROLE = _l("This step is decided by another role.")
OTHER_REGION = _l("This step is handled by another region or level.")
OWN_APPLICATION = _l("You cannot decide on your own application.")
ENTERED_BY_YOU = _l("You entered this application at the counter; another reviewer decides it.")
DECIDED_EARLIER_STEP = _l("You decided an earlier step of this application; this step needs "
                          "someone else.")
ALREADY_DECIDED = _l("You have already decided this step.")


class Verdict(NamedTuple):
    """The answer of :func:`can_decide`: unpacks as ``(allowed, reason)``."""

    allowed: bool
    reason: Any = None  # a lazy, translatable message when not allowed


ALLOWED = Verdict(True)  # one instance: a queue page asks for every row


def steps(version: ItemVersion) -> list[dict]:
    """Return the approval steps of a published version, in chain order (may be empty)."""
    return list((version.definition or {}).get("approval") or [])


def step_of(version: ItemVersion, key: Optional[str]) -> Optional[dict]:
    """Return the step ``key`` of ``version``, or None."""
    return next((step for step in steps(version) if step.get("key") == key), None)


def refuses_acceptance(version: ItemVersion, step_key: Optional[str]) -> bool:
    """Tell whether refusing at step ``step_key`` is a refusal to accept (不予受理) rather than
    a refusal to approve (不予批准): the acceptance is the chain's first step that people decide
    (no ``auto``); refusing there, or at a rule's step before it that was handed to people,
    refuses acceptance; refusing at any later step (会签, 审核 …) refuses approval. An unknown
    step counts as acceptance."""
    return refuses_acceptance_in(steps(version), step_key)


def refuses_acceptance_in(chain: list, step_key: Optional[str]) -> bool:
    """:func:`refuses_acceptance` on a version's approval steps, in their order."""
    keys = [step.get("key") for step in chain]
    if step_key not in keys:
        return True
    first_human = next((index for index, step in enumerate(chain) if not step.get("auto")),
                       len(chain))
    return keys.index(step_key) <= first_human


def approves_acceptance(version: ItemVersion, step_key: Optional[str]) -> bool:
    """Tell whether approving at step ``step_key`` accepts the application (予以受理) rather
    than approves it (审核通过): the step is the acceptance (:func:`refuses_acceptance`) and a
    later step decides; approving an acceptance that is the chain's last step grants it."""
    return approves_acceptance_in(steps(version) if version is not None else [], step_key)


def approves_acceptance_in(chain: list, step_key: Optional[str]) -> bool:
    """:func:`approves_acceptance` on a version's approval steps, in their order."""
    keys = [step.get("key") for step in chain]
    return step_key in keys[:-1] and refuses_acceptance_in(chain, step_key)


def step_role(step: dict) -> str:
    return step.get("role") or DEFAULT_ROLE


def step_label(step: Optional[dict], locale: Optional[str] = None) -> str:
    """Return a step's name in ``locale`` (the request's by default), falling back to Chinese."""
    if not step:
        return ""
    name = step.get("name") or {}
    if isinstance(name, str):
        return name
    language = str(locale or get_locale() or "zh")[:2]
    return name.get(language) or name.get("zh") or step.get("key", "")


def ancestor_at(code: Optional[str], level: str) -> Optional[str]:
    """Return the region handling ``level`` for ``code`` (see the module docstring), or None."""
    nodes = region_nodes(code)
    if not nodes:
        return None
    rank, chosen = LEVEL_RANK[level], None
    for node, node_level in nodes:  # root first: keep the deepest node at or above the level
        if LEVEL_RANK.get(node_level, len(LEVELS)) <= rank:
            chosen = node
    return chosen or code


def handling_region(application: Application, step: dict) -> Optional[str]:
    """Return the code of the region whose reviewers handle ``step`` of ``application``.

    ``region_field``: the region answered in that field (then its ancestor at ``level``); an
    unanswered or unknown region falls back to the application's region, so that the step is
    never orphaned (that agency can return the application for correction).
    """
    base = application.region_code
    field = step.get("region_field")
    if field:
        answered = (application.answers or {}).get(field)
        if isinstance(answered, str) and region_nodes(answered):
            base = answered
        else:
            log.warning("application %s step %s: region field %s has no known region; "
                        "routed to the application's region", application.id, step.get("key"),
                        field)
    level = step.get("level")
    return ancestor_at(base, level) if level else base


def _subject_number(application: Application) -> Optional[str]:
    return application.subject_id_number or getattr(application.applicant, "id_number", None)


def _decided(application: Application, user: Any, *conditions) -> bool:
    return bool(db.session.scalar(select(exists().where(
        StepDecision.application_id == application.id, StepDecision.actor_id == user.id,
        *conditions))))


class Actor(NamedTuple):
    """What can_decide reads of the user, read once: a queue page judges every row with it."""

    id: Any
    id_number: Optional[str]
    region_code: Optional[str]
    level: Optional[str]  # of the user's region
    roles: frozenset

    @classmethod
    def of(cls, user: Any) -> Optional["Actor"]:
        """Return the actor ``user`` is, or None when nobody is signed in."""
        if user is None or not getattr(user, "is_authenticated", True):
            return None
        region = getattr(user, "region", None)
        return cls(user.id, user.id_number, user.region_code,
                   region.level if region is not None else None, frozenset(role_names(user)))


def can_decide(user: Any, application: Application, step: Optional[dict]) -> Verdict:
    """Tell whether ``user`` may decide ``step`` of ``application`` now, and if not, why.

    Checks: the application waits at this very step; the role; the region (module docstring);
    no self-approval (applicant account or the subject's ID number), nor by the clerk who
    entered it at the counter; ``distinct`` (no other
    step of this application decided by the user, in any round); not yet decided by the user
    in this round (会签 needs different people).
    """
    actor = Actor.of(user)
    handler = application.step_region_code or (
        handling_region(application, step) if step is not None else None)
    verdict = _standing(actor, application, step, handler, _subject_number(application))
    if not verdict.allowed:
        return verdict
    if step.get("distinct") and _decided(application, actor, StepDecision.step_key != step["key"]):
        return Verdict(False, DECIDED_EARLIER_STEP)
    if _decided(application, actor, StepDecision.step_key == step["key"],
                StepDecision.round == application.round):
        return Verdict(False, ALREADY_DECIDED)
    return ALLOWED


def can_decide_listed(actor: Optional[Actor], row: Any, step: Optional[dict]) -> bool:
    """Tell whether ``actor`` (:meth:`Actor.of` the user) may decide ``step`` of a queue row
    now: :func:`can_decide`'s checks on the columns the row carries, without a query.

    ``row`` has the application's ``status``, ``current_step``, ``step_region_code`` (the
    handling region, set on every step change), ``applicant_id``, ``entered_by_id``,
    ``subject_id_number`` and ``step_barred``. The subject's number alone is enough: where it
    is missing can_decide takes the applicant account's, and an ID number belongs to one
    account at most, which ``applicant_id`` already names. The last two checks (decisions by
    the user) are read from ``step_barred``, where the workflow keeps them for the current
    step (app.workflow.chain.barred) and the pending queue filters on them.
    """
    if not _standing(actor, row, step, row.step_region_code, row.subject_id_number).allowed:
        return False
    return f",{actor.id}," not in (row.step_barred or "")


def _standing(actor: Optional[Actor], application: Any, step: Optional[dict],
              handler: Optional[str], subject: Optional[str]) -> Verdict:
    """Return can_decide's verdict before the user's own decisions are looked at: signed in,
    waiting at this very step, the role, the region (``handler``: the handling region), not the
    user's own application (``subject``: the subject's ID number) nor one they entered."""
    if actor is None:
        return Verdict(False, NOT_SIGNED_IN)
    if application.status != "submitted" or step is None:
        return Verdict(False, NOT_WAITING)
    if step.get("key") != application.current_step:
        return Verdict(False, NOT_CURRENT)
    if step_role(step) not in actor.roles:
        return Verdict(False, OTHER_ROLE)
    if not _handles(actor, handler, step):
        return Verdict(False, OTHER_REGION)
    if application.applicant_id == actor.id or (actor.id_number
                                                and subject == actor.id_number):
        return Verdict(False, OWN_APPLICATION)
    if application.entered_by_id == actor.id:
        return Verdict(False, ENTERED_BY_YOU)
    return ALLOWED


def may_handle(user: Any, application: Application, step: dict) -> bool:
    """Tell whether ``user`` holds ``step``'s role in the region handling it for
    ``application``, whatever the application's status or current step."""
    actor = Actor.of(user)
    return (actor is not None and step_role(step) in actor.roles
            and _handles(actor, handling_region(application, step), step))


def _handles(actor: Actor, handler: Optional[str], step: dict) -> bool:
    """Tell whether ``handler`` lies in the actor's subtree and is the actor's region or the
    actor is at the step's level. The actor's own region is in their subtree (a foreign key):
    no region is read for it, so a page of the user's queue reads none."""
    if handler is not None and handler == actor.region_code:
        return True
    return (bool(step.get("level")) and actor.level == step["level"]
            and in_subtree(handler, actor.region_code))
