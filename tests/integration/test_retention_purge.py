"""``flask applications purge`` (SECURITY_TESTS.md F2): drafts deleted and closed applications
anonymised exactly when due, files gone, rows anonymised, history kept but without personal
text, counts printed in Chinese and English, dry run, a second run, open applications kept.
The fixture is tests/retention_support.py."""
import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Attachment, StepDecision
from app.models.audit import AuditEvent
from app.storage import get_storage
from tests.retention_support import (AGENT_ADDRESS, DEFAULT, KEPT, SUBJECT_ID, closed, draft,
                                     keys_of, on, publish_items, purge)
from tests.review_support import (CHANG_AN, LUBEI, decisions, fresh, history, submitted,
                                  workday_clock)  # noqa: F401


@pytest.fixture
def items(ctx, workday_clock, tmp_path):
    moment = workday_clock.moment
    workday_clock.day(2025, 12, 1)  # published before the oldest draft below was made
    publish_items(tmp_path / "formdefs")
    workday_clock.set(moment)
    return workday_clock


def counts_line(output: str, start: str) -> str:
    return next(line.strip() for line in output.splitlines() if line.strip().startswith(start))


def test_a_closed_application_is_anonymised_on_the_day_its_period_ends(items, runner):
    # 石家庄 follows the province item: 3 years from the day it closed (2026-03-04).
    application = closed(items, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4))
    keys = keys_of(application)
    assert application.status == "approved" and len(keys) == 1
    assert get_storage().exists(keys[0])

    result = purge(runner, "--today", "2029-03-03")
    assert result.exit_code == 0, result.output
    assert "approved applications anonymised: 0" in result.output
    kept = fresh(application)
    assert kept.anonymised_at is None and kept.answers == {"note": "张三的情况说明"}
    assert get_storage().exists(keys[0])

    result = purge(runner, "--today", "2029-03-04")
    assert result.exit_code == 0, result.output
    assert "approved applications anonymised: 1" in result.output
    assert "material files deleted: 1" in result.output
    gone = fresh(application)
    assert gone.anonymised_at is not None
    assert (gone.answers, gone.answers_at_return, gone.return_request) == ({}, None, None)
    assert (gone.subject_name, gone.subject_id_number, gone.subject_verified_at) == (None,) * 3
    assert (gone.agent_relationship, gone.agent_address) == (None, None)
    assert keys_of(gone) == [] and not get_storage().exists(keys[0])
    # What the figures and the registers need stays.
    assert (gone.status, gone.serial, gone.region_code, gone.item_id, gone.version_id) == (
        application.status, application.serial, CHANG_AN, application.item_id,
        application.version_id)
    assert (gone.submitted_at, gone.closed_at, gone.deadline, gone.working_days_taken) == (
        application.submitted_at, application.closed_at, application.deadline,
        application.working_days_taken)
    steps = decisions(gone)
    assert [(d.decision, d.step_key, d.actor_id) for d in steps] == [
        (d.decision, d.step_key, d.actor_id) for d in decisions(application)] != []
    assert all(d.comment is None for d in steps)


def test_refused_and_withdrawn_are_counted_apart_and_open_ones_are_never_touched(items, runner):
    refused = closed(items, DEFAULT, CHANG_AN, "refuse", on(2026, 3, 2), on(2026, 3, 3))
    withdrawn = closed(items, DEFAULT, CHANG_AN, "withdraw", on(2026, 3, 2), on(2026, 3, 3))
    items.set(on(2026, 3, 2))
    still_open = submitted(DEFAULT, CHANG_AN, answers={"note": "张三"}, at=on(2026, 3, 2),
                           subject_id_number=SUBJECT_ID)
    # The platform default, 10 years: not on 2036-03-02, on 2036-03-03.
    assert "refused applications anonymised: 0" in purge(runner, "--today", "2036-03-02").output
    result = purge(runner, "--today", "2036-03-03")
    assert "refused applications anonymised: 1" in result.output
    assert "withdrawn applications anonymised: 1" in result.output
    assert "material files deleted: 2" in result.output
    assert fresh(refused).anonymised_at and fresh(withdrawn).anonymised_at
    untouched = fresh(still_open)
    assert untouched.status == "submitted" and untouched.anonymised_at is None
    assert (untouched.answers, untouched.subject_id_number) == ({"note": "张三"}, SUBJECT_ID)
    # Long after, the open one is still kept.
    purge(runner, "--today", "2090-01-01")
    assert fresh(still_open).answers == {"note": "张三"}


def test_a_draft_untouched_for_180_days_is_deleted_with_its_files(items, runner):
    old = draft(KEPT, LUBEI, on(2026, 1, 10, 23))  # touched on 10 January (China time)
    key = keys_of(old)[0]
    newer = draft(KEPT, LUBEI, on(2026, 1, 10, 9))
    db.session.add(Attachment(application_id=newer.id, material_key="scan", region_code=LUBEI,
                              owner_id=newer.applicant_id, original_name="b.png",
                              storage_key=get_storage().save(b"later"), content_type="image/png",
                              size=5, sha256="1" * 64, uploaded_at=on(2026, 2, 1)))
    db.session.commit()  # its newest file came on 1 February: touched then

    result = purge(runner, "--today", "2026-07-08")  # 179 days after 10 January
    assert "drafts deleted (untouched for 180 days): 0" in result.output
    assert db.session.get(Application, old.id) is not None

    result = purge(runner, "--today", "2026-07-09")
    assert result.exit_code == 0, result.output
    assert "drafts deleted (untouched for 180 days): 1" in result.output
    assert "material files deleted: 1" in result.output
    assert db.session.get(Application, old.id) is None
    assert db.session.scalars(select(Attachment).where(
        Attachment.application_id == old.id)).all() == []
    assert not get_storage().exists(key)
    assert db.session.get(Application, newer.id) is not None  # 1 February + 180 days: not yet
    [deleted] = history(old, "application.deleted")
    assert (deleted.actor_id, deleted.detail["cause"]) == (None, "retention")


def test_the_number_of_days_is_a_setting(items, runner, app):
    old = draft(KEPT, LUBEI, on(2026, 1, 10))
    app.config["DRAFT_RETENTION_DAYS"] = 30
    try:
        assert "untouched for 30 days): 0" in purge(runner, "--today", "2026-02-08").output
        assert "untouched for 30 days): 1" in purge(runner, "--today", "2026-02-09").output
        app.config["DRAFT_RETENTION_DAYS"] = "thirty"
        result = purge(runner, "--today", "2026-02-09")
        assert result.exit_code == 1
        assert "DRAFT_RETENTION_DAYS must be a whole number from 1 to 36500" in result.output
    finally:
        app.config["DRAFT_RETENTION_DAYS"] = 180
    assert db.session.get(Application, old.id) is None


def test_history_is_kept_without_personal_text_and_the_run_is_recorded(items, runner):
    application = closed(items, KEPT, CHANG_AN, "refuse", on(2026, 3, 2), on(2026, 3, 4))
    before = history(application)
    personal = [e for e in before if {"comment", "reason", "agent", "subject"} & set(e.detail)]
    assert personal  # the return, the refusal: comments
    purge(runner, "--today", "2030-01-01")
    after = history(application)
    assert [e.id for e in after[:len(before)]] == [e.id for e in before]  # none deleted
    assert [(e.action, e.actor_id, e.at, e.region_code) for e in after[:len(before)]] == [
        (e.action, e.actor_id, e.at, e.region_code) for e in before]
    text = repr([e.detail for e in after])
    for secret in ("张三", SUBJECT_ID, SUBJECT_ID[:4] + "*", AGENT_ADDRESS, "13800138000"):
        assert secret not in text
    refusal = next(e for e in after if e.action == "application.refuse")
    assert refusal.detail["redacted"] == ["comment"] and refusal.detail["decision"] == "refuse"
    assert after[-1].action == "application.anonymised"
    assert after[-1].detail == {"cause": "retention", "years": 3, "files": 1, "notifications": 2}
    [run] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
    assert run.actor_id is None and run.detail["via"] == "cli"
    assert (run.detail["refused"], run.detail["approved"], run.detail["files"],
            run.detail["today"]) == (1, 0, 1, "2030-01-01")


def test_dry_run_counts_and_changes_nothing_and_a_second_run_purges_nothing(items, runner):
    application = closed(items, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4),
                         files=2)
    old = draft(KEPT, LUBEI, on(2026, 1, 10))
    events = db.session.scalar(select(db.func.count()).select_from(AuditEvent))

    result = purge(runner, "--dry-run", "--today", "2030-01-01")
    assert result.exit_code == 0, result.output
    assert "Dry run as of 2030-01-01: nothing is changed." in result.output
    assert "approved applications to anonymise: 1" in result.output
    assert "drafts to delete (untouched for 180 days): 1" in result.output
    assert "material files to delete: 3" in result.output
    assert fresh(application).anonymised_at is None and len(keys_of(application)) == 2
    assert db.session.get(Application, old.id) is not None
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == events

    first = purge(runner, "--today", "2030-01-01")
    assert "material files deleted: 3" in first.output
    second = purge(runner, "--today", "2030-01-01")
    assert second.exit_code == 0
    for line in ("drafts deleted (untouched for 180 days): 0",
                 "approved applications anonymised: 0", "material files deleted: 0"):
        assert line in second.output
    assert len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "application.anonymised")).all()) == 1


def test_counts_are_printed_in_chinese(items, runner):
    closed(items, KEPT, CHANG_AN, "withdraw", on(2026, 3, 2), on(2026, 3, 4))
    with force_locale("zh"):  # the default as deployed (the tests run commands in English)
        result = purge(runner, "--today", "2030-01-01")
    assert result.exit_code == 0, result.output
    assert "保存期限清理（截至 2030-01-01）" in result.output
    assert "已匿名化的已撤回申请：1" in result.output
    assert "删除的材料文件：1" in result.output


def test_the_applicant_and_the_reviewer_can_still_open_an_anonymised_application(
        items, runner, client, app):
    from tests.applications_support import token
    from tests.support import login

    application = closed(items, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4))
    purge(runner, "--today", "2030-01-01")
    step = decisions(application)[-1]
    staff = db.session.get(type(fresh(application).applicant), step.actor_id)
    assert login(client, staff.username).status_code == 302
    page = client.get(f"/review/applications/{application.id}")
    assert page.status_code == 200
    assert application.serial in page.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(StepDecision).where(
        StepDecision.application_id == application.id)) == len(decisions(application))
    owner = fresh(application).applicant
    reply = client.get(f"/api/v1/applications/{application.id}",
                       headers=token(client, owner.username))
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["serial"] == application.serial
    assert reply.get_json()["answers"] == {} and reply.get_json()["status"] == "approved"
    citizen_web = app.test_client()
    assert login(citizen_web, owner.username).status_code == 302
    page = citizen_web.get(f"/my/applications/{application.id}")
    assert page.status_code == 200 and application.serial in page.get_data(as_text=True)
