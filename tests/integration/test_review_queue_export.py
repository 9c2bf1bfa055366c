"""A queue downloaded as CSV: the page's scope, filters and masking, formula cells neutralised,
a safe file name, capped, and recorded in the audit log."""
import csv
import datetime as dt
import io

from sqlalchemy import select, update

from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.validators import mask_id_number
from app.views.review import queue_export
from tests.integration.test_review_queries import row_ids, signed_in
from tests.integration.test_review_views import says
from tests.review_support import (HB1, LUBEI, LUNAN, SHIJIAZHUANG, TANGSHAN, fresh,  # noqa: F401
                                  hb1, reviewer, submitted, workday_clock)
from tests.support import make_user

ALICE_ID = "11010519491231002X"
EXPORT = "/review/export.csv"


def read_csv(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))


def serials(lines):
    return [line[0] for line in lines[1:]]


def exports(user=None):
    query = select(AuditEvent).where(AuditEvent.action == "queue.exported")
    if user is not None:
        query = query.where(AuditEvent.actor_id == user.id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def rename(application, name):
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(subject_name=name))
    db.session.commit()


def test_the_csv_is_the_page_scoped_masked_and_audited(app, hb1):
    mine = submitted(HB1, subject_id_number=ALICE_ID)
    other = submitted(HB1, LUNAN, subject_id_number=ALICE_ID)
    county_user = reviewer(LUBEI)
    county = signed_in(app, county_user)
    page = county.get("/review/pending").get_data(as_text=True)
    assert row_ids(page) == [mine.id] and 'class="btn btn-default btn-sm queue-export"' in page
    assert 'href="/review/export.csv?state=pending"' in page

    response = county.get(f"{EXPORT}?state=pending")
    lines = read_csv(response)
    assert lines[0] == [says(app, h) for h in (
        "Serial number", "Item", "Region", "Current step", "Submitted", "Step deadline",
        "Statutory deadline", "Status", "Applicant", "ID number", "Urged at")]
    assert serials(lines) == [mine.serial]  # 路南's application never appears
    assert other.serial not in response.get_data(as_text=True)
    line = lines[1]
    assert line[8] == "测**" and line[9] == mask_id_number(ALICE_ID) == "1101**********002X"
    assert ALICE_ID not in response.get_data(as_text=True)
    assert "测试人" not in response.get_data(as_text=True)
    # As the row on the page shows them.
    row = page.split(f'data-application="{mine.id}"', 1)[1].split("</tr>", 1)[0]
    assert f"<td>{line[8]}</td>" in row and f"<code>{line[9]}</code>" in row
    assert line[5] == str(fresh(mine).step_deadline) and line[6] == str(fresh(mine).deadline)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="review-pending-20260302.csv"; '
        "filename*=UTF-8''review-pending-20260302.csv")
    assert response.headers["Cache-Control"] == "no-store"

    [event] = exports(county_user)
    assert (event.object_type, event.object_id, event.region_code) == ("queue", "pending", LUBEI)
    assert event.detail == {"queue": "pending", "filters": {}, "applications": 1,
                            "capped": False}
    audit = signed_in(app, make_user("Admin", None)).get(f"/auditlog/show/{event.id}")
    assert audit.status_code == 200
    assert says(app, "Review queue downloaded as CSV") in audit.get_data(as_text=True)


def test_formula_cells_are_neutralised(app, hb1):
    made = [submitted(HB1) for _ in range(5)]
    for application, name in zip(made, ("=HYPERLINK(1)", "+SUM(A1)", "-2+3", "@cmd",
                                        "\tTAB")):
        rename(application, name)
    lines = read_csv(signed_in(app, reviewer(LUBEI)).get(f"{EXPORT}?state=pending"))
    assert sorted(line[8] for line in lines[1:]) == sorted(
        ["'=" + "*" * 12, "'+*******", "'-***", "'@***", "T**"])  # a tab is trimmed first


def test_the_filters_and_the_search_are_honoured_and_the_search_audited_masked(app, hb1):
    first = submitted(HB1, subject_id_number=ALICE_ID)
    later = submitted(HB1, at=dt.datetime(2026, 3, 3, 9, tzinfo=dt.timezone(
        dt.timedelta(hours=8))))
    county_user = reviewer(LUBEI)
    county = signed_in(app, county_user)
    assert serials(read_csv(county.get(f"{EXPORT}?state=pending"))) == [
        first.serial, later.serial]
    assert serials(read_csv(county.get(
        f"{EXPORT}?state=pending&submitted_from=2026-03-03"))) == [later.serial]
    assert serials(read_csv(county.get(f"{EXPORT}?state=pending&item=no_such_item"))) == []
    # The filter form sends its empty fields too: they filter nothing (they were a 400).
    empty = "q=&item=&submitted_from=&submitted_to="
    assert row_ids(county.get(f"/review/pending?{empty}").get_data(as_text=True)) == [
        first.id, later.id]
    assert serials(read_csv(county.get(f"{EXPORT}?state=pending&{empty}"))) == [
        first.serial, later.serial]
    assert serials(read_csv(county.get(f"{EXPORT}?state=pending&q={ALICE_ID}"))) == [
        first.serial]
    page = county.get(f"/review/pending?q={ALICE_ID}&submitted_to=2026-03-05").get_data(
        as_text=True)
    assert f"/review/export.csv?state=pending&amp;q={ALICE_ID}&amp;submitted_to=2026-03-05" \
        in page
    events = exports(county_user)
    assert [e.detail["filters"] for e in events] == [
        {}, {"submitted_from": "2026-03-03"}, {"item": "no_such_item"}, {},
        {"search": mask_id_number(ALICE_ID)}]
    assert [e.detail["applications"] for e in events] == [2, 1, 0, 2, 1]
    # Bad filters: the queue page saying what is wrong, nothing recorded.
    for bad in ("state=everything", "state=pending&status=approved", "state=pending&after=x_1",
                "state=pending&submitted_from=2026-03-05&submitted_to=2026-03-01", ""):
        response = county.get(f"{EXPORT}?{bad}")
        assert response.status_code == 400, bad
        assert response.mimetype == "text/html", bad
    assert len(exports(county_user)) == 5


def test_the_cap_cuts_the_file_and_the_audit_says_so(app, hb1, monkeypatch):
    made = [submitted(HB1) for _ in range(3)]
    monkeypatch.setattr(queue_export, "EXPORT_MAX_ROWS", 2)
    user = reviewer(LUBEI)
    lines = read_csv(signed_in(app, user).get(f"{EXPORT}?state=pending"))
    assert serials(lines) == [a.serial for a in made[:2]]
    assert exports(user)[-1].detail["capped"] is True


def test_supervision_exports_the_late_queues_of_the_subtree_only(app, hb1):
    here, there = submitted(HB1), submitted(HB1, LUNAN)
    far = submitted(HB1, "130102")  # 石家庄 长安区
    hb1.day(2026, 3, 30)
    admin_user = make_user("RegionAdmin", TANGSHAN)
    admin = signed_in(app, admin_user)
    lines = read_csv(admin.get(f"{EXPORT}?state=overdue"))
    assert sorted(serials(lines)) == sorted([here.serial, there.serial])
    assert far.serial not in str(lines)
    assert serials(read_csv(admin.get(f"{EXPORT}?state=due_soon"))) == []
    assert admin.get(f"{EXPORT}?state=pending").status_code == 403  # decides nothing
    assert admin.get(f"{EXPORT}?state=done").status_code == 403
    elsewhere = signed_in(app, reviewer(SHIJIAZHUANG))
    assert serials(read_csv(elsewhere.get(f"{EXPORT}?state=overdue"))) == [far.serial]
    citizen = signed_in(app, make_user("Citizen", LUBEI))
    assert citizen.get(f"{EXPORT}?state=overdue").status_code in (302, 403)


def test_english_headers(app, hb1):
    submitted(HB1)
    county = signed_in(app, reviewer(LUBEI))
    county.get("/lang/en")
    lines = read_csv(county.get(f"{EXPORT}?state=pending"))
    assert lines[0][:3] == ["Serial number", "Item", "Region"]
