"""已催办 in the review queues: a row whose current step the applicant urged is marked (the time
in its title), the CSV says when, 只看已催办 filters the queue; the mark goes when the step
changes. Read from application.step_urged_at, a column of the row the queue already reads.

HB-1's 受理 (路北区, 3 working days) starts Monday 2026-03-02, overdue from Friday 03-06.
"""
import csv
import io
import re
from html import unescape

from app.commands.applications.urge import UrgeApplicationCommand
from app.commands.reviews import ApproveCommand
from tests.integration.test_review_queries import QUERY_BUDGET, counted, row_ids
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import login


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def urged_rows(html: str) -> list[int]:
    return [int(x) for x in re.findall(
        r'data-application="(\d+)"(?:(?!</tr>).)*?queue-urged', html, re.S)]


def test_queue_rows_mark_what_the_applicant_urged_at_its_current_step(app, hb1):
    county = reviewer(LUBEI)
    urged, quiet = submitted(HB1, LUBEI), submitted(HB1, LUBEI)
    hb1.day(2026, 3, 6)
    UrgeApplicationCommand(urged, urged.applicant).run()
    assert fresh(urged).step_urged_at is not None and fresh(quiet).step_urged_at is None
    web = signed_in(app, county)

    for url in ("/review/pending", "/review/late?state=overdue"):
        page = unescape(web.get(url).get_data(as_text=True))
        assert sorted(row_ids(page)) == sorted([urged.id, quiet.id]), url
        assert urged_rows(page) == [urged.id], url
        assert 'title="申请人于 2026-03-06 10:00 催办">已催办</span>' in page, url
    english = unescape(web.get("/review/pending?_l_=en").get_data(as_text=True))
    assert 'title="Urged by the applicant at 2026-03-06 10:00">Urged</span>' in english

    only = web.get("/review/pending?urged=1").get_data(as_text=True)
    assert row_ids(only) == [urged.id] and 'name="urged" value="1" checked' in only
    late_only = web.get("/review/late?state=overdue&urged=1").get_data(as_text=True)
    assert row_ids(late_only) == [urged.id]
    bad = web.get("/review/pending?urged=yes")
    assert bad.status_code == 400 and "只看已催办" in bad.get_data(as_text=True)

    exported = web.get("/review/export.csv?state=pending")
    lines = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0][-1] == "已催办"
    english_csv = web.get("/review/export.csv?state=pending&_l_=en").get_data(as_text=True)
    assert english_csv.splitlines()[0].endswith(",Urged at")
    by_serial = {line[0]: line[-1] for line in lines[1:]}
    assert by_serial == {fresh(urged).serial: "2026-03-06 10:00", fresh(quiet).serial: ""}
    filtered = web.get("/review/export.csv?state=pending&urged=1").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(filtered.lstrip("\ufeff"))))) == 2

    ApproveCommand(urged.id, county, "ok", None).run()  # on to 唐山's step: not urged there
    assert fresh(urged).step_urged_at is None
    city = signed_in(app, reviewer(TANGSHAN))
    page = city.get("/review/pending").get_data(as_text=True)
    assert row_ids(page) == [urged.id] and urged_rows(page) == []


def test_the_mark_costs_no_query(app, hb1):
    county = reviewer(LUBEI)
    applications = [submitted(HB1, LUBEI) for _ in range(6)]
    hb1.day(2026, 3, 6)
    for application in applications[::2]:
        UrgeApplicationCommand(application, application.applicant).run()
    web = signed_in(app, county)
    web.get("/review/pending")  # warm the caches that outlive a request
    for url in ("/review/pending", "/review/pending?urged=1", "/review/late?state=overdue"):
        with counted(app) as statements:
            page = web.get(url).get_data(as_text=True)
        assert sorted(urged_rows(page)) == sorted(a.id for a in applications[::2]), url
        assert len(statements) <= QUERY_BUDGET, (url, statements)
        assert not any("application_urge" in s for s in statements), url
