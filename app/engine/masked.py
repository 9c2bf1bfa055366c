"""``masked: true``: a read-only, prefilled identity answer shown to the citizen masked.

    shown = masked_value(field, value)        # "5134**********1234", or None: show as usual
    answers = mask_answers(fields, answers)   # what the citizen's API client is sent
    shown = for_agent(field, value)           # a registry answer as an agent sees it
    masking_problem(field)                    # why the setting is not allowed here, or None

The stored answer stays whole (the reviewers' pages show it as they show every answer); the
citizen's wizard page, confirmation page, 我要查 and the API show the field type's mask
(``FieldType.mask``: app.validators.masking, the masks of the staff pages). A masked field is
read-only and filled from ``prefill``, so nothing typed into it is ever its answer
(app.engine.answers) and what is sent for it is not kept (app.commands.applications.save).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.engine.fields import REGISTRY, is_blank
from app.engine.subject_identity import IDENTITY_SOURCES
from app.validators.masking import mask_answer

#: What an agent sees of a registry text that has no mask of its own: its first character.
AGENT_MASK = "＊＊"


def is_masked(field: Mapping) -> bool:
    """Tell whether a field's answer is shown masked (set, and its type can be masked)."""
    ftype = REGISTRY.get(field.get("type")) if isinstance(field.get("type"), str) else None
    return field.get("masked") is True and ftype is not None and ftype.mask is not None


def masked_value(field: Mapping, value: Any) -> Optional[str]:
    """Return the answer as a masked field shows it, or None when the field is not masked."""
    if not is_masked(field) or is_blank(value):
        return None
    return REGISTRY[field["type"]].mask(value)


def mask_answers(fields: Iterable[Mapping], answers: Mapping) -> dict:
    """Return ``answers`` with those of masked fields masked (rows of a repeat too)."""
    by_key = {f.get("key"): f for f in fields}
    result = {}
    for key, value in answers.items():
        field = by_key.get(key) or {}
        if (shown := masked_value(field, value)) is not None:
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
    return {key: value if is_masked(by_key.get(key) or {}) else for_agent(by_key.get(key) or {},
                                                                           value)
            for key, value in answers.items()}


def shown_to_agent(definition: Mapping, answers: Mapping) -> dict:
    """Return a definition's answers as an agent's pages show them (:func:`answers_for_agent`)."""
    return answers_for_agent([f for page in definition.get("pages", ())
                              for f in page.get("fields", ())], answers)


def masks(fields: Iterable[Mapping], answers: Mapping, value: Any) -> bool:
    """Tell whether a masked field's answer is ``value`` (then no page shows it in full)."""
    return not is_blank(value) and any(
        is_masked(f) and str(answers.get(f.get("key"))).upper() == str(value).upper()
        for f in fields)


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
