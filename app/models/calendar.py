"""The working-day calendar as data: holidays and make-up working days (调休), per year."""
from datetime import date, datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Scope, UtcDateTime, app_now

HOLIDAY, WORKDAY = "holiday", "workday"
KINDS = (HOLIDAY, WORKDAY)
LIBRARY, ADMIN = "chinese-calendar", "admin"
OFFICIAL, PROVISIONAL = "official", "provisional"


class CalendarDay(Model):
    """An exception to the Monday–Friday week: a holiday, or a working day on a weekend.

    Ordinary weekdays and weekends are computed, never stored.
    """

    __tablename__ = "calendar_day"
    __table_args__ = (
        CheckConstraint("kind IN ('holiday', 'workday')", name="ck_calendar_day_kind"),
        CheckConstraint("source IN ('chinese-calendar', 'admin')", name="ck_calendar_day_source"),
    )
    __scope__ = Scope(staff_readable=True)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20), default=ADMIN)

    def __repr__(self) -> str:
        return f"{self.day.isoformat()} {self.kind} {self.name}"


class CalendarYear(Model):
    """A year's state: 'official' once its State Council schedule is loaded."""

    __tablename__ = "calendar_year"
    __table_args__ = (
        CheckConstraint("status IN ('official', 'provisional')", name="ck_calendar_year_status"),
    )
    __scope__ = Scope(staff_readable=True)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(12), default=PROVISIONAL)
    note: Mapped[Optional[str]] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now, onupdate=app_now)

    def __repr__(self) -> str:
        return f"{self.year} ({self.status})"
