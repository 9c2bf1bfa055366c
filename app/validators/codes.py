"""Validate unified social credit codes, bank account numbers and postcodes."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from stdnum import luhn

from .errors import ValidationError
from .text import normalize_text

__all__ = [
    "USCC_ALPHABET", "uscc_check_char", "canonical_uscc",
    "canonical_bank_account", "canonical_postcode",
]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_DIGITS = re.compile(r"[0-9]+")
_POSTCODE = re.compile(r"[0-9]{6}")


def uscc_check_char(body17: str) -> str:
    """Return the GB 32100-2015 check character for a 17-character code body."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def canonical_uscc(value: object) -> str:
    """Return an upper-cased 统一社会信用代码 or raise ValidationError."""
    code = "".join(normalize_text(value, max_length=32).split()).upper()
    if not code:
        raise ValidationError(_l("Enter a unified social credit code."), code="required")
    if len(code) != 18:
        raise ValidationError(
            _l("A unified social credit code has 18 characters."), code="length"
        )
    if any(c not in USCC_ALPHABET for c in code):
        raise ValidationError(
            _l("A unified social credit code has digits and capital letters except I, O, S, V, Z."),
            code="characters",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _l("The unified social credit code's check character is wrong."), code="check_digit"
        )
    return code


def canonical_bank_account(value: object) -> tuple[str, bool]:
    """Return (digits, passes Luhn) for a bank account; a Luhn failure is only a flag."""
    digits = re.sub(r"[\s-]", "", normalize_text(value, max_length=64))
    if not digits:
        raise ValidationError(_l("Enter a bank account number."), code="required")
    if not _DIGITS.fullmatch(digits):
        raise ValidationError(
            _l("A bank account number has digits only (spaces and dashes allowed)."),
            code="characters",
        )
    if not 12 <= len(digits) <= 19:
        raise ValidationError(
            _l("A bank account number has 12 to 19 digits."), code="length"
        )
    return digits, luhn.is_valid(digits)


def canonical_postcode(value: object) -> str:
    """Return a 6-digit postal code or raise ValidationError."""
    code = normalize_text(value, max_length=16)
    if not code:
        raise ValidationError(_l("Enter a postal code."), code="required")
    if not _POSTCODE.fullmatch(code):
        raise ValidationError(_l("A postal code has 6 digits."), code="format")
    return code
