"""What the import page and the designer's messages say is a sentence in the page's language
(zh by default, en on request): it names the file and its line or the workbook's sheet and row,
the form's input by its label — never a YAML key (``visible_when``, ``code``, ``zh``), a message
key or an exception's class name — and a button's message says what that button did."""
import io
import re
from html import unescape

from openpyxl import load_workbook

from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.test_designer_editor import post_change
from tests.integration.test_designer_outcomes import SETTINGS

#: What a raw identifier looks like where a sentence should be: a YAML key or a form's
#: field name followed by a colon, a dotted message key, an exception's class name.
RAW = re.compile(r"(?<![\w.“\"(])(?:visible_when|required_when|region_field|when|auto|summary|"
                 r"rules\.\d+\.check|code|zh|en|body)\s*[:：]"
                 r"|\b[a-z]+(?:_[a-z]+)*\.[a-z]+_[a-z_]+\b|\b[A-Z]\w+(?:Error|Exception)\b")


def problems(html: str) -> list:
    return [unescape(re.sub(r"\s+", " ", m)).strip() for m in re.findall(
        r'class="import-problem">(.*?)</', html, re.S)]


def flashes(html: str) -> list:
    """Return the flashed messages' text (FAB's alerts, the close button's × left out)."""
    return [unescape(re.sub(r"<[^>]+>|\s+", " ", m)).replace("×", "").strip()
            for m in re.findall(r'<div class="alert alert-\w+"[^>]*>(.*?)</div>', html, re.S)]


def at_inputs(response) -> dict:
    """The new-item form's messages by input ("form": above the inputs), as the page shows."""
    html = response.get_data(as_text=True)
    found = {}
    for key, message in re.findall(r'<p class="help-block" id="new-(\w+)-error">(.*?)</p>', html):
        found.setdefault(key, []).append(unescape(message))
    alert = re.search(r'id="new-item-problems">(.*?)</div>', html, re.S)
    if alert:
        found["form"] = [unescape(m) for m in re.findall(r"<p>(.*?)</p>", alert[1])]
    return found


def followed(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return text(client.get(response.headers["Location"]))


def workbook_with_unknown_dictionary(client):
    it = item()
    workbook = load_workbook(io.BytesIO(client.get(f"/items/{it.id}/export.xlsx").get_data()))
    sheet = workbook["fields"]
    column = [c.value for c in sheet[1]].index("dictionary") + 1
    row = next(r for r in range(2, sheet.max_row + 1)
               if sheet.cell(row=r, column=column).value == "psn_cert_type")
    sheet.cell(row=row, column=column).value = "no_such_table"
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue(), row


def test_a_bad_workbook_is_refused_naming_file_sheet_and_row_in_each_language(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    data, row = workbook_with_unknown_dictionary(client)
    sent = {"file": (io.BytesIO(data), "demo.xlsx")}
    response = client.post("/items/import", data=sent, content_type="multipart/form-data")
    assert response.status_code == 422
    assert problems(text(response)) == [
        f"demo.xlsx 工作表 fields 第 {row} 行：未知代码表“no_such_table”"]
    sent = {"file": (io.BytesIO(data), "demo.xlsx")}
    response = client.post("/items/import?_l_=en", data=sent,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert problems(text(response)) == [
        f'demo.xlsx fields row {row}: unknown dictionary "no_such_table"']
    # A YAML file: its name and line, in the page's language.
    bad = PROVINCE.read_text(encoding="utf-8").replace("time_limit_days: 10",
                                                       "time_limit_days: -1")
    line = bad.splitlines().index("time_limit_days: -1") + 1
    for query, said in (("?_l_=zh", f"bad.yaml 第 {line} 行：time_limit_days：须大于0"),
                        ("?_l_=en", f"bad.yaml, line {line}: time_limit_days: must be "
                                    "greater than 0")):
        response = client.post(f"/items/import{query}", data={
            "file": (io.BytesIO(bad.encode()), "bad.yaml")}, content_type="multipart/form-data")
        assert response.status_code == 422
        assert problems(text(response)) == [said]


def test_a_new_items_problems_name_the_forms_inputs(client, ctx):
    staff(client, locale="zh")
    sent = {"code": "Bad Code", "name_zh": ""}
    response = client.post("/items/new", data=sent)
    assert response.status_code == 422
    assert at_inputs(response) == {
        "code": ["须由小写字母、数字和 _ 组成，以字母开头（最多60个字符）"],
        "name_zh": ["须为非空文本"]}
    assert 'value="Bad Code"' in text(response)  # the input stays
    assert at_inputs(client.post("/items/new?_l_=en", data=sent)) == {
        "code": ["must be lower-case letters, digits and _, starting with a letter (at most 60)"],
        "name_zh": ["must be non-empty text"]}


def test_each_button_says_what_it_did_and_names_inputs_by_label(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    said = flashes(followed(client, post_change(client, item(), "up", "page", "claim")))
    assert said == ["已上移。"]  # not 已删除。
    said = flashes(followed(client, post_change(client, item(), "down", "page", "claim")))
    assert said == ["已下移。"]
    said = flashes(followed(client, post_change(client, item(), "hide", "field", "special")))
    assert said == ["已隐藏。"]
    said = flashes(followed(client, post_change(client, item(), "show", "field", "special")))
    assert said == ["已恢复显示。"]
    # What a deleted field leaves reading it: the part, then the input by the form's label.
    asked = text(client.post(f"/items/{item().id}/change", data={
        "kind": "field", "key": "special", "action": "delete", "revision": item().revision}))
    assert "特殊人员类型 (special_type) · 显示条件（表达式）：<code>special" in asked
    said = flashes(followed(client, post_change(client, item(), "delete", "field", "special")))
    assert said == ["已删除。 以下表达式仍在引用它，现已指向不存在的问题；发布前请修改："
                    '特殊人员类型 (special_type) · 显示条件（表达式）：special == "1"']
    client.get("/lang/en")
    said = flashes(followed(client, post_change(client, item(), "delete", "page", "claim")))
    assert len(said) == 1, said
    assert ("审核 (review) · Only when (expression): amount > 10000; 自动核验 (auto_check) · "
            "Decided automatically when (expression): amount <= 1000") in said[0]
    for message in said:
        assert not RAW.search(message), message


def test_a_cleared_notice_is_said_at_its_input(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    it = item()
    response = client.post(f"/items/{it.id}/settings", data={
        **SETTINGS, "notice__body_zh": "", "revision": it.revision})
    assert response.status_code == 422
    html = text(response)
    assert "“body”为必填项" not in html and flashes(html) == []
    at_input = re.search(r'id="input-notice__body_zh".*?</div>', html, re.S)
    assert at_input is not None and "不能为空" in at_input[0], html


def test_no_designer_message_reads_as_a_raw_key(client, ctx):
    """Every message the actions above flash, in both languages, against the raw pattern."""
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    seen = []
    for locale, action in (("zh", "up"), ("en", "down")):
        client.get(f"/lang/{locale}")
        seen += [message for messages in at_inputs(client.post("/items/new", data={
            "code": "Bad Code", "name_zh": ""})).values() for message in messages]
        seen += flashes(followed(client, client.post(f"/items/{item().id}/add/field", data={
            "page": "applicant", "key": "", "type": "text", "label": "联系电话",
            "revision": item().revision})))
        seen += flashes(followed(client, post_change(client, item(), action, "page",
                                                     "claim")))
    seen += flashes(followed(client, post_change(client, item(), "delete", "page",
                                                 "applicant")))
    assert len(seen) >= 7, seen
    for message in seen:
        assert not RAW.search(message), message


def test_the_publish_page_names_a_steps_region_field_by_its_label(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    followed(client, post_change(client, item(), "delete", "field", "home_region"))
    html = unescape(text(client.get(f"/items/{item().id}/publish")))
    assert "区划取自字段“home_region”不是本事项的字段" in html
    assert "region_field“" not in html
    html = unescape(text(client.get(f"/items/{item().id}/publish?_l_=en")))
    assert 'Region taken from field "home_region" is not a field of this item' in html
    assert 'region_field "' not in html


def test_a_region_that_does_not_exist_is_said_in_a_sentence(client, ctx):
    staff(client, locale="zh")
    sent = {"code": "new_item", "name_zh": "新事项", "region": "999999"}
    assert at_inputs(client.post("/items/new", data=sent)) == {"form": ["区划“999999”不存在。"]}
    assert at_inputs(client.post("/items/new?_l_=en", data=sent)) == {
        "form": ['Region "999999" does not exist.']}
