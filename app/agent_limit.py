"""Limits on an agent (代办) filing for other people: what one account can learn of strangers'
registry records, and for how many people it files.

Filing for someone takes only their name and ID number. Their registry record then still
judges the agent's answers (app.engine.registry_refusals): each refusal says yes or no about
a stranger's record. So, per account, in the limiter's storage (Redis in production: across
workers), whichever way the answers come (the wizard, the applications API):

* every refused try counts once — one combination of the answers the check read, for one
  subject (the same answers sent again are no new try) — and the subject's name refused for
  their ID number counts too (app.commands.applications.create); past
  ``AGENT_REFUSAL_RATE_LIMIT`` an agent's answers and subjects are not judged at all (429)
  until the window passes;
* the distinct people an account starts agent drafts for: ``AGENT_SUBJECT_RATE_LIMIT``
  (app.agent_subjects).

The counter's clerks (窗口代录, channel ``window``) are staff who see the person and their
documents, under their own look-up limit (app.window_limit): none of this applies to them.
The first refusal of a window is recorded in the audit log (once per window and limit).
Outside a request, or with rate limiting off, nothing is counted.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterable
from typing import Any, Optional

from flask import current_app, has_request_context
from flask_babel import format_timedelta, lazy_gettext as _l
from limits import parse_many

from app.commands.applications.errors import NotAllowedError
from app.errors import note_retry_after

DEFAULT_REFUSALS = "10 per hour;20 per day"
REFUSALS, TRIED, NOTED = "agent-registry-refusal", "agent-registry-try", "agent-limit-noted"


def too_many_refusals(wait: str) -> Any:
    return _l("Too many answers given for the people you apply for did not match what the "
              "insured-person registry holds. To protect their records, answers for the "
              "people you apply for cannot be checked for %(wait)s. The person may apply "
              "themselves, or at a service counter.", wait=wait)


class AgentLimitError(NotAllowedError):
    """An agent's account is past one of its limits (429, with Retry-After)."""

    status_code = 429


def strategy() -> Any:
    """Return the limiter's counting strategy, or None where nothing is counted."""
    if not has_request_context():
        return None
    limiter = getattr(getattr(getattr(current_app, "appbuilder", None), "sm", None),
                      "limiter", None)
    if limiter is None or not limiter.enabled or not getattr(limiter, "initialized", False):
        return None
    return limiter.limiter


def account(user: Any) -> str:
    return f"user:{getattr(user, 'id', None)}"


def digest(*parts: Any) -> str:
    """Return a keyed hash of ``parts``: no ID number or answer is kept in the storage."""
    key = str(current_app.config.get("SECRET_KEY") or "").encode()
    text = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:32]


def rates(setting: str, default: str) -> list:
    return parse_many(current_app.config.get(setting) or default)


def blocking(counting: Any, items: Iterable, scope: str, *ids: str) -> tuple[int, list]:
    """Return the seconds until every limit of ``items`` takes one more hit (0: now) and the
    limits that do not now."""
    full = [item for item in items if not counting.test(item, scope, *ids)]
    waits = [counting.get_window_stats(item, scope, *ids).reset_time - time.time()
             for item in full]
    return (max(1, int(max(waits))) if waits else 0), full


def once_per(item: Any) -> Any:
    """Return a limit of one hit over ``item``'s window (what was seen in it, what was noted)."""
    return type(item)(1, item.multiples)


def refuse(user: Any, wait: int, message: Callable[[str], Any], action: str, items: list,
           item_code: Optional[str]) -> None:
    """Raise AgentLimitError with ``message`` saying when to try again; record the first
    refusal in the windows of the limits ``items`` reached in the audit log (``action``)."""
    from app.audit import record
    from app.extensions import db

    counting = strategy()
    if any([counting.hit(once_per(item), NOTED, action, account(user)) for item in items]):
        record(action, "user", getattr(user, "id", None), getattr(user, "region_code", None),
               **({"item": item_code} if item_code else {}))
        db.session.commit()  # the refused request itself is rolled back
    note_retry_after(wait)  # the 429's Retry-After, on the API and the pages alike
    raise AgentLimitError(message(format_timedelta(wait, threshold=1.5)))


def ensure_may_try(user: Any, item_code: Optional[str] = None) -> None:
    """Refuse (429) an agent whose account is past its registry refusal limit."""
    counting = strategy()
    if counting is None:
        return
    wait, full = blocking(counting, rates("AGENT_REFUSAL_RATE_LIMIT", DEFAULT_REFUSALS),
                          REFUSALS, account(user))
    if full:
        refuse(user, wait, too_many_refusals, "agent.refusals_limited", full, item_code)


def count_refusals(user: Any, subject: Optional[str], refusals: Iterable[tuple[str, Any]]
                   ) -> None:
    """Count each new refused try (a key and what its check read, for this subject)."""
    counting = strategy()
    if counting is None:
        return
    items = rates("AGENT_REFUSAL_RATE_LIMIT", DEFAULT_REFUSALS)
    for key, inputs in dict.fromkeys(refusals):
        tried = digest(subject, key, inputs)
        for item in items:
            if counting.hit(once_per(item), TRIED, account(user), tried):
                counting.hit(item, REFUSALS, account(user))
