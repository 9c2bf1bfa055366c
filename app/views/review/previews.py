"""Which views of material files the audit log records (SECURITY_TESTS E5) without drowning it.

The detail page shows every image and PDF inline: a page of 48 scans used to record 48
``application.file_viewed`` events per visit. Now a page view records one
``application.files_shown`` event naming the files it previews, and remembers them in the
session for :data:`PREVIEW_MINUTES`; the page's ``<img>``/``<object>`` ask for them with
``?preview=1``, which records nothing more. A file opened or downloaded (its link, or any request
that is not such a preview of that page view) is recorded as ``application.file_viewed``.
"""
from __future__ import annotations

import time
from typing import Any

from flask import g, request, session

from app.audit import record
from app.extensions import db
from app.models.application import Application

PREVIEWS = "_review_previews"  # session: {application id: [recorded at, [file ids]]}
PREVIEW_MINUTES = 30
KEPT = 10  # applications remembered at once (the session is a cookie)
PREVIEWED_KINDS = ("image", "pdf")


def record_previews(application: Application, materials: list[dict]) -> None:
    """Record that a page view showed the previews of ``materials``' files (staff only)."""
    files = sorted(f["id"] for m in materials for f in m["files"]
                   if f["kind"] in PREVIEWED_KINDS)
    if not files or application.applicant_id == getattr(g.user, "id", None):
        return
    record("application.files_shown", "application", application.id, application.region_code,
           file_ids=files)
    db.session.commit()
    now = int(time.time())
    marks = {key: mark for key, mark in (session.get(PREVIEWS) or {}).items()
             if now - mark[0] < PREVIEW_MINUTES * 60 and key != str(application.id)}
    recent = sorted(marks.items(), key=lambda item: item[1][0])[-(KEPT - 1):]
    session[PREVIEWS] = {**dict(recent), str(application.id): [now, files]}


def is_recorded_preview(application_id: Any, file_id: int) -> bool:
    """Tell whether this request is a preview that a recorded page view already covers."""
    if request.args.get("preview") != "1":
        return False
    mark = (session.get(PREVIEWS) or {}).get(str(application_id))
    return bool(mark) and time.time() - mark[0] < PREVIEW_MINUTES * 60 and file_id in mark[1]
