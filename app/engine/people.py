"""Answers about people: when a signature was made, whose name it is, whom an ID number names.

    changes[key] = stamped(field, raw, stored_raw, now)                 # as an answer is saved
    errors = people_problems(definition, answers, raw_answers, people)  # on a save, at submission

- **Signing time**: the server's. A type with a ``stamp`` (``signature``) drops a ``signed_at``
  the client sent and records the moment a signature is first saved or changed; saving the
  same signature again keeps its time. Inside a ``repeat`` row by row, by place.
- **Signer**: ``signer: filer | subject`` on a ``signature`` (default ``filer``). A typed
  signature must be the full name of who files — the subject filing for themself, the agent
  (the account holder) filing for someone — or, with ``subject``, of the person the application
  is about whoever files. A drawn signature is not compared.
- **Name and ID number**: ``name_field: KEY`` on an ``id_card`` field names the text field
  beside it (the same page, or the same row of a ``repeat``) that holds the person's name;
  when the person registry knows the ID number, the name must be the registry's ("姓名与证件号码
  不一致", as for an agent's subject). A number the registry does not know is not refused.

:func:`people_problems` reads the answers the engine accepted (visible and valid) and asks the
registry once per pair: commands run it when answers are saved and at submission, never on the
wizard's live updates. Its errors are keyed as the engine's (``users[1].id_card``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from app.engine.fields import get_type
from app.engine.fields.base import People
from app.engine.fields.repeat import numbered_rows
from app.engine.fields.special import SIGNERS
from app.engine.problems import Collector
from app.validators import ValidationError, message_text

__all__ = ["People", "check_people_settings", "people_problems", "stamped"]


def stamped(field: Mapping, raw: Any, stored: Any, moment: dt.datetime) -> Any:
    """Return the raw answer of ``field`` to store, given what was stored before."""
    ftype = get_type(field["type"])
    if ftype.stamp is not None:
        return ftype.stamp(raw, stored, moment)
    stamping = [f for f in field.get("fields", ()) if get_type(f["type"]).stamp is not None]
    if not (ftype.nested and stamping and isinstance(raw, list)):
        return raw
    before = stored if isinstance(stored, list) else []
    rows = []
    for index, row in enumerate(raw):
        if isinstance(row, Mapping):
            old = before[index] if index < len(before) and isinstance(before[index],
                                                                      Mapping) else {}
            row = {**row, **{f["key"]: stamped(f, row[f["key"]], old.get(f["key"]), moment)
                             for f in stamping if f["key"] in row}}
        rows.append(row)
    return rows


def _group(fields: list, answers: Mapping, prefix: str, people: People, errors: dict) -> None:
    for field in fields:
        check = get_type(field["type"]).person_check
        value = answers.get(field["key"])
        if check is not None and value is not None:
            if (problem := check(value, field, answers, people)) is not None:
                errors[prefix + field["key"]] = [message_text(problem)]


def people_problems(definition: Mapping, answers: Mapping, raw_answers: Mapping,
                    people: People, rows: Mapping | None = None) -> dict[str, list[str]]:
    """Return ``{key: [message]}`` for accepted answers that name the wrong person.

    ``answers`` are the clean answers of a validation (a page's or all), ``raw_answers`` those
    it read (a repeat's errors name a row by its place in them), ``rows`` its
    :attr:`~app.engine.answer_results.Validation.rows`: where one row's error leaves a repeating
    group out of ``answers``, the other rows' valid answers are still checked, so that every
    error shows in the same pass.
    """
    errors: dict[str, list[str]] = {}
    for page in definition.get("pages", ()):
        fields = list(page.get("fields", ()))
        _group(fields, answers, "", people, errors)
        for field in fields:
            accepted = answers.get(field["key"])
            if not isinstance(accepted, list):
                accepted = (rows or {}).get(field["key"])
            if not get_type(field["type"]).nested or not isinstance(accepted, list):
                continue
            try:
                sent = numbered_rows(raw_answers.get(field["key"]), field)
            except ValidationError:
                continue  # the engine accepted it, so it is not malformed: nothing to check
            for (index, _raw), row in zip(sent, accepted):
                _group(field["fields"], row, f"{field['key']}[{index}].", people, errors)
    return errors


def check_people_settings(path: tuple, field: Mapping, siblings: list, c: Collector) -> None:
    """Lint ``signer`` (one of SIGNERS) and ``name_field`` (a text field beside it), where the
    field's type takes them (elsewhere lint says the key is unknown)."""
    settings = get_type(field.get("type")).settings
    signer = field.get("signer")
    if "signer" in settings and signer is not None and signer not in SIGNERS:
        c.add(path + ("signer",), _l('signer must be one of: %(valid)s',
                                     valid=", ".join(SIGNERS)))
    key = field.get("name_field")
    if "name_field" not in settings or key is None:
        return
    types = {f.get("key"): f.get("type") for f in siblings if isinstance(f, Mapping)}
    if not isinstance(key, str) or key == field.get("key") or types.get(key) != "text":
        c.add(path + ("name_field",), _l(
            'name_field "%(key)s" must name a text field beside this one (on its page, or in '
            'its row of a repeating group)', key=key))
