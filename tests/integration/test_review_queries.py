"""The review queues in FAB's layout: scope (B1, B2), scoped counts, filters, keyset pages,
badges, and a fixed number of SQL queries per page whatever the number of rows."""
import datetime as dt
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.commands.reviews import ApproveCommand
from app.extensions import db
from app.validators import mask_name
from tests.applications_support import ALICE_ID
from tests.review_support import (CST, HB1, LUBEI, LUNAN, MONDAY, SHIJIAZHUANG,  # noqa: F401
                                  TANGSHAN, fresh, hb1, publish, reviewer, submitted,
                                  workday_clock)
from tests.support import login

QUERY_BUDGET = 8


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def row_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-application="(\d+)"', html)]


def shown_count(html: str) -> int:
    return int(re.search(r'class="queue-count">[^<]*?(\d+)', html).group(1))


def next_link(html: str):
    found = re.search(r'<a href="([^"]+)" rel="next"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@contextmanager
def counted(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engines[None] if hasattr(db, "engines") else db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_pending_shows_only_the_users_rows_and_scoped_counts(app, hb1):
    mine = [submitted(HB1, LUBEI), submitted(HB1, LUBEI)]
    sibling = submitted(HB1, LUNAN)
    other_city = submitted(HB1, "130102")
    county = signed_in(app, reviewer(LUBEI))
    html = county.get("/review/pending").get_data(as_text=True)
    assert sorted(row_ids(html)) == sorted(a.id for a in mine)
    assert shown_count(html) == 2
    assert mask_name("测试人") in html and "测试人" not in html
    for region, expected in ((LUNAN, [sibling.id]), (SHIJIAZHUANG, []), (TANGSHAN, [])):
        client = signed_in(app, reviewer(region))
        for url in ("/review/pending", "/review/done", "/review/late?state=overdue",
                    "/review/late?state=due_soon"):
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.get_data(as_text=True)
            ids = row_ids(page)
            if url == "/review/pending":
                assert ids == expected, (region, url)
            assert not set(ids) & {a.id for a in mine}, (region, url)
            assert other_city.id not in ids or region == SHIJIAZHUANG
            assert shown_count(page) == len(ids)


def test_done_lists_my_decisions_and_late_queues_show_badges(app, hb1):
    county_user = reviewer(LUBEI)
    first, second = submitted(HB1), submitted(HB1)
    ApproveCommand(first.id, county_user, "ok", fresh(first).lock_version).run()
    county = signed_in(app, county_user)
    done = county.get("/review/done").get_data(as_text=True)
    assert row_ids(done) == [first.id] and shown_count(done) == 1
    # MONDAY + 3 working days is Thursday: a 3-day step is due soon on that day only
    # (app.workflow.deadlines.due_soon_days), on Friday overdue.
    hb1.day(2026, 3, 5)
    due = county.get("/review/late?state=due_soon").get_data(as_text=True)
    assert row_ids(due) == [second.id] and "deadline-due-soon" in due
    assert "label-warning" in county.get("/review/pending").get_data(as_text=True)
    hb1.day(2026, 3, 6)
    late = county.get("/review/late?state=overdue").get_data(as_text=True)
    assert row_ids(late) == [second.id] and "deadline-overdue" in late and "label-danger" in late
    # The city supervises its counties' late steps (not its own to decide).
    city = signed_in(app, reviewer(TANGSHAN))
    assert second.id in row_ids(city.get("/review/late?state=overdue").get_data(as_text=True))
    # … while its own pending queue holds only the step it decides (the approved first one).
    assert row_ids(city.get("/review/pending").get_data(as_text=True)) == [first.id]
    assert row_ids(signed_in(app, reviewer(LUNAN)).get(
        "/review/late?state=overdue").get_data(as_text=True)) == []


def test_filters_by_item_date_and_status(app, hb1):
    publish("maternity_allowance")
    chronic = submitted(HB1, LUBEI, at=MONDAY)
    later = submitted(HB1, LUBEI, at=MONDAY + dt.timedelta(days=2))
    county = signed_in(app, reviewer(LUBEI))
    page = county.get("/review/pending").get_data(as_text=True)
    # The item select offers the items in scope: Hebei's, not Guangdong's maternity allowance.
    assert 'value="chronic_disease_outpatient"' in page
    assert 'value="maternity_allowance"' not in page
    assert row_ids(county.get("/review/pending?item=maternity_allowance")
                   .get_data(as_text=True)) == []
    assert sorted(row_ids(county.get(f"/review/pending?item={HB1}").get_data(
        as_text=True))) == sorted([chronic.id, later.id])
    only_later = county.get("/review/pending?submitted_from=2026-03-04").get_data(as_text=True)
    assert row_ids(only_later) == [later.id] and shown_count(only_later) == 1
    assert row_ids(county.get("/review/pending?submitted_from=2026-03-02&submitted_to=2026-03-02")
                   .get_data(as_text=True)) == [chronic.id]
    assert row_ids(county.get("/review/pending?status=approved").get_data(as_text=True)) == []
    for bad in ("item=x%27%20OR%201%3D1", "status=everything", "submitted_from=yesterday",
                "colour=red", "after=nonsense!", "limit=0", "after=2026-01-01_x"):
        response = county.get(f"/review/pending?{bad}")
        assert response.status_code == 400, bad
        assert "SELECT" not in response.get_data(as_text=True)


def test_keyset_pages_carry_the_cursor_and_come_back(app, hb1):
    created = [submitted(HB1) for _ in range(5)]
    county = signed_in(app, reviewer(LUBEI))
    first = county.get("/review/pending?limit=2").get_data(as_text=True)
    assert row_ids(first) == [a.id for a in created[:2]] and shown_count(first) == 5
    assert "offset" not in first.lower() and "page=" not in first
    url = next_link(first)
    assert "after=" in url
    second = county.get(url).get_data(as_text=True)
    assert row_ids(second) == [a.id for a in created[2:4]]
    third = county.get(next_link(second)).get_data(as_text=True)
    assert row_ids(third) == [created[4].id] and next_link(third) is None
    back = re.search(r'<a href="([^"]+)" rel="prev"', third).group(1).replace("&amp;", "&")
    assert row_ids(county.get(back).get_data(as_text=True)) == [a.id for a in created[2:4]]


@pytest.mark.parametrize("rows", [10, 200])
def test_a_queue_page_costs_a_fixed_number_of_queries(app, hb1, rows):
    for index in range(rows):
        submitted(HB1, LUBEI, subject_id_number=ALICE_ID if index == 0 else None)
    user = reviewer(LUBEI)
    ApproveCommand(fresh(submitted(HB1)).id, user, "ok", None).run()
    county = signed_in(app, user)
    county.get("/review/pending")  # warm caches that live longer than a request (calendar)
    measured = {}
    urls = ["/review/pending", "/review/pending?limit=200", "/review/done",
            f"/review/pending?item={HB1}&after=2026-03-05_1", "/review/late?state=overdue",
            "/review/late?state=due_soon"]
    for index, url in enumerate(urls):
        if url.startswith("/review/late"):
            hb1.day(2026, 3, 10 if url.endswith("overdue") else 5)  # every step late / due
        with counted(app) as statements:
            response = county.get(url)
        assert response.status_code == 200, url
        assert url.startswith("/review/pending?item") or row_ids(response.get_data(as_text=True))
        measured[url] = len(statements)
        assert len(statements) <= QUERY_BUDGET, (url, len(statements), statements)
    print(f"queries per queue page with {rows} applications: {measured}")
    page = county.get("/review/pending?limit=200").get_data(as_text=True)
    assert len(row_ids(page)) == min(rows, 200) and ALICE_ID not in page
