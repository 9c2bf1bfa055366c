"""Routing of the approval chain: levels, region fields, `when`, `auto` (app.workflow)."""
from app import workflow
from app.commands.reviews import ApproveCommand
from app.extensions import db
from app.models.region import Region
from tests.review_support import (CHANG_AN, FUTIAN, HB1, LUBEI, LUNAN, NANSHAN, SHENZHEN,
                                  SHIJIAZHUANG, TANGSHAN, decisions, fresh, hb1,  # noqa: F401
                                  history, publish, reviewer, submitted, workday_clock)

TRANSFER_IN = "transfer_in_cross_province"
INFO_CHANGE = "resident_info_change"


def test_levels_resolve_upward_through_the_region_tree(ctx):
    assert workflow.ancestor_at(LUBEI, "county") == LUBEI
    assert workflow.ancestor_at(LUBEI, "city") == TANGSHAN
    assert workflow.ancestor_at(LUBEI, "province") == "130000"
    # Beijing's districts hang directly under the municipality: its city step is 110000's.
    assert workflow.ancestor_at("110105", "city") == "110000"
    assert workflow.ancestor_at("110105", "county") == "110105"
    # A region above the level handles the step itself.
    assert workflow.ancestor_at(TANGSHAN, "county") == TANGSHAN
    # An 11-digit 医保 node resolves upward like any other.
    db.session.add(Region(code=f"{LUBEI}00001", name="某学校", level="grassroots",
                          parent_code=LUBEI, path=f"130000/{TANGSHAN}/{LUBEI}/{LUBEI}00001/",
                          kind="insurance"))
    db.session.commit()
    assert workflow.ancestor_at(f"{LUBEI}00001", "county") == LUBEI
    assert workflow.ancestor_at(f"{LUBEI}00001", "city") == TANGSHAN
    assert workflow.ancestor_at("999999", "city") is None


def test_county_then_city_steps_go_to_the_right_reviewers(hb1):
    application = submitted(HB1, LUBEI)
    assert (application.status, application.current_step) == ("submitted", "accept")
    assert application.round == 1 and application.step_region_code == LUBEI
    step = workflow.current_step(application)
    county, city = reviewer(LUBEI), reviewer(TANGSHAN)
    sibling, other_city = reviewer(LUNAN), reviewer(SHIJIAZHUANG)
    assert workflow.can_decide(county, application, step) == (True, None)
    for user in (city, sibling, other_city, reviewer(CHANG_AN)):
        allowed, reason = workflow.can_decide(user, application, step)
        assert not allowed and reason
    assert [e.application.id for e in workflow.pending(county).entries] == [application.id]
    for user in (city, sibling, other_city):
        assert workflow.pending(user).entries == []

    ApproveCommand(application.id, county, "材料齐全", application.lock_version).run()
    application = fresh(application)
    assert application.current_step == "assess" and application.step_region_code == TANGSHAN
    step = workflow.current_step(application)
    # A county reviewer cannot take a city step, even of an application in their county.
    assert workflow.can_decide(reviewer(LUBEI), application, step).allowed is False
    assert workflow.can_decide(city, application, step).allowed is True
    assert workflow.pending(county).entries == []
    assert [e.application.id for e in workflow.pending(city).entries] == [application.id]
    assert workflow.pending(other_city).entries == []


def test_region_field_routes_each_step_to_its_own_agency(ctx, workday_clock):
    publish(TRANSFER_IN)
    answers = {"to_region": NANSHAN, "from_region": LUBEI}
    application = submitted(TRANSFER_IN, NANSHAN, answers)
    receiving, receiving_2, sending = reviewer(NANSHAN), reviewer(NANSHAN), reviewer(LUBEI)
    assert application.step_region_code == NANSHAN
    assert [e.application.id for e in workflow.pending(receiving).entries] == [application.id]
    assert workflow.pending(sending).entries == []
    assert workflow.counts(sending)["pending"] == 0

    ApproveCommand(application.id, receiving, None, application.lock_version).run()
    application = fresh(application)
    assert (application.current_step, application.step_region_code) == ("issue_out", LUBEI)
    # The sending agency in another province now sees it — only its own step.
    assert [e.application.id for e in workflow.pending(sending).entries] == [application.id]
    assert workflow.pending(receiving).entries == []
    assert workflow.pending(receiving_2).entries == []
    ApproveCommand(application.id, sending, None, application.lock_version).run()

    application = fresh(application)
    assert (application.current_step, application.step_region_code) == ("complete_in", NANSHAN)
    assert workflow.pending(sending).entries == []
    # complete_in is `distinct`: not for whoever accepted it.
    assert workflow.pending(receiving).entries == []
    assert workflow.counts(receiving)["pending"] == 0
    assert [e.application.id for e in workflow.pending(receiving_2).entries] == [application.id]
    ApproveCommand(application.id, receiving_2, None, application.lock_version).run()
    assert fresh(application).status == "approved"


def test_when_skips_a_step_whose_condition_is_false(ctx, workday_clock):
    publish("maternity_allowance")
    plain = {"not_advanced_reason": "licence_revoked", "leave_days": 98}
    disputed = {"not_advanced_reason": "no_good_reason", "leave_days": 98}
    county, city, city_2, city_3 = (reviewer(NANSHAN), reviewer(SHENZHEN), reviewer(SHENZHEN),
                                    reviewer(SHENZHEN))
    first = submitted("maternity_allowance", NANSHAN, plain)
    second = submitted("maternity_allowance", NANSHAN, disputed)
    for application in (first, second):
        ApproveCommand(application.id, county, None, application.lock_version).run()
        application = fresh(application)
        assert application.current_step == "review"
        ApproveCommand(application.id, city, None, application.lock_version).run()
    assert fresh(first).status == "approved"  # 复核 skipped: no dispute, leave ≤ 180 days
    second = fresh(second)
    assert (second.status, second.current_step) == ("submitted", "recheck")
    assert workflow.pending(city).entries == []  # distinct: city decided `review`
    ApproveCommand(second.id, city_2, None, second.lock_version).run()
    assert fresh(second).current_step == "recheck"  # 会签: one of two
    ApproveCommand(second.id, city_3, None, fresh(second).lock_version).run()
    assert fresh(second).status == "approved"
    assert workflow.pending(reviewer(FUTIAN)).entries == []


def test_auto_step_decides_by_rule_and_records_it(ctx, workday_clock):
    publish(INFO_CHANGE)
    application = submitted(INFO_CHANGE, NANSHAN,
                            {"change_items": ["mobile"], "new_mobile": "13900139000"})
    assert application.status == "approved" and application.closed_at is not None
    [decision] = decisions(application)
    assert (decision.step_key, decision.decision, decision.actor_id) == ("auto_contact",
                                                                          "approve", None)
    [event] = history(application, "application.decide")
    assert event.actor_id is None
    assert event.detail["by"] == "rule" and event.detail["rule"] == "new_mobile != null"
    assert event.detail["step"] == "auto_contact"


def test_auto_step_whose_rule_is_false_goes_to_people(ctx, workday_clock):
    publish(INFO_CHANGE)
    application = submitted(INFO_CHANGE, NANSHAN, {"change_items": ["mobile"]})
    assert (application.status, application.current_step) == ("submitted", "auto_contact")
    assert application.step_region_code == NANSHAN  # no level: the application's region
    assert decisions(application) == []
    [event] = history(application, "application.rule_referred")
    assert event.detail["outcome"] == "false"
    county = reviewer(NANSHAN)
    assert [e.application.id for e in workflow.pending(county).entries] == [application.id]
    ApproveCommand(application.id, county, "人工核验", application.lock_version).run()
    assert fresh(application).status == "approved"  # the clerk steps' `when` is false


def test_other_changes_skip_the_auto_step(ctx, workday_clock):
    publish(INFO_CHANGE)
    application = submitted(INFO_CHANGE, NANSHAN, {"change_items": ["name", "mobile"]})
    assert application.current_step == "accept" and history(application, "application.decide") == []


def test_a_decision_comes_before_the_rule_step_it_sets_off_in_the_history(ctx, workday_clock,
                                                                          tmp_path):
    """Approving 受理 moves to an ``auto`` step that decides at once: the history (and the
    timeline the citizen sees) shows the approval first, then the rule's decision."""
    from app.commands.applications.timeline import timeline
    from app.commands.formdefs import LoadFormdefsCommand

    path = tmp_path / "then_rule.yaml"
    path.write_text("""schema: 1
code: then_rule
region: '130000'
name: 先受理后自动
time_limit_days: 5
category: 待遇申报
pages:
  - key: p1
    title: 页
    fields:
      - {key: amount, type: money, label: 金额, required: true}
approval:
  - {key: accept, name: 受理, role: Reviewer, level: county}
  - {key: auto_check, name: 自动核验, auto: amount <= 1000}
""", encoding="utf-8")
    LoadFormdefsCommand([path], publish=True).run()
    application = submitted("then_rule", LUBEI, {"amount": "500.00"})
    ApproveCommand(application.id, reviewer(LUBEI), None, application.lock_version).run()
    application = fresh(application)
    assert application.status == "approved"
    actions = [e.action for e in history(application)
               if e.action in ("application.approve", "application.decide")]
    assert actions == ["application.approve", "application.decide"]
    [approval] = history(application, "application.approve")
    assert approval.detail["step"] == "accept" and approval.detail["status"] == "approved"
    shown = [(entry.action, entry.step) for entry in timeline(application)]
    assert shown.index(("approve", "accept")) < shown.index(("decide", "auto_check")), shown
