"""An answer prefilled from the subject's identity must be the subject's, even where editable.

A field with ``prefill: person.name`` (or ``id_number``, ``cert_type``, ``sex``, ``birth_date``)
that is not ``readonly`` — GD-1 lets an agent type the identity of a newborn the registry does not
know — would otherwise take another person's name and ID number on a self filing: the
application's subject (whom reviewers see, and whose record rules such as 一人一保 read through
``person``) and its answers would name two people. So wherever ``person`` gives the fact (the
registry's record, or the identity verified for the application) the answer must be that fact;
where it gives none, the input stands. ``readonly`` fields never take input and need no check.
Every definition is held to this, whatever it says: no setting turns it off.

A name is the subject's when asked beside the subject's ID number (a field of the same page or
row prefilled from ``person.id_number``); elsewhere ``prefill: person.name`` only suggests a
name, such as a bank account holder's (GD-5), which may be someone else's.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.answer_values import lookup
from app.engine.fields import EngineContext, get_type
from app.engine.fields.base import is_blank
from app.validators import ValidationError, message_text
from app.validators.text import same_name

#: The ``prefill`` sources that say who the subject is.
IDENTITY_SOURCES = frozenset(f"person.{fact}" for fact in
                             ("name", "id_number", "cert_type", "sex", "birth_date"))
NOT_THE_SUBJECT = _l("This must be the details of the person the application is for, as the "
                     "insured-person registry or the verified identity gives them; another "
                     "person's details are not accepted.")


def _source(field: Mapping) -> str:
    source = field.get("prefill")
    return source.strip() if isinstance(source, str) else ""


def not_the_subject(field: Mapping, value: Any, variables: Mapping, ctx: EngineContext,
                    group: Collection[Mapping] = ()) -> Optional[str]:
    """Return why a clean answer is not the subject's own identity fact, or None.

    :param group: the fields of the field's page (or row), which tell a name of the subject.
    """
    source = _source(field)
    if field.get("readonly") or source not in IDENTITY_SOURCES:
        return None
    if source == "person.name" and not any(_source(f) == "person.id_number" for f in group):
        return None  # a suggested name (an account holder's), not the subject's identity
    known = lookup(variables, source)
    if is_blank(known):
        return None  # nothing on record or verified: the input stands
    try:
        expected = get_type(field["type"]).parse(known, {**field, "required": False}, ctx)
    except (ValidationError, TypeError, ValueError):
        return None  # a registry value the field cannot hold: nothing to compare with
    same = same_name(value, expected) if source == "person.name" else value == expected
    return None if same else message_text(NOT_THE_SUBJECT)
