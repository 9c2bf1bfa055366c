"""Serial numbers ``<region>-<YYYYMMDD>-<NNNNN>``: unique, increasing per region and day.

The counter row of (region, day) is read ``FOR UPDATE``: concurrent submissions in one region
wait for each other's commit (PostgreSQL), so no two get the same number and none is skipped
unless a transaction rolls back. SQLite serialises writing transactions anyway (and ignores
FOR UPDATE). The first submission of a day inserts the row inside a savepoint; losing that race
to another transaction just means locking the row it inserted.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.application import SerialCounter

WIDTH = 5


def format_serial(region_code: str, day: dt.date, number: int) -> str:
    return f"{region_code}-{day:%Y%m%d}-{number:0{WIDTH}d}"


def _locked(region_code: str, day: dt.date):
    return db.session.scalar(
        select(SerialCounter).where(SerialCounter.region_code == region_code,
                                    SerialCounter.day == day)
        .with_for_update().execution_options(populate_existing=True))


def next_serial(region_code: str, day: dt.date) -> str:
    """Return the next serial number of ``region_code`` on ``day`` (in the caller's transaction)."""
    counter = _locked(region_code, day)
    if counter is None:
        try:
            with db.session.begin_nested():
                db.session.add(SerialCounter(region_code=region_code, day=day, last=0))
        except IntegrityError:
            pass  # another transaction created it first: lock theirs
        counter = _locked(region_code, day)
    counter.last += 1
    db.session.flush()
    return format_serial(region_code, day, counter.last)
