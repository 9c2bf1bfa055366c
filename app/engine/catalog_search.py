"""Search the catalogue, one rule for 我要办 (app.views.citizen.catalog, ``?q=``) and the
catalogue API (``GET /api/v1/catalog/?region=R&q=…``): every word of the query, split on any
space (全角 too), must be found, case-folded, in the item's name, category or audience."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.fields import EngineContext

OTHER = _l("Other")
#: Characters of a query kept; the rest is dropped (a search box, not a document).
QUERY_MAX = 50


def search_query(raw: Optional[str]) -> str:
    """Return the query as searched: trimmed, at most ``QUERY_MAX`` characters."""
    return (raw or "").strip()[:QUERY_MAX]


def item_texts(definition: Mapping[str, Any], ctx: EngineContext) -> tuple[str, str, str]:
    """Return an item's (name, category, audience) in ctx's locale; no category is "Other"."""
    return (ctx.text(definition.get("name")) or "",
            ctx.text(definition.get("category")) or str(OTHER),
            ctx.text(definition.get("audience")) or "")


def matches(query: str, definition: Mapping[str, Any], ctx: EngineContext) -> bool:
    """Tell whether each word of ``query`` is in the item's name, category or audience."""
    texts = tuple(text.casefold() for text in item_texts(definition, ctx))
    return all(any(word in text for text in texts) for word in query.casefold().split())
