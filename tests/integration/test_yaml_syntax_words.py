"""A YAML syntax error is framed in the page's language with its line and column, the parser's
words kept as the detail (不是有效的 YAML（第4行第5列）：…)."""
from app.engine.lint import check_text


def test_a_syntax_error_says_line_and_column_in_words(app):
    text = "schema: 1\ncode: x\nfilers: [self, agent\nname: y\n"
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        [problem] = check_text(text, "x.yaml").problems
    assert (problem.line, problem.message) == (
        4, "不是有效的 YAML（第4行第5列）：expected ',' or ']', but got ':'")
    with app.test_request_context("/?_l_=en"):
        [problem] = check_text(text, "x.yaml").problems
    assert problem.message == "not valid YAML (line 4, column 5): expected ',' or ']', but got ':'"
