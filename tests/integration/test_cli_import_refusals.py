"""Import commands refuse a bad file with ``PATH:LINE: message`` (no "错误：" prefix, no
traceback), exit 1 and change nothing: a bundled file not UTF-8 text, a file over its kind's
size limit (IMPORT_MAX_BYTES), a persons header naming the column at fault; and list at most
IMPORT_MAX_PROBLEMS problems, then how many more."""
import pytest
import sqlalchemy as sa

from app.cli import DEMO_PERSONS
from app.commands import dictionaries, regions
from tests.calendar_support import schedule_csv

YAML_ZH = "YAML 文件必须是 UTF-8 编码的文本。"
CSV_ZH = "CSV 文件必须是 UTF-8 编码的文本。"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
TABLES = ("region", "dictionary_entry", "person", "enrollment", "calendar_day", "calendar_year",
          "item")


@pytest.fixture
def chinese(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLI_LOCALE", None)  # no BANSHI_LOCALE: the default


@pytest.fixture
def counts(app):
    """Return the row count of every table an import writes (compare before and after)."""
    def count() -> dict:
        from app.extensions import db

        with app.app_context():
            return {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in TABLES}
    return count


def refused(result, path, line, message):
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{path}:{line}: {message}"), result.stderr
    assert "Traceback" not in result.output and "错误：" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("content", [
    pytest.param(dictionaries.DICTIONARIES_FILE.read_text(encoding="utf-8").encode("gbk", "replace"),
                 id="gbk"),
    pytest.param(PNG, id="binary")])
def test_dictionaries_load_refuses_a_file_that_is_not_utf8(app, runner, chinese, counts,
                                                            monkeypatch, tmp_path, content):
    path = tmp_path / "dictionaries.yaml"
    path.write_bytes(content)
    monkeypatch.setattr(dictionaries, "DICTIONARIES_FILE", path)
    before = counts()
    result = runner.invoke(args=["dictionaries", "load"])
    line = content.count(b"\n", 0, next(i for i, b in enumerate(content) if b > 127)) + 1
    refused(result, path, line, YAML_ZH)
    assert counts() == before


@pytest.mark.parametrize("content", [
    pytest.param(regions.REGIONS_FILE.read_text(encoding="utf-8").encode("gbk", "replace"), id="gbk"),
    pytest.param(PNG, id="binary")])
def test_regions_load_refuses_a_file_that_is_not_utf8(app, runner, chinese, counts,
                                                      monkeypatch, tmp_path, content):
    path = tmp_path / "regions.csv"
    path.write_bytes(content)
    monkeypatch.setattr(regions, "REGIONS_FILE", path)
    before = counts()
    result = runner.invoke(args=["regions", "load"])
    line = content.count(b"\n", 0, next(i for i, b in enumerate(content) if b > 127)) + 1
    refused(result, path, line, CSV_ZH)
    assert counts() == before


def test_regions_load_takes_a_utf8_bom(app, runner, monkeypatch, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + regions.REGIONS_FILE.read_bytes())
    monkeypatch.setattr(regions, "REGIONS_FILE", path)
    result = runner.invoke(args=["regions", "load"])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated" in result.output
    with app.app_context():
        assert regions.read_regions(path) == regions.read_regions(regions.REGIONS_FILE)


def test_persons_import_says_the_bundled_regions_file_is_not_utf8(app, runner, chinese, counts,
                                                                   monkeypatch, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_bytes(regions.REGIONS_FILE.read_text(encoding="utf-8").encode("gbk", "replace"))
    monkeypatch.setattr(regions, "REGIONS_FILE", path)
    regions._bundled_codes.cache_clear()
    before = counts()
    try:
        result = runner.invoke(args=["persons", "import", str(DEMO_PERSONS)])
    finally:
        regions._bundled_codes.cache_clear()
    assert result.exit_code == 1, result.output
    assert f"{path}:" in result.stderr and CSV_ZH in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert counts() == before


def valid_files(tmp_path) -> dict:
    """One valid file per kind of import, and the command that reads it."""
    calendar = tmp_path / "2027.csv"
    calendar.write_text(schedule_csv(), encoding="utf-8")
    formdef = tmp_path / "item.yaml"
    formdef.write_text(open("tests/fixtures/formdefs/valid/demo_allowance.yaml",
                            encoding="utf-8").read(), encoding="utf-8")
    return {"persons": (DEMO_PERSONS, ["persons", "import", str(DEMO_PERSONS)]),
            "calendar": (calendar, ["calendar", "import", str(calendar)]),
            "formdefs": (formdef, ["formdefs", "load", str(formdef)]),
            "regions": (regions.REGIONS_FILE, ["regions", "load"]),
            "dictionaries": (dictionaries.DICTIONARIES_FILE, ["dictionaries", "load"])}


@pytest.mark.parametrize("kind", ["persons", "calendar", "formdefs", "regions", "dictionaries"])
def test_a_file_over_its_kind_s_limit_is_refused_unread(app, runner, chinese, counts,
                                                        monkeypatch, tmp_path, kind):
    path, args = valid_files(tmp_path)[kind]
    size = path.stat().st_size
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES",
                        {**app.config["IMPORT_MAX_BYTES"], kind: size - 1})
    before = counts()
    result = runner.invoke(args=args)
    refused(result, path, 1, f"文件有 {size:,} 字节，超过 {kind} 文件允许的上限 {size - 1:,} 字节"
                             "（IMPORT_MAX_BYTES）")
    assert counts() == before


def test_the_limit_is_said_in_english(app, runner, monkeypatch, tmp_path):
    path, args = valid_files(tmp_path)["calendar"]
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", {"calendar": 10})
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert result.stderr == (f"{path}:1: the file has {path.stat().st_size:,} bytes, more than "
                             "the 10 allowed for a calendar file (IMPORT_MAX_BYTES)\n")


def persons_with_bad_dates(tmp_path, bad: int):
    lines = DEMO_PERSONS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("start_date")
    rows = []
    for n in range(bad):
        cells = lines[1 + n % (len(lines) - 1)].split(",")
        cells[column] = "2020-13-01"
        rows.append(",".join(cells))
    path = tmp_path / "persons.csv"
    path.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    return path


def test_persons_import_lists_the_first_problems_then_how_many_more(app, runner, chinese, counts,
                                                                   monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_MAX_PROBLEMS", 3)
    path = persons_with_bad_dates(tmp_path, 7)
    before = counts()
    result = runner.invoke(args=["persons", "import", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[:2] for line in lines[:3]] == [[str(path), "2"], [str(path), "3"],
                                                           [str(path), "4"]]
    assert lines[3:] == ["……另有 4 个问题未列出"]
    assert counts() == before


def test_calendar_import_lists_the_first_problems_then_how_many_more(app, runner, counts,
                                                                    monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "IMPORT_MAX_PROBLEMS", 2)
    path = tmp_path / "2027.csv"
    path.write_text(schedule_csv() + "".join(f"2027-13-{d:02d},holiday,x\n" for d in range(1, 6)),
                    encoding="utf-8")
    before = counts()
    result = runner.invoke(args=["calendar", "import", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{path}:") for line in lines[:2])
    assert lines[2] == "… and 3 more problems"
    assert counts() == before


@pytest.mark.parametrize(("change", "message"), [
    pytest.param(lambda header: [c for c in header if c != "name"], "缺少列 name", id="missing"),
    pytest.param(lambda header: header + ["foo"], "未知的列 foo", id="unknown"),
    pytest.param(lambda header: header + ["name"], "列 name 出现了两次", id="twice"),
])
def test_a_persons_header_names_the_column_at_fault(app, runner, chinese, counts, tmp_path,
                                                   change, message):
    lines = DEMO_PERSONS.read_text(encoding="utf-8").splitlines()
    header = change(lines[0].split(","))
    path = tmp_path / "persons.csv"
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    before = counts()
    result = runner.invoke(args=["persons", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1: {message}\n"
    assert counts() == before


def test_an_empty_persons_file_is_said_to_be_empty(app, runner, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes(b"")
    result = runner.invoke(args=["persons", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1: the file is empty: its first line must name the columns\n"


def test_calendar_import_problems_are_bare_path_line_messages(app, runner, chinese, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("2027-13-01,holiday,元旦\n", encoding="utf-8")
    result = runner.invoke(args=["calendar", "import", str(path)])
    refused(result, path, 1, "")


def test_demo_says_a_bundled_file_is_not_utf8(ctx, app, runner, chinese, monkeypatch, tmp_path):
    path = tmp_path / "dictionaries.yaml"
    path.write_bytes(PNG)
    monkeypatch.setattr(dictionaries, "DICTIONARIES_FILE", path)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.stderr.endswith(f"\n{path}:1: {YAML_ZH}\n"), result.stderr  # after alembic's
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", ["lint", "load"])
def test_formdefs_list_the_first_problems_then_how_many_more(app, runner, chinese, counts,
                                                            monkeypatch, tmp_path, command):
    monkeypatch.setitem(app.config, "IMPORT_MAX_PROBLEMS", 2)
    paths = []
    for n in range(5):
        paths.append(tmp_path / f"bad{n}.yaml")
        paths[-1].write_bytes(b"schema: 1\n\xff\n")
    before = counts()
    result = runner.invoke(args=["formdefs", command, *map(str, paths)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{paths[0]}:2: {YAML_ZH}", f"{paths[1]}:2: {YAML_ZH}",
                                          "……另有 3 个问题未列出"]
    assert counts() == before
