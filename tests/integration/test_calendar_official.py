"""A year becomes official only with a plausible schedule; an import names every bad line."""
from datetime import date

import pytest

from app.commands.calendar import (CalendarError, CalendarImportError, SetCalendarYearCommand,
                                   import_calendar_csv)
from app.commands.calendar_statutory import missing_statutory_holidays
from app.extensions import db
from app.models.calendar import CalendarDay, CalendarYear
from app.workdays import add_working_days
from tests.calendar_support import HOLIDAYS_2027, schedule_csv, schedule_rows
from tests.support import login, make_user

WARNING_ZH = "2027年尚无正式的节假日安排"
BAD_LINES = ("2027-01-01,holiday,元旦\n"
             "2027-01-02,holliday,元旦\n"   # 2: kind
             "2027-02-3O,holiday,春节\n"    # 3: date
             "2027-04-05,holiday\n"         # 4: columns
             "2027-01-05,workday,调休\n"    # 5: a weekday make-up day
             "2027-05-01,holiday,劳动节\n")


def test_one_holiday_does_not_make_a_year_official(ctx):
    with pytest.raises(CalendarImportError) as error:
        import_calendar_csv("2027-01-01,holiday,元旦\n", "2027.csv")
    assert str(error.value).startswith("2027.csv:1: 2027 cannot be official yet")
    for name in ("春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
        assert name in str(error.value)
    assert "元旦" not in str(error.value).split("no day of", 1)[1].split(".")[0]
    assert db.session.get(CalendarYear, 2027) is None
    assert db.session.get(CalendarDay, date(2027, 1, 1)) is None
    with pytest.raises(CalendarError, match="端午节"):
        SetCalendarYearCommand(2027, *schedule_rows(
            holidays=[h for h in HOLIDAYS_2027 if h[1] != "端午节"])).run()
    assert add_working_days(date(2026, 12, 20), 10).provisional


def test_seven_holidays_make_it_official(ctx):
    state = import_calendar_csv(schedule_csv(), "2027.csv")
    assert (state.year, state.status, state.note) == (2027, "official", "2027.csv")
    assert not add_working_days(date(2026, 12, 20), 10).provisional


def test_mid_autumn_within_an_eight_day_national_holiday_counts(ctx):
    national = [(date(2020, 10, d), "国庆节") for d in range(1, 9)]  # 2020: named together
    others = [(date(2020, 1, 1), "元旦"), (date(2020, 1, 25), "春节"), (date(2020, 4, 4), "清明"),
              (date(2020, 5, 1), "劳动节"), (date(2020, 6, 25), "端午")]
    assert missing_statutory_holidays(2020, others + national) == []
    assert [str(m) for m in missing_statutory_holidays(2020, others + national[:7])] == [
        "Mid-autumn Festival (中秋节)"]
    # Before 2008, 清明, 端午 and 中秋 were no holidays; English names are recognised too.
    assert missing_statutory_holidays(2005, [
        (date(2005, 1, 1), "New Year's Day"), (date(2005, 2, 9), "Spring Festival"),
        (date(2005, 5, 1), "Labour Day"), (date(2005, 10, 1), "National Day")]) == []


def test_every_bad_line_is_named(ctx, runner, tmp_path):
    with pytest.raises(CalendarImportError) as error:
        import_calendar_csv(BAD_LINES, "2027.csv")
    assert [problem.line for problem in error.value.problems] == [2, 3, 4, 5]
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_LINES, encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(bad)])
    assert result.exit_code == 1
    for line in (2, 3, 4, 5):
        assert f"{bad}:{line}: " in result.output
    assert db.session.get(CalendarYear, 2027) is None


@pytest.fixture
def admin(client, ctx):
    make_user("Admin", username="cal_official")
    login(client, "cal_official")
    return client


def test_page_lists_every_bad_line_in_chinese(admin):
    html = admin.post("/calendar/years/import", data={"csv": BAD_LINES},
                      follow_redirects=True).get_data(as_text=True)
    for line, text in ((2, "kind 须为"), (3, "不是有效日期"), (4, "应为3列"), (5, "是周一至周五")):
        assert f"粘贴导入的安排 第 {line} 行：" in html and text in html, (line, text)
    assert "imported from" not in html and WARNING_ZH in html
    assert db.session.get(CalendarYear, 2027) is None
    html = admin.post("/calendar/years/import?_l_=en", data={"csv": BAD_LINES},
                      follow_redirects=True).get_data(as_text=True)
    assert "pasted schedule, line 3: " in html and "pasted schedule:3:" not in html


def test_page_refuses_one_line_and_keeps_the_warning(admin):
    html = admin.post("/calendar/years/import", data={"csv": "2027-01-01,holiday,元旦\n"},
                      follow_redirects=True).get_data(as_text=True)
    assert "2027年还不能定为正式" in html and "端午节" in html
    assert WARNING_ZH in html and db.session.get(CalendarYear, 2027) is None
    html = admin.post("/calendar/years/import", data={"csv": schedule_csv()},
                      follow_redirects=True).get_data(as_text=True)
    assert WARNING_ZH not in html and "imported from" not in html
    assert db.session.get(CalendarYear, 2027).status == "official"


def test_holidays_shorter_than_the_statutory_days_do_not_make_it_official(ctx):
    short = [h for h in HOLIDAYS_2027 if h[1] not in ("春节", "劳动节", "国庆节")]
    short += [("2027-02-06", "春节"), ("2027-02-07", "春节"), ("2027-02-08", "春节"),
              ("2027-05-01", "劳动节"), ("2027-10-01", "国庆节"), ("2027-10-02", "国庆节")]
    with pytest.raises(CalendarImportError) as error:
        import_calendar_csv(schedule_csv(holidays=short), "2027.csv")
    message = str(error.value)
    assert "Spring Festival (春节) 3 of 4 days" in message
    assert "Labour Day (劳动节) 1 of 2 days" in message
    assert "National Day (国庆节) 2 of 3 days" in message and "13 days" in message
    assert db.session.get(CalendarYear, 2027) is None
    # The rules before 2025: 春节 3 days and 劳动节 1 were enough.
    from app.commands.calendar_statutory import statutory_problem
    assert statutory_problem(2024, [(date(2024, 2, d), "春节") for d in (10, 11, 12)]
                             + [(date(2024, m, d), n) for m, d, n in (
                                 (1, 1, "元旦"), (4, 4, "清明节"), (5, 1, "劳动节"),
                                 (6, 10, "端午节"), (9, 17, "中秋节"), (10, 1, "国庆节"),
                                 (10, 2, "国庆节"), (10, 3, "国庆节"))]) is None
