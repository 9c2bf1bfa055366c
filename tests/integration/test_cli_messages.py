"""Click's own messages on the command line speak the commands' language (app.cli_errors):
a missing option or argument, an unknown option or command, extra arguments, an option without
its value, the "Error:" prefix and the usage line, in Chinese by default and in English with
BANSHI_LOCALE=en. Click wrote them in English whatever the locale."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
#: (arguments, the message in Chinese, in English)
CASES = [
    (["formdefs", "lint"], "缺少参数 PATHS。", "Missing argument PATHS."),
    (["formdefs", "export", "demo_allowance"], "缺少选项 --region。", "Missing option --region."),
    (["formdefs", "load", "--bogus"], "没有这个选项：--bogus。", "No such option: --bogus."),
    (["applications", "purge", "--dry"], "没有这个选项：--dry。是否要用 --dry-run, --today？",
     "No such option: --dry. Did you mean --dry-run, --today?"),
    (["formdefs", "lnt"], "没有这个命令：lnt。是否要用 lint？",
     "No such command: lnt. Did you mean lint?"),
    (["calendar", "check", "x", "y"], "多余的参数：x y。", "Unexpected extra arguments: x y."),
    (["demo", "extra"], "多余的参数：extra。", "Unexpected extra arguments: extra."),
    (["formdefs", "export", "x", "--region"], "选项 --region 需要一个值。",
     "Option --region needs a value."),
    (["applications", "purge", "--dry-run=3"], "选项 --dry-run 不接受值。",
     "Option --dry-run takes no value."),
]


@pytest.fixture
def chinese(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)  # no BANSHI_LOCALE: the default


@pytest.mark.parametrize("args, zh, en", CASES, ids=lambda v: str(v)[:30])
def test_click_says_it_in_chinese(app, runner, chinese, args, zh, en):
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.endswith(f"错误：{zh}\n"), result.stderr
    assert "Error" not in result.stderr and "Usage" not in result.stderr


@pytest.mark.parametrize("args, zh, en", CASES, ids=lambda v: str(v)[:30])
def test_and_in_english_with_banshi_locale_en(app, runner, args, zh, en):
    result = runner.invoke(args=args)
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(f"Error: {en}\n"), result.stderr


def test_the_usage_line_and_the_help_hint(app, runner, chinese):
    result = runner.invoke(args=["formdefs", "lint"])
    assert result.stderr == ("用法：app formdefs lint [OPTIONS] PATHS...\n"
                             "运行 “app formdefs lint --help” 查看帮助。\n\n错误：缺少参数 PATHS。\n")
    helped = runner.invoke(args=["formdefs", "lint", "--help"])
    assert helped.exit_code == 0 and helped.stdout.startswith("用法：app formdefs lint [OPTIONS]")


def test_a_command_refusing_gets_the_prefix_too(app, runner, chinese, monkeypatch):
    args = ["formdefs", "export", "no_such_item", "--region", "130000"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：") and "no_such_item" in result.stderr
    monkeypatch.setitem(app.config, "CLI_LOCALE", "en")
    english = runner.invoke(args=args)
    assert english.exit_code == 1 and english.stderr.startswith("Error: no published item")


def test_the_flask_command_says_it_in_chinese(app, tmp_path):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "BANSHI_INSTANCE": str(tmp_path)}
    env.pop("BANSHI_LOCALE", None)
    flask = str(Path(sys.executable).with_name("flask"))
    done = subprocess.run([flask, "--app", "app", "formdefs", "export", "demo_allowance"],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("用法：flask formdefs export [OPTIONS] CODE\n"
                           "运行 “flask formdefs export --help” 查看帮助。\n\n"
                           "错误：缺少选项 --region。\n")
