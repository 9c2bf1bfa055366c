"""What the designer's forms say and offer: each CEL problem once, in the page's language, with
its position and reason; unknown names with the closest known key; a step's region field
offers only region fields."""
import copy
import io
import re

from app.extensions import db
from tests.integration.designer_support import PROVINCE, field_errors, item, load, staff, text
from tests.integration.test_designer_editor import field_form


def _options(html: str, name: str) -> list[str]:
    body = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)[1]
    return re.findall(r'<option[^>]*value="([^"]*)"', body)


def test_a_steps_region_field_offers_only_region_fields(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    html = text(client.get(f"/items/{it.id}/step/accept"))
    assert _options(html, "region_field") == ["", "home_region"]
    assert "参保地 (home_region)" in html  # named by its label
    draft = copy.deepcopy(item().draft)
    for page in draft["pages"]:
        page["fields"] = [f for f in page["fields"] if f["type"] != "region"]
    del draft["approval"][0]["region_field"]
    it.draft = draft
    db.session.commit()
    html = text(client.get(f"/items/{it.id}/step/accept"))
    assert _options(html, "region_field") == [""]
    assert "This item has no field of type Region yet" in html


def test_each_expression_problem_shows_once_with_where_and_why(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "special_type")
    data.update({"visible_when": 'specail == "1" && size(cert_type) > 2',
                 "rules-0-check": "special != ", "rules-0-message_zh": "请选择",
                 "_action": "save"})
    response = client.post(f"/items/{it.id}/field/special_type", data=data)
    assert response.status_code == 422 and item().revision == it.revision
    html = text(response)
    assert html.count("Write length(…) instead of size(…)") == 1
    assert html.count("Column 11: it ends too early") == 1  # where and why, once
    assert "mismatched input" not in html and "&lt;EOF&gt;" not in html
    # The unknown name is named even beside the size() problem, with the closest key.
    assert "Unknown variables: specail" in html
    assert "There is no field “specail”: did you mean “special”?" in html
    assert field_errors(html) == []  # nothing repeated under the inputs
    assert re.search(r'class="form-group has-error" id="input-visible_when"', html)
    # A name asked on a later page is called that.
    url = f"/items/{it.id}/cel/field/special_type"
    status = text(client.post(url, data={"_input": "visible_when", "visible_when": "amount > 1"}))
    assert "“amount” is asked only on a later page" in status


def test_expression_problems_read_in_chinese(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    it = item()
    url = f"/items/{it.id}/cel/field/special_type"
    status = text(client.post(url, data={"_input": "visible_when",
                                         "visible_when": "special == “1”"}))
    assert "第 12 列：" in status and "全角" in status and "token recognition" not in status
    status = text(client.post(url, data={"_input": "visible_when", "visible_when": "special ="}))
    assert "第 9 列：" in status and "==" in status


def test_a_bad_key_names_the_new_field_by_its_label(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    it = item()
    response = client.post(f"/items/{it.id}/add/field", data={
        "revision": it.revision, "page": "applicant", "key": "Bad Key", "type": "mobile",
        "label": "联系电话"})
    assert response.status_code == 302
    html = text(client.get(f"/items/{it.id}/"))
    assert "新字段“联系电话”：键名：“Bad Key”不是有效的键名：只能使用字母、数字和 _" in html
    assert "key：" not in html


def test_an_import_names_the_file_and_line_of_each_problem(client, ctx):
    staff(client, region="130000")
    yaml_text = ("schema: 1\ncode: bad_import\nregion: '130000'\nname: 坏事项\npages:\n"
                 "  - key: p\n    fields:\n      - {key: a, type: text, label: 甲}\n")
    response = client.post("/items/import", data={
        "file": (io.BytesIO(yaml_text.encode()), "bad.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 422  # the form again, the problems above the text
    html = text(response)
    assert 'bad.yaml, line 6: &#34;title&#34; is required' in html  # the page missing it
