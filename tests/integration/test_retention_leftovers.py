"""``flask applications purge`` also deletes what only ever served a moment: SMS codes a day
after they expired (for a mobile that never registered nothing else deletes them), the
development SMS outbox's messages in the same window, and Idempotency-Key records
IDEMPOTENCY_KEY_DAYS after the submit, so none outlives the application it answered
(app.commands.retention)."""
import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.application import IdempotencyRecord
from app.models.audit import AuditEvent
from app.models.verification import DevSmsMessage, SmsChallenge
from tests.retention_support import KEPT, closed, on, publish_items, purge
from tests.review_support import CHANG_AN, fresh, workday_clock  # noqa: F401
from tests.support import make_user

NEVER_REGISTERED = "13912345678"


@pytest.fixture
def items(ctx, workday_clock, tmp_path):
    publish_items(tmp_path / "formdefs")
    return workday_clock


def challenge(expires: dt.datetime) -> int:
    row = SmsChallenge(mobile=NEVER_REGISTERED, purpose="register", code_hash="x",
                       created_at=expires - dt.timedelta(minutes=5), expires_at=expires)
    db.session.add(row)
    db.session.commit()
    return row.id


def key(account_id: int, created: dt.datetime, response=None) -> int:
    row = IdempotencyRecord(account_id=account_id, key=f"k-{created.isoformat()}",
                            request_hash="0" * 64, status_code=200, response=response or {},
                            created_at=created)
    db.session.add(row)
    db.session.commit()
    return row.id


def left(model) -> set[int]:
    return set(db.session.scalars(select(model.id)))


def test_sms_codes_go_a_day_after_they_expired(ctx, runner):
    gone = challenge(on(2026, 12, 8, 23))  # before 2026-12-09 00:00 in Shanghai
    kept = challenge(on(2026, 12, 9, 1))  # expired less than a day before the run's day
    valid = challenge(on(2026, 12, 10, 12))
    dry = purge(runner, "--dry-run", "--today", "2026-12-10")
    assert dry.exit_code == 0, dry.output
    assert "SMS codes to delete (expired over a day ago): 1" in dry.output
    assert left(SmsChallenge) == {gone, kept, valid}
    result = purge(runner, "--today", "2026-12-10")
    assert result.exit_code == 0, result.output
    assert "SMS codes deleted (expired over a day ago): 1" in result.output
    assert left(SmsChallenge) == {kept, valid}
    run = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
    assert run.detail["sms_codes"] == 1 and run.detail["idempotency_keys"] == 0


def outbox(sent: dt.datetime) -> int:
    row = DevSmsMessage(mobile=NEVER_REGISTERED, text="验证码 123456", sent_at=sent)
    db.session.add(row)
    db.session.commit()
    return row.id


def test_the_development_sms_outbox_goes_with_the_codes(ctx, runner):
    """A message sent with a code (it expires SMS_CODE_TTL_SECONDS later) goes in the run that
    deletes the code."""
    sent = on(2026, 12, 8, 23) - dt.timedelta(minutes=5)
    gone, code = outbox(sent), challenge(on(2026, 12, 8, 23))
    kept = outbox(on(2026, 12, 9, 1) - dt.timedelta(minutes=5))
    dry = purge(runner, "--dry-run", "--today", "2026-12-10")
    assert "development SMS outbox messages to delete (kept as long as SMS codes): 1" in (
        dry.output)
    assert left(DevSmsMessage) == {gone, kept}
    result = purge(runner, "--today", "2026-12-10")
    assert result.exit_code == 0, result.output
    assert "development SMS outbox messages deleted (kept as long as SMS codes): 1" in (
        result.output)
    assert left(DevSmsMessage) == {kept} and code not in left(SmsChallenge)
    run = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
    assert run.detail["dev_sms_messages"] == 1


def test_idempotency_keys_go_after_their_days_and_with_the_application(items, runner):
    application = closed(items, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4))
    answered = key(application.applicant_id, on(2026, 3, 2), {"id": application.id})
    other = make_user("Citizen", CHANG_AN)
    old = key(other.id, on(2029, 11, 1))  # 61 days before the run
    recent = key(other.id, on(2029, 12, 20))  # 12 days before
    result = purge(runner, "--today", "2030-01-01")
    assert result.exit_code == 0, result.output
    assert "approved applications anonymised: 1" in result.output
    assert fresh(application).anonymised_at is not None
    assert "Idempotency-Key records deleted (over 30 days old): 2" in result.output
    assert left(IdempotencyRecord) == {recent}
    assert answered not in left(IdempotencyRecord) and old not in left(IdempotencyRecord)


def test_the_key_days_setting_is_checked(app, ctx, runner, monkeypatch):
    monkeypatch.setitem(app.config, "IDEMPOTENCY_KEY_DAYS", 366)  # longer than a year: refused
    result = purge(runner, "--today", "2030-01-01")
    assert result.exit_code == 1
    assert "IDEMPOTENCY_KEY_DAYS must be a whole number from 1 to 365" in result.output
    monkeypatch.setitem(app.config, "IDEMPOTENCY_KEY_DAYS", "7")
    key(make_user("Citizen", CHANG_AN).id, on(2029, 12, 20))
    result = purge(runner, "--today", "2030-01-01")
    assert "Idempotency-Key records deleted (over 7 days old): 1" in result.output
