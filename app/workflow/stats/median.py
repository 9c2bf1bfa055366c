"""Median processing time in working days, read off a histogram of whole days.

``working_days_taken`` is written when an application is approved or refused (working days
from submission to closing, the days with the citizen after a return left out;
app.workflow.deadlines.stop). The histogram (app.workflow.stats.grouping) already counts the
applications per whole day, so the median needs no sort of applications on either database:
the median of N values is the mean of the smallest day whose cumulative count ``cum`` has
2·cum ≥ N and of the smallest with 2·cum > N — exactly what ``percentile_cont(0.5)`` gives.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import Float, case, cast, func, literal_column, select

from app.workflow.stats.rows import DECIDED

#: The groupings a median is given for: per item code, per child region, and over all.
KEYS = ("item", "child", None)


def medians(histogram, key: Optional[str]):
    """Return SELECT (kind, key, median) of the decided applications' working days per ``key``
    ("item", "child", or None for all) from the histogram CTE's columns ``days``, ``status``
    and ``n``; ``kind`` is ``key`` or "all"."""
    days, count = histogram.c.days, func.sum(histogram.c.n)
    column = histogram.c[key] if key else literal_column("''")
    partition = {"partition_by": column} if key else {}
    cumulative = (select(column.label("key"), days.label("days"),
                         func.sum(count).over(order_by=days, **partition).label("cum"),
                         func.sum(count).over(**partition).label("total"))
                  .where(histogram.c.status.in_(DECIDED), days.is_not(None))
                  .group_by(*((column,) if key else ()), days).subquery())
    lower = func.min(case((2 * cumulative.c.cum >= cumulative.c.total, cumulative.c.days)))
    upper = func.min(case((2 * cumulative.c.cum > cumulative.c.total, cumulative.c.days)))
    return (select(literal_column(f"'{key or 'all'}'").label("kind"), cumulative.c.key,
                   cast((lower + upper) / 2.0, Float))
            .group_by(cumulative.c.key))
