"""Choosing a region with three selects (province → city → county) that work without JS.

The chooser is a GET form: each submit narrows the next select to the children of what was
chosen; the region in force is the deepest consistent choice. A municipality's districts hang
directly under the province, so the second select lists whatever the province's children are.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Optional

from sqlalchemy import select

from app.extensions import db
from app.models.region import Region

PARAMS = ("province", "city", "county")


def children(code: Optional[str]) -> list[Region]:
    """Return the current regions directly under ``code`` (the provinces for None)."""
    query = select(Region).where(Region.valid_to.is_(None), Region.kind == "gb2260")
    query = query.where(Region.parent_code == code) if code else query.where(
        Region.level == "province")
    return list(db.session.scalars(query.order_by(Region.code)))


@dataclass
class RegionChoice:
    code: Optional[str] = None  # the region in force
    region: Optional[Region] = None
    chosen: list[str] = dataclass_field(default_factory=list)  # one code per select
    options: list[list[Region]] = dataclass_field(default_factory=list)


def _chain(code: str) -> list[str]:
    path = db.session.scalar(select(Region.path).where(Region.code == code))
    return path.strip("/").split("/")[:len(PARAMS)] if path else []


def choose(args, default: Optional[str]) -> RegionChoice:
    """Return the region chosen by ``args`` (?region= or the selects), else ``default``."""
    picked = [args.get(name, "")[:12] for name in PARAMS]
    if any(picked):
        chain = []
        for code in picked:
            if not code:
                break
            under = chain[-1] if chain else None
            if code not in {r.code for r in children(under)}:
                break
            chain.append(code)
        code = chain[-1] if chain else None
    else:
        code = (args.get("region") or default or "")[:12] or None
        chain = _chain(code) if code else []
        if not chain:
            code = None
    region = db.session.get(Region, code) if code else None
    options, parent = [], None
    for index in range(len(PARAMS)):
        level = children(parent)
        if not level:
            break
        options.append(level)
        parent = chain[index] if index < len(chain) else None
        if parent is None:
            break
    return RegionChoice(code, region, chain, options)
