"""Every column that may hold personal data, and what retention does to it (PIPL art. 47,
SECURITY_TESTS.md F2).

``PERSONAL`` names each such column with the step that empties it; ``NOT_PERSONAL`` names
every other column of the tables about a person or an application; ``REFERENCE`` lists the
tables that hold nothing about a person at all. A new table or column fails the first test
until it is placed in one of them, so nobody adds personal data without saying how it leaves.
The second test fills every personal column it can through the real commands, runs the purge
(and closes the account, or leaves it unused), then reads every row of every table (the
registry aside) and finds none of the person's texts, full or masked.
"""
import datetime as dt
import json

import pytest
from flask_appbuilder import Model
from sqlalchemy import select

from app.audit import record
from app.commands.accounts import CloseAccountCommand
from app.commands.notifications import queue_notification
from app.extensions import db
from app.models.application import IdempotencyRecord, Notification
from app.models.base import utcnow
from app.models.user import BanshiUser
from app.models.verification import DevSmsMessage, SmsChallenge
from app.validators import mask_id_number, mask_mobile
from tests.account_close_support import ID_NUMBER, MOBILE, NAME, assert_anonymised
from tests.retention_support import (AGENT_ADDRESS, KEPT, SUBJECT_ID, closed, on,
                                     publish_items, purge)
from tests.review_support import CHANG_AN, fresh, workday_clock  # noqa: F401
from tests.support import PASSWORD

APPLICATION = "emptied by the purge (app.commands.anonymise)"
ROW_GONE = "its rows deleted by the purge"
ACCOUNT = "replaced when the account is closed or anonymised (app.commands.accounts)"
ACCOUNT_ROWS = "its rows deleted when the account is closed or anonymised"
EXPIRED_ROWS = (ACCOUNT_ROWS + ", and by the purge once past their use (SMS codes a day after "
                "expiring, Idempotency-Key records after IDEMPOTENCY_KEY_DAYS)")
HISTORY = "personal keys taken out (app.audit.redact_history, redact_account_history)"
REGISTRY = "the person registry: the 医保 authority's master data, not collected by banshi"
UNUSED = "FAB's own self-registration, switched off: banshi never writes it"
SIGNERS = ("reviewers' names, emptied when the step moves on and when the application is "
           "returned, withdrawn or closed (app.workflow.cosign): a closed application holds none")

PERSONAL = {
    "ab_user": dict.fromkeys(("first_name", "last_name", "username", "email", "password",
                              "id_number", "mobile", "identity_verified_at",
                              "identity_method"), ACCOUNT),
    "application": dict.fromkeys(("subject_name", "subject_id_number", "subject_verified_at",
                                  "agent_relationship", "agent_address", "answers",
                                  "answers_at_return", "return_request"), APPLICATION)
    | {"step_signed": SIGNERS},
    "attachment": dict.fromkeys(("original_name", "storage_key", "sha256"), ROW_GONE),
    "step_decision": {"comment": APPLICATION},
    "notification": dict.fromkeys(("params", "last_error"), ROW_GONE),
    "audit_event": {"detail": HISTORY},
    "sms_challenge": {"mobile": EXPIRED_ROWS},
    "dev_sms_message": dict.fromkeys(("mobile", "text"), ACCOUNT_ROWS),
    "idempotency_record": {"key": EXPIRED_ROWS},
    "ab_api_key": {"name": ACCOUNT_ROWS},
    "person": dict.fromkeys(("id_number", "name", "sex", "birth_date", "naty", "mobile",
                             "hukou_region_code", "address"), REGISTRY),
    "enrollment": dict.fromkeys(("employer_name", "employer_code"), REGISTRY),
    "ab_register_user": dict.fromkeys(("first_name", "last_name", "username", "password",
                                       "email", "registration_hash"), UNUSED),
    "application_urge": {},  # ids, the step, the day and the time of a 催办: nothing else
}
#: The other columns of those tables: ids, codes, states, counts and dates the registers and
#: the figures need, or nothing about the person.
NOT_PERSONAL = {
    "ab_user": {"id", "active", "last_login", "login_count", "fail_login_count", "created_on",
                "changed_on", "created_by_fk", "changed_by_fk", "region_code", "session_epoch",
                "anonymised_at", "must_change_password"},
    "application": {"id", "serial", "item_id", "version_id", "region_code", "applicant_id",
                    "filer", "channel", "entered_by_id", "notice_acknowledged_at", "status",
                    "current_step", "step_region_code", "round", "step_barred", "created_at",
                    "updated_at", "submitted_at", "closed_at", "step_started_at",
                    "step_deadline", "step_due_soon_from", "step_urged_at", "deadline",
                    "deadline_provisional",
                    "working_days_used",
                    "paused_working_days", "working_days_taken", "anonymised_at",
                    "lock_version"},
    "attachment": {"id", "application_id", "material_key", "region_code", "owner_id",
                   "content_type", "size", "uploaded_by_id", "uploaded_at", "removed_at"},
    "step_decision": {"id", "application_id", "step_key", "round", "actor_id", "decision", "at"},
    "notification": {"id", "application_id", "recipient_id", "region_code", "channel",
                     "template", "created_at", "sent_at", "attempts"},
    "audit_event": {"id", "at", "actor_id", "action", "object_type", "object_id", "region_code",
                    "request_id"},
    "sms_challenge": {"id", "purpose", "code_hash", "created_at", "expires_at", "attempts",
                      "used_at"},
    "dev_sms_message": {"id", "sent_at"},
    "idempotency_record": {"id", "account_id", "request_hash", "status_code",
                           "response",  # {id, status, serial}
                           "created_at"},
    "ab_api_key": {"id", "uuid", "key_hash", "lookup_hash", "key_prefix", "user_id", "scopes",
                   "active", "created_on", "expires_on", "revoked_on", "last_used_on"},
    "person": {"id", "cert_type", "region_code", "updated_at"},
    "enrollment": {"id", "person_id", "insutype", "status", "psn_type", "region_code",
                   "start_date", "first_insured_month", "account_month", "end_date"},
    "ab_register_user": {"id", "registration_date"},
    "application_urge": {"id", "application_id", "step_key", "round", "day", "actor_id", "at"},
}
#: Tables about no person: roles and permissions, regions, code tables, the calendar, item
#: definitions (written by administrators), counters, caches, captcha pictures.
REFERENCE = {
    "ab_group", "ab_permission", "ab_role", "ab_view_menu", "ab_group_role",
    "ab_permission_view", "ab_permission_view_role", "ab_user_group", "ab_user_role",
    "cache_generation", "calendar_day", "calendar_year", "captcha_challenge", "dictionary",
    "dictionary_entry", "region", "serial_counter", "item", "item_version", "item_page",
    "item_field", "item_option", "item_material", "item_step",
}


def test_every_column_is_placed_in_the_census():
    tables = {table.name: {column.name for column in table.columns}
              for table in Model.metadata.sorted_tables}
    unplaced = set(tables) - REFERENCE - set(PERSONAL)
    assert not unplaced, f"new tables: put them in PERSONAL/NOT_PERSONAL or REFERENCE: {unplaced}"
    assert set(NOT_PERSONAL) == set(PERSONAL) and not REFERENCE & set(PERSONAL)
    for name in PERSONAL:
        personal, kept = set(PERSONAL[name]), NOT_PERSONAL[name]
        assert not personal & kept, (name, personal & kept)
        assert personal | kept == tables[name], (
            f"{name}: say whether each new column is personal and how retention empties it: "
            f"{tables[name] - personal - kept}; gone: {(personal | kept) - tables[name]}")


@pytest.fixture
def person(ctx, workday_clock, tmp_path):
    """An approved application full of personal data, its applicant with every trace an
    account leaves; yields the application."""
    publish_items(tmp_path / "formdefs")
    application = closed(workday_clock, KEPT, CHANG_AN, "approve", on(2026, 3, 2),
                         on(2026, 3, 4))
    user = application.applicant
    user.first_name, user.id_number, user.mobile = NAME, ID_NUMBER, MOBILE
    user.username, user.email = MOBILE, f"{MOBILE}@accounts.invalid"  # as registration does
    user.identity_verified_at, user.identity_method = utcnow(), "ec_password"
    record("account.register", "user", user.id, actor_id=user.id, via="sms",
           mobile=mask_mobile(MOBILE))
    record("identity.verify", "user", user.id, CHANG_AN, method="ec_password",
           id_number=mask_id_number(ID_NUMBER))
    queue_notification(application, "review.returned", step=f"受理（{NAME} {MOBILE}）")
    db.session.add_all([
        Notification(application_id=application.id, recipient_id=user.id, region_code=CHANG_AN,
                     template="review.approved", params={"serial": application.serial},
                     last_error=f"gateway refused {MOBILE}", attempts=5),
        SmsChallenge(mobile=MOBILE, purpose="reset", code_hash="x",
                     expires_at=utcnow() + dt.timedelta(minutes=5)),
        DevSmsMessage(mobile=MOBILE, text=f"验证码 123456 {NAME}"),
        IdempotencyRecord(account_id=user.id, key=f"submit-{MOBILE}", request_hash="0" * 64,
                          status_code=200, response={"id": application.id})])
    db.session.commit()
    return fresh(application)


def texts_of(application) -> list[str]:
    """The person's texts, full and masked, that must be found nowhere afterwards."""
    return [NAME, ID_NUMBER, mask_id_number(ID_NUMBER), MOBILE, mask_mobile(MOBILE),
            SUBJECT_ID, mask_id_number(SUBJECT_ID), AGENT_ADDRESS, "张三"]


def everything(skip=("person", "enrollment")) -> list[tuple[str, str, str]]:
    """Return (table, column, text) of every value in every table but the registry."""
    found = []
    for table in Model.metadata.sorted_tables:
        if table.name in skip:
            continue
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                text = json.dumps(value, ensure_ascii=False, default=str) \
                    if isinstance(value, (dict, list)) else str(value)
                found.append((table.name, column, text))
    return found


@pytest.mark.parametrize("how", ["closed", "unused"])
def test_nothing_personal_survives_the_purge_and_the_account(person, runner, how):
    texts = texts_of(person)
    before = everything()
    for text in texts:  # the scenario really holds each of them somewhere
        assert any(text in value for _, _, value in before), text
    if how == "closed":
        CloseAccountCommand(person.applicant, PASSWORD).run()
    # 3 years after closing for the application; the account unused for 5 years by then.
    result = purge(runner, "--today", "2036-03-04")
    assert result.exit_code == 0, result.output
    assert "approved applications anonymised: 1" in result.output
    assert f"citizen accounts anonymised (no sign-in for 5 years): " \
           f"{0 if how == 'closed' else 1}" in result.output
    assert_anonymised(db.session.get(BanshiUser, person.applicant_id))
    left = [(table, column, text) for table, column, value in everything()
            for text in texts if text in value]
    assert left == []
