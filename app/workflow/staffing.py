"""Who can decide a step at all (无人可办): by can_decide's own rule, for waiting applications
and for an item version about to be published.

An application is *unstaffed* when no active account may decide its current step now: no
account holds the step's role where the step is handled (app.workflow.routing: the handling
region itself, or an account at the step's level whose subtree holds it), or the accounts that
do are all excluded from this application (its applicant or subject, the clerk who entered it,
those in ``step_barred``: co-signed it this round, or a ``distinct`` step after another). The
rule is routing's and is not restated here: accounts are judged with ``_standing`` on a waiting
application that has no people yet (role and region), each application with
``can_decide_listed`` (the whole rule on a queue row). An account that is not active cannot sign
in, so it decides nothing; nor does one the review desk refuses every decision: only accounts
holding a role granted a decision permission count (:func:`deciders`), so a step whose role
cannot decide (an older version's; lint refuses it now) is nobody's.

    staff = Staff.load({"130203"}, {"Reviewer"})   # one statement
    staff.admitted("130203", step)                # the accounts role and region admit
    decidable(rows, items)                        # {application id: anybody can decide it now}
    publish_gaps(definition, "130000")            # StepGap per step where regions lack staff
"""
from __future__ import annotations

from typing import Any, Iterable, NamedTuple, Optional

from flask_appbuilder.security.sqla.models import (Permission, PermissionView, Role, ViewMenu,
                                                   assoc_permissionview_role)
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from app.extensions import db
from app.models.region import LEVELS, Region, with_code
from app.models.user import BanshiUser
from app.reference_cache import cached_many
from app.region_tree import region_tree
from app.roles import DECIDE_PERMISSIONS, PUBLIC_ROLE, ROLE_PERMISSIONS, deciding_roles
from app.scoping import held_roles
from app.workflow.routing import (Actor, _standing, ancestor_at, can_decide_listed, step_label,
                                  step_role)

#: A publish warning names this many regions, then "and N more".
REGIONS_SHOWN = 10
#: Applications are filed at a county or below (app.commands.applications.create).
FILED_RANK = LEVELS.index("county")


def deciders():
    """Return a SELECT of the ids of the accounts the decision endpoints let through: holding,
    directly or through a group, a role granted one of app.roles.DECIDE_PERMISSIONS — a
    built-in role by its grants in app.roles, any other by the permissions stored for it, as
    FAB's ``has_access`` reads them (app.security)."""
    stored = (select(Role.name)
              .join(assoc_permissionview_role, assoc_permissionview_role.c.role_id == Role.id)
              .join(PermissionView,
                    PermissionView.id == assoc_permissionview_role.c.permission_view_id)
              .join(Permission, Permission.id == PermissionView.permission_id)
              .join(ViewMenu, ViewMenu.id == PermissionView.view_menu_id)
              .where(Role.name.not_in([*ROLE_PERMISSIONS, PUBLIC_ROLE]),
                     or_(*(and_(ViewMenu.name == view, Permission.name == permission)
                           for view, permission in DECIDE_PERMISSIONS))))
    held = held_roles()
    return select(held.c.user_id).where(or_(held.c.name.in_(deciding_roles()),
                                            held.c.name.in_(stored)))


class _NobodyYet(NamedTuple):
    """An application waiting at ``current_step`` that nobody has filed, entered or decided:
    what ``_standing`` reads, so that it judges role and region alone."""

    current_step: Optional[str]
    status: str = "submitted"
    applicant_id: Any = None
    entered_by_id: Any = None


class Staff:
    """Active accounts that might decide steps handled in some regions, read in one statement."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        self.actors = tuple(actors)
        self._admitted: dict[tuple, tuple[Actor, ...]] = {}

    @classmethod
    def load(cls, handlers: Iterable[Optional[str]], roles: Iterable[str]) -> "Staff":
        """Read the active accounts holding one of ``roles`` in a handling region or above one
        (an account at a step's level decides for the regions of its subtree)."""
        tree, regions = region_tree(), set()
        for code in filter(None, handlers):
            regions.add(code)
            regions.update(node.code for node in tree.chain(code))
        roles = sorted(set(roles))
        if not regions or not roles:
            return cls()
        found: dict[int, list] = {}
        held = held_roles()  # given directly or through a group
        for user_id, id_number, region, role in db.session.execute(
                select(BanshiUser.id, BanshiUser.id_number, BanshiUser.region_code, held.c.name)
                .join(held, held.c.user_id == BanshiUser.id)
                .where(BanshiUser.active.is_(True), BanshiUser.region_code.in_(sorted(regions)),
                       held.c.name.in_(roles), BanshiUser.id.in_(deciders()))
                .order_by(BanshiUser.id)):
            found.setdefault(user_id, [id_number, region, set()])[2].add(role)
        return cls(Actor(user_id, id_number, region,
                         tree.nodes[region].level if region in tree.nodes else None,
                         frozenset(held))
                   for user_id, (id_number, region, held) in found.items())

    def admitted(self, handler: Optional[str], step: Optional[dict]) -> tuple[Actor, ...]:
        """Return the accounts that may decide ``step`` handled by ``handler`` before any
        application is looked at (role and region)."""
        if step is None:
            return ()
        key = (handler, step_role(step), step.get("level"), step.get("key"))
        if key not in self._admitted:
            # Only the handler's accounts and its ancestors' can pass _handles (the region
            # tree in memory: no region is read for the others).
            above = {node.code for node in region_tree().chain(handler)} | {handler}
            probe = _NobodyYet(step.get("key"))
            self._admitted[key] = tuple(
                actor for actor in self.actors if actor.region_code in above
                and _standing(actor, probe, step, handler, None).allowed)
        return self._admitted[key]

    def can_decide(self, row: Any, step: Optional[dict]) -> bool:
        """Tell whether any of these accounts may decide ``step`` of queue ``row`` now."""
        return any(can_decide_listed(actor, row, step)
                   for actor in self.admitted(row.step_region_code, step))


def decidable(rows: Iterable[Any], items: dict) -> dict[Any, bool]:
    """Return ``{id: anybody may decide its current step now}`` for queue rows (the columns
    can_decide_listed reads; ``items``: ItemInfo by version id), in one statement."""
    waiting = [(row, items[row.version_id].steps.get(row.current_step)) for row in rows]
    staff = Staff.load({row.step_region_code for row, _ in waiting},
                       {step_role(step) for _, step in waiting if step is not None})
    return {row.id: staff.can_decide(row, step) for row, step in waiting}


# --- before publishing -------------------------------------------------------------------------


class StepGap(NamedTuple):
    """Where a step of a version about to be published has nobody to decide it."""

    step: dict
    handlers: int = 0  # the regions that would handle it
    missing: tuple[str, ...] = ()  # of those, the ones without an account that may decide it
    anywhere: bool = False  # ``region_field``: handled wherever the answer points


def _warm_regions(codes: list[str]) -> None:
    """Read the (level, path) of ``codes`` in one query into the cache ancestor_at reads them
    from (app.commands.applications.context._region_facts: namespace "region")."""
    def load(missing):
        return {code: (level, path) for code, level, path in db.session.execute(
            select(Region.code, Region.level, Region.path).where(Region.code.in_(missing)))}

    cached_many("region", codes, load)


def handling_regions(region: str, level: Optional[str]) -> list[str]:
    """Return the regions that would handle a step at ``level`` (None: the application's own
    region) of applications filed in ``region``'s subtree — at a county or below
    (app.commands.applications.create) — by routing's ancestor_at."""
    tree = region_tree()
    node = tree.get(region)
    if node is None:
        return []
    filed, stack = [], [node]
    while stack:
        current = stack.pop()
        if current.rank >= FILED_RANK:
            filed.append(current.code)
        stack.extend(tree.children(current.code))
    if level is None:
        return sorted(filed)
    _warm_regions([n.code for chain in map(tree.chain, filed) for n in chain])
    return sorted({ancestor_at(code, level) for code in filed} - {None})


def publish_gaps(definition: Optional[dict], region: str) -> list[StepGap]:
    """Return, for each step of ``definition`` published for ``region``, the handling regions
    where no active account may decide it (steps without such regions are left out). A step
    with ``region_field`` is handled wherever its answer points: reported as ``anywhere``."""
    steps = [s for s in (definition or {}).get("approval") or () if isinstance(s, dict)]
    where = {id(step): handling_regions(region, step.get("level"))
             for step in steps if not step.get("region_field")}
    staff = Staff.load({code for codes in where.values() for code in codes},
                       {step_role(step) for step in steps})
    gaps = []
    for step in steps:
        if step.get("region_field"):
            gaps.append(StepGap(step, anywhere=True))
            continue
        handlers = where[id(step)]
        missing = tuple(code for code in handlers if not staff.admitted(code, step))
        if missing:
            gaps.append(StepGap(step, len(handlers), missing))
    return gaps


ANYWHERE = _l("Step %(step)s: the answer to “%(field)s” chooses the region that handles it, so "
              "it can land in any region; make sure each region it may name has an active "
              "%(role)s.")
MISSING = _l("Step %(step)s: no active %(role)s may decide it in %(count)s of the %(total)s "
             "regions that handle it: %(regions)s.")
MORE = _l("%(regions)s and %(count)s more")
SEPARATOR = _l(", ")
AUTOMATIC = _l("(decided by its rule; a person decides when the rule does not approve)")


def region_list(codes: tuple[str, ...], shown: int = REGIONS_SHOWN) -> str:
    """Return the regions' names and codes, the first ``shown`` of them, then "and N more"."""
    nodes = region_tree().nodes
    names = str(SEPARATOR).join(with_code(nodes[code].name_for(), code) if code in nodes else code
                     for code in codes[:shown])
    return str(MORE % {"regions": names, "count": len(codes) - shown}) \
        if len(codes) > shown else names


def gap_text(gap: StepGap) -> str:
    """Return a publish warning in the current language."""
    from app.roles import ROLE_NAMES

    role = str(ROLE_NAMES.get(step_role(gap.step), step_role(gap.step)))
    name = step_label(gap.step) or gap.step.get("key", "")
    if gap.anywhere:
        text = ANYWHERE % {"step": name, "field": gap.step.get("region_field"), "role": role}
    else:
        text = MISSING % {"step": name, "role": role, "count": len(gap.missing),
                          "total": gap.handlers, "regions": region_list(gap.missing)}
    return f"{text} {AUTOMATIC}" if gap.step.get("auto") else str(text)


def gap_json(gap: StepGap) -> dict:
    """Return a publish warning as the API gives it."""
    return {"step": gap.step.get("key"), "step_name": step_label(gap.step),
            "role": step_role(gap.step), "automatic": bool(gap.step.get("auto")),
            "anywhere": gap.anywhere, "regions": gap.handlers,
            "missing": [{"code": code, "name": region_tree().nodes[code].name_for()
                         if code in region_tree().nodes else code} for code in gap.missing],
            "message": gap_text(gap)}

