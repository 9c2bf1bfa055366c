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
does not know keeps nothing: those placeholders print nothing.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Optional

from app.engine.cel import ExpressionError, Scope, compile_expression
from app.engine.cel_functions import as_date
from app.models.application import Application

FACTS = "_registry"
#: An enrollment's keys a document may print (dates kept as ``YYYY-MM-DD``).
KEPT = ("insutype", "status", "region", "psn_type", "employer_name", "start_date", "end_date")
_DATES = ("start_date", "end_date")
log = logging.getLogger(__name__)


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
