"""The ``rules`` of a group of fields (a page, or a row), for app.engine.answers: step 4.

A rule runs on a field with a valid answer, seeing the group's answers and earlier pages'; its
message (the definition's, else RULE_FAILED) goes on the field. A rule on a repeating group (``users.all(u, u.id_card != person.id_number)``) judges the whole
list, so its message names no row by itself. The rows it is about are those without which it
holds: the account holder's own row, or each of two rows naming the same person. The message
then starts with them ("第2项：…", the place in what was sent, as a row's own errors count).
A rule that no single row's removal satisfies (too few rows) names none.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask_babel import get_locale, lazy_gettext as _l

from app.engine import cel_failures
from app.engine.cel import ExpressionError, Scope, compile_expression
from app.engine.fields import get_type
from app.engine.registry_refusals import check_inputs, reads_record
from app.validators import message_text

RULE_FAILED = _l("This answer is not accepted.")


def run_rules(run: Any, fields: list, clean: dict, outer: Mapping, kinds: Mapping,
              prefix: str, errors: dict) -> None:
    """Add the message of each failed rule of ``fields`` to ``errors`` (``run``: the
    validation pass of app.engine.answers, with its scope, context and rows' places)."""
    checked = [f for f in fields if f.get("rules") and f["key"] in clean
               and prefix + f["key"] not in errors]
    if not checked:
        return
    scope = run.scope({**outer, **clean}, kinds)
    for field in checked:
        for rule in field["rules"]:
            if not cel_failures.rule_holds(run.definition, rule["check"], scope, field["key"]):
                if run.agent and reads_record(rule["check"], run.registry):
                    run.refusals.append((prefix + field["key"], check_inputs(
                        rule["check"], {**outer, **clean}, field["key"])))
                message = run.ctx.text(rule.get("message")) or message_text(RULE_FAILED)
                if get_type(field["type"]).nested:  # a rule across rows: name them
                    message = with_rows(message, blamed_rows(
                        rule["check"], field["key"], {**outer, **clean},
                        lambda values: run.scope(values, kinds),
                        run.places.get(prefix + field["key"], ())))
                errors.setdefault(prefix + field["key"], []).append(message)


def blamed_rows(check: str, key: str, values: Mapping, scope: Callable[[Mapping], Scope],
                places: Sequence[int]) -> list[int]:
    """Return the places of the rows of ``values[key]`` without which the rule ``check`` holds."""
    rows = values.get(key)
    if not isinstance(rows, list) or len(rows) != len(places):
        return []
    expression, found = compile_expression(check), []
    for index, place in enumerate(places):
        try:
            if expression.evaluate_bool(scope({**values, key: rows[:index] + rows[index + 1:]})):
                found.append(place)
        except ExpressionError:
            continue  # without this row it cannot be decided: not named
    return found if len(found) < len(rows) or len(rows) == 1 else []


def with_rows(message: str, places: Sequence[int]) -> str:
    """Return ``message`` led by the rows it is about (1-based, as the form numbers them)."""
    if not places:
        return message
    separator = "、" if str(get_locale() or "").startswith("zh") else ", "
    rows = separator.join(str(_l("No. %(number)d", number=place + 1)) for place in places)
    return str(_l("%(rows)s: %(message)s", rows=rows, message=message))
