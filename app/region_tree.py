"""The region tree in memory: names, levels and current children, cached per process.

    tree = region_tree()
    tree.children("130000")          # current regions directly under 河北省, by code
    tree.chain("130203")             # [河北省, 唐山市, 路北区] (root first)
    tree.full_name("130203")         # "河北省 唐山市 路北区"
    tree.full_name("130203", "en")   # "Lubei District, Tangshan City, Hebei Province"

Regions change only when ``flask regions load`` runs or an administrator adds or renames a
医保 node, so the whole tree (some 7,000 rows) is read in one query and kept with the reference
cache (app.reference_cache): a write to ``region`` renumbers the reference generation, which
every request reads once anyway, so a warm cache costs no query of its own. Abolished regions
stay in the tree (an old answer or ID number still has a name) but are nobody's child: pickers
offer only current ones.
"""
from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple, Optional

from sqlalchemy import select

from app.engine.fields.base import level_rank
from app.extensions import db
from app.models.region import LEVELS, Region, english, region_label
from app.reference_cache import cached

NAMESPACE = "region_tree"
MAX_DEPTH = 8  # province, city, county, grassroots: a longer chain is a loop in the data


class Node(NamedTuple):
    code: str
    name: str
    level: str
    parent: Optional[str]
    current: bool
    rank: int  # province 0 … grassroots 3 (app.engine.fields.base.level_rank)
    name_en: Optional[str] = None

    def name_for(self, locale=None) -> str:
        """Return the name in ``locale`` (the current one when None), Chinese as fallback."""
        return region_label(self.name, self.name_en, locale)


class RegionTree:
    """Every region by code, and each node's current children by level, then code (a city's
    districts before the 医保 nodes directly under it). Rows are (code, name, level, parent,
    valid_to[, name_en])."""

    def __init__(self, rows) -> None:
        self.nodes: dict[str, Node] = {}
        children: dict[Optional[str], list[Node]] = defaultdict(list)
        ranks = {level: rank for rank, level in enumerate(LEVELS)}
        for code, name, level, parent, valid_to, *english in rows:
            name_en = english[0] if english else None
            node = Node(code, name, level, parent, valid_to is None, ranks.get(level, -1), name_en)
            self.nodes[code] = node
            if node.current:
                children[parent].append(node)
        self._children = {parent: tuple(sorted(nodes, key=lambda n: (n.rank, n.code)))
                          for parent, nodes in children.items()}

    def get(self, code: Optional[str]) -> Optional[Node]:
        return self.nodes.get(code) if code else None

    def children(self, code: Optional[str], deepest: Optional[str] = None) -> tuple[Node, ...]:
        """Return the current regions under ``code`` (the provinces for None), down to the
        level ``deepest`` (a level's name; all levels when None)."""
        found = self._children.get(code or None, ())
        if code is None:
            found = tuple(n for n in found if n.level == "province")
        if deepest is None:
            return found
        limit = level_rank(deepest)
        return tuple(n for n in found if n.rank <= limit)

    def level_below(self, code: Optional[str]) -> Optional[str]:
        """Return the level of the shallowest current region directly under ``code`` (None when
        nothing is): a municipality's is "county", its districts hanging straight under it."""
        found = self._children.get(code) if code else None
        return found[0].level if found else None

    def chain(self, code: Optional[str]) -> list[Node]:
        """Return ``code``'s node and its ancestors, root first ([] when unknown)."""
        chain, node = [], self.get(code)
        while node is not None and len(chain) < MAX_DEPTH:
            chain.append(node)
            node = self.get(node.parent)
        return chain[::-1]

    def full_name(self, code: str, locale=None) -> str:
        """Return the names from the province down (河北省 唐山市 路北区), or the code; in
        English from the region up, as an address reads (Lubei District, Tangshan City, …)."""
        chain = self.chain(code)
        if not chain:
            return code
        if english(locale):
            return ", ".join(node.name_for("en") for node in reversed(chain))
        return " ".join(node.name for node in chain)


def _load() -> RegionTree:
    return RegionTree(db.session.execute(select(
        Region.code, Region.name, Region.level, Region.parent_code, Region.valid_to,
        Region.name_en)).all())


def region_tree() -> RegionTree:
    """Return the region tree of the current database generation (read once per generation)."""
    return cached(NAMESPACE, "all", _load)
