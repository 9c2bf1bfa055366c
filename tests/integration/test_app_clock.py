"""The application's clock (app.clock, ``BANSHI_CLOCK``) is the one every date rule reads: which
version is in effect on a day, the working calendar's warnings, the dashboard's default period
and a signature's signing time."""
import datetime as dt

from app.commands.drafts import SaveDraftCommand
from app.commands.publish import PublishItemCommand
from app.engine.variants import effective_version, starts_on, version_in_effect
from app.extensions import db
from tests.applications_support import clock  # noqa: F401
from tests.integration.designer_support import PROVINCE, item, load
from tests.integration.test_signatures_and_names import SIGNED, complete, js1, submit  # noqa: F401
from tests.support import frozen_clock, login, make_user

CST = dt.timezone(dt.timedelta(hours=8))
PUBLISHED = dt.datetime(2026, 11, 24, 15, 0, tzinfo=CST)
WARNING = "has no official holiday schedule"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- which version is in effect on a day -----------------------------------------------------

def test_a_version_is_never_in_effect_on_a_day_before_it_was_published(app, ctx):
    with frozen_clock(app, PUBLISHED - dt.timedelta(days=30)):
        load(PROVINCE)  # v1, at once, on 2026-10-25
    with frozen_clock(app, PUBLISHED) as clock:
        it = item()
        SaveDraftCommand(it, dict(it.draft, time_limit_days=11), it.revision).run()
        PublishItemCommand("demo_allowance", "130000").run()  # v2, no date: at once, today
        it = item()
        v2 = it.versions[-1]
        assert starts_on(v2) == day("2026-11-24")
        assert version_in_effect(it).number == 2
        assert version_in_effect(it, day("2026-11-24")).number == 2
        # Yesterday v2 did not exist: v1 was in effect, whatever v2 says.
        assert version_in_effect(it, day("2026-11-23")).number == 1
        assert effective_version("demo_allowance", "130203", day("2026-11-23")).number == 1
        # An effective date before the publish (an imported or older row): the same rule.
        v2.effective_from = day("2026-11-01")
        db.session.commit()
        assert starts_on(v2) == day("2026-11-24")
        assert version_in_effect(it, day("2026-11-10")).number == 1
        assert version_in_effect(it, day("2026-11-24")).number == 2
        # Before anything was published nothing is in effect; a later date still waits.
        assert version_in_effect(it, day("2026-10-24")) is None
        v2.effective_from = day("2026-12-01")
        db.session.commit()
        assert version_in_effect(it, day("2026-11-30")).number == 1
        assert version_in_effect(it, day("2026-12-01")).number == 2
        clock.day(2026, 12, 1)
        assert version_in_effect(item()).number == 2


# --- the working calendar and the dashboard ------------------------------------------------

def test_workdays_today_and_the_calendar_warnings_follow_the_app_clock(app, ctx, client):
    from app import workdays

    make_user("Admin", username="clock_admin")
    login(client, "clock_admin")
    client.get("/lang/en")
    with frozen_clock(app, dt.datetime(2031, 11, 5, 10, tzinfo=CST)):
        assert workdays.today() == day("2031-11-05")
        assert workdays.schedule_check() == (list(range(2027, 2033)), True)
        html = client.get("/").get_data(as_text=True)
        # This year and next, as of the app's day (the real clock would name other years).
        assert f"2031 {WARNING}" in html and f"2032 {WARNING}" in html
        assert f"2027 {WARNING}" not in html
        page = client.get("/dashboard/").get_data(as_text=True)
        assert 'name="submitted_from" class="form-control" value="2031-01-01"' in page
        assert 'name="submitted_to" class="form-control" value="2031-11-05"' in page


def test_calendar_check_on_the_command_line_reads_the_app_clock(app, ctx, runner):
    with frozen_clock(app, dt.datetime(2030, 3, 1, 10, tzinfo=CST)):
        result = runner.invoke(args=["calendar", "check"])
    assert result.exit_code == 1
    assert "2030: no official holiday schedule" in result.output
    assert "2031: no official holiday schedule" in result.output


# --- signatures ------------------------------------------------------------------------------

def test_a_signature_made_at_the_app_clocks_time_is_accepted_at_submission(
        js1, clock):  # noqa: F811
    """The signing time and its submit-time check read the same clock: a signature stamped at
    a moment past the machine's clock is the server's own time, not a client's forgery."""
    ahead = dt.datetime.now(CST).replace(microsecond=0) + dt.timedelta(days=40)
    clock.set(ahead)
    assert complete(js1)["errors"] == {}
    response = submit(js1, "ahead-1")
    assert response.status_code == 200, response.get_json()
    client, headers, pk = js1
    shown = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert shown["answers"]["signature"] == {**SIGNED, "signed_at": ahead.isoformat()}
