"""Pages staff read around the review desk: the audit log names an application by its serial
number, and the working calendar deadlines are counted on is readable (not editable) by region
administrators and reviewers, its warning written with a full-width colon in Chinese."""
import datetime as dt

import pytest

from app.audit import record
from app.extensions import db
from app.models.application import Application
from app.models.calendar import CalendarDay
from app.workdays import today
from tests.review_support import HB1, LUBEI, publish, submitted, workday_clock  # noqa: F401
from tests.support import login, make_user


def test_the_audit_log_names_an_application_by_its_serial(ctx, workday_clock, client):
    publish(HB1)
    application = submitted(HB1, LUBEI)
    draft = Application(item_id=application.item_id, version_id=application.version_id,
                        region_code=LUBEI, applicant_id=application.applicant_id,
                        filer="self", answers={}, status="draft")
    db.session.add(draft)
    db.session.flush()
    served = record("application.submitted", "application", application.id, LUBEI)
    drafted = record("application.created", "application", draft.id, LUBEI)
    db.session.commit()
    make_user("RegionAdmin", "130200", username="ts_serial_ra")
    login(client, "ts_serial_ra")
    shown = client.get(f"/auditlog/show/{served.id}").get_data(as_text=True)
    assert f"申请 {application.serial}" in shown and f"申请 #{application.id}" not in shown
    listed = client.get("/auditlog/list/").get_data(as_text=True)
    assert f"申请 {application.serial}" in listed
    assert f"申请 #{draft.id}" in client.get(f"/auditlog/show/{drafted.id}").get_data(
        as_text=True)  # a draft has no serial yet: its id


@pytest.mark.parametrize("role", ["RegionAdmin", "Reviewer"])
def test_region_staff_read_the_working_calendar_without_changing_it(ctx, client, role):
    make_user(role, "130200", username="ts_cal_reader")
    login(client, "ts_cal_reader")
    years = client.get("/calendar/years/")
    assert years.status_code == 200
    html = years.get_data(as_text=True)
    assert "calendar-years" in html and "2024" in html
    assert "/calendar/years/import" not in html and "/calendar/years/official" not in html
    assert 'href="/calendar/add"' not in html
    assert client.get("/calendar/list/").status_code == 200
    assert client.get("/calendar/show/2024-10-01").status_code == 200
    for method, url in (("get", "/calendar/add"), ("get", "/calendar/edit/2024-10-01"),
                        ("post", "/calendar/delete/2024-10-01"),
                        ("post", "/calendar/years/official"),
                        ("post", "/calendar/years/import")):
        response = getattr(client, method)(url, data={"year": "2027", "csv": "x"}
                                           if method == "post" else None)
        assert response.status_code == 403, url
    assert db.session.get(CalendarDay, dt.date(2024, 10, 1)) is not None


def test_the_calendar_warning_has_a_full_width_colon_in_chinese(ctx, client):
    make_user("Admin", username="ts_cal_admin")
    login(client, "ts_cal_admin")
    html = client.get("/calendar/years/").get_data(as_text=True)
    assert "<strong>警告：</strong>" in html and "警告:" not in html
    assert str(today().year + 1) in html  # next year has no schedule in the test data
    client.get("/lang/en")
    assert "<strong>Warning:</strong>" in client.get("/calendar/years/").get_data(as_text=True)
