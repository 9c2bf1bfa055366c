"""What lint checks in an item's approval chain as a whole: that someone looks at a filing, and
that each step is handled within the region that owns the item.

An item without steps would be approved the moment it is filed, with nobody ever looking at it;
a chain of ``auto`` steps only is still allowed (that is an explicit choice, and a rule that does
not approve hands the step to people). A step's ``level`` names the tier whose agency handles it
(app.workflow.routing): a level above the item's own region's would send every application to
an agency outside the subtree of whoever owns the item, where nobody answerable for the item
works. A step with ``region_field`` (cross-agency) is handled where the answer says, so its level
is not compared with the item's region. In a derived item only the steps whose level or
``region_field`` the variant itself sets are compared: an inherited step was checked against the
region of the item that wrote it.

A step's role must be one that can decide (app.roles.deciding_roles: granted the permission the
review desk's and the API's decisions check): a step naming another would wait for ever, every
holder of its role refused at the desk. Every step of the chain is checked, inherited ones too.
"""
from __future__ import annotations

from typing import Callable, Collection, Optional

from flask_babel import get_locale, lazy_gettext as _l

from app.engine.fields.base import level_rank
from app.engine.problems import Collector
from app.engine.schema import ROLES
from app.roles import ROLE_NAMES, deciding_roles

#: A level as the messages name it (the designer's step form uses the same words).
LEVEL_NAMES = {"province": _l("Province level"), "city": _l("City level"),
               "county": _l("County level"), "grassroots": _l("Grassroots level")}


def check_chain(definition: dict, c: Collector,
                region_level: Callable[[str], Optional[str]],
                own_steps: Optional[Collection[str]] = None) -> None:
    """Report an item with no approval step, and steps handled above the item's region
    (``own_steps``: the keys of the steps to compare, None for all)."""
    steps = definition.get("approval")
    if not isinstance(steps, list) or not steps:
        c.add(("approval",) if "approval" in definition else ("name",), _l(
            "the item has no approval step: every application would be approved as soon as it "
            "is filed, with nobody looking at it. Add at least one step (a step decided by a "
            "rule, auto, counts)"))
        return
    for index, step in enumerate(steps):
        if isinstance(step, dict) and (problem := role_problem(step)) is not None:
            c.add(("approval", index, "role"), problem)
    region = definition.get("region")
    own = region_level(region) if isinstance(region, str) and region else None
    if level_rank(own) < 0:
        return  # an unknown region is reported on its own
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or step.get("region_field") or (
                own_steps is not None and step.get("key") not in own_steps):
            continue
        level = step.get("level")
        if isinstance(level, str) and 0 <= level_rank(level) < level_rank(own):
            c.add(("approval", index, "level"), _l(
                'step "%(key)s" is handled at %(level)s (level: %(keyword)s), above this '
                "item's region %(region)s (%(own)s): its applications would wait at an agency "
                "outside the region, where the item's administrators have no say. Choose "
                "%(own)s or below (only a step with region_field, whose handling region comes "
                "from the answer, may name a higher level)", key=step.get("key"),
                level=LEVEL_NAMES[level], keyword=level, region=region, own=LEVEL_NAMES[own]))


def role_refusal(role: object) -> Optional[str]:
    """Return why a step cannot name ``role`` (one of the format's roles that cannot decide),
    or None (a role that decides, no role, or one the schema already refuses)."""
    if not isinstance(role, str) or role not in ROLES or role in deciding_roles(ROLES):
        return None
    return _l("%(role)s (role: %(keyword)s) cannot decide applications: nobody may approve, "
              "return or refuse with it at the review desk, so the step would wait for ever. "
              "Choose %(roles)s", role=ROLE_NAMES.get(role, role), keyword=role,
              roles=_choices())


def role_problem(step: dict) -> Optional[str]:
    """Return lint's message for a step whose role cannot decide, naming the step by its
    label and the role by its name, or None."""
    if role_refusal(step.get("role")) is None:
        return None
    role = step["role"]
    return _l('step “%(step)s” is decided by %(role)s (role: %(keyword)s), a role that cannot '
              "decide applications: they would wait at this step with nobody able to approve, "
              "return or refuse them. Choose %(roles)s", step=_step_name(step),
              role=ROLE_NAMES.get(role, role), keyword=role, roles=_choices())


def _choices() -> str:
    return ", ".join(f"{ROLE_NAMES.get(name, name)} ({name})" for name in deciding_roles(ROLES))


def _step_name(step: dict) -> str:
    """Return a step's name in the current language (Chinese, then its key, if not given)."""
    name = step.get("name")
    if isinstance(name, dict):
        language = str(get_locale() or "zh")[:2]
        return str(name.get(language) or name.get("zh") or step.get("key", ""))
    return str(name or step.get("key", ""))
