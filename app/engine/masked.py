"""Personal identifiers among the answers, and the one rule for where they are shown masked.

    mask = identifier_mask(field)             # the mask of an identifier's answers, or None
    shown = masked_answer(field, value)       # "5134**********1234", or None: not one
    answers = mask_answers(fields, answers)   # identifiers masked, rows of a repeat too
    shown = for_agent(field, value)           # a registry answer as an agent sees it
    masking_problem(field)                    # why the setting is not allowed here, or None

An answer is a personal identifier when its field is an ``id_card``, ``mobile`` or
``bank_account`` (app.validators.masking), is prefilled from ``person.id_number`` (a document
number in a ``text``), or says ``masked: true`` (its type's ``FieldType.mask``). Where they are
masked is decided by the page and the reader, the same for every item (docs/engine.md,
*Personal identifiers*): lists, documents and staff always mask them; the account that filed
reads them in full on the wizard, the confirmation and its own detail pages (我要查, the API),
except an agent once the application is submitted (app.commands.applications.identifiers).
The stored answer is always whole.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.fields import REGISTRY, is_blank
from app.engine.subject_identity import IDENTITY_SOURCES
from app.validators.masking import ANSWER_MASKS, mask_answer

#: What an agent sees of a registry text that has no mask of its own: its first character.
AGENT_MASK = "＊＊"


#: ``prefill`` sources whose answer is an identifier whatever the field's type.
IDENTIFIER_SOURCES = frozenset({"person.id_number"})


def identifier_mask(field: Mapping) -> Optional[Callable[[Any], str]]:
    """Return the mask of a field whose answers are personal identifiers, or None."""
    kind = field.get("type") if isinstance(field.get("type"), str) else None
    if kind in ANSWER_MASKS:
        return ANSWER_MASKS[kind]
    ftype = REGISTRY.get(kind) if kind is not None else None
    if ftype is None or ftype.mask is None:
        return None
    prefill = field.get("prefill")
    if field.get("masked") is True or (isinstance(prefill, str)
                                       and prefill.strip() in IDENTIFIER_SOURCES):
        return ftype.mask
    return None


def masked_answer(field: Mapping, value: Any) -> Optional[str]:
    """Return an identifier's answer masked, or None (not an identifier, or no answer)."""
    mask = identifier_mask(field)
    if mask is None or is_blank(value) or isinstance(value, (Mapping, list, tuple)):
        return None
    return mask(value)


def mask_answers(fields: Iterable[Mapping], answers: Mapping) -> dict:
    """Return ``answers`` with those of identifiers masked (rows of a repeat too)."""
    by_key = {f.get("key"): f for f in fields}
    result = {}
    for key, value in answers.items():
        field = by_key.get(key) or {}
        if (shown := masked_answer(field, value)) is not None:
            value = shown
        elif isinstance(field.get("fields"), list) and isinstance(value, list):
            value = [mask_answers(field["fields"], row) if isinstance(row, Mapping) else row
                     for row in value]
        result[key] = value
    return result


def from_registry(field: Mapping) -> bool:
    """Tell whether a field's answer is the subject's registry record, read-only, beyond the
    identity an agent declares (name, ID number, and what the number encodes)."""
    ftype = REGISTRY.get(field.get("type")) if isinstance(field.get("type"), str) else None
    if ftype is not None and ftype.source is not None:
        return True
    prefill = field.get("prefill")
    return bool(field.get("readonly") and isinstance(prefill, str)
                and prefill.strip().startswith("person.")
                and prefill.strip() not in IDENTITY_SOURCES)


def for_agent(field: Mapping, value: Any) -> Any:
    """Return an answer as an agent filing for someone is shown it: a registry answer masked
    (an ID number, mobile or bank account as the staff pages mask it, other text as its first
    character and ``＊＊``; a list or table not at all)."""
    if is_blank(value) or not from_registry(field):
        return value
    if (masked := mask_answer(field.get("type"), value)) is not None:
        return masked
    if isinstance(value, (list, tuple)):
        return []
    if isinstance(value, Mapping):
        return None
    return str(value)[:1] + AGENT_MASK


def answers_for_agent(fields: Iterable[Mapping], answers: Mapping) -> dict:
    """Return ``answers`` with the registry's answers masked as :func:`for_agent` shows them."""
    by_key = {f.get("key"): f for f in fields}
    return {key: for_agent(by_key.get(key) or {}, value) for key, value in answers.items()}


def shown_to_agent(definition: Mapping, answers: Mapping) -> dict:
    """Return a definition's answers as an agent's pages show them (:func:`answers_for_agent`)."""
    return answers_for_agent([f for page in definition.get("pages", ())
                              for f in page.get("fields", ())], answers)


def masking_problem(field: Mapping) -> Any:
    """Return why ``masked`` is not allowed on ``field`` (a lazy message), or None."""
    if "masked" not in field or field.get("masked") is False:
        return None
    name = field.get("type")
    if not (isinstance(name, str) and name in REGISTRY and REGISTRY[name].mask is not None):
        return _l('field "%(key)s": masked is only for fields of type %(types)s',
                  key=field.get("key"), types=", ".join(maskable_types()))
    if field.get("readonly") is not True or not field.get("prefill"):
        return _l('field "%(key)s": masked is only for a read-only field filled from the '
                  "person (readonly: true and a prefill)", key=field.get("key"))
    return None


def maskable_types() -> list[str]:
    """Return the types whose fields may be masked, in registry order."""
    return [name for name, ftype in REGISTRY.items() if ftype.mask is not None]
