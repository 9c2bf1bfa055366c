"""The materials of an application as the reviewers' detail page lists them."""
from __future__ import annotations

from typing import Any

from app.models.application import Application

INLINE_TYPES = {"image/png": "image", "image/jpeg": "image", "application/pdf": "pdf"}


def materials(application: Application, ctx, since, asked: set[str]) -> list[dict]:
    """Return each material with its files; ``applicable``: required of the applicant under
    their answers, or given anyway; else ``optional`` (never required: the applicant chose not
    to give it) or not needed under these answers (its ``required_when`` is false).

    A file uploaded after the last return (``since``) is ``new``; ``same`` when its content is
    byte for byte a file of the same material the reviewer had before that return (the
    "correction" is the file already seen)."""
    definition = application.version.definition
    files: dict[str, list] = {}
    earlier = {(a.material_key, a.sha256) for a in application.attachments
               if since is not None and a.uploaded_at <= since}
    for attachment in application.attachments:
        if attachment.removed_at is not None:
            continue
        new = since is not None and attachment.uploaded_at > since
        files.setdefault(attachment.material_key, []).append({
            "id": attachment.id, "name": attachment.original_name, "size": attachment.size,
            "kind": INLINE_TYPES.get(attachment.content_type, "other"), "new": new,
            "same": new and (attachment.material_key, attachment.sha256) in earlier,
        })
    pledges = (application.answers or {}).get("_pledges") or {}
    shown = [{"key": m["key"], "label": ctx.text(m.get("label")) or m["key"],
             "files": files.get(m["key"], []), "pledged": bool(pledges.get(m["key"])),
             # an optional material not given reads as such, though a return may ask for it
             "applicable": m["key"] in asked and bool(
                 m.get("required") or m.get("required_when") or files.get(m["key"])
                 or pledges.get(m["key"])),
             "optional": not m.get("required_when")}
            for m in definition.get("materials", ())]
    for m in shown:
        m["not_needed"] = not (m["files"] or m["pledged"] or m["applicable"] or m["optional"])
    return shown


def not_needed(shown: list[dict]) -> list[Any]:
    """Return the labels of the materials that do not apply under these answers: the page
    lists them on one line, not one row each."""
    return [m["label"] for m in shown if m["not_needed"]]
