"""A choice compared with a number (``special == 1``) is refused wherever lint runs: CEL takes it
as simply false, so the question it shows vanished for every citizen and its answers were
dropped. The message names the comparison, the field by its label and the quoted form."""
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.formdefs_api_support import caller, line_of, province_text, send
from tests.integration.test_designer_try_it import tried
from tests.integration.test_designer_editor import field_form

ZH = "“special == 1”把文本“是否特殊人员”（special）与数字比较，永远不会相等：请写 special == \"1\""
EN = ("“special == 1” compares “是否特殊人员” (special), a text, with a number, which it never "
      'equals: write special == "1"')


def test_the_designer_check_on_save_refuses_a_choice_compared_with_a_number(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    url = f"/items/{it.id}/cel/field/special_type"
    html = text(client.post(url, data={"_input": "visible_when", "visible_when": "special == 1"}))
    assert "Compiles." not in html
    assert "The types in the expression do not match: " + EN.replace('"', "&#34;") in html
    client.get("/lang/zh")
    html = text(client.post(url, data={"_input": "visible_when", "visible_when": "special == 1"}))
    assert ZH.replace('"', "&#34;") in html
    html = text(client.post(url, data={"_input": "visible_when",
                                       "visible_when": 'special == "1"'}))
    assert "编译通过" in html


def test_try_it_says_why_the_comparison_is_never_true(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    data = field_form(client, it, "special_type")
    data.update(visible_when="special == 1", _action="try", sample__special="1")
    response = client.post(f"/items/{it.id}/field/special_type", data=data)
    assert tried(text(response))["visible_when"] == "no " + EN


def test_the_import_api_answers_422_naming_the_field_in_both_languages(client, ctx):
    _admin, headers = caller(client)
    body = province_text().replace("visible_when: special == \"1\"", "visible_when: special == 1")
    line = line_of(body, "visible_when: special == 1")
    response = send(client, headers, body)
    assert response.status_code == 422
    [problem] = response.get_json()["errors"]["definition"]
    assert problem == f"<body>:{line}: 字段“special_type”的 visible_when：表达式的类型不匹配：{ZH}"
    english = send(client, headers, body, query="?_l_=en").get_json()
    assert english["errors"]["definition"] == [
        f'<body>:{line}: visible_when of field "special_type": the expression\'s types do not '
        f"match: {EN}"]
    assert item() is None
