"""``flask applications purge`` anonymises citizen accounts with no sign-in for
ACCOUNT_RETENTION_YEARS (default 5) that hold no application still within retention; staff,
recent, and accounts with a kept application are left alone; a dry run only counts."""
import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Notification
from app.models.audit import AuditEvent
from app.storage import get_storage
from tests.account_close_support import (MOBILE, approved_of, assert_anonymised,  # noqa: F401
                                         draft_of, make_account, reload)
from tests.applications_support import id_number
from tests.review_support import CHANG_AN, fresh, reviewer, workday_clock  # noqa: F401
from tests.retention_support import publish_items, purge

COUNT = "citizen accounts anonymised (no sign-in for 5 years): "
DUE = "citizen accounts to anonymise (no sign-in for 5 years): "


def last_seen(user, when: dt.datetime) -> None:
    """Say the account last signed in at ``when`` (FAB's naive local time)."""
    user.last_login = user.created_on = when
    db.session.commit()


@pytest.fixture
def items(ctx, workday_clock, tmp_path):
    publish_items(tmp_path / "formdefs")
    return workday_clock


def test_an_unused_account_is_anonymised_with_its_old_draft_and_a_dry_run_counts_it(items,
                                                                                     runner):
    user = make_account()
    draft = draft_of(user)
    key = draft.attachments[0].storage_key
    last_seen(user, dt.datetime(2026, 3, 2, 9, 0))
    dry = purge(runner, "--dry-run", "--today", "2031-03-10")
    assert dry.exit_code == 0 and DUE + "1" in dry.output
    assert reload(user).anonymised_at is None

    result = purge(runner, "--today", "2031-03-10")
    assert result.exit_code == 0, result.output
    # The draft (untouched for 180 days) goes first, as any draft; then the account.
    assert "drafts deleted (untouched for 180 days): 1" in result.output
    assert COUNT + "1" in result.output
    assert_anonymised(user)
    assert db.session.get(Application, draft.id) is None and not get_storage().exists(key)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.anonymised"))
    assert event.object_id == str(user.id) and event.actor_id is None
    assert event.detail == {"cause": "retention", "drafts": 0, "files": 0}
    run = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
    assert run.detail["accounts"] == 1 and run.detail["account_years"] == 5
    assert COUNT + "0" in purge(runner, "--today", "2031-03-10").output  # nothing twice


def test_accounts_kept_recent_staff_or_with_an_application_in_retention(items, runner):
    recent = make_account()
    last_seen(recent, dt.datetime(2026, 3, 11, 9, 0))  # less than 5 years before 2031-03-10
    holder = make_account("13912340001", id_number("13010219850505003"), "钱二")
    approved = approved_of(holder, items)  # closed 2026-03-03, kept 3 years: until 2029-03-03
    approved_id = approved.id
    last_seen(holder, dt.datetime(2026, 3, 2, 9, 0))
    staff = reviewer(CHANG_AN)
    last_seen(staff, dt.datetime(2020, 1, 1))

    # On 2029-03-02 the application is still within its period: its applicant stays.
    early = purge(runner, "--today", "2029-03-02")
    assert COUNT + "0" in early.output
    assert reload(holder).anonymised_at is None

    # From 2031-03-10 the application is anonymised and, in the same run, its applicant too;
    # the one who signed in a year later and the reviewer stay.
    result = purge(runner, "--today", "2031-03-10")
    assert "approved applications anonymised: 1" in result.output and COUNT + "1" in result.output
    assert_anonymised(holder)
    assert fresh(approved).applicant_id == holder.id
    assert db.session.scalar(select(Notification.id).where(
        Notification.application_id == approved_id)) is None
    assert reload(recent).anonymised_at is None and reload(recent).mobile == MOBILE
    staff_row = reload(staff)
    assert staff_row.anonymised_at is None and staff_row.active


def test_a_window_placeholder_never_signed_in_is_anonymised_once_unused(items, runner):
    placeholder = make_account("13912340002", id_number("13010219850505004"), "孙三")
    placeholder.active, placeholder.password = False, None  # as a counter entry makes it
    last_seen(placeholder, None)
    placeholder.created_on = dt.datetime(2026, 1, 5, 9, 0)
    db.session.commit()
    assert COUNT + "1" in purge(runner, "--today", "2031-01-06").output
    assert_anonymised(placeholder)


def test_the_setting_must_be_a_whole_number(ctx, runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "ACCOUNT_RETENTION_YEARS", "five")
    result = purge(runner, "--dry-run")
    assert result.exit_code == 1
    assert "ACCOUNT_RETENTION_YEARS must be a whole number from 1 to" in result.output
