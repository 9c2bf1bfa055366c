"""What banshi's commands print when they succeed, and their --help pages, speak the commands'
language (BANSHI_LOCALE): Chinese by default, English with BANSHI_LOCALE=en. Until now the
summaries ("regions: 3 added, …", "ok: 2 files", "created …") and Click's help headings were
English whatever the locale."""
from pathlib import Path

import pytest

FORMDEFS = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs" / "valid"
USER = ["users", "add", "--username", "summary_u1", "--password", "Secret-pass-2026",
        "--role", "Citizen"]
#: (arguments, what the default (Chinese) output says, what the English one says)
CASES = [
    (["security", "sync"], "角色和权限已是最新\n", "roles and permissions are up to date\n"),
    (["regions", "load"], "行政区划：新增 0，更新 0，未变 ",
     "regions: 0 added, 0 updated, "),
    (["dictionaries", "load"], "代码表条目：新增 0，更新 0\n",
     "dictionary entries: 0 added, 0 updated\n"),
    (["formdefs", "lint", str(FORMDEFS)], "通过：2 个文件\n", "ok: 2 files\n"),
    (["formdefs", "load", str(FORMDEFS)], "事项定义：新建 2，更新 0，未变 0，发布版本 0 个\n",
     "definitions: 2 created, 0 updated, 0 unchanged, 0 versions published\n"),
    (["calendar", "check", "--today", "2026-06-01"], "2027 年：尚无官方节假日安排\n",
     "2027: no official holiday schedule\n"),
    (USER, "已创建 summary_u1（Citizen）\n", "created summary_u1 (Citizen)\n"),
    (["notifications", "send"], "通知：已发送 0，失败 0\n", "notifications: 0 sent, 0 failed\n"),
    (["applications", "reconcile"], "存储的文件与附件记录一致\n",
     "storage and attachments agree\n"),
]
IDS = [" ".join(args[:2]) for args, _, _ in CASES]
#: English words of the summaries, none of which the Chinese output may contain.
ENGLISH = ("added", "updated", "created", "ok:", "files", "sent", "agree", "schedule",
           "up to date")


def files_agree(args) -> None:
    """Before `applications reconcile`: delete the files other tests' rows left behind (rows
    are emptied per test, files in the shared store are not), so there is nothing to report."""
    if args[:2] != ["applications", "reconcile"]:
        return
    from sqlalchemy import select

    from app.extensions import db
    from app.models.application import Attachment
    from app.storage import get_storage

    storage = get_storage()
    for key in set(storage.keys()) - set(db.session.scalars(select(Attachment.storage_key))):
        storage.delete(key)


@pytest.fixture
def chinese(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)  # no BANSHI_LOCALE: the default


@pytest.mark.parametrize("args, zh, en", CASES, ids=IDS)
def test_a_summary_is_chinese_by_default(ctx, runner, chinese, args, zh, en):
    files_agree(args)
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert zh in result.stdout, result.stdout
    assert not any(word in result.stdout for word in ENGLISH), result.stdout


@pytest.mark.parametrize("args, zh, en", CASES, ids=IDS)
def test_and_english_with_banshi_locale_en(ctx, runner, args, zh, en):
    files_agree(args)
    result = runner.invoke(args=args)  # the tests' app runs commands with CLI_LOCALE=en
    assert result.exit_code == 0, result.output
    assert en in result.stdout, result.stdout


def test_the_retention_purge_counts_in_chinese(ctx, runner, chinese):
    result = runner.invoke(args=["applications", "purge", "--dry-run", "--today", "2026-12-10"])
    assert result.exit_code == 0, result.output
    assert "待删除的开发短信发件箱消息（与短信验证码保留同样久）：" in result.stdout
    assert "development" not in result.stdout


def test_help_pages_in_chinese(app, runner, chinese):
    command = runner.invoke(args=["notifications", "send", "--help"])
    assert command.exit_code == 0, command.output
    assert command.stdout.startswith("用法：app notifications send [OPTIONS]\n")
    assert "\n选项：\n" in command.stdout and "[默认：100]" in command.stdout
    assert "--help                显示本帮助并退出。\n" in command.stdout
    group = runner.invoke(args=["notifications", "--help"])
    assert "\n选项：\n" in group.stdout and "\n命令：\n  send  " in group.stdout
    required = runner.invoke(args=USER[:2] + ["--help"])
    assert "--username TEXT   [必填]\n" in required.stdout
    for words in ("Options:", "Commands:", "Show this message", "default:", "required"):
        assert words not in command.stdout + group.stdout + required.stdout, words


def test_help_pages_in_english(app, runner):
    command = runner.invoke(args=["notifications", "send", "--help"])
    assert command.exit_code == 0, command.output
    assert command.stdout.startswith("Usage: app notifications send [OPTIONS]\n")
    assert "\nOptions:\n" in command.stdout and "At most this many.  [default: 100]\n" in (
        command.stdout)
    assert "--help                Show this message and exit.\n" in command.stdout
    group = runner.invoke(args=["notifications", "--help"])
    assert "\nCommands:\n  send  " in group.stdout
    assert "--username TEXT   [required]\n" in runner.invoke(args=USER[:2] + ["--help"]).stdout
