"""The dashboard's figures: the statement's rows read into totals, per item and per region."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select

from app.engine.fields import EngineContext
from app.extensions import db
from app.models.item import Item, ItemVersion
from app.models.region import Region
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
    names = item_names(items, locale)
    for code, row in items.items():
        row.label = names.get(code, code)
    return Figures(region=region, totals=totals,
                   by_item=sorted(items.values(), key=lambda r: (-r.applications, r.key)),
                   by_region=region_rows(region, children))


def item_names(codes, locale: str = "zh") -> dict[str, str]:
    """Return each item code's name in ``locale`` (from its newest published version)."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    context = EngineContext(locale=locale)
    names: dict[str, str] = {}
    query = (select(Item.code, Item.name_zh, ItemVersion.definition["name"])
             .outerjoin(ItemVersion, ItemVersion.item_id == Item.id)
             .where(Item.code.in_(codes)).order_by(Item.id, ItemVersion.number))
    for code, name_zh, name in db.session.execute(query):
        names[code] = context.text(name) or name_zh or code
    return names
