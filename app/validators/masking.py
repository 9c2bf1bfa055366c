"""Mask personal identifiers for display; never raise.

:func:`mask_answer` masks one answer by its field type, the rule every masked view of answers
applies (the reviewers' pages, the citizen's pages other than their own confirmation, and what
staff read through the applications API: SECURITY_TESTS F1).
"""
from __future__ import annotations

import unicodedata
from typing import Optional

__all__ = ["ANSWER_MASKS", "mask_answer", "mask_id_number", "mask_mobile", "mask_bank_account",
           "mask_name"]


def _as_text(value: object, *, squeeze: str = "") -> str:
    """Return value as NFKC text without whitespace and squeeze characters, or ''."""
    if value is None:
        return ""
    try:
        text = unicodedata.normalize("NFKC", value if isinstance(value, str) else str(value))
    except Exception:
        return ""
    return "".join(c for c in text if not c.isspace() and c not in squeeze)


def _keep_ends(text: str, head: int, tail: int) -> str:
    """Return text with all but head leading and tail trailing characters starred."""
    head, tail = max(head, 0), max(tail, 0)
    if head + tail >= len(text):
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail:]


def mask_id_number(value: object) -> str:
    """Return an ID number showing only its first 4 and last 4 (15-digit: 3) characters."""
    text = _as_text(value)
    n = len(text)
    if n >= 18:
        return _keep_ends(text, 4, 4)
    if n == 15:
        return _keep_ends(text, 4, 3)
    if n > 15:  # truncated 18-digit form: never show positions 7-14
        return _keep_ends(text, 4, n - 14)
    return _keep_ends(text, min(4, n // 3), 0)


def mask_mobile(value: object) -> str:
    """Return a phone number showing only its first 3 and last 4 digits."""
    text = _as_text(value, squeeze="-")
    if len(text) >= 11:
        return _keep_ends(text, 3, 4)
    return _keep_ends(text, min(3, len(text) // 4), min(4, len(text) // 4))


def mask_bank_account(value: object) -> str:
    """Return a bank account number showing only its last 4 digits."""
    text = _as_text(value, squeeze="-")
    return _keep_ends(text, 0, 4 if len(text) >= 12 else len(text) // 4)


def mask_name(value: object) -> str:
    """Return a name showing only its first character."""
    if value is None:
        return ""
    try:
        text = unicodedata.normalize("NFKC", value if isinstance(value, str) else str(value)).strip()
    except Exception:
        return ""
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)


#: Field type → the mask its answers get wherever answers are shown masked.
ANSWER_MASKS = {"id_card": mask_id_number, "mobile": mask_mobile,
                "bank_account": mask_bank_account}


def mask_answer(field_type: Optional[str], value: object) -> Optional[str]:
    """Return an identifier answer masked by its field type, or None for a type not masked here.

    Callers treat None as "show the answer their own way" (other text still goes through
    :func:`app.commands.notifications.redact`, which masks long numbers inside it).
    """
    mask = ANSWER_MASKS.get(field_type) if isinstance(field_type, str) else None
    return mask(value) if mask is not None else None
