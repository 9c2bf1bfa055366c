"""Choosing a region with three selects (province → city → county) that work without JS.

The chooser is a GET form: each submit narrows the next select to the children of what was
chosen; the region in force is the deepest consistent choice. A municipality's districts hang
directly under the province, so the second select lists whatever the province's children are.
The regions come from the cached tree (app.region_tree): current ones only, no 医保 nodes.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Optional

from app.region_tree import Node, region_tree

PARAMS = ("province", "city", "county")
DEEPEST = "county"


def children(code: Optional[str]) -> list[Node]:
    """Return the current regions directly under ``code`` (the provinces for None)."""
    return list(region_tree().children(code, DEEPEST))


@dataclass
class RegionChoice:
    code: Optional[str] = None  # the region in force
    region: Optional[Node] = None
    chosen: list[str] = dataclass_field(default_factory=list)  # one code per select
    options: list[list[Node]] = dataclass_field(default_factory=list)


def _chain(code: str) -> list[str]:
    return [node.code for node in region_tree().chain(code)][:len(PARAMS)]


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
    region = region_tree().get(code)
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
