"""When a year's schedule is plausible enough to be official: the statutory holidays are in it.

The State Council's notice each November (国务院办公厅关于某年部分节假日安排的通知) gives the
days of every statutory holiday (《全国年节及纪念日放假办法》): since 2008 seven of them — 元旦,
春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节; before 2008 清明, 端午 and 中秋 were not holidays. A
schedule that leaves one out is a partial entry, not the notice: the year stays provisional and
its deadlines are marked so. Days are recognised by name, as the notice and chinese-calendar name
them (Chinese or English). When 中秋 falls in the 国庆 holiday the notice gives them together as
eight days or more (2020, 2025): such a 国庆 holiday counts for 中秋 too.

Each holiday must also have at least its statutory number of days (the notice adds the weekends
and shifted days around them): since 2025, 13 days — 元旦 1, 春节 4, 清明节 1, 劳动节 2, 端午节 1,
中秋节 1, 国庆节 3 (国务院令第795号, 2024); from 2008 to 2024, 11 — 春节 3 and 劳动节 1; before
2008, 10 — 元旦 1, 春节 3, 劳动节 3, 国庆节 3. A 春节 of three days in 2027 is a partial entry.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from flask_babel import lazy_gettext as _l

#: (key, label, names that identify its days (lower case), first year it is a holiday)
STATUTORY_HOLIDAYS = (
    ("new_year", _l("New Year's Day (元旦)"), ("元旦", "new year"), 2000),
    ("spring", _l("Spring Festival (春节)"), ("春节", "spring festival"), 2000),
    ("qingming", _l("Tomb-sweeping Day (清明节)"), ("清明", "tomb-sweeping", "qingming"), 2008),
    ("labour", _l("Labour Day (劳动节)"), ("劳动", "labour", "labor", "五一"), 2000),
    ("dragon_boat", _l("Dragon Boat Festival (端午节)"), ("端午", "dragon boat"), 2008),
    ("mid_autumn", _l("Mid-autumn Festival (中秋节)"), ("中秋", "mid-autumn"), 2008),
    ("national", _l("National Day (国庆节)"), ("国庆", "national day"), 2000),
)
#: Statutory days per holiday, by the first year of each revision of 《全国年节及纪念日放假办法》.
STATUTORY_DAYS = (
    (2025, {"new_year": 1, "spring": 4, "qingming": 1, "labour": 2, "dragon_boat": 1,
            "mid_autumn": 1, "national": 3}),
    (2008, {"new_year": 1, "spring": 3, "qingming": 1, "labour": 1, "dragon_boat": 1,
            "mid_autumn": 1, "national": 3}),
    (2000, {"new_year": 1, "spring": 3, "labour": 3, "national": 3}),
)
#: A 国庆 holiday this long holds 中秋 (the notice names them together).
MERGED_NATIONAL_DAYS = 8


def _holidays_named(names: Iterable[tuple[date, str]]) -> dict[str, int]:
    """Count, per statutory holiday, the days whose name mentions it."""
    counts: dict[str, int] = {}
    for _day, name in names:
        text = (name or "").lower()
        for key, _label, words, _since in STATUTORY_HOLIDAYS:
            if any(word in text for word in words):
                counts[key] = counts.get(key, 0) + 1
    return counts


def missing_statutory_holidays(year: int, holidays: Iterable[tuple[date, str]]) -> list[str]:
    """Return the labels of the statutory holidays of ``year`` that no holiday day names.

    :param holidays: the year's holiday days as ``(day, name)`` (make-up days not included).
    """
    counts = _holidays_named(holidays)
    if counts.get("national", 0) >= MERGED_NATIONAL_DAYS:
        counts.setdefault("mid_autumn", 1)
    return [str(label) for key, label, _words, since in STATUTORY_HOLIDAYS
            if year >= since and not counts.get(key)]


def statutory_days(year: int) -> dict[str, int]:
    """Return the statutory days of each holiday of ``year`` by key."""
    return next((days for since, days in STATUTORY_DAYS if year >= since), STATUTORY_DAYS[-1][1])


def short_statutory_holidays(year: int, holidays: Iterable[tuple[date, str]]) -> list[str]:
    """Return "label: n of m days" for each holiday named on fewer days than the law gives it
    (a holiday named on no day is :func:`missing_statutory_holidays`'s)."""
    counts = _holidays_named(holidays)
    merged = counts.get("national", 0) >= MERGED_NATIONAL_DAYS
    required = statutory_days(year)
    if merged:  # 中秋 within 国庆: the holiday holds the days of both
        required = {**required, "national": required["national"] + required.get("mid_autumn", 0)}
    return [str(SHORT_ITEM % {"holiday": label, "days": counts[key], "required": required[key]})
            for key, label, _words, _since in STATUTORY_HOLIDAYS
            if counts.get(key) and counts[key] < required.get(key, 0)
            and not (merged and key == "mid_autumn")]


def statutory_problem(year: int, holidays: Iterable[tuple[date, str]]):
    """Return why ``year``'s holidays cannot make it official, in the current language, or
    None: a statutory holiday named on no day, or on fewer days than the law gives it."""
    holidays = list(holidays)
    missing = missing_statutory_holidays(year, holidays)
    if missing:
        return incomplete_message(year, missing)
    short = short_statutory_holidays(year, holidays)
    if short:
        return str(SHORT % {"year": year, "short": str(_l(", ")).join(short),
                            "total": sum(statutory_days(year).values())})
    return None


SHORT_ITEM = _l("%(holiday)s %(days)s of %(required)s days")
SHORT = _l("%(year)s cannot be official yet: %(short)s. The statutory holidays of %(year)s "
           "come to %(total)s days (元旦 1, 春节 4, 清明节 1, 劳动节 2, 端午节 1, 中秋节 1, "
           "国庆节 3 since 2025); name every day of each holiday after it, as the State "
           "Council's notice gives them.")
INCOMPLETE = _l("%(year)s cannot be official yet: its schedule names no day of %(missing)s. "
                "The State Council's notice gives the days of every statutory holiday; name each "
                "holiday's days after it (e.g. 2027-10-01,holiday,国庆节).")


def incomplete_message(year: int, missing: list[str]) -> str:
    """Say which statutory holidays a year's schedule lacks, in the current language."""
    return str(INCOMPLETE % {"year": year, "missing": str(_l(", ")).join(missing)})
