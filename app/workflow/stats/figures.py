"""The dashboard's figures: the statement's rows read into totals, per item and per region."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select

from app.engine.fields import EngineContext
from app.extensions import db
from app.models.item import Item, ItemVersion
from app.models.region import Region
from app.workflow import deadlines
from app.workflow.stats.grouping import run
from app.workflow.stats.regions import region_rows
from app.workflow.stats.rows import ITSELF, Figures, Filters, Row


def dashboard(user: Any, filters: Filters, region: Optional[Region],
              locale: str = "zh") -> Figures:
    """Return the dashboard's figures for ``user`` looking at ``region`` (from viewing_region)."""
    totals, items, children = Row(ITSELF), {}, {}
    medians = {"all": {ITSELF: totals}, "item": items, "child": children}
    for kind, item, child, status, count, late, with_deadline, returns, median in run(
            user, filters, region):
        if kind == "counts":
            child = child or ITSELF
            for row in (totals, items.setdefault(item, Row(item)),
                        children.setdefault(child, Row(child))):
                row.add(status, int(count), int(late or 0), int(with_deadline or 0))
                row.returns += int(returns or 0)
        elif median is not None:
            key = item if kind == "item" else child if kind == "child" else ITSELF
            medians[kind][key or ITSELF].median_days = float(median)
    names = item_names(items, locale, region)
    for code, row in items.items():
        row.label = names.get(code, code)
    return Figures(region=region, totals=totals,
                   by_item=sorted(items.values(), key=lambda r: (-r.applications, r.key)),
                   by_region=region_rows(region, children, locale))


def _nearness(owner_path: str, region_path: Optional[str]) -> tuple[int, int]:
    """Rank an item's owner region for the region in view, best first: on the region's own path
    (nearest first: the variant in effect there), then below it (highest first), then elsewhere
    (the whole country: highest first)."""
    if region_path and region_path.startswith(owner_path):
        return 0, len(region_path) - len(owner_path)
    if region_path and owner_path.startswith(region_path):
        return 1, len(owner_path)
    return 2, len(owner_path)


def item_names(codes, locale: str = "zh", region: Optional[Region] = None) -> dict[str, str]:
    """Return each item code's name in ``locale`` as the region in view reads it.

    Items in different regions share codes (each province has its own 生育津贴申报): the name
    is the one of the item in effect in ``region`` (its own variant before its province's),
    else of the nearest item below it, from that item's newest version in effect (a later
    version waiting for its date does not rename it yet); None is the whole country.
    """
    codes = sorted(set(codes))
    if not codes:
        return {}
    context, today = EngineContext(locale=locale), deadlines.today()
    query = (select(Item.id, Item.code, Item.name_zh, Region.path, ItemVersion.definition["name"],
                    ItemVersion.effective_from)
             .join(Region, Region.code == Item.region_code)
             .outerjoin(ItemVersion, ItemVersion.item_id == Item.id)
             .where(Item.code.in_(codes)).order_by(Item.id, ItemVersion.number))
    best: dict[str, tuple] = {}  # code -> (rank, name)
    region_path = region.path if region is not None else None
    for item_id, code, name_zh, path, name, effective_from in db.session.execute(query):
        # in effect, else published for a later date, else never published (a draft)
        state = 2 if name is None else 0 if effective_from is None or effective_from <= today \
            else 1
        rank = (state, *_nearness(path or "", region_path), item_id)
        held = best.get(code)
        if held is None or rank < held[0] or (rank == held[0] and state == 0):
            best[code] = (rank, (context.text(name) if name else "") or name_zh)
    return {code: (found[1] or code) for code, found in best.items()}
