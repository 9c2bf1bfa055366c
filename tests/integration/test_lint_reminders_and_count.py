"""Lint's reminders speak only of what is missing: a time limit or a category that is written
but refused has its own message, not "no time limit" at the item's name as well. And
``formdefs lint`` counts its files in the language's grammar: "ok: 1 file", "ok: 2 files"."""
from pathlib import Path

import pytest
from flask_babel import refresh

from app.engine.lint import check_text

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs" / "valid"
PROVINCE = VALID / "demo_allowance.yaml"


def _checked(app, text):
    with app.test_request_context("/?_l_=en"):
        return check_text(text, "x.yaml")


@pytest.mark.parametrize("written, refused", [
    ("time_limit_days: 五", "time_limit_days: must be a whole number"),
    ("time_limit_days: 0", "time_limit_days: "),
])
def test_a_time_limit_set_but_refused_is_no_missing_time_limit(app, written, refused):
    text = PROVINCE.read_text(encoding="utf-8").replace("time_limit_days: 10", written, 1)
    checked = _checked(app, text)
    assert [(p.line, p.message[:len(refused)]) for p in checked.problems] == [(13, refused)]
    assert not any("no time limit" in w.message for w in checked.warnings), checked.warnings


def test_a_time_limit_or_category_left_out_is_still_a_reminder(app):
    text = PROVINCE.read_text(encoding="utf-8").replace("time_limit_days: 10\n", "", 1)
    text = text.replace("category: 待遇申报\n", "category: [待遇申报]\n")
    checked = _checked(app, text)
    assert [w.message[:14] for w in checked.warnings] == ["no time limit:"]
    assert [p.line for p in checked.problems] == [5]  # the category as written: its own message


def test_one_file_is_one_file(ctx, runner, monkeypatch):
    result = runner.invoke(args=["formdefs", "lint", str(PROVINCE)])
    assert (result.exit_code, result.stdout) == (0, "ok: 1 file\n"), result.output
    result = runner.invoke(args=["formdefs", "lint", str(VALID)])
    assert result.stdout == "ok: 2 files\n"
    monkeypatch.setitem(ctx.config, "CLI_LOCALE", None)  # no BANSHI_LOCALE: Chinese, unchanged
    refresh()  # the locale chosen for the app context so far
    result = runner.invoke(args=["formdefs", "lint", str(PROVINCE)])
    assert (result.exit_code, result.stdout) == (0, "通过：1 个文件\n"), result.output
