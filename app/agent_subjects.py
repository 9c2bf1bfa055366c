"""How many different people one account may start agent (代办) drafts for.

A family files for its elderly, its children, a spouse: a few people. An account naming many
more is walking the registry (each subject's name is checked against their ID number) or
filing in people's names without them; ``AGENT_SUBJECT_RATE_LIMIT`` (default
:data:`DEFAULT_SUBJECTS`) bounds the distinct subjects per account in its window, counted in
the limiter's storage (app.agent_limit) when a draft is started for a subject or its subject
changes, on the web and through the API alike. Another draft for a person already counted in
the window is free. The counter's clerks (channel ``window``) are not counted.
"""
from __future__ import annotations

from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.agent_limit import account, blocking, digest, once_per, rates, refuse, strategy

DEFAULT_SUBJECTS = "5 per day"
SUBJECTS, NAMED = "agent-subjects", "agent-subject-named"


def too_many_subjects(wait: str) -> Any:
    return _l("This account has applied as an agent for as many different people as one "
              "account may in this period. You can apply for another person in %(wait)s; "
              "the person may also apply themselves, or at a service counter.", wait=wait)


def ensure_new_subject_allowed(user: Any, id_number: Optional[str],
                               item_code: Optional[str] = None) -> None:
    """Count ``id_number`` among the account's subjects in each window it is new to; refuse
    (429) one that would go past the limit, counting nothing."""
    counting = strategy()
    if counting is None or not id_number:
        return
    items = rates("AGENT_SUBJECT_RATE_LIMIT", DEFAULT_SUBJECTS)
    named = digest(id_number)
    new = [item for item in items
           if counting.test(once_per(item), NAMED, account(user), named)]
    wait, full = blocking(counting, new, SUBJECTS, account(user))
    if full:
        refuse(user, wait, too_many_subjects, "agent.subjects_limited", full, item_code)
    for item in new:
        counting.hit(once_per(item), NAMED, account(user), named)
        counting.hit(item, SUBJECTS, account(user))
