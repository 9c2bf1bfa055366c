"""Urges (催办): an applicant asking the office to decide an application that is overdue.

One row per urge, at most one per application and working day (``day``: the working day the
urge counts for, app.commands.applications.urge), so that two urges at once cannot both be
recorded. The history event (``application.urged``) and the reviewers' in-app notifications are
written with the row.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UtcDateTime, app_now


class ApplicationUrge(Model):
    """An applicant's urge of an overdue application at its current step."""

    __tablename__ = "application_urge"
    __table_args__ = (UniqueConstraint("application_id", "day",
                                       name="uq_application_urge_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"))
    step_key: Mapped[Optional[str]] = mapped_column(String(60))
    round: Mapped[int] = mapped_column(Integer, default=0)
    #: The working day it counts for: the day itself, or the next working day after a holiday.
    day: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
