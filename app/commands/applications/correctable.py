"""What the applicant of a returned application may change: what the reviewer flagged, and
what those answers bring with them.

A return names questions and materials (``return_request``). Changing a flagged answer can make
other questions visible or required (HB-1: 是否特殊人员 = 是 asks 特殊人员类型, 不能到场原因 and
承诺书) and other materials required (特殊情况证明): those are correctable too, directly or
through one another, else the correction could never be completed. Read from the definition
(the conditions' references), not from the answers, so the set is the same on every page and
whatever the applicant chooses; a question the answers hide is not shown, so nothing more is
offered than the answers call for. A question that takes no input (registry, read-only,
computed) is never correctable.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from app.engine.answers import takes_no_input
from app.engine.cel import ExpressionError, compile_expression

CONDITIONS = ("visible_when", "required_when")


def flagged(application: Any, part: str) -> set[str]:
    """Return the top-level keys the reviewer flagged (``fields`` or ``materials``)."""
    request = application.return_request or {}
    return {str(k).split("[")[0].split(".")[0] for k in (request.get(part) or {})}


def _conditions(item: Mapping) -> Iterator[str]:
    """Yield the conditions of a question (its rows' questions too) or of a material."""
    for setting in CONDITIONS:
        if isinstance(item.get(setting), str):
            yield item[setting]
    for member in item.get("fields") or ():
        if isinstance(member, Mapping):
            yield from _conditions(member)


def reads(item: Mapping) -> set[str]:
    """Return the top-level names the conditions of ``item`` read."""
    names: set[str] = set()
    for source in _conditions(item):
        try:
            names |= compile_expression(source).references
        except ExpressionError:  # lint refuses it at publishing; nothing to follow here
            continue
    return names


def correctable(application: Any, definition: Mapping | None = None) -> dict[str, set[str]]:
    """Return ``{"fields", "materials"}``: the keys a correction of ``application`` may change
    (empty sets unless it is returned)."""
    if application.status != "returned":
        return {"fields": set(), "materials": set()}
    definition = definition if definition is not None else application.version.definition
    questions = [f for page in definition.get("pages", ()) for f in page.get("fields", ())]
    fields = flagged(application, "fields")
    growing = True
    while growing:  # until no question reads one that may change
        more = {f["key"] for f in questions
                if f["key"] not in fields and not takes_no_input(f) and reads(f) & fields}
        fields |= more
        growing = bool(more)
    materials = flagged(application, "materials") | {
        m["key"] for m in definition.get("materials", ()) if reads(m) & fields}
    return {"fields": fields, "materials": materials}
