"""What GET /api/v1/applications/<id>/form answers: the pinned definition, as the catalogue
renders it, plus what the application's wizard offers where a field's ``among`` decides it.

A field with ``among`` (CEL) allows only the values it gives for this application; a client
cannot evaluate it (it may read ``person``, the subject's registry record), so its
``answers_schema`` property carries them as ``enum``, as the wizard's page offers them now.
An agent filing for someone is not offered the values of an ``among`` built from the registry
(app.engine.answer_choices): the field keeps its own options (its ``among`` is left out of
``pages``) and its property says ``x-registry-checked``: the server still holds the answer to
the subject's record at every save and at submission, without naming what the record holds.
"""
from __future__ import annotations

from collections.abc import Mapping

from app.api.catalog.schema import render_definition
from app.commands.applications.context import agent_filing, variables
from app.engine.answer_choices import reads_registry, registry_keys
from app.engine.answers import page_states
from app.engine.fields import EngineContext
from app.models.application import Application


def _with_among(fields) -> list[Mapping]:
    found = []
    for field in fields:
        if isinstance(field.get("among"), str):
            found.append(field)
        if isinstance(field.get("fields"), list):
            found += _with_among(field["fields"])
    return found


def application_form(application: Application, ctx: EngineContext) -> dict:
    """Return the application's definition for its client (module docstring)."""
    rendered = render_definition(application.version, ctx)
    definition = application.version.definition
    among = _with_among(f for page in definition.get("pages", ()) for f in page.get("fields", ()))
    if not among:
        return rendered
    withheld = set()
    if agent_filing(application):
        registry = registry_keys(definition)
        withheld = {f["key"] for f in among if reads_registry(f, registry)}
    states = page_states(definition, application.answers or {}, ctx, variables(application))
    offered = {key: values for state in states.values() for key, values in state.choices.items()}
    properties = rendered["answers_schema"]["properties"]
    for key in withheld:
        if key in properties:
            properties[key]["x-registry-checked"] = True
    for key, values in offered.items():
        if key in properties:
            properties[key]["enum"] = list(values)
    _drop_among(rendered["pages"], withheld)
    return rendered


def _drop_among(pages: list[dict], keys: set[str]) -> None:
    """Take ``among`` out of the rendered fields an agent is not offered it for."""
    def fields(items):
        for item in items:
            yield item
            yield from fields(item.get("fields") or ())

    for field in fields(f for page in pages for f in page["fields"]):
        if field.get("key") in keys:
            field.pop("among", None)
