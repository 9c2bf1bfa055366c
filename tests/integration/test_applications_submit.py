"""Submitting: canonical answers, 422s, serials, deadlines, idempotency, resubmission, pledges."""
import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from app.commands.applications.errors import (ApplicationInvalidError, IdempotencyConflictError,
                                              NotAllowedError)
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.serials import next_serial
from app.commands.applications.submit import SubmitApplicationCommand, request_hash
from app.extensions import db
from app.models.application import Application, Notification
from tests.applications_support import (CST, GD8_ANSWERS, REGION, clock, gd8,  # noqa: F401
                                        load_gd8, make_citizen)
from tests.applications_support import FORMDEFS
from tests.integration.test_applications_commands import (INFO_CHANGE, attach_rows, events,
                                                          new_draft)


def filled(user, answers=GD8_ANSWERS, materials=("id_document", "birth_certificate",
                                                   "employer_status_proof")):
    application = new_draft(user)
    SaveAnswersCommand(application, answers, user=user).run()
    attach_rows(application, materials)
    return application


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_submit_stores_canonical_answers_without_hidden_ones(gd8):  # D1
    answers = {**GD8_ANSWERS, "mobile": "+86 １３８ ００１３ ８０００",
               "leave_type": "family_planning", "parity": 2, "fetus_count": 1, "cert_number": "X1", "bank_account": "6217-0000 1111-2222"}
    application = filled(gd8, answers, ("id_document", "diagnosis", "employer_status_proof"))
    result = SubmitApplicationCommand(application, user=gd8).run()
    assert result.body == {"id": application.id, "status": "submitted",
                           "serial": f"{REGION}-20261120-00001"}
    stored = application.answers
    assert stored["mobile"] == "13800138000" and stored["bank_account"] == "6217000011112222"
    assert stored["id_number"] == gd8.id_number and stored["name"] == "林小红"  # prefilled
    assert stored["leave_days"] == 129  # computed
    assert not {"parity", "fetus_count", "cert_number", "_notice"} & set(stored)
    assert application.current_step == "accept" and application.round == 1
    assert application.submitted_at is not None and application.deadline is not None
    [event] = events("application.submitted")
    assert event.detail["serial"] == application.serial and event.detail["step"] == "accept"
    [note] = db.session.scalars(select(Notification)).all()
    assert note.recipient_id == gd8.id and note.params["serial"] == application.serial


def test_submit_refuses_with_per_field_and_per_material_messages(gd8):
    application = new_draft(gd8)
    SaveAnswersCommand(application, {"mobile": "12345"}, user=gd8).run()
    with pytest.raises(ApplicationInvalidError) as caught:
        SubmitApplicationCommand(application, user=gd8).run()
    errors = caught.value.errors
    assert {"mobile", "employer_name", "leave_type", "bank_account", "_notice",
            "materials.id_document", "materials.employer_status_proof"} <= set(errors)
    assert "materials.birth_certificate" not in errors  # required only for maternity leave
    assert "materials.discharge_record" not in errors  # optional
    assert application.status == "draft" and application.serial is None
    assert count(Notification) == 0 and not events("application.submitted")


def test_deadline_counts_working_days_across_national_day(ctx, clock):
    clock.set(dt.datetime(2026, 9, 30, 16, 0, tzinfo=CST))
    load_gd8()  # published that day: a version is never in effect before it was published
    alice = make_citizen()
    application = filled(alice)
    SubmitApplicationCommand(application, user=alice).run()
    assert application.serial == f"{REGION}-20260930-00001"
    assert application.deadline == dt.date(2026, 10, 20)  # 10 working days, 国庆 skipped
    assert application.deadline_provisional is False


def test_late_evening_utc_is_the_next_day_in_shanghai(gd8, clock):
    clock.set(dt.datetime(2026, 11, 19, 17, 30, tzinfo=dt.timezone.utc))  # 01:30 on the 20th
    application = filled(gd8)
    SubmitApplicationCommand(application, user=gd8).run()
    assert application.serial == f"{REGION}-20261120-00001"


def test_serial_numbers_increase_per_region_and_day(ctx):
    day, next_day = dt.date(2026, 11, 20), dt.date(2026, 11, 21)
    issued = [next_serial("440106", day), next_serial("440106", day), next_serial("440103", day),
              next_serial("440106", next_day), next_serial("440106", day)]
    db.session.commit()
    assert issued == ["440106-20261120-00001", "440106-20261120-00002", "440103-20261120-00001",
                      "440106-20261121-00001", "440106-20261120-00003"]


def test_one_idempotency_key_submits_once(gd8):  # E3
    application = filled(gd8)
    body = request_hash(application.id, b"{}")
    first = SubmitApplicationCommand(application, "key-1", body, user=gd8).run()
    again = SubmitApplicationCommand(application, "key-1", body, user=gd8).run()
    assert again.replayed and again.body == first.body and again.status_code == 200
    assert len(events("application.submitted")) == 1 and count(Notification) == 1
    with pytest.raises(IdempotencyConflictError):
        SubmitApplicationCommand(application, "key-1", request_hash(application.id, b"x"),
                                 user=gd8).run()
    with pytest.raises(NotAllowedError):  # a new key cannot submit twice either
        SubmitApplicationCommand(application, "key-2", body, user=gd8).run()


def test_resubmission_records_what_changed(gd8):
    application = filled(gd8)
    SubmitApplicationCommand(application, user=gd8).run()
    serial = application.serial
    application.status, application.answers_at_return = "returned", dict(application.answers)
    application.return_request = {"fields": {"mobile": "号码有误"}, "returned_on": "2026-11-20"}
    db.session.commit()
    SaveAnswersCommand(application, {"mobile": "139 0013 9000"}, user=gd8).run()
    result = SubmitApplicationCommand(application, user=gd8).run()
    assert result.body["status"] == "submitted" and application.serial == serial
    assert application.round == 2 and application.current_step == "accept"
    [event] = events("application.resubmitted")
    assert event.detail["diff"] == {"added": [], "removed": [], "changed": ["mobile"]}
    assert application.answers["mobile"] == "13900139000"


def test_a_key_of_the_first_submission_does_not_answer_for_the_correction(gd8):  # E3
    """Replaying "submitted" for a correction would leave it returned while saying otherwise."""
    application = filled(gd8)
    body = request_hash(application.id)
    SubmitApplicationCommand(application, "app-submit", body, user=gd8).run()
    application.status, application.answers_at_return = "returned", dict(application.answers)
    application.return_request = {"fields": {"mobile": "号码有误"}, "returned_on": "2026-11-20"}
    db.session.commit()
    SaveAnswersCommand(application, {"mobile": "139 0013 9000"}, user=gd8).run()
    with pytest.raises(IdempotencyConflictError) as refused:
        SubmitApplicationCommand(application, "app-submit", body, user=gd8).run()
    assert "earlier submission" in str(refused.value)
    assert db.session.get(Application, application.id).status == "returned"
    result = SubmitApplicationCommand(application, "app-resubmit", body, user=gd8).run()
    assert result.body["status"] == "submitted" and not result.replayed
    again = SubmitApplicationCommand(application, "app-resubmit", body, user=gd8).run()
    assert again.replayed and again.body == result.body  # a retry of the correction still replays
    assert len(events("application.resubmitted")) == 1


def test_a_pledge_replaces_a_material_that_allows_one(ctx, clock):
    load_gd8(INFO_CHANGE)
    alice = make_citizen()
    application = new_draft(alice, "resident_info_change")
    answers = {"change_items": ["residence"], "new_residence_region": "440106",
               "new_residence_address": "天河路1号", "_notice": True}
    SaveAnswersCommand(application, answers, user=alice).run()
    attach_rows(application, ["id_document"])
    with pytest.raises(ApplicationInvalidError) as caught:
        SubmitApplicationCommand(application, user=alice).run()
    assert list(caught.value.errors) == ["materials.residence_proof"]
    with pytest.raises(ApplicationInvalidError):  # id_document allows no pledge
        SaveAnswersCommand(application, {"_pledges": {"id_document": True}}, user=alice).run()
    SaveAnswersCommand(application, {"_pledges": {"residence_proof": True}}, user=alice).run()
    SubmitApplicationCommand(application, user=alice).run()
    assert application.status == "submitted"
    assert application.answers["_pledges"] == {"residence_proof": True}


def test_only_the_applicant_submits(gd8):
    application = filled(gd8)
    other = make_citizen("440106198505050030", "王大明")
    with pytest.raises(NotAllowedError):
        SubmitApplicationCommand(application, user=other).run()
    assert db.session.get(Application, application.id).status == "draft"


def test_a_double_click_under_concurrency_submits_once(app, gd8, db_dialect):  # E3, PostgreSQL
    if db_dialect != "postgresql":
        pytest.skip("row locks are what is tested; SQLite serialises writers anyway")
    from app.models.user import BanshiUser

    application = filled(gd8)
    pk, user_id, body = application.id, gd8.id, request_hash(application.id, b"")
    barrier, results = threading.Barrier(5), []

    def worker():
        with app.app_context():
            mine = db.session.get(Application, pk)
            user = db.session.get(BanshiUser, user_id)
            barrier.wait()
            try:
                results.append(SubmitApplicationCommand(mine, "dbl", body, user=user).run().body)
            except Exception as error:  # reported by the assertion below
                results.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [results[0]] * 5 and results[0]["status"] == "submitted", results
    assert len(events("application.submitted")) == 1 and count(Notification) == 1


def test_an_agent_enrolls_a_newborn_the_registry_does_not_know(ctx, clock):  # D1
    load_gd8(FORMDEFS / "440000-guangdong" / "resident_enrollment.yaml")
    alice = make_citizen()
    baby = "44010620250101009x"  # lower-case x, as typed
    application = new_draft(alice, "resident_enrollment", filer="agent",
                            subject={"name": "林小宝", "id_number": baby})
    assert application.subject_id_number == baby.upper()
    assert application.subject_verified_at is None  # not in the registry: recorded unverified
    answers = {"grassroots_name": "天河某社区", "grassroots_code": "44010600001",
               "cert_type": "01", "id_number": "４４０１０６２０２５０１０１００９x",
               "name": "林小宝", "mobile": "+86 138 0013 8000", "nation": "01", "gender": "1",
               "hukou_region": "440106", "hukou_address": "天河路1号",
               "hukou_postcode": "５１００００", "psn_type": "1401", "enroll_date": "2026-12-01",
               "pay_year": 2026, "_notice": True}
    SaveAnswersCommand(application, answers, user=alice).run()
    attach_rows(application, ["id_document", "agent_id"])
    SubmitApplicationCommand(application, user=alice).run()
    stored = application.answers
    assert (stored["id_number"], stored["mobile"], stored["hukou_postcode"]) == (
        "44010620250101009X", "13800138000", "510000")
    assert stored["insutype"] == "390" and "cert_number" not in stored
