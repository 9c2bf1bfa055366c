"""Serial numbers ``<region>-<YYYYMMDD>-<NNNNN>``: unique, increasing per region and day.

The counter row of (region, day) is incremented by one statement, ``INSERT … ON CONFLICT DO
UPDATE SET last = last + 1 RETURNING last``: the first submission of a day creates the row, every
later one increments it. On PostgreSQL the statement keeps the row locked until the transaction
ends, so concurrent submissions in one region wait for each other's commit: no two get the same
number and none is skipped unless a transaction rolls back (which takes its increment back with
it). SQLite serialises writing transactions anyway. Other databases (and SQLite before 3.35)
read the row ``FOR UPDATE``.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, bindparam, select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.application import SerialCounter

WIDTH = 5
#: The same upsert on both databases; as text it is compiled once (SQLAlchemy cannot cache the
#: compiled form of its ``on_conflict_do_update`` constructs).
_UPSERT = text(
    f"INSERT INTO {SerialCounter.__tablename__} (region_code, day, last) "
    "VALUES (:region_code, :day, 1) ON CONFLICT (region_code, day) "
    f"DO UPDATE SET last = {SerialCounter.__tablename__}.last + 1 RETURNING last",
).bindparams(bindparam("day", type_=Date())).columns(last=Integer())
#: Where that statement runs; others lock the row with SELECT … FOR UPDATE.
UPSERT_SINCE = {"postgresql": (9, 5), "sqlite": (3, 35)}  # ON CONFLICT; SQLite's RETURNING


def format_serial(region_code: str, day: dt.date, number: int) -> str:
    return f"{region_code}-{day:%Y%m%d}-{number:0{WIDTH}d}"


def _locked(region_code: str, day: dt.date):
    return db.session.scalar(
        select(SerialCounter).where(SerialCounter.region_code == region_code,
                                    SerialCounter.day == day)
        .with_for_update().execution_options(populate_existing=True))


def _increment_locked(region_code: str, day: dt.date) -> int:
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
    return counter.last


def next_serial(region_code: str, day: dt.date) -> str:
    """Return the next serial number of ``region_code`` on ``day`` (in the caller's transaction)."""
    dialect = db.session.get_bind().dialect
    since = UPSERT_SINCE.get(dialect.name)
    if since is None or (dialect.server_version_info or (0,)) < since:
        return format_serial(region_code, day, _increment_locked(region_code, day))
    number = db.session.execute(_UPSERT, {"region_code": region_code, "day": day}).scalar_one()
    return format_serial(region_code, day, number)
