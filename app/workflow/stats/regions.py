"""The region being looked at: where it may be, the breadcrumb down to it, its children's rows."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import func, select

from app.extensions import db
from app.models.region import Region, region_label
from app.scoping import in_subtree, is_platform_admin
from app.workflow.stats.rows import ITSELF, Row


class RegionNotInScope(LookupError):
    """The region asked for does not exist or lies outside the viewer's subtree."""


def top_region(user: Any) -> Optional[str]:
    """Return the region at the top of what ``user`` may look at; None for the whole country.

    :raises RegionNotInScope: staff without a region see nothing.
    """
    if is_platform_admin(user):
        return None
    if not getattr(user, "region_code", None):
        raise RegionNotInScope()
    return user.region_code


def viewing_region(user: Any, code: Optional[str] = None) -> Optional[Region]:
    """Return the region ``code`` (default: the top of the viewer's subtree) if in scope.

    :raises RegionNotInScope: unknown or outside the viewer's subtree (the same either way).
    """
    top = top_region(user)
    code = code or top
    if code is None:
        return None
    region = db.session.get(Region, code)
    if region is None or (top is not None and not in_subtree(code, top)):
        raise RegionNotInScope()
    return region


def trail(user: Any, region: Optional[Region]) -> list[Region]:
    """Return the regions from the top of the viewer's subtree down to ``region``."""
    if region is None:
        return []
    codes = region.path.strip("/").split("/")
    top = top_region(user)
    if top is not None:
        codes = codes[codes.index(top):] if top in codes else [region.code]
    return list(db.session.scalars(select(Region).where(Region.code.in_(codes))
                                   .order_by(func.length(Region.path))))


def subtree_codes(region: Region) -> list[str]:
    """Return the codes of ``region``'s subtree (itself included), by path prefix.

    The dashboard's statement gets them as constants, not as a subquery: PostgreSQL then
    estimates the matching applications from ``application.region_code``'s statistics. Given
    ``region_code IN (SELECT code FROM region WHERE path LIKE …)`` it takes the subtree's
    share of the region table for its share of the applications (a city's prefix it even
    estimates at one region): 27,000 of a province's 964,138 rows, sorted instead of hashed.
    """
    return list(db.session.scalars(
        select(Region.code).where(Region.path.startswith(region.path, autoescape=True))))


def region_rows(region: Optional[Region], found: dict[str, Row], locale: str = "zh") -> list[Row]:
    """Return a row per current child of ``region`` (and any other child with applications),
    named in ``locale``."""
    parent = Region.parent_code == region.code if region is not None \
        else Region.parent_code.is_(None)
    children = db.session.execute(select(Region.code, Region.name, Region.name_en,
                                         Region.valid_to).where(parent).order_by(Region.code))
    rows = []
    for code, name, name_en, valid_to in children:
        if valid_to is None or code in found:
            row = found.get(code) or Row(code)
            row.label = region_label(name, name_en, locale)
            rows.append(row)
    if ITSELF in found:
        found[ITSELF].label = region.name_for(locale) if region is not None else ""
        rows.insert(0, found[ITSELF])
    return rows
