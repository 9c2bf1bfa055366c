"""Validate resident identity card numbers (居民身份证, GB 11643-1999)."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from stdnum.cn.ric import calc_check_digit

from app.clock import today as clock_today

from .errors import ValidationError
from .text import normalize_text

__all__ = ["PROVINCE_CODES", "canonical_id_number", "id_number_facts", "id_check_digit"]

# GB/T 2260 provinces, plus 81/82/83: the address codes 810000/820000/830000 of residence
# permits for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证, since 2018).
PROVINCE_CODES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
     *range(50, 55), *range(61, 66), 71, 81, 82, 83]
)
_MAX_INPUT = 32
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")
_EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_digit(body17: str) -> str:
    """Return the check character for a 17-digit ID number body."""
    # stdnum's calc_check_digit expects the number with a check slot and ignores it.
    return calc_check_digit(body17 + "0")


def _birth_date(yyyymmdd: str) -> date | None:
    """Return the date encoded as YYYYMMDD, or None when it is not a real date."""
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def _split(value: object) -> tuple[str, str]:
    """Return the 17-digit body and the given check character ('' if legacy)."""
    number = "".join(normalize_text(value, max_length=_MAX_INPUT).split()).upper()
    if not number:
        raise ValidationError(_l("Enter an ID number."), code="required")
    if len(number) not in (15, 18):
        raise ValidationError(
            _l("An ID number has 18 characters (15 for an old-style number)."),
            code="length",
        )
    if len(number) == 15:
        if not _ID15.fullmatch(number):
            raise ValidationError(_l("An old-style ID number has digits only."), code="characters")
        return number[:6] + "19" + number[6:], ""
    if not _ID18.fullmatch(number):
        raise ValidationError(
            _l("An ID number has digits only, with X allowed as the last character."),
            code="characters",
        )
    return number[:17], number[17]


def canonical_id_number(
    value: object,
    *,
    region_known: Callable[[str], bool] | None = None,
    today: date | None = None,
) -> str:
    """Return the 18-character form of an ID number or raise ValidationError."""
    body, given_check = _split(value)
    if int(body[:2]) not in PROVINCE_CODES:
        raise ValidationError(
            _l("The ID number does not start with a valid province code."), code="province"
        )
    birth = _birth_date(body[6:14])
    if birth is None:
        raise ValidationError(
            _l("The birth date in the ID number is not a real date."), code="birth_date"
        )
    if isinstance(today, datetime):
        today = today.date()
    if birth > (today or clock_today()):
        raise ValidationError(
            _l("The birth date in the ID number is in the future."), code="birth_future"
        )
    if birth < _EARLIEST_BIRTH:
        raise ValidationError(
            _l("The birth date in the ID number is before 1900."), code="birth_too_early"
        )
    check = id_check_digit(body)
    if given_check and given_check != check:
        raise ValidationError(_l("The ID number's check digit is wrong."), code="check_digit")
    if region_known is not None and not region_known(body[:6]):
        raise ValidationError(
            _l("The address code %(code)s in the ID number is not a known region.", code=body[:6]),
            code="region",
        )
    return body + check


def id_number_facts(canonical: str) -> tuple[date, str, str]:
    """Return (birth date, 'male' or 'female', 6-digit region code) of a canonical ID."""
    if not isinstance(canonical, str) or not _ID18.fullmatch(canonical):
        raise ValidationError(_l("This is not a canonical ID number."), code="not_canonical")
    birth = _birth_date(canonical[6:14])
    if birth is None:
        raise ValidationError(
            _l("The birth date in the ID number is not a real date."), code="birth_date"
        )
    sex = "male" if int(canonical[16]) % 2 else "female"
    return birth, sex, canonical[:6]
