"""Serial numbers: one upsert on PostgreSQL and SQLite, a locked read elsewhere — same numbers."""
import datetime as dt

import pytest
from sqlalchemy import select

from app.commands.applications import serials
from app.extensions import db
from app.models.application import SerialCounter

DAY, NEXT_DAY = dt.date(2026, 11, 20), dt.date(2026, 11, 21)
EXPECTED = ["440106-20261120-00001", "440106-20261120-00002", "440103-20261120-00001",
            "440106-20261121-00001", "440106-20261120-00003"]


def issue() -> list[str]:
    return [serials.next_serial("440106", DAY), serials.next_serial("440106", DAY),
            serials.next_serial("440103", DAY), serials.next_serial("440106", NEXT_DAY),
            serials.next_serial("440106", DAY)]


@pytest.mark.parametrize("upsert", [True, False], ids=["upsert", "locked_read"])
def test_both_ways_give_the_same_numbers(ctx, monkeypatch, upsert):
    if not upsert:  # as on a database without INSERT … ON CONFLICT … RETURNING
        monkeypatch.setattr(serials, "UPSERT_SINCE", {})
    assert issue() == EXPECTED
    db.session.commit()
    counters = {(c.region_code, c.day): c.last for c in db.session.scalars(select(SerialCounter))}
    assert counters == {("440106", DAY): 3, ("440103", DAY): 1, ("440106", NEXT_DAY): 1}


def test_a_rolled_back_submission_takes_its_number_back(ctx):
    assert serials.next_serial("440106", DAY) == "440106-20261120-00001"
    db.session.commit()
    serials.next_serial("440106", DAY)
    db.session.rollback()
    assert serials.next_serial("440106", DAY) == "440106-20261120-00002"
