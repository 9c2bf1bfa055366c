"""An answer compared with a literal of another kind is refused (app.engine.cel_compare): CEL
takes ``special == 1`` on a choice (its codes are texts) as simply false, so a field shown only
when it holds disappeared for every citizen and its answers were dropped."""
import pytest

from app.engine.cel_compare import comparison_problem, labels_of
from app.engine.lint_types import part_problem

KINDS = {"special": "text", "amount": "money", "count": "number", "agree": "bool",
         "hobbies": ("list", "text"), "rows": ("list", {"kind": "text"}), "day": "date"}
LABELS = {"special": "是否特殊人员", "amount": {"zh": "申报金额", "en": "Amount"}}


@pytest.mark.parametrize("source, written, fix", [
    ("special == 1", "special == 1", 'special == "1"'),
    ("special != 0 && amount > 1.0", "special != 0", 'special != "0"'),
    ("1 == special", "1 == special", '"1" == special'),
    ("(special == 1) || count > 2", "special == 1", 'special == "1"'),
    ("special == 1 ? 2.0 : 3.0", "special == 1", 'special == "1"'),
    ("special in [1, 2]", "special in [1, 2]", 'special in ["1", "2"]'),
    ('special in ["1", 2]', 'special in ["1", 2]', 'special in ["1", "2"]'),
    ('amount == "100"', 'amount == "100"', "amount == 100"),
    ('count != "-1"', 'count != "-1"', "count != -1"),
    ("agree == 1", "agree == 1", "agree == true"),
    ("1 in hobbies", "1 in hobbies", '"1" in hobbies'),
])
def test_a_literal_of_another_kind_is_named_with_the_quoted_form(source, written, fix):
    problem = str(comparison_problem(source, KINDS, LABELS))
    assert problem.startswith(f"“{written}” compares ")
    assert problem.endswith(f"which it never equals: write {fix}")


def test_the_field_is_named_by_its_label_and_its_kind_is_said():
    assert str(comparison_problem("special == 1", KINDS, LABELS)) == (
        "“special == 1” compares “是否特殊人员” (special), a text, with a number, which it never "
        'equals: write special == "1"')
    assert "“申报金额” (amount), a number, with a text" in str(
        comparison_problem('amount == "1"', KINDS, LABELS))
    assert "compares count, a number" in str(comparison_problem('count == "1"', KINDS))


def test_without_one_right_form_it_says_what_to_compare_with():
    assert str(comparison_problem('amount == "abc"', KINDS)).endswith(
        "which it never equals: compare it with a number")
    assert str(comparison_problem('day == "2024-01-01"', KINDS)).endswith(
        "compare it with a date")


@pytest.mark.parametrize("source", [
    'special == "1"', "special in ['1', '2']", "amount == 100", "amount >= 1.5",
    "count == -1", "agree == true", '"1" in hobbies', "special == null", "amount != null",
    "special == 1 + count",  # not a plain literal: left to the sample trials
    "count + special == 1", "!agree == false",
    "rows.all(r, r.kind == 1)",  # a row's cell: not a field of the page
    "rows.exists(special, special == 1)",  # a macro's own variable, not the field
    "special.startsWith('1') == true", "nosuch == 1", 'x == "1" || special == "2"',
    "'special == 1' == special",  # text is not code
])
def test_comparisons_that_can_hold_pass(source):
    assert comparison_problem(source, KINDS, LABELS) is None


def test_lint_and_the_designer_check_report_it_for_a_choice_field():
    definition = {"pages": [{"key": "p", "fields": [
        {"key": "special", "type": "radio", "label": {"zh": "是否特殊人员", "en": "Special"},
         "options": [{"value": "1", "label": "是"}, {"value": "0", "label": "否"}]},
        {"key": "detail", "type": "text", "label": "说明", "visible_when": "special == 1"}]}]}
    assert labels_of(definition)["special"] == {"zh": "是否特殊人员", "en": "Special"}
    problem = part_problem("special == 1", definition, ("field", "detail"), "visible_when")
    assert problem is not None and 'write special == "1"' in str(problem)
    assert part_problem('special == "1"', definition, ("field", "detail"), "visible_when") is None
