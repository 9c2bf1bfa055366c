"""Export and import in the designer: YAML and Excel both give the same definition back."""
import io

from openpyxl import load_workbook

from app.engine.export import export
from tests.integration.designer_support import PROVINCE, item, load, staff


def test_yaml_export_import_round_trip(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    response = client.get(f"/items/{it.id}/export.yaml")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text == export(it.draft) == PROVINCE.read_text(encoding="utf-8")
    draft = it.draft
    response = client.post("/items/import", data={"file": (io.BytesIO(text.encode()),
                                                           "demo.yaml")})
    assert response.status_code == 302
    assert item().draft == draft


def test_excel_export_import_round_trip(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    draft, revision = it.draft, it.revision
    response = client.get(f"/items/{it.id}/export.xlsx")
    assert response.status_code == 200
    data = response.get_data()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["item", "pages", "fields", "options", "materials", "steps"]
    sheet = workbook["item"]
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index("time_limit_days") + 1, value=12)
    changed = io.BytesIO()
    workbook.save(changed)
    response = client.post("/items/import", data={"file": (io.BytesIO(changed.getvalue()),
                                                           "demo.xlsx")})
    assert response.status_code == 302
    assert item().draft == dict(draft, time_limit_days=12)
    assert item().revision == revision + 1


def test_bad_workbook_is_refused_by_sheet_and_row(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    workbook = load_workbook(io.BytesIO(client.get(f"/items/{it.id}/export.xlsx").get_data()))
    fields = workbook["fields"]
    header = [c.value for c in fields[1]]
    fields.cell(row=3, column=header.index("label::zh") + 1).value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post("/items/import", data={"file": (io.BytesIO(buffer.getvalue()),
                                                           "demo.xlsx")}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "fields row 3: &#34;label&#34; is required" in html
    assert item().revision == it.revision
