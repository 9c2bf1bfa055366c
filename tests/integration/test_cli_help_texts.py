"""banshi's commands describe themselves in the commands' language (BANSHI_LOCALE): a group's
description, a command's help and its options' help on the --help pages, and the one-line
summaries a group lists its commands by. They were English whatever the locale."""
import pytest


@pytest.fixture
def chinese(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)  # no BANSHI_LOCALE: the default


def shown(runner, *args) -> str:
    result = runner.invoke(args=[*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_help_texts_in_chinese(app, runner, chinese):
    group = shown(runner, "formdefs")
    assert "\n  事项定义：检查、导入、导出。\n" in group
    assert "  lint     检查事项定义文件" in group and "  publish  发布 REGION 所属事项 CODE" in group
    purge = shown(runner, "applications", "purge")
    assert "\n  删除过期的草稿，" in purge
    assert "--dry-run           只统计到期的内容，不做任何改动。\n" in purge
    send = shown(runner, "notifications", "send")
    assert "通过 NOTIFICATION_SENDER 发送待发的通知。" in send
    assert "最多发送这么多条。  [默认：100]" in send
    calendar = shown(runner, "calendar")
    assert "工作日日历（节假日和调休上班日）。" in calendar
    for words in ("Item definitions", "Check definition files", "Delete expired drafts",
                  "Count what is due", "Deliver pending", "At most", "Working-day calendar"):
        assert words not in group + purge + send + calendar, words


def test_help_texts_in_english(app, runner):
    group = shown(runner, "formdefs")  # the tests' app runs commands with CLI_LOCALE=en
    assert "\n  Item definitions (事项): lint, load, export.\n" in group
    assert "  lint     Check definition files: PATH:LINE: message per problem; exit 1..." in group
    purge = shown(runner, "applications", "purge")
    assert "\n  Delete expired drafts, anonymise closed applications" in purge
    assert "--dry-run           Count what is due; change nothing.\n" in purge
    assert "At most this many.  [default: 100]" in shown(runner, "notifications", "send")
    assert "Working-day calendar (holidays and make-up days)." in shown(runner, "calendar")
