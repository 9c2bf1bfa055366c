"""The person registry's facts an item's result document prints, kept when it is approved.

    keep_document_facts(application, scope)   # by workflow.close(…, "approved")

A ``result_document`` may print the subject as the registry names them (``{{registry.*}}``)
and, when it has ``enrollment`` — a CEL condition on ``e``, one of ``person.enrollments``,
that may also read the answers, ``filer``, ``person``, ``region`` and ``today`` — the newest
enrollment (by start date) meeting it (``{{enrollment.*}}``; app.engine.documents). They are
read once, from the same ``person`` the rules and ``auto`` read, on the day of approval, and
kept with the answers under the reserved key ``_registry`` (which no client can send: saving
ignores keys that are no question), so the document states what was certified whatever the
registry holds later, and the purge empties them with the answers. A subject the registry
does not know keeps nothing: those placeholders print nothing — which :func:`document_gaps`
tells beforehand, so that no rule issues such a document and the reviewer is warned.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Callable, Optional

from flask_babel import lazy_gettext as _l

from app.engine.cel import ExpressionError, Scope, compile_expression
from app.engine.cel_functions import as_date
from app.models.application import Application

FACTS = "_registry"
#: An enrollment's keys a document may print (dates kept as ``YYYY-MM-DD``).
KEPT = ("insutype", "status", "region", "psn_type", "employer_name", "start_date", "end_date")
_DATES = ("start_date", "end_date")
log = logging.getLogger(__name__)
#: Why the registry facts a document prints would be empty (document_gaps).
UNKNOWN_SUBJECT = _l("the person registry does not know the person the application is about")
NO_ENROLLMENT = _l("no enrollment of the person meets the document's enrollment condition")


def keep_document_facts(application: Application, scope: Scope) -> None:
    """Keep the registry facts of ``application``'s result document in its answers (none
    kept when the item issues no document or the registry does not know the subject)."""
    document = (application.version.definition or {}).get("result_document")
    answers = {k: v for k, v in (application.answers or {}).items() if k != FACTS}
    facts = registry_facts(document, scope) if isinstance(document, Mapping) else None
    if facts:
        answers[FACTS] = facts
    application.answers = answers  # a new dict: the JSON column sees the change


def registry_facts(document: Mapping, scope: Scope) -> Optional[dict[str, Any]]:
    """Return ``{name, id_number, enrollment?}`` from ``person`` in ``scope``, or None when
    ``person`` is not the registry's record (it then has no ``enrollments``)."""
    person = scope.values.get("person") or {}
    if not isinstance(person, Mapping) or person.get("enrollments") is None:
        return None
    facts: dict[str, Any] = {"name": person.get("name"), "id_number": person.get("id_number")}
    condition = document.get("enrollment")
    if isinstance(condition, str) and condition.strip():
        found = matching_enrollment(condition, person["enrollments"], scope)
        if found is not None:
            facts["enrollment"] = {key: (as_date(found[key]).isoformat()
                                         if key in _DATES and found.get(key) else found.get(key))
                                   for key in KEPT}
    return facts


def matching_enrollment(condition: str, enrollments: list, scope: Scope) -> Optional[Mapping]:
    """Return the newest enrollment (by start date, later in the list on a tie) for which
    ``condition`` holds with it as ``e``; one whose evaluation fails does not match."""
    try:
        program = compile_expression(condition)
    except ExpressionError as error:  # lint refuses it; an old version may still hold one
        log.warning("result_document enrollment %r does not compile: %s", condition, error)
        return None
    best = None
    for enrollment in enrollments:
        try:
            holds = program.evaluate_bool(Scope({**scope.values, "e": enrollment},
                                                today=scope.today, kinds=scope.kinds))
        except ExpressionError:
            continue
        if holds and (best is None or as_date(enrollment["start_date"])
                      >= as_date(best["start_date"])):
            best = enrollment
    return best


def document_gaps(application: Application, scope: Callable[[], Scope]) -> list:
    """Return why the ``registry.*``/``enrollment.*`` placeholders of ``application``'s
    document would print nothing if it were approved now (empty: they would not, or it prints
    none); ``scope`` gives its CEL scope, asked only for a document that prints them. An
    ``auto`` step does not approve such an application (app.workflow.chain) and the review
    page warns the reviewer."""
    from app.engine.documents import placeholders  # the engine reads definitions

    document = (application.version.definition or {}).get("result_document")
    if not isinstance(document, Mapping):
        return []
    names: set[str] = set()
    for part in ("title", "body"):
        value = document.get(part)
        for text in (value.values() if isinstance(value, Mapping) else [value]):
            if isinstance(text, str):
                names.update(placeholders(text)[0])
    wants_enrollment = any(name.startswith("enrollment.") for name in names)
    if not wants_enrollment and not any(name.startswith("registry.") for name in names):
        return []
    facts = registry_facts(document, scope())
    if facts is None:
        return [UNKNOWN_SUBJECT]
    return [NO_ENROLLMENT] if wants_enrollment and "enrollment" not in facts else []
