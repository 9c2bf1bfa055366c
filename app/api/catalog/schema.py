"""The catalogue's JSON shapes: an item definition rendered for API clients in one locale.

A definition is public data (nothing personal): labels, help, options (a dictionary field's
options resolved from the code table in effect for the region), CEL conditions (so a client can
show and hide questions as the web wizard does), materials, notice, filers, the relationship
codes an agent may state (where agents may file) and a JSON Schema of the answers built from each
field type's ``json_schema``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from marshmallow import Schema, fields

from app.commands.applications.create import agent_relationships
from app.commands.applications.requirements import material_settings
from app.engine.answers import takes_no_input
from app.engine.cel_json_schema import Readable, condition_schema
from app.engine.fields import EngineContext, get_type
from app.engine.fields.choice import code_labels, offered_codes
from app.models.item import ItemVersion

#: Answer keys that are not questions (app.commands.applications.save).
RESERVED_ANSWERS = {
    "_pledges": {"type": "object", "additionalProperties": {"type": "boolean"},
                 "description": "Materials answered by a signed pledge instead of files"},
    "_notice": {"type": "boolean", "const": True,
                "description": "The item's notice was read and acknowledged"},
}
#: What ``answers_schema`` says, for clients (also in the OpenAPI text of the catalogue).
ANSWERS_SCHEMA_TEXT = (
    "The answers a submission needs from the client. `required`: asked whatever else is "
    "answered (answers the server fills in, computed or prefilled, are not listed: one the "
    "registry cannot fill is named in the errors of PUT /applications/<id>/answers; `_notice` "
    "is listed when the item's notice must be acknowledged). An answer required only "
    "under a condition carries `x-required-when`: the CEL condition (its visible_when and "
    "required_when, as pages[].fields[] give them) under which the server requires it. Where "
    "that condition only compares other answers with fixed values it is also given as "
    "`if`/`then` in `allOf` (inside a repeat's `items` for a row's answers), so a validator "
    "checks it; the keys of those it cannot express (conditions reading the filer, the person, "
    "the region, numbers, dates or functions) are listed in `x-required-when-unexpressed` "
    "(`group[].key` for a repeat's row): evaluate the CEL, or read the `errors` of PUT "
    "/applications/<id>/answers, which the server computes exactly. An answer sent for a "
    "question that is hidden is ignored.")


def _is_text(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value) and set(value) <= {"zh", "en"}


def _localise(value: Any, ctx: EngineContext) -> Any:
    if _is_text(value):
        return ctx.text(value)
    if isinstance(value, Mapping):
        return {key: _localise(item, ctx) for key, item in value.items()}
    if isinstance(value, list):
        return [_localise(item, ctx) for item in value]
    return value


def render_field(field: Mapping, ctx: EngineContext) -> dict:
    """Return one field in the locale, with a dictionary field's options resolved."""
    rendered = {key: _localise(value, ctx) for key, value in field.items()
                if key not in ("fields", "locked")}
    if field.get("type") == "dictionary":  # the codes offered (``only``, no group headings)
        offered = offered_codes(field, ctx)
        rendered["options"] = [
            {"value": code, "label": label,
             **({"parent": offered[code].parent} if offered[code].parent else {})}
            for code, label in code_labels(field, ctx, offered).items()]
    if isinstance(field.get("fields"), list):
        rendered["fields"] = [render_field(child, ctx) for child in field["fields"]]
    return rendered


def required_when(field: Mapping) -> Optional[str]:
    """Return the CEL condition under which the engine requires ``field`` (its
    ``visible_when`` and ``required_when``), "" when always, None when never
    (app.engine.answers: a hidden field is never required)."""
    visible, when = field.get("visible_when"), field.get("required_when")
    visible = visible if isinstance(visible, str) and visible.strip() else None
    when = None if field.get("required") or not isinstance(when, str) or not when.strip() \
        else when
    if not field.get("required") and when is None:
        return None
    return " && ".join(f"({c})" for c in (visible, when) if c) if visible and when \
        else visible or when or ""


def _requirements(fields: list[tuple[int, Mapping]], schemas: dict, ctx: EngineContext,
                  required: list, conditional: list, unexpressed: list, prefix: str = "") -> None:
    """Announce what the engine requires of ``fields`` (one group: the pages, or a repeat's
    row), each with the index of its page: always (``required``), or under a condition
    (``x-required-when`` on the property, and an ``if``/``then`` in ``conditional`` where
    app.engine.cel_json_schema can say it, else the key in ``unexpressed``). What the server
    fills in (prefilled, computed, read-only, from the registry) is not asked of the client."""
    readable = {f["key"]: Readable(f, place, schemas[f["key"]]) for place, f in fields}
    for place, field in fields:
        key, schema = field["key"], schemas[field["key"]]
        if get_type(field["type"]).nested and isinstance(schema.get("items"), dict):
            _row_requirements(field, schema["items"], ctx, unexpressed, f"{prefix}{key}[].")
        condition = required_when(field)
        if condition is None or field.get("prefill") or takes_no_input(field):
            continue
        if not condition:
            required.append(key)
            continue
        schema["x-required-when"] = condition
        parts = [condition_schema(field.get(setting), place, readable, ctx)
                 for setting in ("visible_when", "required_when") if field.get(setting)
                 and (setting == "visible_when" or not field.get("required"))]
        if None in parts:
            unexpressed.append(prefix + key)
        else:
            conditional.append({"if": parts[0] if len(parts) == 1 else {"allOf": parts},
                                "then": {"required": [key]}})


def _row_requirements(field: Mapping, items: dict, ctx: EngineContext, unexpressed: list,
                      prefix: str) -> None:
    """Announce a repeat's row requirements inside its ``items`` (conditions that read only
    the row's own answers as ``if``/``then``; one reading outer answers in ``unexpressed``)."""
    rows = [(0, f) for f in field.get("fields", ()) if get_type(f["type"]).has_answer]
    properties = items.setdefault("properties", {})
    schemas = {f["key"]: properties.setdefault(f["key"], {}) for _place, f in rows}
    required, conditional = list(items.get("required") or ()), []
    _requirements(rows, schemas, ctx, required, conditional, unexpressed, prefix)
    items["required"] = list(dict.fromkeys(required))
    if conditional:
        items["allOf"] = [*items.get("allOf", ()), *conditional]


def answers_schema(definition: Mapping, ctx: EngineContext) -> dict:
    """Return the JSON Schema (draft 2020-12) of an application's complete answers: what a
    submission requires of the client, conditions included (:data:`ANSWERS_SCHEMA_TEXT`)."""
    fields = [(place, field) for place, page in enumerate(definition.get("pages", ()))
              for field in page.get("fields", ()) if get_type(field["type"]).has_answer]
    properties = {f["key"]: get_type(f["type"]).json_schema(f, ctx) for _place, f in fields}
    required, conditional, unexpressed = [], [], []
    _requirements(fields, properties, ctx, required, conditional, unexpressed)
    if (definition.get("notice") or {}).get("acknowledge"):
        required.append("_notice")  # refused at submission until acknowledged
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
              "description": ANSWERS_SCHEMA_TEXT,
              "properties": {**properties, **RESERVED_ANSWERS}, "required": required,
              "additionalProperties": False}
    if conditional:
        schema["allOf"] = conditional
    schema["x-required-when-unexpressed"] = unexpressed
    return schema


def render_material(material: Mapping, ctx: EngineContext) -> dict:
    rendered = {key: _localise(value, ctx) for key, value in material.items()
                if key not in ("locked", "hidden", "after")}
    return {**rendered, **material_settings(material), "pledge": _localise(
        material.get("pledge") or False, ctx)}


def agent_relationship_options(definition: Mapping, ctx: EngineContext) -> list[dict] | None:
    """Return the relationship codes an agent may state (``agent.relationship`` at creation),
    named in ctx's locale; None when the item does not let agents file."""
    if "agent" not in definition.get("filers", ["self"]):
        return None
    return [{"code": e.code, "name": ctx.text(e.label) or e.code}
            for e in agent_relationships(ctx.region)]


def item_summary(version: ItemVersion, ctx: EngineContext) -> dict:
    """Return what the catalogue list shows of one item."""
    definition = version.definition
    return {"code": definition.get("code") or version.item.code,
            "name": ctx.text(definition.get("name")),
            "audience": ctx.text(definition.get("audience")) or None,
            "filers": definition.get("filers", ["self"]),
            "time_limit_days": definition.get("time_limit_days"),
            "owner_region": version.region_code,
            "retires_on": version.item.retires_on.isoformat() if version.item.retires_on
            else None,
            "version": {"id": version.id, "number": version.number}}


def render_definition(version: ItemVersion, ctx: EngineContext) -> dict:
    """Return the whole definition of a published version in ctx's locale."""
    definition = version.definition
    notice = definition.get("notice")
    return {
        **item_summary(version, ctx),
        "category": ctx.text(definition.get("category")) or None,
        "notice": _localise(notice, ctx) if notice else None,
        "pages": [{"key": page["key"], "title": ctx.text(page.get("title")),
                   **({"help": ctx.text(page["help"])} if page.get("help") else {}),
                   "fields": [render_field(f, ctx) for f in page.get("fields", ())]}
                  for page in definition.get("pages", ())],
        "materials": [render_material(m, ctx) for m in definition.get("materials", ())],
        "steps": [{"key": s["key"], "name": ctx.text(s.get("name"))}
                  for s in definition.get("approval", ())],
        "agent_relationships": agent_relationship_options(definition, ctx),
        "answers_schema": answers_schema(definition, ctx),
    }


# --- OpenAPI descriptions of the responses ---------------------------------------------------

class VersionRefSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()


class CatalogItemSchema(Schema):
    code = fields.String()
    name = fields.String()
    audience = fields.String(allow_none=True)
    filers = fields.List(fields.String())
    time_limit_days = fields.Integer(allow_none=True)
    owner_region = fields.String()
    retires_on = fields.Date(allow_none=True, metadata={
        "description": "The first day the item is no longer offered (停止办理 scheduled by its "
                       "region): from then no application can be started; null: no end set"})
    version = fields.Nested(VersionRefSchema)


class CatalogCategorySchema(Schema):
    category = fields.String()
    items = fields.List(fields.Nested(CatalogItemSchema))


class CatalogListSchema(Schema):
    region = fields.String()
    region_name = fields.String(metadata={"description": "The region's name in the request "
                                                         "locale (Chinese when it has no English "
                                                         "name)"})
    categories = fields.List(fields.Nested(CatalogCategorySchema))


class AgentRelationshipSchema(Schema):
    code = fields.String(metadata={"description": "Give as agent.relationship when creating an "
                                                  "application with filer agent"})
    name = fields.String(metadata={"description": "The code's name in the request locale"})


class ItemDefinitionSchema(CatalogItemSchema):
    category = fields.String(allow_none=True)
    notice = fields.Dict(allow_none=True)
    pages = fields.List(fields.Dict())
    materials = fields.List(fields.Dict())
    steps = fields.List(fields.Dict())
    agent_relationships = fields.List(
        fields.Nested(AgentRelationshipSchema), allow_none=True,
        metadata={"description": "How an agent may be related to the person filed for (the "
                                 "relationship code table without 01 Self); null when filers "
                                 "does not include agent"})
    answers_schema = fields.Dict(metadata={"description": "A JSON Schema (draft 2020-12) of "
                                                          "the answers: " + ANSWERS_SCHEMA_TEXT})
