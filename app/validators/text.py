"""Normalise free text and bound its length."""
from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l

from .errors import ValidationError

__all__ = ["normalize_text", "check_max_length"]

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_NFKC_SLACK = 8  # raw input longer than this many times the limit is refused unread


def _is_forbidden(char: str) -> bool:
    """Tell whether a character is a control character or a lone surrogate."""
    if char in _ALLOWED_CONTROLS:
        return False
    return unicodedata.category(char) in ("Cc", "Cs")


def check_max_length(value: str, max_length: int) -> str:
    """Return value, refusing it when longer than max_length characters."""
    if len(value) > max_length:
        raise ValidationError(
            _l("This is too long: at most %(max)d characters.", max=max_length),
            code="too_long",
        )
    return value


def normalize_text(value: object, *, max_length: int | None = None) -> str:
    """Return value NFKC-normalised and stripped, refusing control characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_l("Enter text."), code="type")
    if max_length is not None and len(value) > _NFKC_SLACK * max_length + 256:
        check_max_length(value, max_length)
    text = unicodedata.normalize("NFKC", value)
    if any(_is_forbidden(char) for char in text):
        raise ValidationError(
            _l("This contains control characters, which are not allowed."),
            code="control_character",
        )
    text = text.strip()
    if max_length is not None:
        check_max_length(text, max_length)
    return text
