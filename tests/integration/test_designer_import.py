"""The designer's import runs `formdefs load`'s full lint and keeps the text it was sent; from an
item's page it replaces only the draft shown (E2: a draft saved since is a 409, not overwritten).
"""
import io
import re

from markupsafe import escape
from openpyxl import load_workbook

from app.commands.formdef_text import LoadFormdefTextCommand
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import line_of

ORIGINAL = PROVINCE.read_text(encoding="utf-8")
CHANGED = ORIGINAL.replace("time_limit_days: 10", "time_limit_days: 12")
MINE = ORIGINAL.replace("time_limit_days: 10", "time_limit_days: 15")


def post(client, body: str, filename="demo.yaml", **form):
    return client.post("/items/import", data=dict(
        form, file=(io.BytesIO(body.encode("utf-8")), filename)),
        content_type="multipart/form-data")


def problems(html: str) -> list:
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(
        r'class="import-problem">(.*?)</', html, re.S)]


def textarea(html: str) -> str:
    return re.search(r'<textarea id="import-text"[^>]*>\n(.*?)</textarea>', html, re.S)[1]


def test_lint_problems_the_shape_check_passes_are_shown_by_line_with_the_text(client, ctx):
    staff(client)
    bad = ORIGINAL.replace("dictionary: psn_cert_type", "dictionary: no_such_table").replace(
        'visible_when: special == "1"', 'visible_when: specail == "1"')
    response = post(client, bad, "bad.yaml")
    assert response.status_code == 422
    html = text(response)
    shown = problems(html)
    assert shown[0] == (f'bad.yaml, line {line_of(bad, "no_such_table")}: unknown dictionary '
                        "&#34;no_such_table&#34;")
    assert any(p.startswith(f'bad.yaml, line {line_of(bad, "specail")}: ') and "specail" in p
               for p in shown[1:]), shown
    assert textarea(html) == str(escape(bad))
    assert item() is None  # nothing imported


def test_an_expression_that_does_not_compile_is_explained_as_the_field_editor_does(client, ctx):
    staff(client, locale="zh")
    bad = ORIGINAL.replace('visible_when: special == "1"', 'visible_when: special ==')
    response = post(client, bad, "bad.yaml")
    assert response.status_code == 422
    shown = problems(text(response))
    wanted = [p for p in shown if p.startswith(f'bad.yaml 第 {line_of(bad, "special ==")} 行')]
    assert len(wanted) == 1, shown
    assert "表达式编译失败：第 11 列：表达式提前结束" in wanted[0], wanted  # as the editor says it
    assert "mismatched input" not in wanted[0] and "EOF" not in wanted[0]


def test_a_workbook_with_lint_problems_is_shown_as_yaml_with_their_rows(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    workbook = load_workbook(io.BytesIO(client.get(f"/items/{it.id}/export.xlsx").get_data()))
    sheet = workbook["fields"]
    column = [c.value for c in sheet[1]].index("dictionary") + 1
    row = next(r for r in range(2, sheet.max_row + 1)
               if sheet.cell(row=r, column=column).value == "psn_cert_type")
    sheet.cell(row=row, column=column).value = "no_such_table"
    data = io.BytesIO()
    workbook.save(data)
    response = client.post("/items/import", data={"file": (io.BytesIO(data.getvalue()),
                                                           "demo.xlsx")})
    assert response.status_code == 422
    html = text(response)
    as_yaml = textarea(html)
    assert "no_such_table" in as_yaml
    assert problems(html) == [f"demo.xlsx fields row {row}: unknown dictionary "
                              "&#34;no_such_table&#34;"]  # the workbook's row, not the YAML's
    assert item().revision == it.revision


def test_the_items_page_imports_at_the_revision_shown(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    page = text(client.get(f"/items/{it.id}/"))
    form = re.search(r'<form[^>]*class="form-inline import-draft".*?</form>', page, re.S)[0]
    assert f'name="revision" value="{it.revision}"' in form
    assert f'name="item_id" value="{it.id}"' in form
    shown = it.revision
    response = post(client, CHANGED, item_id=it.id, revision=shown)
    assert response.status_code == 302
    assert (item().revision, item().draft["time_limit_days"]) == (shown + 1, 12)


def test_a_draft_saved_since_the_page_was_shown_is_not_replaced_and_the_text_is_kept(client,
                                                                                     ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    shown = it.revision
    LoadFormdefTextCommand(text=CHANGED).run()  # someone else, meanwhile
    response = post(client, MINE, item_id=it.id, revision=shown)
    assert response.status_code == 409
    html = text(response)
    assert problems(html) == [f"The draft of demo_allowance@130000 is at revision {shown + 1}, "
                              f"not {shown}: it was changed in the meantime. Look at it, then "
                              "import again."]
    assert textarea(html) == str(escape(MINE))
    assert f'name="revision" value="{shown + 1}"' in html  # sending it again replaces theirs
    assert (item().revision, item().draft["time_limit_days"]) == (shown + 1, 12)
    again = client.post("/items/import", data={"text": MINE, "item_id": it.id,
                                                "revision": shown + 1})
    assert again.status_code == 302
    assert (item().revision, item().draft["time_limit_days"]) == (shown + 2, 15)
    crlf = client.post("/items/import", data={"text": MINE.replace("\n", "\r\n")})
    assert crlf.status_code == 302 and item().revision == shown + 2  # a textarea's lines: same


def test_the_items_page_imports_only_that_item(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    other = ORIGINAL.replace("code: demo_allowance", "code: demo_other")
    response = post(client, other, item_id=it.id, revision=it.revision)
    assert response.status_code == 422
    assert problems(text(response)) == ["This definition is of demo_other@130000, not of "
                                        "demo_allowance@130000: import it from the list of items."]
    assert item("demo_other") is None
