"""Banshi's functions for CEL expressions, and the date helpers the engine shares with them.

Registered on every evaluation context by :mod:`app.engine.cel` (the README lists the same table):

==============================  =========  =========================================================
Function                        Gives      Meaning
==============================  =========  =========================================================
``days_between(a, b)``          int        days from date ``a`` to date ``b`` (``b - a``; negative
                                           if ``b`` is earlier)
``years_between(a, b)``         int        whole years from ``a`` to ``b``, birthday rule: a year is
                                           complete on the same month and day (a 29 February start
                                           completes on 1 March in common years); negative if ``b``
                                           is earlier
``age(x)``                      int        whole years from a birth date to ``today`` (the same
                                           ``today`` the expression sees); ``x`` is a timestamp, a
                                           ``"YYYY-MM-DD"`` string or an ID number (18 characters,
                                           birth date in characters 7-14; or the old 15 digits)
``in_region(code, ancestor)``   bool       ``code`` lies in ``ancestor``'s subtree (GB/T 2260):
                                           ``xx0000`` covers codes starting ``xx``, ``xxxx00``
                                           codes starting ``xxxx``, other codes themselves and
                                           longer codes starting with them (医保 codes such as
                                           ``51170099997``);
                                           ``000000`` covers everything; equal codes are inside
``add_days(ts, n)``             timestamp  midnight (Asia/Shanghai) of the date ``n`` days after
                                           ``ts``'s date
``date(s)``                     timestamp  midnight (Asia/Shanghai) of a ``"YYYY-MM-DD"`` string
``length(x)``                   int        characters of a text (``length("出国签证") == 4``),
                                           items of a list, entries of a map
==============================  =========  =========================================================

CEL's own ``size()`` is refused when an expression compiles: the CEL package counts the UTF-8
bytes of a text (``size("出国签证") == 12``, where the CEL specification says 4), which would make
"at least 5 characters" wrong for every Chinese answer; ``length()`` is the one to use.

Dates are calendar dates in Asia/Shanghai: a timestamp argument (any offset) counts as its date in
Asia/Shanghai, and date arguments may also be ``"YYYY-MM-DD"`` strings. A null argument (an
unanswered field) is an error; guard with ``x != null && …``. Region codes may be strings or ints.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Callable

#: Asia/Shanghai as a fixed offset. The CEL package converts only ``datetime.timezone`` offsets
#: (a ``ZoneInfo`` datetime fails to convert), and China has kept +08:00 without DST since 1991.
CST = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ID18 = re.compile(r"\d{17}[\dX]")
_ID15 = re.compile(r"\d{15}")
_CODE = re.compile(r"\d{6,}")


def midnight(day: dt.date) -> dt.datetime:
    """Return midnight Asia/Shanghai of ``day`` as an aware datetime CEL sees as a timestamp."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=CST)


def parse_date(text: str) -> dt.date:
    """Parse a strict ``YYYY-MM-DD`` string."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def as_date(value: Any) -> dt.date:
    """Return the Asia/Shanghai calendar date of a timestamp, date or ``YYYY-MM-DD`` string."""
    if isinstance(value, dt.datetime):
        return value.astimezone(CST).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value.strip())
    if value is None:
        raise ValueError("a date argument is null (unanswered field?)")
    raise ValueError(f"expected a timestamp or a YYYY-MM-DD date, got {type(value).__name__}")


def whole_years(start: dt.date, end: dt.date) -> int:
    """Count complete years from ``start`` to ``end`` (birthday rule, symmetric when negative)."""
    if end < start:
        return -whole_years(end, start)
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def birth_date(value: Any) -> dt.date:
    """Return a birth date from a timestamp, a ``YYYY-MM-DD`` string or an ID number."""
    if isinstance(value, str) and not _DATE.fullmatch(value.strip()):
        number = value.strip().upper()
        if _ID18.fullmatch(number):
            digits = number[6:14]
        elif _ID15.fullmatch(number):
            digits = "19" + number[6:12]
        else:
            # The value is personal data: say what is wrong without echoing it.
            raise ValueError("not an ID number (18 characters: 17 digits then a digit or X)")
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            raise ValueError("the ID number holds an impossible birth date") from None
    return as_date(value)


def _code(value: Any, what: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _CODE.fullmatch(value.strip()):
        raise ValueError(f"{what} must be a region code of 6 or more digits, got {value!r}")
    return value.strip()


def region_prefix(ancestor: str) -> str:
    """Return the prefix every code in ``ancestor``'s subtree starts with."""
    if len(ancestor) == 6:
        if ancestor == "000000":
            return ""
        if ancestor.endswith("0000"):
            return ancestor[:2]
        if ancestor.endswith("00"):
            return ancestor[:4]
    return ancestor


def in_region(code: Any, ancestor: Any) -> bool:
    """Tell whether region ``code`` lies in ``ancestor``'s subtree (or is ``ancestor``)."""
    code, ancestor = _code(code, "code"), _code(ancestor, "ancestor")
    return code == ancestor or code.startswith(region_prefix(ancestor))


def days_between(a: Any, b: Any) -> int:
    """Count days from date ``a`` to date ``b``."""
    return (as_date(b) - as_date(a)).days


def years_between(a: Any, b: Any) -> int:
    """Count whole years from date ``a`` to date ``b``."""
    return whole_years(as_date(a), as_date(b))


def add_days(ts: Any, n: Any) -> dt.datetime:
    """Return midnight of the date ``n`` days after ``ts``'s date."""
    if isinstance(n, bool) or not isinstance(n, (int, float)) or n != int(n):
        raise ValueError(f"add_days needs a whole number of days, got {n!r}")
    try:
        return midnight(as_date(ts) + dt.timedelta(days=int(n)))
    except OverflowError:
        raise ValueError(f"adding {int(n)} days leaves the calendar") from None


def date(s: Any) -> dt.datetime:
    """Return midnight of a ``YYYY-MM-DD`` string (or of a timestamp's date)."""
    return midnight(as_date(s))


def length(x: Any) -> int:
    """Return the characters of a text, the items of a list or the entries of a map."""
    if isinstance(x, (str, list, tuple, dict)):
        return len(x)
    if x is None:
        raise ValueError("length of null (unanswered field?)")
    raise ValueError(f"length needs a text, a list or a map, got {type(x).__name__}")


@functools.lru_cache(maxsize=16)
def functions_for(today: dt.date) -> dict[str, Callable[..., Any]]:
    """Return the function table for contexts whose ``today`` is ``today``."""

    def age(x: Any) -> int:
        return whole_years(birth_date(x), today)

    return {
        "days_between": days_between,
        "years_between": years_between,
        "age": age,
        "in_region": in_region,
        "add_days": add_days,
        "date": date,
        "length": length,
    }
