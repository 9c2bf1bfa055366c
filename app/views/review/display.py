"""How an application's answers read on the reviewers' pages: the pinned version's labels.

Labels, option texts and code-table names come from the definition the application is pinned
to (``application.version.definition``), never from a later version (SECURITY_TESTS E6).
Identifiers are masked on the server: ``id_card``, ``mobile`` and ``bank_account`` answers,
and every long number inside free text (F1). A repeat group becomes a :class:`Table`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.commands.applications.create import RELATIONSHIPS
from app.commands.notifications import redact
from app.engine.fields import EngineContext, get_type
from app.engine.fields.choice import YES_NO
from app.engine.fields.special import drawn_image
from app.models.region import with_code
from app.region_tree import region_tree
from app.validators import mask_id_number, mask_name
from app.validators.masking import mask_answer

EMPTY = "—"
DRAWN = _l("(drawn signature)")
LIST_SEPARATOR = _l(", ")  # 、 in Chinese
AGENT_SECTION = "_agent"  # not a page key: page keys never start with "_"


@dataclass
class Table:
    """A repeat group's answer: column labels and one list of cell texts per row."""

    headers: list[str]
    rows: list[list[str]]


@dataclass
class Row:
    key: str
    label: str
    value: Any  # str or Table


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row] = dataclass_field(default_factory=list)


def answer_fields(definition: Mapping) -> list[tuple[dict, dict]]:
    """Return ``(page, field)`` for every top-level field that takes an answer, in order."""
    return [(page, f) for page in definition.get("pages", ()) for f in page.get("fields", ())
            if get_type(f["type"]).has_answer]


def _region_names(codes: set[str], locale: str) -> dict[str, str]:
    if not codes:
        return {}
    tree = region_tree()
    return {code: tree.nodes[code].name_for(locale) for code in codes if code in tree.nodes}


def _regions_in(definition: Mapping, answers_list: list[Mapping]) -> set[str]:
    """Return the region codes answered anywhere (repeat rows included)."""
    codes: set[str] = set()

    def walk(fields, answers):
        for f in fields:
            value = answers.get(f["key"]) if isinstance(answers, Mapping) else None
            if f["type"] == "region" and isinstance(value, str):
                codes.add(value)
            elif f["type"] == "repeat" and isinstance(value, list):
                for row in value:
                    walk(f.get("fields", ()), row)
    for answers in answers_list:
        walk([f for _page, f in answer_fields(definition)], answers or {})
    return codes


class Formatter:
    """Turn one answer into display text (or a Table) in ``ctx``'s language."""

    def __init__(self, definition: Mapping, ctx: EngineContext, *answers: Optional[Mapping],
                 reveal: bool = False):
        self.ctx, self.reveal = ctx, reveal  # reveal: identifiers in full (a recorded reveal)
        self.regions = _region_names(_regions_in(definition, [a or {} for a in answers]),
                                     ctx.locale)

    def __call__(self, field: Mapping, value: Any) -> Any:
        kind = field["type"]
        if value is None or value == "" or value == []:
            return EMPTY
        masked = mask_answer(kind, value)
        if masked is not None:
            return (str(value) if self.reveal else masked) or EMPTY
        if (table := get_type(kind).table) is not None:  # app.engine.fields.person
            return Table(*table(value, field, self.ctx))
        if kind == "repeat":
            nested = [f for f in field.get("fields", ()) if get_type(f["type"]).has_answer]
            rows = value if isinstance(value, list) else []
            return Table([self.ctx.text(f.get("label")) or f["key"] for f in nested],
                         [[self._cell(f, row) for f in nested] for row in rows
                          if isinstance(row, Mapping)])
        return self._text(field, value)

    def _cell(self, field: Mapping, row: Mapping) -> str:
        shown = self(field, row.get(field["key"]))
        return shown if isinstance(shown, str) else EMPTY

    def _option(self, field: Mapping, value: Any) -> str:
        for option in field.get("options", ()):
            if option.get("value") == value:
                return self.ctx.text(option.get("label")) or str(value)
        return str(value)

    def _text(self, field: Mapping, value: Any) -> str:
        kind, ctx = field["type"], self.ctx
        if kind in ("select", "radio"):
            return self._option(field, value)
        if kind == "checkboxes" and isinstance(value, list):
            return str(LIST_SEPARATOR).join(self._option(field, v) for v in value) or EMPTY
        if kind in ("yesno", "acknowledge"):
            return ctx.text(dict(YES_NO)["1" if value in (True, "1", 1) else "0"])
        if kind == "dictionary":
            entry = (ctx.entries(field.get("dictionary", "")) or {}).get(str(value))
            # the name only: a reviewer reads 女（性）, not the code 2 (regions keep theirs)
            return (ctx.text(entry.label) or str(value)) if entry is not None else str(value)
        if kind == "region":
            name = self.regions.get(str(value))
            return with_code(name, str(value), ctx.locale) if name else str(value)
        if kind == "daterange" and isinstance(value, Mapping):
            return f"{value.get('start') or ''} – {value.get('end') or ''}"
        if kind == "signature" and isinstance(value, Mapping):
            if value.get("kind") == "drawn":  # the drawing itself, inline (a data URL)
                return drawn_image(value.get("value"), str(DRAWN)) or str(DRAWN)
            return redact(value.get("value") or "")
        if isinstance(value, (dict, list)):
            return redact(str(value))
        return redact(value)  # free text: never a full ID or account number (F1)


def agent_section(application, ctx: EngineContext) -> Optional[Section]:
    """Return who filed as an agent (代办人), their ID number (masked, as every identifier staff
    read), how related and their address; None for self."""
    if application.filer != "agent":
        return None
    entry = (ctx.entries(RELATIONSHIPS) or {}).get(application.agent_relationship or "")
    relationship = ctx.text(entry.label) if entry is not None else application.agent_relationship
    return Section(AGENT_SECTION, str(_l("Filed by an agent")), [
        Row("agent_name", str(_l("Agent")),
            mask_name(getattr(application.applicant, "first_name", None)) or EMPTY),
        Row("agent_id_number", str(_l("Agent's ID number")),
            mask_id_number(getattr(application.applicant, "id_number", None) or "") or EMPTY),
        Row("agent_relationship", str(_l("Agent's relationship to the applicant")),
            relationship or EMPTY),
        Row("agent_address", str(_l("Agent's address")),
            redact(application.agent_address or "") or EMPTY)])


def answer_sections(application, ctx: EngineContext, reveal: bool = False) -> list[Section]:
    """Return the answers grouped by page, labelled by the pinned version (the agent first);
    ``reveal``: identifier answers in full."""
    definition = application.version.definition or {}
    answers = application.answers or {}
    show = Formatter(definition, ctx, answers, reveal=reveal)
    agent = agent_section(application, ctx)
    sections: dict[str, Section] = {agent.key: agent} if agent is not None else {}
    for page, f in answer_fields(definition):
        if f["key"] not in answers:
            continue  # hidden by a condition, or never answered
        section = sections.setdefault(page["key"], Section(
            page["key"], ctx.text(page.get("title")) or page["key"]))
        section.rows.append(Row(f["key"], ctx.text(f.get("label")) or f["key"],
                                show(f, answers[f["key"]])))
    return list(sections.values())


def field_labels(definition: Mapping, ctx: EngineContext,
                 answered: Mapping | None = None, only: set[str] | None = None) -> dict[str, str]:
    """Return ``{key: label}`` of the answer-taking top-level fields (of those in ``only``, when
    given). Two fields sharing a label (证件号码) are told apart by their page's title, else —
    given ``answered`` — by marking the ones without an answer (a condition hid them), and by
    key only as the last resort."""
    pairs = [(page, f) for page, f in answer_fields(definition) if only is None or f["key"] in only]
    plain = [ctx.text(f.get("label")) or f["key"] for _p, f in pairs]
    same_page = [(label, page["key"]) for (page, _f), label in zip(pairs, plain)]
    labels = {}
    for (page, f), label in zip(pairs, plain):
        if plain.count(label) > 1:
            if same_page.count((label, page["key"])) == 1:
                label = f"{label} · {ctx.text(page.get('title')) or page['key']}"
            elif answered is not None and f["key"] not in answered:
                label = f"{label} · {_l('not answered')}"
            elif answered is None:
                label = f"{label} ({f['key']})"
        labels[f["key"]] = label
    return labels


def material_labels(definition: Mapping, ctx: EngineContext) -> dict[str, str]:
    return {m["key"]: ctx.text(m.get("label")) or m["key"]
            for m in definition.get("materials", ()) if m.get("key")}


def answer_diff(application, ctx: EngineContext,
                reveal: bool = False) -> list[tuple[str, Any, Any]]:
    """Return ``(label, before, after)`` for each answer changed since the last return."""
    before = application.answers_at_return
    if before is None:
        return []
    after = application.answers or {}
    definition = application.version.definition or {}
    show = Formatter(definition, ctx, before, after, reveal=reveal)
    labels = field_labels(definition, ctx, after)
    rows = []
    for _page, f in answer_fields(definition):
        key = f["key"]
        if before.get(key) != after.get(key):
            rows.append((labels.get(key, key), show(f, before.get(key)), show(f, after.get(key))))
    return rows
