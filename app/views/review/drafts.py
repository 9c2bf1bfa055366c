"""What a decision or reveal form carries over its redirect (POST → 303 → GET, never a page
answering a POST that a reload would send again).

A form that came back with errors keeps what was typed and the messages in the session for
the next view of that application's page only. The session is a signed cookie: a draft whose
serialised form passes :data:`BUDGET` bytes (a browser drops a cookie over 4 KB) is not kept —
the view then answers the POST with the page itself (422), so nothing typed is ever lost.

A reveal keeps only *which* application's number was revealed (never the number): the next view
of that page shows it once, a reload shows it masked again and records nothing more.
"""
from __future__ import annotations

from typing import Any, Optional

from flask import current_app, session
from werkzeug.datastructures import MultiDict

DRAFT, REVEALED = "review_draft", "review_revealed"
BUDGET = 2400
NOT_KEPT = ("csrf_token", "version", "step", "confirmed")


def keep(pk: int, form_name: str, form: MultiDict, errors: dict) -> bool:
    """Keep the typed values and messages of ``form_name`` for ``pk``; False when too large."""
    posted = {key: values for key, values in form.lists()
              if key not in NOT_KEPT and any(value.strip() for value in values)}
    draft = {"id": pk, "form": form_name, "posted": posted,
             "errors": {key: [str(m) for m in messages] for key, messages in errors.items()}}
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    if serializer is None or len(serializer.dumps({**dict(session), DRAFT: draft})) > BUDGET:
        return False
    session[DRAFT] = draft
    return True


def take(pk: int) -> dict[str, Any]:
    """Return (and forget) the draft kept for ``pk``: ``errors``, ``posted``, ``open_form``."""
    draft = session.get(DRAFT)
    if not isinstance(draft, dict) or draft.get("id") != pk:
        return {}
    session.pop(DRAFT, None)
    return {"errors": draft.get("errors") or {}, "posted": MultiDict(
        [(k, v) for k, values in (draft.get("posted") or {}).items() for v in values]),
        "open_form": draft.get("form")}


def revealed(pk: int) -> None:
    """Note that ``pk``'s number was just revealed (and recorded) for the next view."""
    session[REVEALED] = pk


def take_revealed(pk: int) -> bool:
    """Tell (once) whether ``pk``'s number was just revealed."""
    if session.get(REVEALED) != pk:
        return False
    session.pop(REVEALED, None)
    return True

