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

Where ``person`` gives no fact — an agent's (or a window clerk's) subject the registry does not
know and nobody verified — the subject the application names still does: its name and ID number
as declared on the filer step, the resident ID card (01) as the type of that number, and the
sex and birth date the number itself encodes (:func:`declared_identity`). They prefill an
editable identity field and hold it the same way, so the application's subject and its answers
cannot name two people. They are passed beside the CEL variables under :data:`DECLARED`, which
the engine takes out before it builds a scope: no definition reads them, and a ``readonly``
field, which only shows what the registry or a verification gives, never shows them.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.answer_values import lookup
from app.engine.fields import EngineContext, get_type
from app.engine.fields.base import is_blank
from app.validators import ValidationError, id_number_facts, message_text
from app.validators.text import same_name

#: The ``prefill`` sources that say who the subject is.
IDENTITY_SOURCES = frozenset(f"person.{fact}" for fact in
                             ("name", "id_number", "cert_type", "sex", "birth_date"))
NOT_THE_SUBJECT = _l("This must be the details of the person the application is for, as the "
                     "insured-person registry or the verified identity gives them; another "
                     "person's details are not accepted.")
NOT_THE_DECLARED_SUBJECT = _l("This must be the details of the person you apply for, as you "
                              "gave them under “Who applies”; another person's details are not "
                              "accepted.")


#: The key of the application's declared subject among the variables given to the engine.
DECLARED = "_declared_subject"
#: Set (true) in the declared subject when an agent files (not the subject, nor a clerk who saw
#: the subject): an editable answer is then prefilled only from the identity the agent declared,
#: never from the registry, and a read-only registry answer is shown masked
#: (app.engine.masked.for_agent). ``person`` stays whole for the rules and computations.
AGENT_FILING = "by_agent"
_SEX_CODES = {"male": "1", "female": "2"}  # GB/T 2261.1, as the registry stores them


def declared_identity(name: Any, id_number: Any) -> dict[str, str]:
    """Return the identity facts of a subject declared by name and ID number (18-character
    form): cert_type 01 and the sex and birth date the number encodes; {} without a number."""
    if not isinstance(id_number, str) or not id_number:
        return {}
    facts = {"id_number": id_number, "cert_type": "01"}
    if isinstance(name, str) and name.strip():
        facts["name"] = name
    try:
        birth, sex, _region = id_number_facts(id_number)
    except ValidationError:
        return facts  # not a number that encodes them
    return {**facts, "sex": _SEX_CODES[sex], "birth_date": birth.isoformat()}


def _source(field: Mapping) -> str:
    source = field.get("prefill")
    return source.strip() if isinstance(source, str) else ""


def declared_fact(field: Mapping, declared: Mapping) -> Any:
    """Return the declared subject's fact an identity ``prefill`` names, or None."""
    source = _source(field)
    return declared.get(source[len("person."):]) if source in IDENTITY_SOURCES else None


def not_the_subject(field: Mapping, value: Any, variables: Mapping, ctx: EngineContext,
                    group: Collection[Mapping] = (), declared: Mapping = {}) -> Optional[str]:
    """Return why a clean answer is not the subject's own identity fact, or None.

    :param group: the fields of the field's page (or row), which tell a name of the subject.
    :param declared: the application's subject as declared (:func:`declared_identity`), for
        the facts ``person`` does not give.
    """
    source = _source(field)
    if field.get("readonly") or source not in IDENTITY_SOURCES:
        return None
    if source == "person.name" and not any(_source(f) == "person.id_number" for f in group):
        return None  # a suggested name (an account holder's), not the subject's identity
    known, refusal = lookup(variables, source), NOT_THE_SUBJECT
    if is_blank(known):
        known, refusal = declared_fact(field, declared), NOT_THE_DECLARED_SUBJECT
    if is_blank(known):
        return None  # nothing on record, verified or declared: the input stands
    try:
        expected = get_type(field["type"]).parse(known, {**field, "required": False}, ctx)
    except (ValidationError, TypeError, ValueError):
        return None  # a registry value the field cannot hold: nothing to compare with
    same = same_name(value, expected) if source == "person.name" else value == expected
    return None if same else message_text(refusal)
