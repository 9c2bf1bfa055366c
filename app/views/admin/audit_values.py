"""An audit event's details in words: each key by its label, each value readable.

History details are written by the commands as codes, keys, booleans, lists and ``{"from",
"to"}`` pairs (what an account or code change changed, :mod:`app.audit_changes`). Here a
region code reads as its name with the code, a role, status or decision by its label, a
boolean as 是/否, an empty value as "—", a change as "old → new". A key no one labelled is
shown as written; every text still passes the identifier mask (``redact``) afterwards.
"""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from app.models.region import with_code
from app.region_tree import region_tree
from app.roles import ROLE_NAMES
from app.views.review import DECISION_LABELS, STATUS_LABELS
from app.views.review.queue import TITLES as QUEUE_TITLES
from app.views.review.reveal_words import KIND_LABELS

EMPTY = "—"

DETAIL_LABELS = {
    "account": _l("Account"), "account_years": _l("Account retention (years)"),
    "active": _l("Active"), "agent": _l("Agent"), "applications": _l("Applications"),
    "approved": _l("Approved"), "by": _l("By"), "cause": _l("Cause"), "channel": _l("Channel"),
    "code": _l("Code"), "comment": _l("Comment"), "copied_from": _l("Copied from"),
    "current_step": _l("Current step"), "description": _l("Description"),
    "group": _l("Group"), "label": _l("Label"), "members": _l("Members"),
    "permissions": _l("Permissions"), "role": _l("Role"),
    "days": _l("Days"), "decision": _l("Decision"),
    "default_years": _l("Default retention (years)"),
    "derives": _l("Derived from"), "derives_version": _l("Parent version"),
    "dictionary": _l("Code table"), "draft_days": _l("Draft retention (days)"),
    "drafts": _l("Drafts"), "effective_from": _l("In effect from"),
    "retires_on": _l("Out of service from"), "failed": _l("Failed"),
    "file_id": _l("File"), "files": _l("Files"),
    "file_ids": _l("Files"),
    "filer": _l("Who applies"), "full_name": _l("Full name"),
    "handled_by": _l("Handling region"),
    "id_number": _l("ID number"), "identity_checked": _l("Identity card checked"),
    "item": _l("Service item"), "kind": _l("Kind"), "lint_hash": _l("Checked definition"),
    "kinds": _l("Numbers revealed"),
    "material": _l("Material"), "method": _l("Method"), "mobile": _l("Mobile"),
    "must_change_password": _l("Owner must choose a new password"),
    "name": _l("Name"), "name_en": _l("Name (English)"), "name_zh": _l("Name (Chinese)"),
    "notifications": _l("Notifications"), "parent_code": _l("Parent code"),
    "placeholder": _l("Placeholder account"), "previous": _l("Status before"),
    "reason": _l("Reason"), "redacted": _l("Removed personal data"),
    "refused": _l("Entry refused"),  # window.lookup: the clerk's entry was not made
    "result": _l("Result"),
    "region": _l("Region"), "registry": _l("Insured persons registry"),
    "result": _l("Result"),
    "reviewer_region": _l("Reviewer's region"), "revision": _l("Revision"),
    "roles": _l("Roles"), "round": _l("Round"), "rule": _l("Rule"), "sha256": _l("SHA-256"),
    "size": _l("Size (bytes)"), "sort": _l("Order"), "status": _l("Status"),
    "step": _l("Step"), "subject": _l("Subject (person)"),
    "subject_verified": _l("Subject's identity verified"),
    "supersedes": _l("Supersedes versions"), "today": _l("As of"),
    "version": _l("Version"), "via": _l("Via"), "withdrawn": _l("Withdrawn"),
    "years": _l("Retention (years)"),
    # queue.exported (app.views.review.queue_export)
    "queue": _l("Queue"), "filters": _l("Filters"), "search": _l("Search"),
    "submitted_from": _l("Submitted from"), "submitted_to": _l("Submitted until"),
    "capped": _l("Cut at the row limit"),
}
#: A decision in the log: a refusal reads as the refused status in general (不予办理); where
#: in the chain it was made (不予受理 at the acceptance, 不予批准 later) is the timeline's.
DECISION_WORDS = {**DECISION_LABELS, "refuse": STATUS_LABELS["refused"]}
#: Values that are codes of a small vocabulary, by key.
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "status": STATUS_LABELS, "previous": STATUS_LABELS, "decision": DECISION_WORDS,
    "kind": {"holiday": _l("Holiday"), "workday": _l("Make-up working day")},
    "kinds": KIND_LABELS,  # identity.reveal: what one reveal showed
    "via": {"cli": _l("command line"), "sms": _l("SMS code"), "window": _l("at the window"),
            "cron": _l("scheduled run"), "web": _l("web page")},
    "by": {"rule": _l("rule")},
    "filer": {"self": _l("the person themselves"), "agent": _l("an agent")},
    "registry": {"found": _l("found"), "not_found": _l("not found"),
                 "name_differs": _l("found, the name differs")},
    "account": {"existing": _l("existing account"), "placeholder": _l("new placeholder"),
                "none": _l("no account"), "name_differs": _l("found, the name differs")},
    "result": {"match": _l("name and number match"),
               "no_match": _l("no registration matches the name"),
               "invalid": _l("invalid input")},
    "channel": {"web": _l("web page"), "api": _l("mini-program / APP"),
                "window": _l("at the window")},
    "queue": QUEUE_TITLES,
}
REGION_KEYS = {"region", "handled_by", "reviewer_region"}


def label(key: Any) -> str:
    """Return a detail key's label in the page's language (the key itself when unknown)."""
    return str(DETAIL_LABELS.get(key, key))


def _region(code: str) -> str:
    node = region_tree().get(code)
    return with_code(node.name_for(), code) if node is not None else code


def _formatter(key: Any) -> Callable[[Any], str] | None:
    if key in REGION_KEYS:
        return lambda value: _region(str(value))
    if key in ("roles", "role", "copied_from"):
        return lambda value: str(ROLE_NAMES.get(value, value))
    if key in VALUE_LABELS:
        return lambda value: str(VALUE_LABELS[key].get(value, value))
    if key == "redacted":
        return label
    return None


def value_text(key: Any, value: Any) -> str:
    """Return one detail value in words (not yet masked)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return f"{value_text(key, value['from'])} → {value_text(key, value['to'])}"
    if isinstance(value, dict):
        return str(_l("; ")).join(f"{label(k)}: {value_text(k, v)}"
                                  for k, v in sorted(value.items(), key=lambda p: str(p[0])))
    if isinstance(value, (list, tuple)):
        return str(_l(", ")).join(value_text(key, item) for item in value)
    formatter = _formatter(key)
    if formatter is not None and isinstance(value, str):
        return formatter(value)
    return str(value)
