"""What the dashboard shows: the filters, one row of figures per group, and the whole page."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from app.models.region import Region

#: The statuses a submitted application can have, in the order the dashboard shows them.
STATUSES = ("submitted", "returned", "approved", "refused", "withdrawn")
OPEN = ("submitted", "returned")
DECIDED = ("approved", "refused")
#: The drill-down row of applications filed at the chosen region itself.
ITSELF = ""


@dataclass(frozen=True)
class Filters:
    submitted_from: Optional[dt.date] = None  # Asia/Shanghai days, both ends included
    submitted_to: Optional[dt.date] = None
    item: Optional[str] = None  # an item code (a variant's applications count under its code)


@dataclass
class Row:
    """The figures of one group (an item, a child region, or everything)."""

    key: str
    label: str = ""
    statuses: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    with_deadline: int = 0  # the overdue rate's denominator
    returns: int = 0
    median_days: Optional[float] = None

    @property
    def applications(self) -> int:
        return sum(self.statuses.values())

    @property
    def open(self) -> int:
        return sum(self.statuses.get(status, 0) for status in OPEN)

    @property
    def decided(self) -> int:
        return sum(self.statuses.get(status, 0) for status in DECIDED)

    @property
    def overdue_rate(self) -> Optional[float]:
        """Overdue share in per cent, or None when nothing here has a deadline."""
        return 100.0 * self.overdue / self.with_deadline if self.with_deadline else None

    @property
    def returns_per_100(self) -> Optional[float]:
        return 100.0 * self.returns / self.applications if self.applications else None

    def add(self, status: str, count: int, overdue: int, with_deadline: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + count
        self.overdue += overdue
        self.with_deadline += with_deadline


@dataclass
class Figures:
    region: Optional[Region]  # None: the whole country
    totals: Row
    by_item: list[Row]
    by_region: list[Row]

    @property
    def by_status(self) -> list[tuple[str, int]]:
        return [(status, self.totals.statuses.get(status, 0)) for status in STATUSES]
