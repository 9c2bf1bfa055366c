"""What the counter pages (app.views.review.window) show besides the forms: each problem named
by its label (never a key), and which materials apply under the answers — decided by the
citizen wizard's own rules (app.views.citizen.wizard_confirm.requirements); an upload or pledge
for one that does not apply is refused (app.commands.applications.materials.ensure_applies)."""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.commands.applications.requirements import NOTICE_KEY
from app.engine.fields import EngineContext
from app.models.application import Application
from app.validators.masking import mask_id_number, mask_name
from app.views.citizen.wizard_confirm import requirements
from app.views.citizen.wizard_support import Wizard

MATERIALS_PREFIX = "materials."


def served(application: Application) -> dict[str, str]:
    """Return whom a counter application is for, masked as the queues show people (the name's
    first character, the ID number's first and last four), and when the clerk started it."""
    from app.views.review import local_time

    name = application.subject_name or getattr(application.applicant, "first_name", None)
    return {"name": mask_name(name) or "—",
            "id_number": mask_id_number(application.subject_id_number or "") or "—",
            "started": local_time(application.created_at)}


def material_requirements(application: Application) -> dict[str, str]:
    """Return each material's requirement (required, needed, not_needed, optional) as the
    citizen's wizard decides it for these answers."""
    return requirements(Wizard(application))


def problem_rows(application: Application, ctx: EngineContext,
                 errors: dict[str, list]) -> list[tuple[str, list, str]]:
    """Return ``(label, messages, link)`` per problem (``_`` left out: shown on its own); the
    link leads to the counter page where it is fixed, or is empty."""
    definition = application.version.definition or {}
    where = {f["key"]: (page, f) for page in definition.get("pages", ())
             for f in page.get("fields", ())}
    materials = {m["key"]: m for m in definition.get("materials", ())}
    rows = []
    for key, messages in errors.items():
        if key == "_":
            continue
        if key == NOTICE_KEY:
            label = ctx.text((definition.get("notice") or {}).get("title"))
            rows.append((label or str(_l("Notice")), messages, "#notice"))
        elif key.startswith(MATERIALS_PREFIX):
            material = materials.get(key[len(MATERIALS_PREFIX):], {})
            rows.append((ctx.text(material.get("label")) or str(_l("Materials")), messages,
                         f"#material-{material.get('key', '')}"))
        else:
            rows.append(_field_row(application, ctx, where, key, messages))
    return rows


def _field_row(application: Application, ctx: EngineContext, where: dict, key: str,
               messages: list) -> tuple[str, list, str]:
    top = key.split("[")[0].split(".")[0]
    page, field = where.get(top, (None, {}))
    label: Any = ctx.text(field.get("label")) or str(_l("Answers"))
    if "[" in key and field:  # users[0].name: the group, the row, the question in it
        row, _, nested = key[len(top):].partition("].")
        inner = next((f for f in field.get("fields", ()) if f["key"] == nested), {})
        label = f"{label} {int(row.strip('[') or 0) + 1}: {ctx.text(inner.get('label')) or ''}"
    link = url_for("WindowEntryView.page_form", pk=application.id, page=page["key"]) \
        + f"#{top}" if page else ""
    return str(label).strip(), messages, link
