"""Commands that read a file refuse one that is not UTF-8 text with ``PATH:LINE: message`` (the
web import's words, in the commands' language) and exit 1: no UnicodeDecodeError traceback."""
from pathlib import Path

import pytest

from app.cli import DEMO_PERSONS
from app.commands.calendar import CalendarImportError, import_calendar_file
from tests.calendar_support import schedule_csv

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs" / "valid" / \
    "demo_allowance.yaml"
YAML_ZH = "YAML 文件必须是 UTF-8 编码的文本。"
CSV_ZH = "CSV 文件必须是 UTF-8 编码的文本。"


@pytest.fixture
def chinese(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)  # no BANSHI_LOCALE: the default


def gbk_copy(source: str, path: Path) -> Path:
    path.write_bytes(source.encode("gbk"))
    return path


def first_non_ascii_line(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())


@pytest.mark.parametrize("command", ["lint", "load"])
def test_a_gbk_definition_is_refused_at_its_line(app, runner, chinese, tmp_path, command):
    text = VALID.read_text(encoding="utf-8")
    path = gbk_copy(text, tmp_path / "gbk.yaml")
    result = runner.invoke(args=["formdefs", command, str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{first_non_ascii_line(text)}: {YAML_ZH}\n" in result.output
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)


def test_binary_garbage_among_good_files_is_one_problem(app, runner, chinese, tmp_path):
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"schema: 1\n\xff\xfe\x00\x81binary\n")
    result = runner.invoke(args=["formdefs", "lint", str(VALID), str(garbage)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{garbage}:2: {YAML_ZH}"]


def test_in_english_with_banshi_locale_en(app, runner, tmp_path):
    path = gbk_copy(VALID.read_text(encoding="utf-8"), tmp_path / "gbk.yaml")
    result = runner.invoke(args=["formdefs", "lint", str(path)])
    assert result.exit_code == 1 and ": A YAML file must be UTF-8 text.\n" in result.output


def test_a_gbk_persons_file_is_refused_at_its_line(app, runner, chinese, tmp_path):
    text = DEMO_PERSONS.read_text(encoding="utf-8")
    path = gbk_copy(text, tmp_path / "persons.csv")
    result = runner.invoke(args=["persons", "import", str(path)])
    assert result.exit_code == 1
    assert result.output == f"{path}:{first_non_ascii_line(text)}: {CSV_ZH}\n"


def test_a_gbk_calendar_is_refused_at_its_line(app, runner, chinese, tmp_path):
    path = gbk_copy(schedule_csv(), tmp_path / "2027.csv")
    with pytest.raises(CalendarImportError) as refused:
        import_calendar_file(path)
    assert [(p.line, p.message) for p in refused.value.problems] == [
        (2, "A CSV file must be UTF-8 text.")]
    result = runner.invoke(args=["calendar", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: {CSV_ZH}\n" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
