"""The citizen-side commands: create, save (raw, stale, returned), withdraw."""
import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from app.commands.applications.context import variables
from app.commands.applications.create import CreateApplicationCommand
from app.commands.applications.errors import (ApplicationInvalidError, NotAllowedError,
                                              StaleApplicationError)
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.withdraw import DraftNotWithdrawnError, WithdrawApplicationCommand
from app.extensions import db
from app.models.application import Attachment, StepDecision
from app.models.audit import AuditEvent
from tests.applications_support import (ALICE_ID, BOB_ID, CODE, FORMDEFS, GD8_REQUIRED_MATERIALS,
                                        REGION, clock, gd8, load_gd8, make_citizen,  # noqa: F401
                                        make_person)

INFO_CHANGE = FORMDEFS / "440000-guangdong" / "resident_info_change.yaml"


def new_draft(user, code=CODE, region=REGION, **kw):
    return CreateApplicationCommand(user, code, region, **kw).run()


def attach_rows(application, keys=GD8_REQUIRED_MATERIALS):
    """Attachment rows without files (the upload path is tested in test_materials.py)."""
    for key in keys:
        db.session.add(Attachment(
            application_id=application.id, material_key=key,
            region_code=application.region_code, owner_id=application.applicant_id,
            original_name=f"{key}.png", storage_key=f"aa/bb/aabb{uuid.uuid4().hex[:28]}",
            content_type="image/png", size=10, sha256="0" * 64))
    db.session.commit()


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def test_create_pins_the_version_in_effect_and_records_the_subject(gd8):
    application = new_draft(gd8)
    assert application.status == "draft" and application.serial is None
    assert application.version.number == 1 and application.item.code == CODE
    assert application.subject_id_number == ALICE_ID and application.subject_verified_at
    assert application.filer == "self" and application.applicant_id == gd8.id
    [created] = events("application.created")
    assert created.detail["subject"] != ALICE_ID and created.detail["subject"].endswith("0021")
    assert variables(application)["person"]["name"] == "林小红"


@pytest.mark.parametrize("region, item, filer, key", [
    ("440000", CODE, "self", "region"),     # a province
    ("440100", CODE, "self", "region"),     # a city
    ("999999", CODE, "self", "region"),     # no such region
    (REGION, "no_such_item", "self", "item"),
    (REGION, CODE, "agent", "filer"),       # GD-8 is for the employee herself
])
def test_create_refuses_with_a_message_per_field(gd8, region, item, filer, key):
    with pytest.raises(ApplicationInvalidError) as caught:
        new_draft(gd8, item, region, filer=filer)
    assert list(caught.value.errors) == [key]


def test_create_needs_a_verified_identity(ctx, clock):
    load_gd8()
    with pytest.raises(NotAllowedError):
        new_draft(make_citizen(verified=False))


def test_an_agent_files_for_a_subject_checked_in_the_registry(ctx, clock):
    load_gd8(INFO_CHANGE)
    alice = make_citizen()
    make_person(BOB_ID, "王大明", sex="1", birth=dt.date(1985, 5, 5))
    subject = {"name": "王大明", "id_number": BOB_ID.lower()}
    application = new_draft(alice, "resident_info_change", filer="agent", subject=subject)
    assert application.subject_id_number == BOB_ID and application.subject_verified_at
    assert variables(application)["person"]["name"] == "王大明"
    assert variables(application)["filer"] == "agent"
    bad_check_digit = BOB_ID[:-1] + ("1" if BOB_ID[-1] != "1" else "2")
    for wrong, key in [({"name": "李四", "id_number": BOB_ID}, "subject.name"),
                       ({"name": "王大明", "id_number": bad_check_digit}, "subject.id_number"),
                       ({"name": "林小红", "id_number": ALICE_ID}, "subject.id_number"),
                       (None, "subject.name")]:
        with pytest.raises(ApplicationInvalidError) as caught:
            new_draft(alice, "resident_info_change", filer="agent", subject=wrong)
        assert key in caught.value.errors, wrong


def test_save_keeps_raw_input_and_reports_informatively(gd8):
    application = new_draft(gd8)
    result = SaveAnswersCommand(application, {"mobile": "+86 138-0013-8000"}, page="insured",
                                user=gd8).run()
    assert result.errors == {}
    assert application.answers == {"mobile": "+86 138-0013-8000"}  # as typed, not canonical
    result = SaveAnswersCommand(application, {"employer_uscc": "123", "status": "approved",
                                              "mobile": None}, page="employer", user=gd8).run()
    assert set(result.errors) == {"employer_name", "employer_uscc", "not_advanced_reason"}
    assert "status" in result.warnings and application.status == "draft"
    assert application.answers == {"employer_uscc": "123"}  # null removed the mobile
    with pytest.raises(ApplicationInvalidError):
        SaveAnswersCommand(application, {}, page="no_such_page", user=gd8).run()


def test_only_the_applicant_may_save(gd8):
    application = new_draft(gd8)
    other = make_citizen(BOB_ID, "王大明")
    with pytest.raises(NotAllowedError):
        SaveAnswersCommand(application, {"mobile": "13800138000"}, user=other).run()


def test_a_stale_save_is_refused_and_changes_nothing(gd8):  # E2
    application = new_draft(gd8)
    seen = application.lock_version
    SaveAnswersCommand(application, {"mobile": "13800138000"}, seen, user=gd8).run()
    assert application.lock_version == seen + 1
    with pytest.raises(StaleApplicationError):
        SaveAnswersCommand(application, {"mobile": "13900139000"}, seen, user=gd8).run()
    db.session.expire_all()
    assert application.answers == {"mobile": "13800138000"}


def test_returned_application_changes_only_flagged_fields(gd8):
    application = new_draft(gd8)
    SaveAnswersCommand(application, {"mobile": "13800138000", "employer_name": "甲"},
                       user=gd8).run()
    application.status, application.answers_at_return = "returned", dict(application.answers)
    application.return_request = {"fields": {"mobile": "号码有误"}, "materials": {}}
    db.session.commit()
    with pytest.raises(ApplicationInvalidError) as caught:  # bad input, not authority
        SaveAnswersCommand(application, {"employer_name": "乙", "mobile": "13900139000"},
                           user=gd8).run()
    assert list(caught.value.errors) == ["employer_name"]
    SaveAnswersCommand(application, {"employer_name": "甲", "mobile": "13900139000"},
                       user=gd8).run()  # unchanged unflagged answers may be sent again
    assert application.answers["mobile"] == "13900139000"


def test_withdraw_before_any_decision_only(gd8):
    draft = new_draft(gd8)
    with pytest.raises(DraftNotWithdrawnError):  # never sent: deleted instead, as 我要查 offers
        WithdrawApplicationCommand(draft, user=gd8, reason="填错了").run()
    assert draft.status == "draft" and draft.closed_at is None
    returned = new_draft(gd8)
    returned.status, returned.round = "returned", 1
    db.session.commit()
    WithdrawApplicationCommand(returned, user=gd8, reason="填错了").run()
    assert returned.status == "withdrawn" and returned.closed_at is not None
    with pytest.raises(NotAllowedError):
        WithdrawApplicationCommand(returned, user=gd8).run()
    submitted = new_draft(gd8)
    submitted.status, submitted.current_step, submitted.round = "submitted", "accept", 1
    db.session.add(StepDecision(application_id=submitted.id, step_key="accept", round=1,
                                decision="approve"))
    db.session.commit()
    with pytest.raises(NotAllowedError):
        WithdrawApplicationCommand(submitted, user=gd8).run()
    undecided = new_draft(gd8)
    undecided.status, undecided.current_step, undecided.round = "submitted", "accept", 1
    db.session.commit()
    WithdrawApplicationCommand(undecided, user=gd8).run()
    assert undecided.status == "withdrawn" and undecided.current_step is None
    assert [e.detail["previous"] for e in events("application.withdrawn")] == ["returned",
                                                                               "submitted"]
