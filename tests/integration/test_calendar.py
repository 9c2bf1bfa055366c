"""The working-day calendar as data: seeded, extended by an administrator, never a 500."""
from datetime import date
import re

import pytest
import sqlalchemy as sa
from flask import g

from app.commands.calendar import (CalendarError, CalendarImportError, SetCalendarYearCommand,
                                   import_calendar_csv, load_calendar)
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.calendar import CalendarDay, CalendarYear
from app.workdays import add_working_days, current_calendar, is_working_day, today
from tests.calendar_support import HOLIDAYS_2027, schedule_csv, schedule_rows
from tests.support import login, make_user

# 2026-12-20 is a Sunday. Working days after it: Dec 21–25 (1–5), Dec 28–31 (6–9), then
# 2027-01-01, a Friday, is the 10th when 2027 counts weekends only (provisional). Once 元旦
# 2027-01-01 is a holiday, the 10th working day is Monday 2027-01-04: one working day later.
LATE_2026, WEEKENDS_ONLY, WITH_NEW_YEAR = date(2026, 12, 20), date(2027, 1, 1), date(2027, 1, 4)
WARNING = "has no official holiday schedule"


def test_seeded_from_chinese_calendar(ctx):
    assert add_working_days(date(2024, 9, 30), 1) == (date(2024, 10, 8), False)  # 国庆 skipped
    assert is_working_day(date(2024, 9, 29))  # Sunday make-up day (调休)
    national_day = db.session.get(CalendarDay, date(2026, 10, 1))
    assert (national_day.kind, national_day.name, national_day.source) == (
        "holiday", "国庆节", "chinese-calendar")
    assert is_working_day(date(2026, 10, 10)) and not is_working_day(date(2026, 10, 7))
    years = dict(db.session.execute(sa.select(CalendarYear.year, CalendarYear.status)).all())
    assert years == {year: "official" for year in range(2004, 2027)}


def test_load_is_idempotent(ctx):
    result = load_calendar()
    assert (result.added, result.updated, result.removed) == (0, 0, 0)
    assert result.years == list(range(2004, 2027))


def test_deadline_into_a_year_without_schedule_is_provisional_until_set(ctx):
    assert add_working_days(LATE_2026, 10) == (WEEKENDS_ONLY, True)
    SetCalendarYearCommand(2027, *schedule_rows()).run()
    assert add_working_days(LATE_2026, 10) == (WITH_NEW_YEAR, False)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "calendar.set_year"))
    assert event.object_id == "2027" and event.detail == {"days": 31}
    assert load_calendar().added == 0  # the library never touches 2027


def test_set_year_refuses_a_weekday_make_up_day(ctx):
    with pytest.raises(CalendarError, match="weekday"):
        SetCalendarYearCommand(2027, holidays=[(date(2027, 1, 1), "元旦")],
                               workdays=[(date(2027, 1, 5), "元旦调休")]).run()
    assert db.session.get(CalendarYear, 2027) is None


@pytest.mark.parametrize("text, line, message", [
    ("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-3O,holiday,春节\n", 3, "not a date"),
    ("2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n", 2, "given twice"),
    ("2027-01-01,holiday,元旦\n\n2028-01-01,holiday,元旦\n", 3, "is not in 2027"),
    ("2027-01-01,holiday,元旦\n2027-02-07,festival,春节\n", 2, "kind must be"),
    ("2027-01-01,holiday,元旦\n2027-02-08,workday,春节调休\n", 2, "weekday"),
    ("2027-01-01,holiday\n", 1, "expected 3 columns"),
])
def test_csv_errors_name_the_line_and_change_nothing(ctx, text, line, message):
    with pytest.raises(CalendarImportError) as error:
        import_calendar_csv(text, "2027.csv")
    assert str(error.value).startswith(f"2027.csv:{line}: ") and message in str(error.value)
    assert db.session.get(CalendarYear, 2027) is None
    assert db.session.get(CalendarDay, date(2027, 1, 1)) is None


def test_cli_import_and_check(runner, ctx, tmp_path):
    assert runner.invoke(args=["calendar", "check", "--today", "2026-11-23"]).exit_code == 1
    quiet = runner.invoke(args=["calendar", "check", "--today", "2026-06-01"])
    assert quiet.exit_code == 0 and "2027: no official holiday schedule" in quiet.output
    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,holiday,元旦\n2027-01-02,holliday,元旦\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(bad)])
    assert result.exit_code == 1 and f"{bad}:2:" in result.output
    good = tmp_path / "2027.csv"
    good.write_text(schedule_csv() + "# 春节\n2027-02-20,workday,春节调休\n", encoding="utf-8")
    assert runner.invoke(args=["calendar", "import", str(good)]).exit_code == 0
    done = runner.invoke(args=["calendar", "check", "--today", "2026-11-23"])
    assert done.exit_code == 0 and "complete" in done.output
    assert is_working_day(date(2027, 2, 20)) and add_working_days(LATE_2026, 10).date == WITH_NEW_YEAR
    assert db.session.get(CalendarYear, 2027).note == "2027.csv"  # the file's name, no prose


def test_cache_sees_changes_made_elsewhere(ctx):
    assert current_calendar().is_working_day(date(2027, 1, 1))
    # Another worker process writes, as every write does, touching the year.
    db.session.execute(sa.insert(CalendarDay).values(
        day=date(2027, 1, 1), kind="holiday", name="元旦", source="admin"))
    db.session.execute(sa.insert(CalendarYear).values(year=2027, status="provisional",
                                                      updated_at=sa.func.now()))
    db.session.commit()
    assert not current_calendar().is_working_day(date(2027, 1, 1))


def _admin(client):
    make_user("Admin", username="cal_admin")
    login(client, "cal_admin")
    client.get("/lang/en")


def test_admin_page_warns_about_next_year(client, ctx):
    _admin(client)
    html = client.get("/calendar/years/").get_data(as_text=True)
    assert f"{today().year + 1} {WARNING}: deadlines crossing into {today().year + 1}" in html
    assert "chinese-calendar" in html


def test_admin_enters_a_day_and_marks_the_year_official(client, ctx):
    _admin(client)
    response = client.post("/calendar/add", data={"day": "2027-01-01", "kind": "holiday",
                                                   "name": "元旦"})
    assert response.status_code == 302
    row = db.session.get(CalendarDay, date(2027, 1, 1))
    assert row.source == "admin" and db.session.get(CalendarYear, 2027).status == "provisional"
    assert add_working_days(LATE_2026, 10) == (WITH_NEW_YEAR, True)  # still provisional
    refused = client.post("/calendar/add", data={"day": "2027-01-05", "kind": "workday",
                                                  "name": "x"}, follow_redirects=True)
    assert "weekday" in refused.get_data(as_text=True)
    assert db.session.get(CalendarDay, date(2027, 1, 5)) is None
    refused = client.post("/calendar/years/official", data={"year": "2028"}, follow_redirects=True)
    assert "Enter the holidays of 2028" in refused.get_data(as_text=True)
    assert db.session.get(CalendarYear, 2028) is None
    refused = client.post("/calendar/years/official", data={"year": "2027"}, follow_redirects=True)
    assert "2027 cannot be official yet" in refused.get_data(as_text=True)
    assert db.session.get(CalendarYear, 2027).status == "provisional"
    db.session.add_all(CalendarDay(day=date.fromisoformat(day), kind="holiday", name=name,
                                   source="admin") for day, name in HOLIDAYS_2027[1:])
    db.session.commit()
    client.post("/calendar/years/official", data={"year": "2027", "note": "国办发明电"})
    db.session.expire_all()
    assert db.session.get(CalendarYear, 2027).status == "official"
    assert add_working_days(LATE_2026, 10) == (WITH_NEW_YEAR, False)
    html = client.get("/calendar/years/").get_data(as_text=True)
    assert f"2027 {WARNING}" not in html and "国办发明电" in html
    client.post("/calendar/edit/2027-01-01", data={"kind": "holiday", "name": "元旦节"})
    db.session.expire_all()
    assert db.session.get(CalendarDay, date(2027, 1, 1)).name == "元旦节"
    client.post("/calendar/delete/2027-01-01")
    assert db.session.get(CalendarDay, date(2027, 1, 1)) is None
    assert add_working_days(LATE_2026, 10).date == WEEKENDS_ONLY


def test_admin_pastes_a_schedule(client, ctx):
    _admin(client)
    html = client.post("/calendar/years/import", data={"csv": "2027-01-01,holiday,元旦\nbad"},
                       follow_redirects=True).get_data(as_text=True)
    assert "line 2: expected 3 columns" in html and db.session.get(CalendarYear, 2027) is None
    client.post("/calendar/years/import", data={"csv": schedule_csv(), "note": "国办发明电"})
    assert add_working_days(LATE_2026, 10) == (WITH_NEW_YEAR, False)
    assert db.session.get(CalendarYear, 2027).note == "国办发明电"


def test_day_list_by_year(client, ctx):
    _admin(client)
    html = client.get("/calendar/list/?_flt_1_day=2023-12-31&_flt_2_day=2025-01-01"
                      ).get_data(as_text=True)
    assert "2024-10-01" in html and "2023-10-01" not in html and "2025-10-01" not in html
    assert client.get("/calendar/show/2024-10-01").status_code == 200
    assert client.get("/calendar/show/not-a-date").status_code == 404


def test_warning_include_is_for_platform_admins_only(app, ctx):
    from flask import render_template

    from app.views.admin.calendar import calendar_warnings

    reviewer = make_user("Reviewer", "130200")
    admin = make_user("Admin")
    with app.test_request_context("/?_l_=en"):
        g.user = reviewer
        assert calendar_warnings() == []
        assert WARNING not in render_template("staff/_calendar_warning.html")
        g.user = admin
        assert today().year + 1 in calendar_warnings()
        assert WARNING in render_template("staff/_calendar_warning.html")


@pytest.mark.parametrize("method, url", [
    ("get", "/calendar/add"),
    ("get", "/calendar/edit/2024-10-01"), ("post", "/calendar/delete/2024-10-01"),
    ("post", "/calendar/years/official"), ("post", "/calendar/years/import"),
])
def test_reviewer_may_not_change_the_calendar(client, ctx, method, url):
    make_user("Reviewer", "130200", username="cal_reviewer")
    login(client, "cal_reviewer")
    assert getattr(client, method)(url, data={"year": "2027", "csv": "x"}
                                   if method == "post" else None).status_code == 403
    assert db.session.get(CalendarDay, date(2024, 10, 1)) is not None


def test_a_refused_paste_stays_on_the_page_with_its_lines(client, ctx):
    _admin(client)
    pasted = "2027-13-01,holiday,坏日期"
    response = client.post("/calendar/years/import", data={"csv": pasted})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "correct these lines and paste again" in html and "line 1: " in html
    assert re.search(rf">\s*{re.escape(pasted)}</textarea>", html)


def test_a_large_refused_paste_lists_the_first_lines_and_counts_the_rest(client, ctx):
    _admin(client)
    pasted = "\n".join(f"2027-13-{day % 28 + 1:02d},holiday,坏日期" for day in range(300))
    response = client.post("/calendar/years/import", data={"csv": pasted})
    html = response.get_data(as_text=True)
    assert "line 50: " in html and "line 51: " not in html
    assert "and 250 more lines." in html
    assert "坏日期" in html.split("<textarea", 1)[1]
    assert len(response.headers.get("Set-Cookie", "")) < 4000


def test_day_list_opens_on_the_latest_days(client, ctx):
    _admin(client)
    html = client.get("/calendar/list/").get_data(as_text=True)
    assert html.index("2026-") < html.index("2004-") if "2004-" in html else "2026-" in html
