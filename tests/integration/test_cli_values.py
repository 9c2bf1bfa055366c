"""A typed option or argument given a value it does not take is refused in the commands'
language (Chinese by default, BANSHI_LOCALE=en English), naming the option, exit 2; the command
does not run. Click's own types said "'abc' is not a valid integer" in English."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from app.extensions import db
from app.models.calendar import CalendarDay
from tests.integration.formdefs_api_support import audit, item, province_text
from tests.calendar_support import schedule_csv

PROJECT = Path(__file__).resolve().parents[2]
NUMBER_ZH = "须为 1 到 2147483647 之间的整数"
DAY_ZH = "须为 YYYY-MM-DD 格式的日期"
FILE_ZH = "须为已存在的文件"
REGION_ZH = "须为已有区划的代码（GB/T 2260 或医保区划节点）"
NUMBER_EN = "takes a whole number from 1 to 2147483647"
DAY_EN = "takes a date written YYYY-MM-DD"
FILE_EN = "names a file that exists"
REGION_EN = ("takes the code of a region that exists (GB/T 2260, or a medical insurance region "
             "node)")
#: (arguments, option named, value named, what the option takes: zh, en)
CASES = [
    (["formdefs", "load", "{file}", "--revision", "abc"], "--revision", "abc", NUMBER_ZH,
     NUMBER_EN),
    (["formdefs", "load", "{file}", "--revision", "0"], "--revision", "0", NUMBER_ZH, NUMBER_EN),
    (["formdefs", "load", "{file}", "--revision", "２"], "--revision", "２", NUMBER_ZH, NUMBER_EN),
    (["formdefs", "load", "{file}", "--revision=2147483648"], "--revision", "2147483648",
     NUMBER_ZH, NUMBER_EN),
    (["notifications", "send", "--limit", "ten"], "--limit", "ten", NUMBER_ZH, NUMBER_EN),
    (["notifications", "send", "--limit", "-1"], "--limit", "-1", NUMBER_ZH, NUMBER_EN),
    (["calendar", "check", "--today", "2026-02-30"], "--today", "2026-02-30", DAY_ZH, DAY_EN),
    (["calendar", "check", "--today", "23.11.2026"], "--today", "23.11.2026", DAY_ZH, DAY_EN),
    (["applications", "purge", "--today", "2026-11-31"], "--today", "2026-11-31", DAY_ZH,
     DAY_EN),
    (["applications", "purge", "--dry-run", "--today=tomorrow"], "--today", "tomorrow", DAY_ZH,
     DAY_EN),
    (["users", "add", "--username", "u1", "--password", "Secret2026x", "--role", "Reviewer",
      "--region", "999999"], "--region", "999999", REGION_ZH, REGION_EN),
    (["formdefs", "export", "demo_allowance", "--region", "广东"], "--region", "广东", REGION_ZH,
     REGION_EN),
    (["formdefs", "publish", "demo_allowance", "--region", "13\x00"], "--region", "13\x00",
     REGION_ZH, REGION_EN),
    (["applications", "unstaffed", "--region", "1302"], "--region", "1302", REGION_ZH,
     REGION_EN),
    (["calendar", "import", "{missing}"], "PATH", "{missing}", FILE_ZH, FILE_EN),
    (["persons", "import", "{folder}"], "PATH", "{folder}", FILE_ZH, FILE_EN),
]


def filled(text: str, tmp_path) -> str:
    return text.format(file=tmp_path / "item.yaml", missing=tmp_path / "none.csv",
                       folder=tmp_path)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "item.yaml").write_text(province_text(), encoding="utf-8")
    return tmp_path


@pytest.fixture
def chinese(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)  # no BANSHI_LOCALE: the default


@pytest.mark.parametrize("args, option, value, zh, en", CASES, ids=lambda v: str(v)[:24])
def test_a_bad_value_is_refused_in_chinese_naming_the_option(app, runner, chinese, files, args,
                                                             option, value, zh, en):
    result = runner.invoke(args=[filled(a, files) for a in args])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"{option} {zh}：“{filled(value, files)}”不是。\n"
    assert result.stdout == ""
    with app.app_context():
        assert item() is None  # formdefs load did not run
        assert audit("retention.purge") == []  # nor the purge
        assert audit("account.create") == []  # nor users add


@pytest.mark.parametrize("args, option, value, zh, en", CASES, ids=lambda v: str(v)[:24])
def test_with_banshi_locale_en_it_is_english(app, runner, files, args, option, value, zh, en):
    result = runner.invoke(args=[filled(a, files) for a in args])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"{option} {en}: “{filled(value, files)}” is not one.\n"


def test_good_values_still_run(app, runner, ctx, files):
    path = files / "item.yaml"
    assert runner.invoke(args=["formdefs", "load", str(path)]).exit_code == 0
    again = runner.invoke(args=["formdefs", "load", str(path), "--revision", " 1 "])
    assert again.exit_code == 0, again.output
    assert "definitions: 0 created, 0 updated, 1 unchanged" in again.output
    checked = runner.invoke(args=["calendar", "check", "--today", "2026-06-01"])
    assert checked.exit_code == 0, checked.output
    schedule = files / "2027.csv"
    schedule.write_text(schedule_csv(), encoding="utf-8")
    imported = runner.invoke(args=["calendar", "import", str(schedule)])
    assert (imported.exit_code, imported.output) == (0, "calendar 2027: official\n")
    assert db.session.get(CalendarDay, dt.date(2027, 1, 1)).name == "元旦"


def test_the_flask_command_says_it_in_chinese(app, files):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "BANSHI_INSTANCE": str(files)}
    env.pop("BANSHI_LOCALE", None)
    flask = str(Path(sys.executable).with_name("flask"))
    done = subprocess.run([flask, "--app", "app", "formdefs", "load", str(files / "item.yaml"),
                           "--revision", "abc"], cwd=PROJECT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.endswith("--revision 须为 1 到 2147483647 之间的整数：“abc”不是。\n")
