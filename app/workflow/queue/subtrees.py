"""Large subtrees (a province's hundreds of regions) in the late queues' statements.

A city's late queues merge a walk of ``ix_application_step_region`` per region of its subtree;
above :data:`LATERAL_MAX_REGIONS` regions that costs more than walking
``ix_application_step_deadline`` in deadline order and passing over other regions' rows. That
walk needs the subtree as something PostgreSQL reads cheaply and weighs with the column's
statistics, sent with the statement:

- ``step_region_code LIKE '13%'`` when the subtree is exactly the regions whose codes start with
  its root's GB/T 2260 prefix (河北省 130000: "13"; a city 130200: "1302");
- else ``step_region_code = ANY('{…}')``, its codes as one array value.

Which of the two is read with the reference data (app.reference_cache: a region written
changes the generation) and is part of the statements' keys, so a statement is never used
for a subtree that has changed.
"""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.models.application import Application
from app.models.region import Region
from app.reference_cache import cached
from app.scoping import is_platform_admin, subtree_codes

#: Above this many regions in a subtree the late queues walk the deadline index instead of
#: merging a walk per region (a city has a few dozen with its former counties; a province
#: hundreds).
LATERAL_MAX_REGIONS = 64
NAMESPACE = "queue_subtree"


def code_prefix(code: str) -> str:
    """Return the GB/T 2260 prefix a region's descendants share: 130000 → 13, 130200 → 1302."""
    prefix = code
    while len(prefix) > 2 and len(code) == 6 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def _describe(code: str) -> Optional[tuple]:
    listed = tuple(db.session.scalars(subtree_codes(code)))
    if len(listed) <= LATERAL_MAX_REGIONS:
        return None
    prefix = code_prefix(code)
    sharing = db.session.scalar(select(func.count()).select_from(Region).where(
        Region.code.startswith(prefix, autoescape=True)))
    if sharing == len(listed) and all(c.startswith(prefix) for c in listed):
        return ("prefix", prefix)
    return ("codes", listed)


def large_subtree(user: Any) -> Optional[tuple]:
    """Return how the late queues name the user's subtree when it has more than
    :data:`LATERAL_MAX_REGIONS` regions on PostgreSQL — ``("prefix", "13")`` or
    ``("codes", (…))`` — else None (a platform administrator, a small subtree, SQLite)."""
    if (is_platform_admin(user) or not user.region_code
            or db.engine.dialect.name != "postgresql"):
        return None
    return cached(NAMESPACE, user.region_code, lambda: _describe(user.region_code))


def handled_in(subtree: tuple) -> ColumnElement[bool]:
    """Return the condition "the current step is handled in ``subtree``" (large_subtree's)."""
    kind, value = subtree
    if kind == "prefix":
        return Application.step_region_code.startswith(value, autoescape=True)
    return Application.step_region_code == any_(
        bindparam("queue_codes", list(value), type_=ARRAY(String)))
