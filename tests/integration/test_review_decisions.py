"""Decisions: 会签, distinct, self-approval, workflow order (B6), scope (B1, B2), return, refuse."""
import json

import pytest

from app import workflow
from app.commands.applications.errors import (ApplicationInvalidError, ApplicationNotFoundError,
                                              NotAllowedError, StaleApplicationError)
from app.commands.reviews import ApproveCommand, RefuseCommand, ReturnCommand
from app.workflow.routing import (ALREADY_DECIDED, DECIDED_EARLIER_STEP, ENTERED_BY_YOU,
                                  NOT_CURRENT, NOT_WAITING, OWN_APPLICATION)
from tests.accounts_support import valid_id
from tests.review_support import (CHANG_AN, HB1, LUBEI, LUNAN, SHIJIAZHUANG, TANGSHAN,
                                  decisions, fresh, hb1, history, notifications,  # noqa: F401
                                  reviewer, submitted, workday_clock)

REVIEWER_ID = valid_id("13020319800101001")
MISSING = {"fields": {"mobile": "号码无法接通"}, "materials": {"diagnosis": "诊断证明不清晰"}}


def refused(reason, run):
    """Run ``run`` and insist it is refused (403) for exactly ``reason`` (in any locale)."""
    with pytest.raises(NotAllowedError) as error:
        run()
    assert error.value.message is reason, str(error.value)


def approve(application, user, comment=None, **kw):
    return ApproveCommand(application.id, user, comment, fresh(application).lock_version,
                          **kw).run()


def test_co_signing_needs_two_different_approvers_and_distinct_people(hb1):
    application = submitted(HB1)
    county, a, b, c = reviewer(LUBEI), reviewer(TANGSHAN), reviewer(TANGSHAN), reviewer(TANGSHAN)
    approve(application, county)
    approve(application, a, "同意认定")
    application = fresh(application)
    assert (application.current_step, application.status) == ("assess", "submitted")
    assert workflow.pending(a).entries == []  # already decided this step this round
    refused(ALREADY_DECIDED, lambda: approve(application, a))
    approve(application, b, "同意认定")
    application = fresh(application)
    assert application.current_step == "review"
    for user in (a, b):  # `distinct`: they decided the assessment
        assert not workflow.can_decide(user, application, workflow.current_step(application))[0]
        refused(DECIDED_EARLIER_STEP, lambda: approve(application, user))
    assert [e.application.id for e in workflow.pending(c).entries] == [application.id]
    approve(application, c)
    application = fresh(application)
    assert application.status == "approved" and application.closed_at is not None
    assert application.current_step is None and application.step_deadline is None
    assert [(d.step_key, d.actor_id) for d in decisions(application)] == [
        ("accept", county.id), ("assess", a.id), ("assess", b.id), ("review", c.id)]
    # The applicant hears of each move and of the end, not of a half-signed step.
    assert [n.template for n in notifications(application)] == [
        "review.advanced", "review.advanced", "review.approved"]


def test_no_self_approval_by_account_or_by_id_number(hb1):
    me = reviewer(LUBEI, id_number=REVIEWER_ID)
    own = submitted(HB1, applicant=me)
    about_me = submitted(HB1, subject_id_number=REVIEWER_ID)
    for application in (own, about_me):
        allowed, reason = workflow.can_decide(me, application, workflow.current_step(application))
        assert not allowed and reason is OWN_APPLICATION
        with pytest.raises(NotAllowedError):
            approve(application, me)
    assert workflow.pending(me).entries == [] and workflow.counts(me)["pending"] == 0
    other = reviewer(LUBEI)
    assert {e.application.id for e in workflow.pending(other).entries} == {own.id, about_me.id}


def test_the_clerk_who_entered_it_at_the_counter_does_not_decide_it(hb1):
    """Separation of duties: a clerk could otherwise file a claim for anyone (with their own
    bank account) and approve it."""
    from app.extensions import db

    clerk = reviewer(LUBEI)
    application = submitted(HB1)
    application.channel, application.entered_by_id = "window", clerk.id
    db.session.commit()
    allowed, reason = workflow.can_decide(clerk, application, workflow.current_step(application))
    assert not allowed and reason is ENTERED_BY_YOU
    with pytest.raises(NotAllowedError):
        approve(application, clerk)
    assert workflow.pending(clerk).entries == [] and workflow.counts(clerk)["pending"] == 0
    colleague = reviewer(LUBEI)
    assert [e.application.id for e in workflow.pending(colleague).entries] == [application.id]
    approve(application, colleague)


def test_workflow_order_no_acting_on_other_steps_or_closed_applications(hb1):
    application = submitted(HB1)
    county, city = reviewer(LUBEI), reviewer(TANGSHAN)
    refused(NOT_CURRENT, lambda: approve(application, county, step="assess"))
    with pytest.raises(NotAllowedError):  # a city reviewer on the county's step
        approve(application, city)
    RefuseCommand(application.id, county, "不符合认定条件", fresh(application).lock_version).run()
    application = fresh(application)
    assert application.status == "refused" and application.closed_at is not None
    for command in (ApproveCommand, RefuseCommand):
        refused(NOT_WAITING, command(application.id, county, "再次",
                                     application.lock_version).run)
    with pytest.raises(NotAllowedError):
        ReturnCommand(application.id, county, None, application.lock_version, MISSING).run()
    assert len(decisions(application)) == 1


def test_stale_version_is_refused(hb1):
    application = submitted(HB1)
    county, other = reviewer(LUBEI), reviewer(LUBEI)
    seen = application.lock_version
    ApproveCommand(application.id, county, None, seen).run()
    with pytest.raises(StaleApplicationError):
        RefuseCommand(application.id, other, "迟到的决定", seen).run()
    assert len(decisions(application)) == 1


def test_out_of_region_reviewers_get_404_and_see_nothing(hb1):
    application = submitted(HB1)
    other_city, sibling = reviewer(SHIJIAZHUANG), reviewer(LUNAN)
    other_county = reviewer(CHANG_AN)
    for user in (other_city, sibling, other_county):
        for command, extra in ((ApproveCommand, {}), (RefuseCommand, {}),
                               (ReturnCommand, {"missing": MISSING})):
            with pytest.raises(ApplicationNotFoundError):
                command(application.id, user, "越权", application.lock_version, **extra).run()
        with pytest.raises(ApplicationNotFoundError):
            workflow.get_reviewable(application.id, user)
        for state in workflow.STATES:
            assert workflow.queue_page(state, user).entries == []
        assert workflow.counts(user) == {state: 0 for state in workflow.STATES}
    # A non-existent id answers exactly like an out-of-scope one.
    with pytest.raises(ApplicationNotFoundError) as missing:
        ApproveCommand(10 ** 9, reviewer(LUBEI), None, 1).run()
    assert str(missing.value) == str(ApplicationNotFoundError())
    assert decisions(application) == []


def test_return_names_every_problem_at_once_and_pauses(hb1):
    application = submitted(HB1, answers={"mobile": "13800138000"})
    county = reviewer(LUBEI)
    version = application.lock_version
    for missing, key in (({}, "missing"), ({"fields": {}}, "missing"),
                         ({"fields": {"no_such_field": "x"}}, "missing.fields.no_such_field"),
                         ({"materials": {"diagnosis": " "}}, "missing.materials.diagnosis"),
                         ({"other": {}}, "missing")):
        with pytest.raises(ApplicationInvalidError) as error:
            ReturnCommand(application.id, county, None, version, missing).run()
        assert key in error.value.errors, (missing, error.value.errors)
    ReturnCommand(application.id, county, "请补正", version, MISSING).run()
    application = fresh(application)
    assert application.status == "returned" and application.current_step == "accept"
    request = application.return_request
    assert request["fields"] == MISSING["fields"]
    assert request["materials"] == MISSING["materials"]
    assert request["step"] == "accept" and request["returned_on"] == "2026-03-02"
    assert application.answers_at_return == {"mobile": "13800138000"}
    assert application.step_deadline is None
    [event] = history(application, "application.return")
    assert event.detail["missing"] == {"fields": ["mobile"], "materials": ["diagnosis"]}
    assert [n.template for n in notifications(application)] == ["review.returned"]
    assert workflow.pending(county).entries == []


def test_refuse_needs_a_reason(hb1):
    application = submitted(HB1)
    county = reviewer(LUBEI)
    with pytest.raises(ApplicationInvalidError) as error:
        RefuseCommand(application.id, county, "  ", application.lock_version).run()
    assert list(error.value.errors) == ["comment"]
    assert fresh(application).status == "submitted" and decisions(application) == []


def test_every_decision_is_history_without_raw_id_numbers(hb1):
    subject = valid_id("13020319900101002")
    application = submitted(HB1, subject_id_number=subject)
    county, a = reviewer(LUBEI), reviewer(TANGSHAN)
    approve(application, county, f"核对身份证 {subject} 无误")
    ReturnCommand(application.id, a, "补充", fresh(application).lock_version, MISSING).run()
    events = history(application)
    assert [e.action for e in events] == ["application.approve", "application.return"]
    first = events[0]
    assert first.actor_id == county.id and first.at is not None
    assert first.region_code == LUBEI and first.detail["step"] == "accept"
    assert first.detail["handled_by"] == LUBEI and first.detail["reviewer_region"] == LUBEI
    assert events[1].detail["step"] == "assess" and events[1].detail["handled_by"] == TANGSHAN
    for event in events:
        assert subject not in json.dumps(event.detail, ensure_ascii=False)
    assert subject not in json.dumps([n.params for n in notifications(application)])
    assert all(subject not in (d.comment or "") for d in decisions(application))
