"""Retention periods by item version and region (a variant's own period, an older version's
period kept: E6), the dashboard's figures unchanged by a purge, and a purge stopped midway (E4).
The fixtures are tests/retention_support.py and tests/dashboard_support.py."""
import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.commands.applications.materials import reconcile_storage
from app.commands.formdefs import LoadFormdefsCommand
from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.storage import get_storage
from app.workflow import stats
from tests.dashboard_support import seed
from tests.retention_support import ITEM, KEPT, closed, keys_of, on, publish_items, purge
from tests.review_support import (CHANG_AN, LUBEI, TANGSHAN, fresh,
                                  workday_clock)  # noqa: F401
from tests.support import make_user


def test_a_variant_keeps_applications_for_its_own_period(ctx, workday_clock, runner, tmp_path):
    publish_items(tmp_path / "formdefs", variant_years=5)
    province = closed(workday_clock, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4))
    tangshan = closed(workday_clock, KEPT, LUBEI, "approve", on(2026, 3, 2), on(2026, 3, 4))
    assert fresh(tangshan).version.definition["retention_years"] == 5
    purge(runner, "--today", "2029-03-04")  # the province item's 3 years
    assert fresh(province).anonymised_at is not None
    assert fresh(tangshan).anonymised_at is None and keys_of(tangshan)
    assert "approved applications anonymised: 0" in purge(runner, "--today",
                                                           "2031-03-03").output
    assert "approved applications anonymised: 1" in purge(runner, "--today",
                                                           "2031-03-04").output
    assert fresh(tangshan).anonymised_at is not None and keys_of(tangshan) == []


def test_a_variant_without_its_own_period_inherits_its_parents(ctx, workday_clock, runner,
                                                              tmp_path):
    folder = tmp_path / "formdefs"
    publish_items(folder, variant_years=None)
    (folder / "tangshan.yaml").write_text(
        "schema: 1\ncode: kept_three\nregion: '130200'\nderives: kept_three\n"
        "time_limit_days: 4\n", encoding="utf-8")
    LoadFormdefsCommand([folder / "tangshan.yaml"], publish=True).run()
    tangshan = closed(workday_clock, KEPT, LUBEI, "refuse", on(2026, 3, 2), on(2026, 3, 4))
    assert fresh(tangshan).version.item.region_code == TANGSHAN
    assert "refused applications anonymised: 1" in purge(runner, "--today",
                                                          "2029-03-04").output


def test_an_older_version_keeps_the_period_it_said(ctx, workday_clock, runner, tmp_path):
    folder = tmp_path / "formdefs"
    publish_items(folder)
    first = closed(workday_clock, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4))
    (folder / "kept_three.yaml").write_text(ITEM.format(
        code=KEPT, retention="retention_years: 8\n"), encoding="utf-8")
    LoadFormdefsCommand([folder / "kept_three.yaml"], publish=True).run()
    second = closed(workday_clock, KEPT, CHANG_AN, "approve", on(2026, 3, 9), on(2026, 3, 10))
    assert fresh(second).version.number == fresh(first).version.number + 1
    purge(runner, "--today", "2030-01-01")
    assert fresh(first).anonymised_at is not None  # version 1: 3 years
    assert fresh(second).anonymised_at is None  # version 2: 8 years
    purge(runner, "--today", "2034-03-10")
    assert fresh(second).anonymised_at is not None


def test_the_dashboard_counts_the_same_after_a_purge(ctx, workday_clock, runner, tmp_path):
    made = seed(workday_clock, tmp_path / "formdefs")
    filters = stats.Filters(submitted_from=dt.date(2025, 9, 1),
                            submitted_to=dt.date(2025, 10, 31))
    viewers = [make_user("RegionAdmin", TANGSHAN), make_user("Admin")]

    def figures():
        db.session.expire_all()
        return [(f.totals, f.by_item, f.by_region) for f in (
            stats.dashboard(user, filters, stats.viewing_region(user, None))
            for user in viewers)]

    before = figures()
    assert before[0][0].applications == 9 and before[0][0].returns == 4
    result = purge(runner, "--today", "2036-01-01")  # ten years after every closing
    assert result.exit_code == 0, result.output
    for line in ("approved applications anonymised: 4", "refused applications anonymised: 2",
                 "withdrawn applications anonymised: 1",
                 "drafts deleted (untouched for 180 days): 1"):
        assert line in result.output
    assert fresh(made["A3"]).anonymised_at is not None  # returned once, then approved
    assert fresh(made["A5"]).anonymised_at is None  # still under review
    assert figures() == before


@pytest.fixture
def stop_at_second_commit(ctx):
    """Stop the process (as Ctrl-C does) when the purge commits its second application."""
    commits = []

    def stop(session):
        if any(isinstance(o, AuditEvent) and o.action == "application.anonymised"
               for o in session.new):
            commits.append(1)
            if len(commits) == 2:
                raise KeyboardInterrupt
    sa.event.listen(db.session, "before_commit", stop)
    yield
    sa.event.remove(db.session, "before_commit", stop)


def test_a_purge_stopped_midway_leaves_what_reconcile_finds_and_the_next_run_finishes(
        workday_clock, runner, tmp_path, stop_at_second_commit):
    publish_items(tmp_path / "formdefs")
    made = [closed(workday_clock, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4),
                   files=2) for _ in range(3)]
    keys = [keys_of(application) for application in made]
    stopped = purge(runner, "--today", "2030-01-01")
    assert stopped.exit_code != 0
    done, halfway, untouched = (fresh(application) for application in made)
    assert done.anonymised_at is not None and keys_of(done) == []
    # The second one's files went before its commit, which never came: its rows name them.
    assert halfway.anonymised_at is None and keys_of(halfway) == keys[1]
    assert not any(get_storage().exists(key) for key in keys[1])
    report = reconcile_storage()
    halfway_rows = sorted(a.id for a in halfway.attachments)
    assert set(halfway_rows) <= set(report.rows_without_files)
    assert untouched.anonymised_at is None and all(get_storage().exists(k) for k in keys[2])
    assert db.session.scalars(select(Application.id).where(
        Application.anonymised_at.is_not(None))).all() == [done.id]

    again = purge(runner, "--today", "2030-01-01")
    assert again.exit_code == 0, again.output
    assert "approved applications anonymised: 2" in again.output
    assert all(fresh(application).anonymised_at for application in made)
    report = reconcile_storage()
    assert not set(halfway_rows) & set(report.rows_without_files)
    assert not {key for group in keys for key in group} & set(report.files_without_rows)
