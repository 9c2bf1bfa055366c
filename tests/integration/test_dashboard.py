"""The dashboard (办件统计): hand-computed figures, filters, drill-down, scope (B2), zh and en,
CSV export, and the backfill of the working-day columns. The fixture is tests/dashboard_support.py.
"""
import csv
import datetime as dt
import importlib.util
import io
import random
import re
import statistics
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models.application import Application
from app.models.item import Item
from app.workflow import stats
from tests.browser.helpers import say
from tests.dashboard_support import ALPHA, BETA, EXPECTED, GAMMA, load_item, seed
from tests.review_support import LUBEI, LUNAN, TANGSHAN, fresh, workday_clock  # noqa: F401
from tests.support import login, make_user

PERIOD = stats.Filters(submitted_from=dt.date(2025, 9, 1), submitted_to=dt.date(2025, 10, 31))
QUERY = "submitted_from=2025-09-01&submitted_to=2025-10-31"
MIGRATION = next((Path(__file__).resolve().parents[2] / "migrations" / "versions")
                 .glob("*_application_working_days.py"))


@pytest.fixture
def made(ctx, workday_clock, tmp_path):
    return seed(workday_clock, tmp_path / "formdefs")


def figures_for(user, filters=PERIOD, region=None):
    return stats.dashboard(user, filters, stats.viewing_region(user, region))


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def by_key(rows):
    return {row.key: row for row in rows}


def test_working_days_are_recorded_when_closing(made):
    a1, a3, a4 = fresh(made["A1"]), fresh(made["A3"]), fresh(made["A4"])
    assert a1.working_days_taken == 1  # 30 Sep → 9 Oct across the National Day week
    assert (a3.paused_working_days, a3.working_days_taken) == (4, 4)
    assert a3.deadline == dt.date(2025, 10, 14)  # moved by the same 4 days
    assert a4.working_days_taken == 11
    a7 = fresh(made["A7"])
    assert (a7.status, a7.paused_working_days, a7.working_days_taken) == ("returned", 2, None)
    assert fresh(made["A5"]).working_days_taken is None


def test_hand_computed_figures(made):
    figures = figures_for(make_user("RegionAdmin", TANGSHAN))
    totals = figures.totals
    assert totals.applications == EXPECTED["applications"]
    assert totals.statuses == EXPECTED["statuses"]
    assert dict(figures.by_status) == EXPECTED["statuses"]
    assert totals.median_days == EXPECTED["median"]
    assert (totals.overdue, totals.with_deadline) == EXPECTED["overdue"]
    assert totals.overdue_rate == 37.5
    assert totals.returns == EXPECTED["returns"]
    assert round(totals.returns_per_100, 1) == 44.4
    items = by_key(figures.by_item)
    assert set(items) == {ALPHA, BETA}
    for code, expected in EXPECTED["items"].items():
        row = items[code]
        assert row.applications == expected["applications"], code
        assert row.median_days == expected["median"], code
        assert (row.overdue, row.with_deadline) == expected["overdue"], code
        assert row.returns == expected["returns"], code
        assert row.returns_per_100 == expected["per_100"], code
    assert items[ALPHA].label == "看板甲事项"
    regions = by_key(figures.by_region)
    assert {k: r.applications for k, r in regions.items() if r.applications} == EXPECTED["regions"]
    assert regions[LUBEI].label == "路北区" and "130204" in regions  # 古冶区: current, empty
    assert regions[LUNAN].median_days == 4.0 and regions[LUNAN].returns == 2
    assert regions[LUBEI].median_days == 3.5  # 1, 2, 5, 11


def test_medians_of_even_and_odd_groups_without_decisions(made):
    viewer = make_user("RegionAdmin", TANGSHAN)
    # 9–15 October: A7 (returned), A9 (refused after 5 days), A5 (under review).
    figures = figures_for(viewer, stats.Filters(dt.date(2025, 10, 9), dt.date(2025, 10, 15)))
    assert figures.totals.applications == 3
    assert figures.totals.median_days == 5.0
    # Nothing decided in 20–31 October: no median, and no division by zero anywhere.
    late = figures_for(viewer, stats.Filters(dt.date(2025, 10, 20), dt.date(2025, 10, 31)))
    assert late.totals.applications == 1 and late.totals.median_days is None
    empty = figures_for(viewer, stats.Filters(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert empty.totals.applications == 0 and empty.totals.overdue_rate is None
    assert empty.totals.returns_per_100 is None and empty.by_item == []


def test_medians_match_python_for_ties_and_spreads(made):
    """The histogram median is the exact median: compared with statistics.median."""
    viewer = make_user("RegionAdmin", TANGSHAN)
    decided = [fresh(made[name]) for name in ("A1", "A2", "A3", "A4", "A9")]
    alpha = {made[name].id for name in ("A1", "A2", "A3", "A4")}
    draws = random.Random(2025)
    cases = [[3, 3, 3, 7, 7], [0, 0, 1, 9, 9], [5, 5, 5, 5, 5], [0, 1, 2, 3, 40]]
    cases += [[draws.randint(0, 30) for _ in decided] for _ in range(8)]
    for values in cases:
        for application, days in zip(decided, values):
            application.working_days_taken = days
        db.session.commit()
        figures = figures_for(viewer)
        assert figures.totals.median_days == statistics.median(values), values
        in_alpha = [d for a, d in zip(decided, values) if a.id in alpha]
        assert by_key(figures.by_item)[ALPHA].median_days == statistics.median(in_alpha), values


def test_overdue_is_read_on_the_local_day_of_closing(made):
    """A1 (deadline 14 Oct) closed at 23:59 Beijing time is on time; at 00:00 it is late."""
    viewer = make_user("RegionAdmin", TANGSHAN)
    a1 = fresh(made["A1"])
    assert a1.deadline == dt.date(2025, 10, 14)
    utc = dt.timezone.utc
    for closed_at, overdue in ((dt.datetime(2025, 10, 14, 15, 59, tzinfo=utc), 3),
                               (dt.datetime(2025, 10, 14, 16, 0, tzinfo=utc), 4)):
        a1.closed_at = closed_at
        db.session.commit()
        figures = figures_for(viewer)
        assert (figures.totals.overdue, figures.totals.with_deadline) == (overdue, 8), closed_at
        assert by_key(figures.by_item)[ALPHA].overdue == overdue - 2, closed_at


def test_statement_settings_end_with_it(made, db_dialect):
    """PostgreSQL: no JIT, more work_mem and Beijing time hold for the statement only."""
    if db_dialect != "postgresql":
        pytest.skip("SET LOCAL is PostgreSQL's")
    names = ("jit", "work_mem", "TimeZone")

    def settings():
        return [db.session.scalar(select(func.current_setting(name))) for name in names]

    before = settings()
    assert before[2] != stats.LOCAL_ZONE and before[1] != stats.WORK_MEM  # else nothing shows
    figures = figures_for(make_user("RegionAdmin", TANGSHAN))
    assert figures.totals.applications == EXPECTED["applications"]
    assert settings() == before


def test_item_and_region_filters(made):
    viewer = make_user("RegionAdmin", TANGSHAN)
    alpha = figures_for(viewer, stats.Filters(PERIOD.submitted_from, PERIOD.submitted_to, ALPHA))
    assert alpha.totals.applications == 4 and alpha.totals.median_days == 3.0
    lunan = figures_for(viewer, region=LUNAN)
    assert lunan.totals.applications == 2 and lunan.region.code == LUNAN
    assert [row.key for row in lunan.by_region if row.applications] == [stats.ITSELF]
    assert [r.code for r in stats.trail(viewer, lunan.region)] == [TANGSHAN, LUNAN]


def test_scope_holds_for_every_viewer(made):
    """B2: counts, medians and rows of another region never reach a viewer."""
    tangshan = figures_for(make_user("RegionAdmin", TANGSHAN))
    assert tangshan.totals.applications == 9  # not X1 (石家庄) nor X2 (深圳)
    guangdong = figures_for(make_user("RegionAdmin", "440000"))
    assert guangdong.totals.applications == 1
    assert [row.key for row in guangdong.by_item] == [GAMMA]
    lubei = figures_for(make_user("Reviewer", LUBEI))
    assert lubei.totals.applications == 7 and lubei.totals.median_days == 3.5
    everything = figures_for(make_user("Admin", None))
    assert everything.totals.applications == 11
    provinces = {row.key: row.applications for row in everything.by_region if row.applications}
    assert provinces == {"130000": 10, "440000": 1}
    gd_admin = make_user("RegionAdmin", "440000")
    assert figures_for(gd_admin, region="440305").totals.applications == 1  # 南山区
    for outside in ("130200", "130000", "999999"):
        with pytest.raises(stats.RegionNotInScope):
            stats.viewing_region(gd_admin, outside)


def test_dashboard_page_in_chinese(app, made):
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    response = client.get(f"/dashboard/?{QUERY}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert say(app, "Dashboard") in html and say(app, "Applications by item") in html
    assert '<dd id="total-applications">9</dd>' in html
    assert 'id="total-median">4.0' in html and 'id="total-overdue">37.5%' in html
    assert "看板甲事项" in html and "路北区" in html and "路南区" in html
    assert "看板丙事项" not in html and "长安区" not in html and "广东" not in html
    assert html.count("<svg") == 6 and html.count('class="dashboard-bar"') >= 9
    assert "gstatic" not in html and "google" not in html.lower()
    # The drill-down links keep the filters.
    links = {unescape(href) for href in re.findall(r'href="(/dashboard/\?[^"]*)"', html)}
    drill = [link for link in links if f"region={LUBEI}" in link]
    assert drill and all("submitted_from=2025-09-01" in link and
                         "submitted_to=2025-10-31" in link for link in drill), links
    assert "no-store" in response.headers["Cache-Control"]


def test_dashboard_page_in_english(app, made):
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    client.get("/lang/en")
    html = client.get(f"/dashboard/?{QUERY}").get_data(as_text=True)
    assert "Applications by item" in html and "Median processing time" in html
    assert "Dashboard item alpha" in html and "看板甲事项" not in html
    assert "Returns for correction by item" in html


def test_item_names_are_those_in_effect_for_the_region_in_view(app, made, tmp_path):
    # Loaded after 河北's: another province's item of the same code, a 唐山 variant, a draft.
    load_item(tmp_path / "more", ALPHA, "440000", "广东甲事项", "Guangdong alpha")
    load_item(tmp_path / "more", BETA, TANGSHAN, "唐山乙事项", "Tangshan beta")
    load_item(tmp_path / "more", ALPHA, LUBEI, "路北甲草稿", "Lubei alpha draft", publish=False)
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    html = client.get(f"/dashboard/?{QUERY}").get_data(as_text=True)
    assert "看板甲事项" in html and "唐山乙事项" in html
    assert "广东甲事项" not in html and "看板乙事项" not in html and "路北甲草稿" not in html
    client.get("/lang/en")
    html = client.get(f"/dashboard/?{QUERY}").get_data(as_text=True)
    assert "Dashboard item alpha" in html and "Tangshan beta" in html
    assert "唐山乙事项" not in html and "Guangdong alpha" not in html
    rows = list(csv.reader(io.StringIO(client.get(f"/dashboard/export.csv?{QUERY}")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert {row[1]: row[2] for row in rows if row[0] == "Item"} == {
        ALPHA: "Dashboard item alpha", BETA: "Tangshan beta"}
    guangdong = stats.viewing_region(make_user("RegionAdmin", "440000"), None)
    assert stats.item_names([ALPHA, BETA], "zh", guangdong) == {
        ALPHA: "广东甲事项", BETA: "看板乙事项"}


def test_drill_down_and_region_out_of_scope(app, made):
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    html = client.get(f"/dashboard/?{QUERY}&region={LUNAN}").get_data(as_text=True)
    assert '<dd id="total-applications">2</dd>' in html
    for outside in ("440000", "130100", "130000", "999999"):
        assert client.get(f"/dashboard/?{QUERY}&region={outside}").status_code == 404, outside
        assert client.get(f"/dashboard/export.csv?region={outside}").status_code == 404


def test_bad_filters_are_400_with_a_message(app, made):
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    for query in ("submitted_from=yesterday", "item=DROP%20TABLE", "order_by=id",
                  "item=nonexistent",
                  f"item={GAMMA}",  # an item of 广东's, no queue of 唐山's holds it
                  "region=13'--", "submitted_from=2025-10-02&submitted_to=2025-10-01"):
        response = client.get(f"/dashboard/?{query}")
        assert response.status_code == 400, query
        assert say(app, "Some filters are not valid:") in response.get_data(as_text=True)
    assert client.get("/dashboard/export.csv?submitted_to=never").status_code == 400
    assert client.get("/dashboard/export.csv?item=nonexistent").status_code == 400
    assert client.get(f"/dashboard/?item={ALPHA}").status_code == 200
    # The filter is named as the page labels it, not by its query-string key.
    html = client.get("/dashboard/?submitted_from=yesterday&region=13x").get_data(as_text=True)
    assert f"<strong>{say(app, 'Submitted from')}</strong>：" in html
    assert f"<strong>{say(app, 'Region')}</strong>：" in html
    assert "<strong>submitted_from</strong>" not in html and "<strong>region</strong>" not in html


def test_default_period_is_this_year_and_empty_dates_are_open(app, made):
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    html = client.get("/dashboard/").get_data(as_text=True)  # 1 Jan 2025 to today (22 Oct)
    assert 'value="2025-01-01"' in html and 'value="2025-10-22"' in html
    assert '<dd id="total-applications">9</dd>' in html
    html = client.get("/dashboard/?submitted_from=&submitted_to=2025-09-30").get_data(
        as_text=True)
    assert '<dd id="total-applications">4</dd>' in html  # A1, A2, A3, A4


def test_csv_export_is_scoped_and_neutralised(app, made):
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    with app.app_context():
        db.session.execute(update(Item).where(Item.code == ALPHA)
                           .values(name_zh="=HYPERLINK(1)"))
        db.session.commit()
    response = client.get(f"/dashboard/export.csv?{QUERY}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    total = rows[1]
    assert total[3] == "9" and total[9] == "4.0" and total[12] == "37.5" and total[13] == "4"
    codes = [row[1] for row in rows[1:]]
    assert ALPHA in codes and BETA in codes and LUBEI in codes and GAMMA not in codes
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_citizens_are_refused(app, ctx):
    client = signed_in(app, make_user("Citizen", LUBEI))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/export.csv").status_code == 403


def test_platform_admin_sees_the_whole_country_and_drills_into_any_province(app, made):
    client = signed_in(app, make_user("Admin", None))
    html = client.get(f"/dashboard/?{QUERY}").get_data(as_text=True)
    assert '<dd id="total-applications">11</dd>' in html and "广东省" in html
    html = client.get(f"/dashboard/?{QUERY}&region=440000").get_data(as_text=True)
    assert '<dd id="total-applications">1</dd>' in html and "看板丙事项" in html


def test_reviewers_see_their_own_subtree(app, made):
    client = signed_in(app, make_user("Reviewer", LUNAN))
    html = client.get(f"/dashboard/?{QUERY}").get_data(as_text=True)
    assert '<dd id="total-applications">2</dd>' in html
    assert client.get(f"/dashboard/?{QUERY}&region={LUBEI}").status_code == 404


def test_backfill_matches_what_the_workflow_records(made):
    """The migration fills the new columns of existing rows the way closing does."""
    recorded = dict(db.session.execute(select(
        Application.id, Application.working_days_taken)).all())
    paused = dict(db.session.execute(select(Application.id,
                                            Application.paused_working_days)).all())
    db.session.execute(update(Application).values(working_days_taken=None,
                                                  paused_working_days=0))
    db.session.commit()
    spec = importlib.util.spec_from_file_location("working_days_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with db.engine.begin() as connection:
        migration._backfill(connection)
    db.session.expire_all()
    assert dict(db.session.execute(select(Application.id,
                                          Application.working_days_taken)).all()) == recorded
    assert dict(db.session.execute(select(Application.id,
                                          Application.paused_working_days)).all()) == paused
