"""The CEL engine: compiling, value conversion, null handling and banshi's functions."""

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.cel import (
    KINDS,
    CompiledExpression,
    ExpressionError,
    Scope,
    base_variables,
    bind_answers,
    compile_expression,
    to_cel,
)

TODAY = dt.date(2024, 6, 15)
CST = dt.timezone(dt.timedelta(hours=8))


def run(source, variables=None, today=TODAY):
    return compile_expression(source).evaluate(Scope(variables or {}, today=today))


# --- compiling -------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "problem", "column"), [
    ("amount >", "mismatched input '<EOF>'", 9),
    ("a = 1", "token recognition error", 3),
    ("has(special)", "invalid argument to has() macro", 5),
    ("", "mismatched input '<EOF>'", 1),
])
def test_compile_error_names_the_problem_and_where(source, problem, column):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    message = str(caught.value)
    assert message.startswith("Expression does not compile: ")
    assert problem in message
    assert f"column {column}" in message
    assert caught.value.expression == source
    assert (caught.value.line, caught.value.column) == (1, column)
    assert "Failed to parse" in caught.value.detail


def test_compile_error_on_a_later_line_gives_the_line():
    with pytest.raises(ExpressionError) as caught:
        compile_expression('special == "1"\n  && ')
    assert (caught.value.line, caught.value.column) == (2, 6)
    assert "line 2, column 6" in str(caught.value)


@pytest.mark.parametrize("source", ['size(purpose) >= 5', 'purpose.size() >= 5',
                                    'users.all(u, size(u.name) > 1)'])
def test_size_is_refused_because_it_counts_bytes(source):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    assert str(caught.value).startswith("Write length(…) instead of size(…)")
    assert caught.value.expression == source


def test_size_inside_a_string_literal_is_only_text():
    assert run('purpose == "size(x)"', {"purpose": "size(x)"}) is True


@pytest.mark.parametrize(("value", "expected"), [
    ("出国签证", 4), ("ab", 2), ("", 0), (["甲", "乙", "丙"], 3), ({"a": 1, "b": 2}, 2)])
def test_length_counts_characters_items_and_entries(value, expected):
    assert run("length(x)", {"x": value}) == expected


def test_length_of_null_or_a_number_is_an_evaluation_error():
    for value in (None, 3):
        with pytest.raises(ExpressionError, match="length"):
            run("length(x)", {"x": value})


def test_non_text_source_is_an_expression_error():
    with pytest.raises(ExpressionError, match="must be text, not int"):
        compile_expression(42)


def test_references_are_top_level_variables():
    assert compile_expression('special == "1" && person.age >= 18').references == {
        "special", "person"}
    assert compile_expression("days_between(delivery_date, today) <= 1095").references == {
        "delivery_date", "today"}


def test_references_leave_out_names_bound_by_macros():
    source = "children.exists(c, c.age < 3) && incomes.all(i, i > limit)"
    assert compile_expression(source).references == {"children", "incomes", "limit"}


def test_compiling_is_cached_by_source_text():
    first = compile_expression("x > 1 && y < 2")
    assert compile_expression("x > 1 && y < 2") is first
    assert isinstance(first, CompiledExpression)
    assert first.source == "x > 1 && y < 2"


def test_error_message_works_inside_an_app_context_too():
    flask = pytest.importorskip("flask")
    flask_babel = pytest.importorskip("flask_babel")
    app = flask.Flask(__name__)
    flask_babel.Babel(app)
    with pytest.raises(ExpressionError) as caught:
        compile_expression("1 +")
    with app.test_request_context():
        inside = str(caught.value)
    assert inside == str(caught.value)
    assert "does not compile" in inside


# --- values ----------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["12000.00", 12000, Decimal("12000.5"), 12000.5, " 12000 "])
@pytest.mark.parametrize("kind", ["money", "number"])
def test_money_in_any_form_compares_with_an_int_literal(answer, kind):
    income = to_cel(answer, kind)
    assert isinstance(income, float)
    assert run("declared_income > 10000", {"declared_income": income}) is True
    assert run("declared_income > 20000", {"declared_income": income}) is False


def test_money_below_the_limit_compares_false():
    assert run("amount > 10000", {"amount": to_cel("9999.99", "money")}) is False


def test_money_arithmetic_needs_double_literals():
    amount = {"amount": to_cel("12000.00", "money")}
    assert run("amount * 0.5 == 6000", amount) is True
    with pytest.raises(ExpressionError, match=r"Unsupported operation: float \+ int"):
        run("amount + 1 > 0", amount)


@pytest.mark.parametrize("bad", ["12,000", "abc", "NaN", "Infinity", True, [1]])
def test_malformed_numbers_are_refused(bad):
    with pytest.raises(ValueError):
        to_cel(bad, "money")


@pytest.mark.parametrize("answer", [
    dt.date(2020, 1, 2), "2020-01-02", dt.datetime(2020, 1, 2, 15, 30),
    dt.datetime(2020, 1, 2, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
    dt.datetime(2020, 1, 1, 17, 0, tzinfo=dt.timezone.utc),  # 01:00 on the 2nd in Shanghai
])
def test_dates_become_midnight_asia_shanghai(answer):
    value = to_cel(answer, "date")
    assert value == dt.datetime(2020, 1, 2, tzinfo=CST)
    assert value.utcoffset() == dt.timedelta(hours=8)
    assert run("d == date('2020-01-02')", {"d": value}) is True


@pytest.mark.parametrize("bad", ["2020/01/02", "2021-02-29", "20200102", 20200102])
def test_malformed_dates_are_refused(bad):
    with pytest.raises(ValueError):
        to_cel(bad, "date")


@pytest.mark.parametrize(("answer", "expected"), [
    (True, True), (False, False), ("true", True), ("0", False), (1, True)])
def test_bool_answers(answer, expected):
    assert to_cel(answer, "bool") is expected


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_unanswered_is_null_for_every_kind(kind):
    assert to_cel(None, kind) is None
    assert to_cel("", kind) is None


def test_text_list_and_map_kinds():
    assert to_cel(1, "text") == "1"
    assert run("'b' in choices", {"choices": to_cel(("a", "b"), "list", "text")}) is True
    assert run("length(choices) == 0", {"choices": to_cel([], "list")}) is True
    person = to_cel({"age": Decimal("30"), "birth_date": dt.date(1994, 1, 1)}, "map")
    assert person == {"age": 30.0, "birth_date": dt.datetime(1994, 1, 1, tzinfo=CST)}


def test_repeat_group_rows_convert_by_their_field_kinds():
    rows = to_cel([{"start": "2024-06-01", "amount": "100.50", "note": "x"}], "list",
                  {"start": "date", "amount": "money"})
    assert rows == [{"start": dt.datetime(2024, 6, 1, tzinfo=CST), "amount": 100.5, "note": "x"}]
    assert run("rows.exists(r, days_between(r.start, today) == 14 && r.amount > 100)",
               {"rows": rows}) is True


def test_unknown_kind_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid kinds: bool, date, list, map, money"):
        to_cel("x", "colour")


def test_bind_answers_declares_every_field_and_nulls_malformed_answers():
    kinds = {"special": "text", "amount": "money", "birth": "date", "tags": ("list", "text")}
    bound = bind_answers({"amount": "lots", "tags": ["a"], "extra": 1}, kinds)
    assert bound == {"special": None, "amount": None, "birth": None, "tags": ["a"]}
    with pytest.raises(ValueError, match="unknown kind 'colour' for field 'x'"):
        bind_answers({}, {"x": "colour"})


def test_a_python_date_given_directly_is_an_expression_error():
    with pytest.raises(ExpressionError, match="cannot be given to expressions"):
        Scope({"d": dt.date(2020, 1, 1)})


# --- dates and today -------------------------------------------------------------------------

def test_base_variables_give_today_as_midnight_timestamp():
    assert base_variables(TODAY) == {"today": dt.datetime(2024, 6, 15, tzinfo=CST)}
    now = dt.datetime.now(CST)
    assert base_variables()["today"] == dt.datetime(now.year, now.month, now.day, tzinfo=CST)


@pytest.mark.parametrize(("days_ago", "within"), [(0, True), (1094, True), (1095, True),
                                                  (1096, False), (2000, False)])
def test_three_year_limit_from_delivery(days_ago, within):
    delivery = to_cel(TODAY - dt.timedelta(days=days_ago), "date")
    assert run("days_between(delivery_date, today) <= 1095",
               {"delivery_date": delivery}) is within


def test_days_between_is_signed_and_accepts_date_strings():
    assert run("days_between(today, date('2024-06-10'))") == -5
    assert run("days_between('2024-02-28', '2024-03-01')") == 2


def test_add_days_crosses_months_and_leap_days():
    assert run("add_days(date('2024-02-28'), 1)") == dt.datetime(2024, 2, 29, tzinfo=CST)
    assert run("add_days(today, -15) == date('2024-05-31')") is True
    with pytest.raises(ExpressionError, match=r"add_days\(\): add_days needs a whole number"):
        run("add_days(today, 1.5)")


def test_a_utc_timestamp_counts_as_its_shanghai_date():
    # 2024-06-14T20:00Z is 04:00 on 15 June in Shanghai.
    assert run("days_between(timestamp('2024-06-14T20:00:00Z'), today)") == 0


@pytest.mark.parametrize(("start", "end", "years"), [
    ("2000-06-15", "2018-06-14", 17),  # the day before the 18th birthday
    ("2000-06-15", "2018-06-15", 18),  # on the birthday
    ("2004-02-29", "2022-02-28", 17),  # born on 29 February: not yet in a common year
    ("2004-02-29", "2022-03-01", 18),
    ("2004-02-29", "2024-02-29", 20),
    ("2004-02-29", "2024-02-28", 19),
    ("2018-06-15", "2000-06-15", -18),
    ("2000-06-15", "2000-06-15", 0),
])
def test_years_between_follows_birthdays(start, end, years):
    assert run("years_between(date(a), date(b))", {"a": start, "b": end}) == years


@pytest.mark.parametrize(("birth", "expected"), [
    ("2006-06-15", 18), ("2006-06-16", 17), ("1990-01-01", 34)])
def test_age_from_a_birth_timestamp_uses_the_scopes_today(birth, expected):
    person = {"birth_date": to_cel(birth, "date")}
    assert run("age(person.birth_date)", {"person": person}) == expected
    assert run("age(person.birth_date) >= 18", {"person": person}) is (expected >= 18)


@pytest.mark.parametrize(("id_number", "expected"), [
    ("44010120060615001X", 18),  # birthday today
    ("44010120060616001x", 17),  # birthday tomorrow; lower-case x
    ("110101199001011234", 34),
    ("440101900101123", 34),     # old 15-digit number, 1990-01-01
])
def test_age_from_an_id_number(id_number, expected):
    assert run("age(person.id_number)", {"person": {"id_number": id_number}}) == expected


@pytest.mark.parametrize(("id_number", "problem"), [
    ("4401012006061500", "not an ID number"),
    ("440101200613150011", "impossible birth date"),
])
def test_age_from_a_bad_id_number_explains_without_echoing_it(id_number, problem):
    with pytest.raises(ExpressionError, match=problem) as caught:
        run("age(n)", {"n": id_number})
    assert id_number not in str(caught.value).replace("age(n)", "")


# --- regions ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "ancestor", "inside"), [
    ("51170099997", "511700", True),   # 医保 code under its prefecture
    ("51170099997", "510000", True),   # … and province
    ("51170099997", "511702", False),  # … but not another county
    ("130203", "130200", True),
    ("130203", "130000", True),
    ("130203", "130203", True),
    ("130203", "440000", False),
    ("130203", "130300", False),
    ("440000", "440000", True),
    ("440300", "440000", True),
    ("440000", "440300", False),       # a parent is not inside its child
    ("110101", "110000", True),        # municipality district under the province-level city
    ("445100", "440000", True),
    ("130203", "000000", True),        # the whole country
    (130203, 130000, True),            # ints are accepted
])
def test_in_region(code, ancestor, inside):
    assert run("in_region(code, ancestor)", {"code": code, "ancestor": ancestor}) is inside


@pytest.mark.parametrize("bad", ["44", "44030A", None])
def test_in_region_refuses_bad_codes(bad):
    with pytest.raises(ExpressionError, match="region code of 6 or more digits|null"):
        run("in_region(code, '440000')", {"code": bad})


# --- null and missing ------------------------------------------------------------------------

def test_unanswered_fields_are_null_not_undeclared():
    variables = bind_answers({}, {"special": "text", "amount": "money"})
    variables["person"] = {"name": "张三"}
    assert run('special == "1"', variables) is False
    assert run("special == null && amount == null", variables) is True
    assert run("amount != null && amount > 10000", variables) is False
    assert run("amount == null || amount > 10000", variables) is True
    assert run("amount > 10000 || true", variables) is True   # errors are absorbed by ||
    assert run("has(person.age)", variables) is False
    assert run("has(person.name)", variables) is True
    with pytest.raises(ExpressionError, match="No such overload"):
        run("amount > 10000", variables)
    with pytest.raises(ExpressionError, match="no such key: 'age'"):
        run("person.age >= 18", variables)


def test_a_name_never_declared_is_an_error_naming_it():
    with pytest.raises(ExpressionError, match="Undefined variable or function: 'speical'"):
        run('speical == "1"')


def test_evaluate_bool_refuses_other_results():
    expression = compile_expression("amount * 2.0")
    with pytest.raises(ExpressionError, match="must give true or false, not float"):
        expression.evaluate_bool({"amount": 1.0})
    assert compile_expression("amount > 0").evaluate_bool({"amount": 1.0}) is True
    with pytest.raises(ExpressionError, match="not NoneType"):
        compile_expression("x").evaluate_bool({"x": None})


def test_evaluate_accepts_a_plain_mapping_with_today_supplied():
    assert compile_expression("today == date(s)").evaluate(
        {"s": dt.datetime.now(CST).date().isoformat()}) is True


def test_a_mapping_is_narrowed_to_the_names_read_but_keeps_today():
    expression = compile_expression("age(birth) >= 18")
    variables = {"birth": to_cel("2006-06-15", "date"), "unused": object(),
                 "today": to_cel(TODAY, "date")}
    assert expression.evaluate(variables) is True
    variables["today"] = to_cel(TODAY - dt.timedelta(days=1), "date")
    assert expression.evaluate(variables) is False


def test_one_scope_serves_many_expressions():
    scope = Scope({"x": 1.0, "y": "a"}, today=TODAY)
    results = [compile_expression(source).evaluate(scope)
               for source in ("x > 0", 'y == "a"', "days_between(today, date('2024-06-20'))")]
    assert results == [True, True, 5]


def test_compiled_expressions_are_shared_safely_between_threads():
    expression = compile_expression("n * 2 + 1")
    failures = []

    def work(offset):
        for n in range(offset, offset + 300):
            if expression.evaluate(Scope({"n": n})) != n * 2 + 1:
                failures.append(n)

    threads = [threading.Thread(target=work, args=(k * 1000,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --- properties ------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(max_examples=200)
@given(start=dates, n=st.integers(min_value=-30000, max_value=30000))
def test_add_days_and_days_between_agree(start, n):
    assert run("days_between(a, add_days(a, n))", {"a": to_cel(start, "date"), "n": n}) == n


@settings(max_examples=200)
@given(start=dates, b1=dates, b2=dates)
def test_years_between_is_monotone_in_the_second_argument(start, b1, b2):
    b1, b2 = sorted((b1, b2))
    result = run("[years_between(a, b1), years_between(a, b2)]",
                 {"a": to_cel(start, "date"), "b1": to_cel(b1, "date"), "b2": to_cel(b2, "date")})
    assert result[0] <= result[1]


@given(code=st.from_regex(r"\A[0-9]{6}\Z"))
def test_a_code_is_in_its_own_region(code):
    assert run("in_region(c, c)", {"c": code}) is True
