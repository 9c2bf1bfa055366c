"""An expression's cost is bounded before it is kept (app.engine.cel_cost): the CEL package has
no limit of its own, and a list check over two 3,000-value literals took seconds on every save."""
import pytest

from app.engine.cel import ExpressionError, compile_expression
from app.engine.cel_cost import MAX_COST, estimate, refusal


def numbers(count: int) -> str:
    return "[" + ", ".join(map(str, range(count))) + "]"


@pytest.mark.parametrize("source, items, ranges", [
    ("amount > 1", 0, ()),
    ("x in ['a', 'b', 'c']", 3, ()),
    ("a[0] + b['k']", 0, ()),  # indexes are not literals
    ("{'a': 1, 'b': 2}.all(k, k != '')", 2, (2,)),
    ("[[1, 2], [3]].all(l, l.all(x, x > 0))", 5, (2,)),  # the inner list is an answer's
    ("rows.all(r, rows.all(s, r.x != s.x))", 0, ()),  # answers: bounded where they are kept
    ("[1, 2, 3].map(x, x * 2).exists(y, [4, 5].all(z, y != z))", 5, (3, 2)),
    ("xs.exists(x, x == '[1, 2].all(')", 0, ()),  # text is not code
])
def test_estimate_counts_literals_and_the_lists_checks_run_over(source, items, ranges):
    cost = estimate(source)
    assert (cost.literal_items, cost.ranges) == (items, ranges)


def test_steps_multiply_by_the_literal_lists_checks_run_over():
    flat = estimate("a + b >= 0").steps
    nested = estimate(f"{numbers(10)}.all(a, {numbers(20)}.all(b, a + b >= 0))")
    assert nested.ranges == (10, 20)
    assert nested.steps >= 10 * 20 * flat


@pytest.mark.parametrize("source, fragment", [
    (f"{numbers(3000)}.all(a, {numbers(3000)}.all(b, a + b >= 0))", "4000"),
    (f"a in {numbers(600)}", "500"),
    (f"{numbers(200)}.all(a, {numbers(200)}.all(b, a + b >= 0))", "200 × 200"),
])
def test_costly_expressions_do_not_compile(app, source, fragment):
    with pytest.raises(ExpressionError) as refused:
        compile_expression(source)
    assert refused.value.detail == "cost"
    assert fragment in str(refused.value)
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert "表达式" in str(refused.value) and fragment in str(refused.value)


def test_list_checks_within_the_budget_compile_and_run(app):
    source = f"{numbers(100)}.all(a, {numbers(100)}.exists(b, a == b))"
    assert estimate(source).steps <= MAX_COST
    assert compile_expression(source).evaluate() is True


def test_lists_of_answers_count_by_the_rows_they_may_keep():
    pairwise = "rows.all(r, rows.all(s, r == s || r.x != s.x))"
    assert estimate(pairwise).ranges == ()  # compiled alone: counted once
    assert estimate(pairwise, {"rows": 20}).ranges == (20, 20)
    assert estimate("x.rows.all(r, true)", {"rows": 20}).ranges == ()  # not the variable
    assert refusal(pairwise, {"rows": 20}) is None
    assert "2000 × 2000" in str(refusal(pairwise, {"rows": 2000}))
