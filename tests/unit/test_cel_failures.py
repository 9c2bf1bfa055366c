"""An expression that fails at run time is never silently taken as passing (app.engine.cel_failures):
a rule that can never work refuses the answer with its own message, a condition that can never
work shows (requires) its question, a missing answer keeps the documented fallback; each is
logged with the item, its version, the field and the expression. Lint and the designer's check
find the type errors first (app.engine.lint_types)."""
import logging

import pytest

from app.commands.applications.requirements import material_required
from app.engine.answers import page_state
from app.engine.cel import Scope
from app.engine.cel_check import check_expression
from app.engine.lint import lint_text
from app.engine.lint_types import type_problem
from tests.unit.engine_helpers import make_ctx, normalise, variables

MONEY_RULE = {"key": "amount", "type": "money", "label": "金额", "required": True,
              "rules": [{"check": 'amount > "x"', "message": "金额须大于起付线"}]}


def run(*fields, answers, **overrides):
    definition = normalise({"code": "demo", "region": "130200", "pages": [
        {"key": "main", "title": "页", "fields": list(fields)}]})
    return page_state(definition, "main", answers, make_ctx(), variables(**overrides))


def test_a_rule_that_can_never_work_refuses_the_answer_and_says_so(caplog):
    with caplog.at_level(logging.INFO, logger="app.engine.expressions"):
        errors = run(MONEY_RULE, answers={"amount": "500"}).errors
    assert errors == {"amount": ["金额须大于起付线"]}
    [logged] = [r for r in caplog.records if r.name == "app.engine.expressions"]
    assert logged.levelno == logging.WARNING
    text = logged.getMessage()
    assert text.startswith("demo@130200 lint_hash=")
    assert 'rule of amount amount > "x" (type error' in text and "counted as failed" in text


def test_a_rule_on_a_person_the_registry_does_not_know_is_not_applied(caplog):
    unique = {"key": "kind", "type": "text", "label": "类型", "rules": [
        {"check": '!person.enrollments.exists(e, e.status == "1")', "message": "已参保"}]}
    with caplog.at_level(logging.INFO, logger="app.engine.expressions"):
        state = run(unique, answers={"kind": "a"}, person={"name": "张三"})
    assert state.errors == {} and state.answers == {"kind": "a"}
    [logged] = [r for r in caplog.records if r.name == "app.engine.expressions"]
    assert logged.levelno == logging.INFO and "missing answer" in logged.getMessage()


def test_a_rule_comparing_with_an_unanswered_field_is_refused_unless_guarded():
    start = {"key": "start", "type": "date", "label": "开始"}
    end = {"key": "end", "type": "date", "label": "结束", "rules": [
        {"check": "end >= start", "message": "结束不能早于开始"}]}
    # A null read: the rule waits for the answer, as it always did.
    assert run(start, end, answers={"end": "2024-06-01"}).errors == {}
    assert run(start, end, answers={"start": "2024-06-02", "end": "2024-06-01"}).errors == {
        "end": ["结束不能早于开始"]}


@pytest.mark.parametrize("condition, shown", [
    ('amount > "x"', True),            # can never work: the question is asked
    ("amount > 100.0", False),         # amount unanswered: waits for it, as before
])
def test_a_visibility_condition_that_can_never_work_shows_its_question(condition, shown):
    amount = {"key": "amount", "type": "money", "label": "金额"}
    proof = {"key": "proof", "type": "text", "label": "证明", "required": True,
             "visible_when": condition}
    state = run(amount, proof, answers={})
    assert ("proof" in state.visible) is shown
    assert ("proof" in state.errors) is shown


def test_a_required_when_that_can_never_work_requires_the_answer():
    amount = {"key": "amount", "type": "money", "label": "金额"}
    note = {"key": "note", "type": "text", "label": "说明", "required_when": 'amount > "x"'}
    assert "note" in run(amount, note, answers={"amount": "5"}).errors


def test_a_material_condition_that_can_never_work_requires_the_material():
    scope = Scope({"amount": 500.0}, kinds={"amount": "money"})
    assert material_required({"key": "m", "required_when": 'amount > "x"'}, scope) is True
    assert material_required({"key": "m", "required_when": "amount > 100.0"},
                             Scope({"amount": None}, kinds={"amount": "money"})) is False


def test_lint_reports_the_type_error_at_its_line():
    text = """\
schema: 1
code: demo
region: '130200'
name: 示例
pages:
  - key: p1
    title: 页
    fields:
      - key: amount
        type: money
        label: 金额
        rules:
          - {check: 'amount > "x"', message: 须大于}
      - {key: kind, type: select, label: 类型, options: [甲, 乙]}
      - {key: note, type: text, label: 说明, visible_when: 'kind == "乙" && amount + 1 > 2.0'}
approval:
  - {key: accept, name: 受理, level: county, when: 'filer == "agent" ? amount : false'}
"""
    found = [(p.line, p.message) for p in lint_text(text, "x.yaml")]
    assert [line for line, _m in found] == [13, 15, 17]
    assert found[0][1].startswith('rule 1 of field "amount": the expression\'s types do not '
                                  "match: an operator or function here does not take")
    assert "float + int mixes kinds of numbers" in found[1][1]
    assert found[2][1].endswith("it gives a number, not true or false")


@pytest.mark.parametrize("source", [
    "amount != null && amount > 10000", "days_between(start, today) <= 30", '"a" in picks',
    "rows.all(r, r.n > 0)", "in_region(home, \"510000\")", "person.age >= 18 && filer == \"self\"",
])
def test_well_typed_expressions_pass(source):
    kinds = {"amount": "money", "start": "date", "picks": ("list", "text"), "home": "text",
             "rows": ("list", {"n": "number"})}
    assert type_problem(source, kinds, "check", {"home": "511702"}) is None


def test_the_designer_check_names_the_type_error():
    definition = normalise({"pages": [{"key": "p", "title": "页", "fields": [
        {"key": "amount", "type": "money", "label": "金额"}]}]})
    report = check_expression('amount > "x"', {"amount", "filer", "person", "region", "today"},
                              definition=definition, part=("field", "amount"),
                              setting="rules.0.check")
    assert report.error.startswith("The types in the expression do not match:")
    assert check_expression("amount > 1.0", {"amount"}, definition=definition,
                            part=("field", "amount"), setting="rules.0.check").error is None
