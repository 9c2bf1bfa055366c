"""A workbook's problems are told all at once, each by file, sheet, row (and column for a cell):
a formula is refused at its cell (a definition's text is typed, not computed: no
=HYPERLINK label), shape problems and lint's come together, lint's at the row of the part."""
import io
import re

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.integration.designer_support import PROVINCE, item, load, staff, text


def problems(html: str) -> list:
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(
        r'class="import-problem">(.*?)</', html, re.S)]


def exported(client):
    load(PROVINCE, publish=False)
    it = item()
    return it, load_workbook(io.BytesIO(client.get(f"/items/{it.id}/export.xlsx").get_data()))


def column(sheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def send(client, workbook, name="formula.xlsx"):
    data = io.BytesIO()
    workbook.save(data)
    return client.post("/items/import", data={"file": (io.BytesIO(data.getvalue()), name)},
                       content_type="multipart/form-data")


def test_every_problem_at_once_by_sheet_row_and_cell(client, ctx):
    staff(client)
    it, workbook = exported(client)
    fields, steps, sheet = workbook["fields"], workbook["steps"], workbook["item"]
    label = column(fields, "label::zh")
    fields.cell(row=2, column=label).value = '=HYPERLINK("http://evil.example","点我")'
    fields.cell(row=3, column=column(fields, "type")).value = "monet"
    limit = column(sheet, "time_limit_days")
    sheet.cell(row=2, column=limit).value = "=2+3"
    steps.cell(row=2, column=column(steps, "level")).value = "planet"
    response = send(client, workbook)
    assert response.status_code == 422
    shown = problems(text(response))
    assert all(p.startswith("formula.xlsx ") for p in shown), shown
    assert any(p.startswith(f"formula.xlsx fields row 2 (column {get_column_letter(label)}): "
                            "the cell holds a formula") for p in shown), shown
    assert any(p.startswith(f"formula.xlsx item row 2 (column {get_column_letter(limit)}): "
                            "the cell holds a formula") for p in shown), shown
    assert any(p.startswith("formula.xlsx steps row 2: level") for p in shown), shown
    assert any(p.startswith("formula.xlsx fields row 3: ") and "monet" in p for p in shown), shown
    assert item().revision == it.revision


def test_lint_problems_of_a_workbook_name_its_sheet_and_row_in_chinese(client, ctx):
    staff(client, locale="zh")
    it, workbook = exported(client)
    fields = workbook["fields"]
    fields.cell(row=3, column=column(fields, "visible_when")).value = "nobody == 1"
    response = send(client, workbook, "type_only.xlsx")
    assert response.status_code == 302  # unfinished: kept, the problem told by its row
    flashed = text(client.get(response.headers["Location"]))
    assert "type_only.xlsx 工作表 fields 第 3 行：" in flashed  # the sentence's own colon
    assert "nobody" in flashed and "第 17 行" not in flashed
