"""A YAML syntax error is told in the page's language with its line and column, in plain words
for the common problems — a tab, an indentation that does not match, a quote or bracket never
closed, a missing colon, a missing value — (不是有效的 YAML（第4行第5列）：…), PyYAML's own
words only for the rest; a ``.json`` file's error says JSON."""
import pytest

from app.engine.lint import check_text


def _problem(app, text: str, language: str, path: str = "x.yaml"):
    with app.test_request_context(f"/?_l_={language}"):
        [problem] = check_text(text, path).problems
    return problem


def test_a_bracket_never_closed_is_said_in_words_with_where_it_opened(app):
    text = "schema: 1\ncode: x\nfilers: [self, agent\nname: y\n"
    problem = _problem(app, text, "zh")
    assert (problem.line, problem.message) == (
        4, "不是有效的 YAML（第4行第5列）：第3行第9列的“[”到这里还没有用“]”闭合，"
           "或者其中的条目之间缺少逗号")
    assert _problem(app, text, "en").message == (
        "not valid YAML (line 4, column 5): the “[” at line 3, column 9 is not closed with “]” "
        "before this point, or a comma is missing between its entries")


INDENTED = "schema: 1\npages:\n  - key: a\n    fields:\n      - {key: x}\n     - {key: y}\n"
CASES = [  # (text, line, the English problem, the Chinese one)
    (INDENTED, 6, "this line is indented differently from the lines above it: the entries of "
     "one list or mapping start in the same column (this part starts at line 3)",
     "这一行的缩进与上面的行不一致"),
    ("schema: 1\npages:\n\t- key: a\n", 3, "a tab character: indent with spaces only",
     "这里有制表符（Tab）：缩进只能用空格"),
    ('schema: 1\nname: "abc\ncode: x\n', 2,
     "the quoted text is never closed: add the closing quote", "引号里的文字没有闭合"),
    ("schema: 1\nname\ncode: x\n", 2, "this line has no colon: write “key: value”",
     "这一行缺少冒号"),
    ("schema: 1\nname: a: b\n", 2, "a colon and a space cannot stand here",
     "这里不能出现冒号加空格"),
]


@pytest.mark.parametrize("text, line, english, chinese", CASES,
                         ids=["indentation", "tab", "quote", "colon", "colon-in-text"])
def test_common_problems_are_plain_sentences_at_their_line(app, text, line, english, chinese):
    problem = _problem(app, text, "en")
    assert problem.line == line
    assert problem.message.startswith("not valid YAML (line ")
    assert english in problem.message and "expected" not in problem.message
    chinese_problem = _problem(app, text, "zh")
    assert chinese_problem.message.startswith(f"不是有效的 YAML（第{line}行")
    assert chinese in chinese_problem.message
    assert "found" not in chinese_problem.message and "expected" not in chinese_problem.message


def test_a_json_file_is_said_to_be_json(app):
    text = '{\n  "schema": 1,\n  "code": "x",,\n  "region": "130000"\n}\n'
    problem = _problem(app, text, "zh", "item.json")
    assert (problem.line, problem.message) == (3, "不是有效的 JSON（第3行第15列）：“,”之前缺少一个值")
    assert _problem(app, text, "en", "item.json").message == (
        "not valid JSON (line 3, column 15): a value is missing before “,”")
    assert _problem(app, text, "en", "item.yaml").message.startswith("not valid YAML")


def test_formdefs_lint_says_json_for_a_json_file(ctx, runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 1,, "code": "x"}', encoding="utf-8")
    result = runner.invoke(args=["formdefs", "lint", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == f"{bad}:1: not valid JSON (line 1, column 14): a value is missing " \
                            "before “,”\n"
