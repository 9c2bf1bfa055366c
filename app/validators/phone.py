"""Validate mainland China mobile phone numbers."""
from __future__ import annotations

import re

import phonenumbers
from flask_babel import lazy_gettext as _l
from phonenumbers import NumberParseException, PhoneNumberType

from .errors import ValidationError
from .text import normalize_text

__all__ = ["canonical_mobile"]

_MAX_INPUT = 32
# Letters are refused: phonenumbers would otherwise read them as keypad digits.
_ALLOWED = re.compile(r"\+?[0-9 ()./-]+")
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def canonical_mobile(value: object) -> str:
    """Return the 11-digit national form of a CN mobile number or raise ValidationError."""
    text = normalize_text(value, max_length=_MAX_INPUT)
    if not text:
        raise ValidationError(_l("Enter a mobile phone number."), code="required")
    if not _ALLOWED.fullmatch(text):
        raise ValidationError(
            _l("A mobile phone number has digits only (spaces, dashes and a leading + allowed)."),
            code="characters",
        )
    try:
        number = phonenumbers.parse(text, "CN")
    except NumberParseException:
        raise ValidationError(_l("This is not a phone number."), code="format") from None
    national = str(number.national_number)
    if (number.country_code == 86 and national.startswith("1") and not national.startswith("10")
            and len(national) != 11):
        # A mistyped mobile (1380013) is "too short", not "does not exist"; 10… is Beijing's
        # area code (010) read without its 0.
        raise ValidationError(
            _l("A mobile phone number has 11 digits; this one has %(count)d.",
               count=len(national)), code="length")
    if phonenumbers.region_code_for_number(number) != "CN":
        raise ValidationError(
            _l("Enter a mobile phone number of mainland China."), code="not_cn"
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_l("This phone number does not exist."), code="invalid")
    if phonenumbers.number_type(number) not in _MOBILE_TYPES or len(national) != 11:
        raise ValidationError(_l("This is not a mobile phone number."), code="not_mobile")
    return national
