"""Read text input: free text kept as typed, identifiers normalised; both bounded in length.

Two readers, chosen by what the text is:

- :func:`clean_text` for prose a person wrote (comments, reasons, answers, addresses): stored
  as typed — full-width punctuation (，（）：) and letters stay what the writer chose — with
  only what safety needs: control characters and bidirectional controls (which can make a
  text read differently from what it holds) are refused, the ends stripped.
- :func:`normalize_text` for identifiers, codes and keys (ID numbers, mobiles, account
  numbers, usernames, a text answer that must match a pattern): NFKC-normalised, so a
  full-width "１２３" is the code "123", with the same refusals.

:func:`same_name` is the one comparison of a person's name as typed with a known one (the
registry's, the signer's): spaces, full-width letters and the kind of middle dot aside.
"""
from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l

from .errors import ValidationError

__all__ = ["canonical_username", "clean_text", "normalize_text", "check_max_length", "same_name"]

_ALLOWED_CONTROLS = frozenset("\t\n\r")
#: Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): "Trojan Source".
_BIDI_CONTROLS = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
USERNAME_MAX = 64
_NFKC_SLACK = 8  # raw input longer than this many times the limit is refused unread


def _is_forbidden(char: str) -> bool:
    """Tell whether a character is a control character or a lone surrogate."""
    if char in _ALLOWED_CONTROLS:
        return False
    return unicodedata.category(char) in ("Cc", "Cs")


def _refuse_unsafe(text: str) -> None:
    """:raises ValidationError: on control characters or bidirectional controls."""
    if any(_is_forbidden(char) for char in text):
        raise ValidationError(
            _l("This contains control characters, which are not allowed."),
            code="control_character",
        )
    if not _BIDI_CONTROLS.isdisjoint(text):
        raise ValidationError(
            _l("This contains invisible characters that change the direction of text, "
               "which are not allowed."),
            code="bidi_control",
        )


def check_max_length(value: str, max_length: int) -> str:
    """Return value, refusing it when longer than max_length characters."""
    if len(value) > max_length:
        raise ValidationError(
            _l("This is too long: at most %(max)d characters.", max=max_length),
            code="too_long",
        )
    return value


def _as_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(_l("Enter text."), code="type")
    return value


def clean_text(value: object, *, max_length: int | None = None) -> str:
    """Return free text as typed (ends stripped), refusing control and bidirectional controls."""
    text = _as_str(value)
    if text is None:
        return ""
    _refuse_unsafe(text)
    text = text.strip()
    if max_length is not None:
        check_max_length(text, max_length)
    return text


def normalize_text(value: object, *, max_length: int | None = None) -> str:
    """Return an identifier or code NFKC-normalised and stripped, refusing unsafe characters."""
    value = _as_str(value)
    if value is None:
        return ""
    if max_length is not None and len(value) > _NFKC_SLACK * max_length + 256:
        check_max_length(value, max_length)
    text = unicodedata.normalize("NFKC", value)
    _refuse_unsafe(text)
    text = text.strip()
    if max_length is not None:
        check_max_length(text, max_length)
    return text


def canonical_username(value: object) -> str:
    """Return a username as accounts store it and sign-in looks it up ('' if blank).

    Every place that creates an account or reads a sign-in name uses this one function, so a
    name typed with surrounding spaces or full-width letters finds the account it created.
    """
    return normalize_text(value, max_length=USERNAME_MAX)


#: Middle dots that separate the parts of a name (阿卜杜·热合曼), as people type them.
_NAME_DOTS = str.maketrans({"\u2022": "\u00b7", "\u30fb": "\u00b7", "\u2027": "\u00b7",
                            "\u22c5": "\u00b7", "\u2219": "\u00b7", ".": "\u00b7"})


def same_name(typed: object, name: object) -> bool:
    """Tell whether two texts are the same person's name: full-width or half-width, spaces and
    the kind of middle dot aside, letters in any case."""
    def key(value: object) -> str:
        text = unicodedata.normalize("NFKC", value if isinstance(value, str) else "")
        return "".join(text.split()).translate(_NAME_DOTS).casefold()
    return bool(key(name)) and key(typed) == key(name)
