"""Answer validation: visibility, required, rules, compute, prefill, groups, type checks."""
import datetime as dt
import json

import pytest
from flask import Flask
from flask_babel import Babel
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.answers import page_state, validate_all, validate_page
from app.engine.forms import apply_errors, build_page_form, form_answers
from tests.unit.engine_helpers import (PERSON, TODAY, bank_account, id_number, load_golden,
                                       make_ctx, normalise, variables)

YES_NO = [{"value": "1", "label": "是"}, {"value": "0", "label": "否"}]


def definition(*fields, pages=None):
    """Return a normalised one-page definition (or several pages of fields)."""
    pages = pages or [("main", list(fields))]
    return normalise({"pages": [{"key": key, "title": key, "fields": list(page_fields)}
                                for key, page_fields in pages]})


def check(fields, answers, locale="zh", **variable_overrides):
    """Validate one page made of ``fields``."""
    return validate_page(definition(*fields), "main", answers, make_ctx(locale),
                         variables(**variable_overrides))


SPECIAL = [
    {"key": "special", "type": "radio", "label": "是否特殊人员", "options": YES_NO,
     "required": True},
    {"key": "special_type", "type": "select", "label": "特殊人员类型",
     "options": ["异地安置", "年老或行动不便", "居住偏远"], "visible_when": 'special == "1"',
     "required": True},
]


# --- visibility, required, rules ----------------------------------------------------------------

def test_hidden_field_is_neither_required_nor_validated_nor_stored():
    answers, errors, warnings = check(SPECIAL, {"special": "0", "special_type": "不存在的类型"})
    assert (answers, errors, warnings) == ({"special": "0"}, {}, {})


def test_visible_field_is_required_and_validated():
    assert check(SPECIAL, {"special": "1"}).errors == {"special_type": ["Answer this question."]}
    assert "special_type" in check(SPECIAL, {"special": "1", "special_type": "x"}).errors
    answers = check(SPECIAL, {"special": "1", "special_type": "居住偏远"}).answers
    assert answers == {"special": "1", "special_type": "居住偏远"}


def test_a_field_hidden_by_a_hidden_field_is_hidden_too():
    fields = [*SPECIAL, {"key": "remote_km", "type": "number", "label": "距离",
                         "visible_when": 'special_type == "居住偏远"', "required": True}]
    sent = {"special": "0", "special_type": "居住偏远", "remote_km": "abc"}
    assert check(fields, sent) == ({"special": "0"}, {}, {})
    assert check(fields, {**sent, "special": "1"}).errors == {"remote_km": ["Enter a number."]}


def test_required_when():
    fields = [{"key": "agent", "type": "yesno", "label": "代办"},
              {"key": "agent_mobile", "type": "mobile", "label": "代办人手机",
               "required_when": "agent == true || filer == \"agent\""}]
    assert check(fields, {"agent": "0"}).errors == {}
    assert check(fields, {"agent": "1"}).errors == {"agent_mobile": ["Answer this question."]}
    assert check(fields, {}, filer="agent").errors == {"agent_mobile": ["Answer this question."]}


DELIVERY = [{"key": "delivery_date", "type": "date", "label": "分娩日期", "rules": [
    {"check": "days_between(delivery_date, today) <= 1095",
     "message": {"zh": "须在分娩次日起3年内申请", "en": "Apply within 3 years"}}]}]


@pytest.mark.parametrize(("days", "ok"), [(0, True), (1095, True), (1096, False)])
def test_rule_days_between_edge(days, ok):
    day = (TODAY - dt.timedelta(days=days)).isoformat()
    result = check(DELIVERY, {"delivery_date": day})
    assert result.errors == ({} if ok else {"delivery_date": ["须在分娩次日起3年内申请"]})
    assert ("delivery_date" in result.answers) == ok


def test_rule_message_follows_the_locale():
    day = (TODAY - dt.timedelta(days=2000)).isoformat()
    assert check(DELIVERY, {"delivery_date": day}, locale="en").errors == {
        "delivery_date": ["Apply within 3 years"]}


def test_rule_is_not_run_on_an_unanswered_field():
    assert check(DELIVERY, {}) == ({}, {}, {})


@pytest.mark.parametrize(("income", "shown"), [
    ("12000.00", True), (12000, True), ("12,000.5", True), ("10000", False), (10000.0, False)])
def test_money_compares_with_numbers_as_text_or_number(income, shown):
    fields = [{"key": "declared_income", "type": "money", "label": "申报收入"},
              {"key": "proof", "type": "text", "label": "说明",
               "visible_when": "declared_income > 10000", "required": True}]
    errors = check(fields, {"declared_income": income}).errors
    assert ("proof" in errors) == shown


def test_compute_ignores_the_input_and_rounds_money():
    fields = [{"key": "income", "type": "money", "label": "收入"},
              {"key": "allowance", "type": "money", "label": "津贴",
               "compute": "income * 0.333", "readonly": True},
              {"key": "born_on", "type": "date", "label": "出生日期", "compute": "person.birth_date"},
              {"key": "years", "type": "number", "label": "年龄", "compute": "age(person.id_number)"}]
    answers = check(fields, {"income": "1000", "allowance": "999999"}).answers
    assert answers == {"income": "1000.00", "allowance": "333.00", "born_on": "1990-01-01",
                       "years": 34}
    assert "allowance" not in check(fields, {}).answers  # income null: nothing computed


def test_compute_sees_hidden_fields_as_null():
    fields = [*SPECIAL, {"key": "double", "type": "text", "label": "x", "compute":
                         'special_type == null ? "none" + special : special_type + special_type'}]
    sent = {"special": "0", "special_type": "居住偏远"}
    assert check(fields, sent).answers["double"] == "none0"
    assert check(fields, {**sent, "special": "1"}).answers["double"] == "居住偏远居住偏远"


def test_a_compute_none_of_whose_answers_is_given_has_no_value():
    """Not the fallback of a guarded expression (GD-8's 休假天数 would read 0 days)."""
    dates = [{"key": "start", "type": "date", "label": "开始"},
             {"key": "end", "type": "date", "label": "结束"}]
    days = {"key": "days", "type": "number", "label": "天数", "readonly": True, "compute":
            "start != null && end != null ? days_between(start, end) + 1 : 0"}
    state = page_state(definition(*dates, days), "main", {}, make_ctx("zh"), variables())
    assert "days" not in state.answers and state.fixed["days"] is None
    assert check([*dates, days], {"start": "2026-03-01"}).answers["days"] == 0  # one given
    assert check([*dates, days], {"start": "2026-03-01", "end": "2026-03-10"}
                 ).answers["days"] == 10
    today = {"key": "year", "type": "number", "label": "年", "compute": "2026"}  # reads none
    assert check([today], {}).answers["year"] == 2026


def test_prefill_fills_an_empty_answer_and_readonly_keeps_it():
    fields = [{"key": "cert_type", "type": "dictionary", "dictionary": "psn_cert_type",
               "label": "证件类型", "required": True, "prefill": "person.cert_type",
               "readonly": True},
              {"key": "name", "type": "text", "label": "姓名", "prefill": "person.name"},
              {"key": "birth", "type": "date", "label": "出生日期", "prefill": "person.birth_date"}]
    answers = check(fields, {"cert_type": "08", "name": ""}).answers
    assert answers == {"cert_type": "01", "name": "张三", "birth": "1990-01-01"}
    assert check(fields, {"name": "李四"}).answers["name"] == "李四"  # not readonly: input wins
    # Read-only with nothing to show: never the input (a name or ID number typed into a request
    # is someone's word, not the registry's); a required one says where it comes from.
    no_profile = check(fields, {"cert_type": "08"}, person={"name": None})
    assert "cert_type" not in no_profile.answers
    assert no_profile.errors == {"cert_type": [
        "This is filled in from the insured-person registry or your verified identity, and "
        "neither gives it: verify your identity or ask the agency."]}
    defaulted = [{**fields[0], "default": "01"}]
    assert check(defaulted, {"cert_type": "08"}, person={}).answers == {"cert_type": "01"}


def test_pages_see_earlier_pages_but_not_later_ones():
    pages = [("one", [{"key": "amount", "type": "money", "label": "金额"}]),
             ("two", [{"key": "note", "type": "text", "label": "说明",
                       "required_when": "amount != null && amount > 100"},
                      {"key": "later", "type": "text", "label": "后",
                       "visible_when": "final == null"}]),
             ("three", [{"key": "final", "type": "text", "label": "最后"}])]
    defn = definition(pages=pages)
    raw = {"amount": "500", "final": "x", "later": "y"}
    page = validate_page(defn, "two", raw, make_ctx(), variables())
    assert page.errors == {"note": ["Answer this question."]}
    assert page.answers == {"later": "y"}
    assert validate_page(defn, "two", {**raw, "amount": "5"}, make_ctx(), variables()).errors == {}
    with pytest.raises(LookupError):
        validate_page(defn, "nope", raw, make_ctx(), variables())


# --- repeating groups ---------------------------------------------------------------------------

USERS = [{"key": "users", "type": "repeat", "label": "使用人", "min_items": 1, "max_items": 2,
          "rules": [{"check": "users.all(u, u.id_number != person.id_number)",
                     "message": "使用人不能是本人"}],
          "fields": [
              {"key": "name", "type": "text", "label": "姓名", "required": True},
              {"key": "id_number", "type": "id_card", "label": "证件号码", "required": True},
              {"key": "relationship", "type": "dictionary", "dictionary": "relationship",
               "label": "关系", "required": True,
               "rules": [{"check": 'relationship != "01"', "message": "不能选择本人"}]},
              {"key": "other", "type": "text", "label": "其他关系",
               "visible_when": 'relationship == "99"', "required": True}]}]
SPOUSE = {"name": "李四", "id_number": id_number(seq="234"), "relationship": "02"}


def test_repeat_rows_are_cleaned():
    raw = [{**SPOUSE, "other": "ignored"}, {"name": "", "id_number": "", "relationship": ""}]
    answers, errors, _ = check(USERS, {"users": raw})
    assert errors == {}
    assert answers == {"users": [{"name": "李四", "id_number": SPOUSE["id_number"],
                                  "relationship": "02"}]}


def test_repeat_errors_are_keyed_by_row_and_field():
    raw = [SPOUSE, {"name": "王五", "id_number": "12345", "relationship": "99"}]
    answers, errors, _ = check(USERS, {"users": raw})
    assert set(errors) == {"users[1].id_number", "users[1].other"}
    assert "users" not in answers
    assert check(USERS, {"users": [{**SPOUSE, "relationship": "01"}]}).errors == {
        "users[0].relationship": ["不能选择本人"]}


def test_repeat_errors_name_the_row_as_sent_when_a_blank_row_comes_before():
    """A blank row is skipped, but the error names the place of the row that was filled."""
    blank = {"name": "", "id_number": "", "relationship": ""}
    raw = [SPOUSE, blank, {"name": "王五", "id_number": "12345", "relationship": "99"}]
    answers, errors, _ = check(USERS, {"users": raw})
    assert set(errors) == {"users[2].id_number", "users[2].other"}
    with pytest.raises(Exception) as refused:
        from app.engine.fields import get_type

        get_type("repeat").parse([blank, {"name": "王五"}], normalise(USERS[0]), make_ctx())
    assert set(refused.value.errors) == {"[1].id_number", "[1].relationship"}


@pytest.mark.parametrize(("rows", "message"), [
    ([], "Add at least 1."), ([SPOUSE] * 3, "Add at most 2."), ("李四", "Expected a list of rows.")])
def test_repeat_counts_rows(rows, message):
    assert check(USERS, {"users": rows}).errors == {"users": [message]}


def test_repeat_rule_sees_all_rows():
    me = {**SPOUSE, "id_number": PERSON["id_number"]}
    # the message names the row without which the rule holds (its place, 1-based)
    assert check(USERS, {"users": [SPOUSE, me]}).errors == {"users": ["No. 2: 使用人不能是本人"]}


# --- type checks through validation -------------------------------------------------------------

def test_checkboxes_answer_is_a_list_in_option_order():
    fields = [{"key": "benefits", "type": "checkboxes", "label": "项目",
               "options": ["生育津贴", "医疗费", "营养补助"], "max_selections": 2}]
    assert check(fields, {"benefits": ["营养补助", "生育津贴"]}).answers == {
        "benefits": ["生育津贴", "营养补助"]}
    assert check(fields, {"benefits": ["医疗费", "营养补助", "生育津贴"]}).errors == {
        "benefits": ["Choose at most 2."]}
    more = fields + [{"key": "n", "type": "text", "label": "n",
                      "visible_when": '"医疗费" in benefits', "required": True}]
    assert "n" in check(more, {"benefits": ["医疗费"]}).errors


def test_daterange_start_not_after_end():
    fields = [{"key": "leave", "type": "daterange", "label": "假期",
               "rules": [{"check": "days_between(leave.start, leave.end) < 100", "message": "太长"}]}]
    ok = {"leave": {"start": "2024-01-01", "end": "2024-01-01"}}
    assert check(fields, ok) == (ok, {}, {})
    assert check(fields, {"leave": {"start": "2024-01-02", "end": "2024-01-01"}}).errors == {
        "leave": ["The start date must not be after the end date."]}
    assert check(fields, {"leave": {"start": "2024-01-01", "end": "2024-12-01"}}).errors == {
        "leave": ["太长"]}


def test_bank_account_failing_luhn_is_a_warning_not_an_error():
    fields = [{"key": "account", "type": "bank_account", "label": "银行账号", "required": True}]
    good = bank_account()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert check(fields, {"account": good}) == ({"account": good}, {}, {})
    answers, errors, warnings = check(fields, {"account": bad})
    assert answers == {"account": bad} and errors == {}
    assert list(warnings) == ["account"] and warnings["account"][0]


def test_dictionary_answer_must_be_a_code_of_that_dictionary():
    fields = [{"key": "relation", "type": "dictionary", "dictionary": "relationship",
               "label": "关系"}]
    assert check(fields, {"relation": "02"}).answers == {"relation": "02"}
    assert check(fields, {"relation": "2"}).errors == {
        "relation": ["关系: choose a value from the list."]}  # named by its label
    assert check(fields, {"relation": "1"}).errors  # a code of another dictionary (gend)


def test_dictionary_parent_and_levels():
    fields = [{"key": "kind", "type": "dictionary", "dictionary": "psn_type", "label": "类别",
               "levels": 1},
              {"key": "sub", "type": "dictionary", "dictionary": "psn_type", "label": "细类",
               "parent": "kind"}]
    assert check(fields, {"kind": "11", "sub": "1101"}).errors == {}
    assert set(check(fields, {"kind": "1101", "sub": "1201"}).errors) == {"kind"}
    assert check(fields, {"kind": "11", "sub": "1201"}).errors == {
        "sub": ["This does not belong to the value chosen above."]}


@pytest.mark.parametrize(("code", "error"), [
    ("440106", None), ("44010600101", None),
    ("440100", "Choose a region down to the county level."),
    ("110101", "Choose a region within 440000."),
    ("440199", "There is no region with code 440199."),
    ("4401", "A region code has 6 to 12 digits.")])
def test_region_exists_within_and_deep_enough(code, error):
    fields = [{"key": "home", "type": "region", "label": "居住地", "within": "440000",
               "level": "county"}]
    assert check(fields, {"home": code}).errors == ({"home": [error]} if error else {})


def test_id_card_canonicalises_old_numbers_and_lower_case_x():
    fields = [{"key": "id", "type": "id_card", "label": "身份证"}]
    with_x = id_number(seq="118")
    assert with_x.endswith("X")
    assert check(fields, {"id": with_x.lower()}).answers == {"id": with_x}
    old = "440106" + "900101" + "123"
    assert check(fields, {"id": old}).answers == {"id": id_number(seq="123")}


def test_signature_rule_compares_with_the_person():
    fields = [{"key": "sig", "type": "signature", "label": "签名", "required": True,
               "rules": [{"check": 'sig.kind == "drawn" || sig.value == person.name',
                          "message": "请签署本人姓名"}]}]
    assert check(fields, {"sig": {"kind": "typed", "value": "张三"}}).errors == {}
    assert check(fields, {"sig": {"kind": "typed", "value": "李四"}}).errors == {
        "sig": ["请签署本人姓名"]}


def test_golden_definition_validates_end_to_end():
    raw = {"mobile": "13800138000", "home": "440106", "special": "0", "special_type": "居住偏远",
           "delivery_date": "2024-01-05", "babies": "1", "declared_income": "8000",
           "benefits": ["allowance"], "bank_account": bank_account(),
           "users": [SPOUSE], "pledge": True, "signature": {"kind": "typed", "value": "张三"}}
    answers, errors, warnings = validate_all(load_golden(), raw, make_ctx(), variables())
    assert errors == {} and warnings == {}
    assert "special_type" not in answers and "high_income" not in answers
    assert answers["allowance"] == "6400.00"
    assert answers["cert_type"] == "01" and answers["id_number"] == PERSON["id_number"]
    assert json.loads(json.dumps(answers)) == answers


# --- forms follow visibility ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def web():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    return app


def test_page_form_leaves_out_hidden_fields_and_marks_required(web):
    defn = definition(*SPECIAL, {"key": "note", "type": "text", "label": "备注",
                                 "required_when": 'special == "1"'})
    with web.test_request_context():
        hidden = build_page_form(defn, "main", make_ctx(), {"special": "0"})()
        shown = build_page_form(defn, "main", make_ctx(), {"special": "1"})()
    assert [f.name for f in hidden] == ["special", "note"]
    assert not hidden.note.flags.required
    assert [f.name for f in shown] == ["special", "special_type", "note"]
    assert shown.special_type.flags.required and shown.note.flags.required


def test_page_form_round_trip_with_errors(web):
    defn = definition(*USERS)
    with web.test_request_context(method="POST", data={
            "users-0-name": "王五", "users-0-id_number": "123", "users-0-relationship": "02"}):
        form = build_page_form(defn, "main", make_ctx(), {})()
        raw = form_answers(form)
        result = validate_page(defn, "main", raw, make_ctx(), variables())
        apply_errors(form, result.errors)
    assert raw["users"][0]["name"] == "王五"
    assert form.users.entries[0].form.id_number.errors
    assert "users[0].id_number" in result.errors


# --- property: hidden answers never leak ---------------------------------------------------------

PROPERTY_FIELDS = [
    {"key": "a", "type": "yesno", "label": "a"},
    {"key": "b", "type": "text", "label": "b", "visible_when": "a == true"},
    {"key": "c", "type": "number", "label": "c", "visible_when": 'b == "x" || b == "y"',
     "required": True},
    {"key": "d", "type": "select", "label": "d", "options": ["p", "q"],
     "visible_when": "c != null && c > 5"},
    {"key": "e", "type": "money", "label": "e", "visible_when": "a == false || d == \"q\""},
]
_VALUE = st.one_of(st.none(), st.sampled_from(["", "1", "0", "x", "y", "p", "q", "7", "12.50"]),
                   st.integers(-10, 10), st.booleans(), st.text(max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcde"), _VALUE))
def test_hidden_fields_never_appear_in_clean_answers(raw):
    answers, errors, _ = check(PROPERTY_FIELDS, raw)
    clean_a = answers.get("a")
    assert ("b" in answers) <= (clean_a is True)
    assert ("c" in answers or "c" in errors) <= (answers.get("b") in ("x", "y"))
    assert ("d" in answers) <= (isinstance(answers.get("c"), (int, float)) and answers["c"] > 5)
    assert ("e" in answers) <= (clean_a is False or answers.get("d") == "q")
    assert json.loads(json.dumps(answers)) == answers


def test_repeat_parse_on_its_own_keys_errors_by_row():
    from app.engine.fields import RowErrors, get_type

    field = normalise(USERS[0])
    with pytest.raises(RowErrors) as refused:
        get_type("repeat").parse([SPOUSE, {"name": "王五"}], field, make_ctx())
    assert set(refused.value.errors) == {"[1].id_number", "[1].relationship"}
