"""An item's own words on its applications: ``outcomes`` (its name for a status) and ``summary``
(the questions its list rows show), as docs/engine.md describes them.

    status_text(application, STATUS_WORDS)   # "备案成功" where the item names it, else the word
    summary_rows(definition, answers, ctx)    # [Row(key, label, value)]: 跨省就医地 北京市 …

The status code never changes: only the words shown for it. Summary values read as the detail
pages show them (app.views.citizen.answer_display): code tables and regions by name, dates in
the request's language, personal identifiers masked (ID numbers, mobiles, bank accounts, a
document number prefilled from the person or ``masked: true``: a list always masks them,
app.engine.masked). ``answers`` must be the visible
ones: a submitted application stores only those; an editable one goes through
:func:`visible_answers` first.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Optional

from app.engine.fields import EngineContext, get_type
from app.views.citizen.answer_display import Row, show_value


def status_name(definition: Optional[Mapping], status: str,
                ctx: Optional[EngineContext] = None) -> Optional[str]:
    """Return the item's own name for ``status`` in the request's language, or None."""
    named = ((definition or {}).get("outcomes") or {}).get(status)
    if not named:
        return None
    if ctx is None:
        from app import local_text

        return local_text(named)
    return ctx.text(named)


def status_text(application: Any, words: Mapping, ctx: Optional[EngineContext] = None) -> str:
    """Return the words for an application's status: the item's own, else ``words[status]``."""
    version = getattr(application, "version", None)
    named = status_name(version.definition if version is not None else None,
                        application.status, ctx)
    if named:
        return named
    if application.status == "refused":  # 不予受理 at the acceptance, 不予批准 later
        from app.views.review.refusal import refused_status

        return refused_status(application)
    return str(words.get(application.status, application.status))


def summary_rows(definition: Mapping, answers: Mapping, ctx: EngineContext) -> list[Row]:
    """Return the item's summary questions that have an answer, as one short value each."""
    keys = definition.get("summary") or ()
    if not keys:
        return []
    fields = {f.get("key"): f for page in definition.get("pages", ())
              for f in page.get("fields", ())}
    return summary_values([fields[key] for key in keys if key in fields], answers, ctx)


def summary_values(fields: Iterable[Mapping], answers: Optional[Mapping],
                   ctx: EngineContext) -> list[Row]:
    """Return the answers of ``fields`` (the summary's questions) that have one, as text."""
    rows = []
    for field in fields:
        value = (answers or {}).get(field["key"])
        if value in (None, "", []) or not get_type(field["type"]).has_answer:
            continue
        shown = show_value(field, value, ctx, mask=True)
        if shown:
            rows.append(Row(field["key"], ctx.text(field.get("label")) or field["key"], shown))
    return rows


def visible_answers(application: Any) -> dict:
    """Return the answers a submission of ``application`` would keep (visible questions only)."""
    from app.engine.answers import validate_all
    from app.views.citizen.wizard_support import Wizard

    if application.status not in ("draft", "returned"):
        return application.answers or {}
    wizard = Wizard(application)
    return validate_all(wizard.definition, application.answers or {}, wizard.ctx,
                        wizard.variables).answers
