"""What a submission needs besides valid answers: the notice acknowledged, the materials given."""
from __future__ import annotations

from collections import Counter
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.commands.applications.errors import ApplicationInvalidError, material_error_key
from app.engine import cel_failures
from app.engine.answers import validate_all
from app.engine.cel import Scope, bind_answers
from app.engine.fields import EngineContext, cel_kinds
from app.models.application import Application

NOTICE_KEY = "_notice"
UPLOAD = _l("Upload this material.")
UPLOAD_OR_PLEDGE = _l("Upload this material or sign the pledge instead.")
TOO_MANY = _l("Attach at most %(max)d files here.")
ACKNOWLEDGE = _l("Read the notice and confirm that you have read it.")
NOT_NEEDED = _l("This material does not apply under the answers given: nothing to provide.")
NOT_APPLICABLE = _l("%(material)s does not apply under the answers given: nothing to provide.")
#: Upload limits of a material that leaves them out of its definition.
MATERIAL_DEFAULTS = {"accept": ["jpg", "jpeg", "png", "pdf"], "max_size_mb": 10, "max_files": 5}


def material_settings(material: dict) -> dict:
    """Return a material's accept list, size (MB) and count limits, defaults filled in."""
    return {key: material.get(key) or default for key, default in MATERIAL_DEFAULTS.items()}


def active_attachments(application: Application) -> list:
    return [a for a in application.attachments if a.removed_at is None]


def condition_scope(definition: dict, answers: dict, variables: dict) -> Scope:
    """Return a CEL scope of the (clean) answers and the application's variables."""
    fields = [f for page in definition.get("pages", ()) for f in page.get("fields", ())]
    person = variables.get("person") or {}
    kinds = cel_kinds(fields)
    values = {**bind_answers(answers, kinds), "filer": variables.get("filer"),
              "person": person, "region": variables.get("region")}
    return Scope(values, today=variables.get("today"), kinds=kinds)


def material_required(material: dict, scope: Scope, definition: Optional[dict] = None) -> bool:
    """Tell whether a material is required now; a ``required_when`` that fails counts as
    app.engine.cel_failures says (a missing answer: not required; a type error: required)."""
    if material.get("required"):
        return True
    if not material.get("required_when"):
        return False
    return cel_failures.evaluate(definition, material["required_when"], scope,
                                 f"required_when of material {material.get('key')}", False)


def material_requirement(material: dict, scope: Scope) -> str:
    """Return what a material asks under the answers in ``scope``: required, needed,
    not_needed (its ``required_when`` is false: nothing to provide) or optional."""
    if material.get("required"):
        return "required"
    if material.get("required_when"):
        return "needed" if material_required(material, scope) else "not_needed"
    return "optional"


def material_requirements(definition: dict, answers: dict, ctx: EngineContext,
                          variables: dict) -> dict[str, str]:
    """Return each material's :func:`material_requirement` under the (raw) answers: the one
    rule of the wizard's materials page, the counter's and every upload."""
    clean = validate_all(definition, answers, ctx, variables).answers
    scope = condition_scope(definition, clean, variables)
    return {m["key"]: material_requirement(m, scope) for m in definition.get("materials", ())}


def refuse_inapplicable(definition: dict, answers: dict, ctx: EngineContext, variables: dict,
                        keys) -> None:
    """Refuse (422, each named by its label) an upload or pledge for any of the materials
    ``keys`` that the (raw) answers make unnecessary (无需提供, :func:`material_requirements`)."""
    needs = material_requirements(definition, answers, ctx, variables)
    refused = [m for m in definition.get("materials", ())
               if m["key"] in keys and needs.get(m["key"]) == "not_needed"]
    if refused:
        raise ApplicationInvalidError(
            {material_error_key(m["key"]): [NOT_NEEDED] for m in refused},
            NOT_APPLICABLE % {"material": str(_l(", ")).join(
                ctx.text(m.get("label")) or m["key"] for m in refused)})


def material_problems(application: Application, definition: dict, answers: dict,
                      variables: dict) -> dict[str, list]:
    """Return ``{"materials.<key>": [message]}`` for each material missing or over its limit."""
    scope = condition_scope(definition, answers, variables)
    counts = Counter(a.material_key for a in active_attachments(application))
    pledges = (application.answers or {}).get("_pledges") or {}
    problems: dict[str, list] = {}
    for material in definition.get("materials", ()):
        key = material["key"]
        pledged = bool(material.get("pledge")) and pledges.get(key) is True
        if counts[key] == 0 and not pledged and material_required(material, scope, definition):
            problems[material_error_key(key)] = [UPLOAD_OR_PLEDGE if material.get("pledge")
                                                 else UPLOAD]
        elif counts[key] > material_settings(material)["max_files"]:
            problems[material_error_key(key)] = [
                TOO_MANY % {"max": material_settings(material)["max_files"]}]
    return problems


def notice_problem(application: Application, definition: dict) -> dict[str, list]:
    notice = definition.get("notice") or {}
    if notice.get("acknowledge") and application.notice_acknowledged_at is None:
        return {NOTICE_KEY: [ACKNOWLEDGE]}
    return {}


def valid_pledges(application: Application, definition: dict) -> dict[str, Any]:
    """Return the pledges that count (materials allowing one), for the canonical answers."""
    allowed = {m["key"] for m in definition.get("materials", ()) if m.get("pledge")}
    pledges = (application.answers or {}).get("_pledges") or {}
    return {k: True for k, v in pledges.items() if k in allowed and v is True}
