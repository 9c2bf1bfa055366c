"""What a returned application's applicant was asked to correct and has left as it was.

A return names questions and materials (``return_request``) and keeps the answers as they were
(``answers_at_return``). A question is unchanged while its answer equals the kept one; a material
while its pledge (承诺) is as it was and no file of it was added or removed since the return, or
its files are byte for byte those it had then (a file replaced by a copy of itself).
Only a warning: the applicant may find it was right after all and send it again as it is. The
web confirmation page, the submit API (its ``warnings``) and the reviewer's detail page (what
was resubmitted unchanged) all read it from here, so the three say the same.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.applications.save import PLEDGES, flagged
from app.audit import application_events
from app.extensions import db
from app.models.audit import AuditEvent

UNCHANGED_FIELD = _l("You have not changed the returned question “%(name)s”.")
UNCHANGED_MATERIAL = _l("You have not changed the returned material “%(name)s”.")
MATERIAL_EVENTS = ("application.return", "application.material_added",
                   "application.material_removed")


class Unchanged(NamedTuple):
    """A returned question (``kind`` field, on page ``page_key``) or material left as it was."""

    kind: str
    key: str
    label: str
    page_key: Optional[str] = None

    @property
    def message(self) -> str:
        """The applicant's warning, in the request's language."""
        words = UNCHANGED_FIELD if self.kind == "field" else UNCHANGED_MATERIAL
        return str(words % {"name": self.label})

    @property
    def error_key(self) -> str:
        """Its key as the applications API names problems: the field's, or materials.<key>."""
        return self.key if self.kind == "field" else f"materials.{self.key}"


def _since_return(application) -> tuple[set[str], set[int], set[int]]:
    """Return the materials whose files were added or removed since the last return, and the
    ids of the files added and removed since then."""
    touched: set[str] = set()
    added: set[int] = set()
    removed: set[int] = set()
    for action, detail in db.session.execute(select(AuditEvent.action, AuditEvent.detail).where(
            *application_events(application.id), AuditEvent.action.in_(MATERIAL_EVENTS))
            .order_by(AuditEvent.id)):
        detail = detail or {}
        if action == "application.return":
            touched, added, removed = set(), set(), set()
            continue
        touched.add(detail.get("material"))
        (added if action == "application.material_added" else removed).add(detail.get("file_id"))
    return touched, added, removed


def materials_touched(application) -> set[str]:
    """Return the materials whose files were added or removed since the last return, but not
    those whose files are byte for byte (sha256) what they were then."""
    touched, added, removed = _since_return(application)
    then: dict[str, set] = {}
    now: dict[str, set] = {}
    for a in application.attachments:
        if a.id not in added and (a.removed_at is None or a.id in removed):  # at the return
            then.setdefault(a.material_key, set()).add(a.sha256)
        if a.removed_at is None:
            now.setdefault(a.material_key, set()).add(a.sha256)
    return {key for key in touched if then.get(key) != now.get(key)}


def unchanged(application, definition: dict, ctx: Any) -> list[Unchanged]:
    """Return the questions and materials the last return asked for that are as they were then,
    in the form's order; none when the application was never returned (or no longer says what
    its last return asked, as a first review after withdrawal does not)."""
    before = application.answers_at_return
    if before is None or not application.return_request:
        return []
    after, result = application.answers or {}, []
    fields = flagged(application, "fields")
    for page in definition.get("pages", ()):
        for field in page.get("fields", ()):
            if field["key"] in fields and before.get(field["key"]) == after.get(field["key"]):
                result.append(Unchanged("field", field["key"],
                                        ctx.text(field.get("label")) or field["key"],
                                        page.get("key")))
    materials = flagged(application, "materials")
    if not materials:
        return result
    touched = materials_touched(application)
    pledged_before, pledged = before.get(PLEDGES) or {}, after.get(PLEDGES) or {}
    for material in definition.get("materials", ()):
        key = material["key"]
        if key in materials and key not in touched and \
                bool(pledged_before.get(key)) == bool(pledged.get(key)):
            result.append(Unchanged("material", key, ctx.text(material.get("label")) or key))
    return result


def warnings(application, definition: dict, ctx: Any) -> list[dict]:
    """Return the submit API's warnings: ``{key, message}`` per item left as returned."""
    return [{"key": item.error_key, "message": item.message}
            for item in unchanged(application, definition, ctx)]
