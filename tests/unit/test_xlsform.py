"""Definitions as Excel workbooks (app.engine.xlsform): the round trip, and bad workbooks."""
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.engine.export import export
from app.engine.schema import load_definition
from app.engine.xlsform import XlsformError, from_xlsx, to_xlsx
from app.yamlio import load_with_lines

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "app" / "formdefs").rglob("*.yaml")) + sorted(
    (ROOT / "tests" / "fixtures" / "formdefs").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "fixtures" / "formdefs" / "valid").glob("*.yaml"))


def normalised(path: Path) -> dict:
    definition, errors = load_definition(load_with_lines(path.read_text(encoding="utf-8")))
    assert errors == []
    return definition


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_round_trip(path):
    definition = normalised(path)
    back, problems = from_xlsx(to_xlsx(definition))
    assert problems == []
    assert back == definition
    assert export(back) == export(definition)


def test_every_definition_file_is_covered():
    assert len([p for p in FILES if "app/formdefs" in str(p)]) >= 20


def sheet_rows(data: bytes, title: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data))[title].iter_rows(values_only=True))


def test_sheets_read_like_xlsform():
    data = to_xlsx(normalised(ROOT / "tests/fixtures/formdefs/valid/demo_allowance.yaml"))
    fields = sheet_rows(data, "fields")
    header = fields[0]
    row = dict(zip(header, fields[2]))  # the second field: special (radio)
    assert row["key"] == "special" and row["options"] == "special" and row["required"] is True
    special_type = dict(zip(header, fields[3]))
    assert special_type["visible_when"] == 'special == "1"'
    amount = next(dict(zip(header, r)) for r in fields if r[header.index("key")] == "amount")
    assert amount["rule1.check"] == "amount > 0" and amount["rule1.message::zh"] == "金额须大于0"
    options = sheet_rows(data, "options")
    assert options[0] == ("list", "value", "label::zh", "label::en")
    assert ("special", "1", "是", None) in options
    children = [dict(zip(header, r)) for r in fields if r[header.index("group")] == "children"]
    assert [c["key"] for c in children] == ["name", "birth_date"]


def test_text_that_looks_like_a_formula_stays_text():
    definition = normalised(ROOT / "tests/fixtures/formdefs/valid/demo_allowance.yaml")
    definition["pages"][0]["fields"][1]["label"] = {"zh": "=HYPERLINK(\"http://evil.cn\")",
                                                    "en": None}
    data = to_xlsx(definition)
    cell = load_workbook(io.BytesIO(data))["fields"]["E3"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert from_xlsx(data)[0] == definition


def test_problems_name_sheet_and_row():
    definition = normalised(ROOT / "tests/fixtures/formdefs/valid/demo_allowance.yaml")
    del definition["pages"][0]["fields"][1]["label"]
    definition["materials"][0]["max_files"] = "many"
    _back, problems = from_xlsx(to_xlsx(definition))
    assert 'fields row 3: "label" is required' in problems
    assert any(p.startswith("materials row 2: max_files") for p in problems)


def test_not_a_workbook():
    with pytest.raises(XlsformError) as error:
        from_xlsx(b"schema: 1\n")
    assert "not an Excel workbook" in str(error.value)


def test_a_zip_bomb_is_refused_before_reading():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(XlsformError) as error:
        from_xlsx(buffer.getvalue())
    assert "too large" in str(error.value)
