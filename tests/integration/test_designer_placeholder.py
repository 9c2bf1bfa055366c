"""The designer's placeholder text (a new display field shows "……" until the administrator writes
something; drafts made before a page could start empty hold a ``<key>_intro`` showing it too):
lint names the page and the field, in the administrator's language, and publishing waits until
the text is written or the field deleted. A new page or repeating group has no placeholder at all
(tests/integration/test_designer_empty_parts.py).
"""
import textwrap

from flask_babel import force_locale, gettext

from app.engine.lint import lint_text
from app.engine.lint_placeholders import PLACEHOLDER_TEXT
from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.test_designer_editor import field_form

MESSAGE = ('page %(number)s ("%(page)s"): "%(key)s" still shows the placeholder text "……"; '
           "write its text or delete it")


def definition(*fields: str) -> str:
    body = "\n".join(f"      - {f}" for f in fields)
    return textwrap.dedent("""\
        schema: 1
        code: demo
        region: '130000'
        name: 示例
        pages:
          - key: first
            title: 第一页
            fields:
              - {key: name, type: text, label: 姓名}
          - key: second
            title: 第二页
            fields:
        """) + body + "\napproval: [{key: accept, name: 受理, level: county}]\n"


def messages(source: str) -> list[tuple[int, str]]:
    with force_locale("en"):
        return [(p.line, p.message) for p in lint_text(source, "demo.yaml")]


def test_lint_recognises_the_placeholder_text_whatever_the_key():
    assert messages(definition(f'{{key: second_intro, type: display, label: 第二页, '
                               f'text: {{zh: "{PLACEHOLDER_TEXT}", en: null}}}}')) == [
        (13, MESSAGE % {"number": 2, "page": "second", "key": "second_intro"})]
    renamed = definition("{key: guide, type: display, label: 说明, text: '...'}",
                         "{key: more, type: display, label: 更多, text: ' … 。'}")
    assert [line for line, _m in messages(renamed)] == [13, 14]
    assert '"guide"' in messages(renamed)[0][1] and '"more"' in messages(renamed)[1][1]
    written = definition("{key: second_intro, type: display, label: 第二页, "
                         "text: {zh: 请如实填写。, en: null}}")
    assert messages(written) == []
    group = definition("{key: rows, type: repeat, label: 明细, fields: [{key: note, "
                       "type: display, label: 说明, text: ……}, {key: x, type: text, label: 内容}]}")
    assert messages(group) == [(13, MESSAGE % {"number": 2, "page": "second", "key": "rows.note"})]


def test_a_display_field_cannot_be_published_until_its_text_is_written(app, client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale=None)  # the administrator reads Chinese
    it = item()
    assert client.post(f"/items/{it.id}/add/field", data={
        "key": "bank_intro", "label": "银行信息", "type": "display", "page": "claim",
        "revision": it.revision}).status_code == 302
    intro = item().draft["pages"][-1]["fields"][-1]
    assert intro["key"] == "bank_intro" and intro["text"]["zh"] == PLACEHOLDER_TEXT
    with app.test_request_context("/"), force_locale("zh"):
        said = gettext(MESSAGE, number=2, page="claim", key="bank_intro")
    assert said.startswith("第2页") and "占位" in said
    page = text(client.get(f"/items/{it.id}/publish"))
    assert said.replace('"', "&#34;") in page or said in page
    assert f'href="/items/{it.id}/field/bank_intro"' in page  # linked to the field's form
    refused = client.post(f"/items/{it.id}/publish", data={"revision": item().revision})
    assert refused.status_code == 422 and item().latest_version is None

    data = field_form(client, item(), "bank_intro")
    data.update({"text_zh": "请填写申请人本人名下的银行账户。", "_action": "save"})
    assert client.post(f"/items/{it.id}/field/bank_intro", data=data).status_code == 302
    assert "占位" not in text(client.get(f"/items/{it.id}/publish"))
    published = client.post(f"/items/{it.id}/publish", data={"revision": item().revision})
    assert published.status_code == 302 and item().latest_version.number == 1


def test_a_new_display_field_starts_as_a_placeholder_too(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    assert client.post(f"/items/{it.id}/add/field", data={
        "key": "tip", "label": "提示", "type": "display", "page": "claim",
        "revision": it.revision}).status_code == 302
    page = text(client.get(f"/items/{it.id}/publish"))
    assert "&#34;tip&#34; still shows the placeholder text" in page
    assert 'page 2 (&#34;claim&#34;)' in page


OPTION = ('page %(number)s ("%(page)s"): "%(key)s" still has only the placeholder option '
          '"选项一"; write its options')
COLUMN = ('page %(number)s ("%(page)s"): "%(key)s" still has only the placeholder column '
          '"内容"; add the columns its rows need')


def test_lint_recognises_a_choice_and_a_repeat_left_as_the_designer_made_them():
    left = definition(
        "{key: kind, type: select, label: 类别, options: [{value: '1', label: {zh: 选项一, "
        "en: Option 1}}]}",
        "{key: rows, type: repeat, label: 明细, fields: [{key: item, type: text, "
        "label: {zh: 内容, en: null}}]}")
    assert messages(left) == [(13, OPTION % {"number": 2, "page": "second", "key": "kind"}),
                              (14, COLUMN % {"number": 2, "page": "second", "key": "rows"})]
    written = definition(
        "{key: kind, type: select, label: 类别, options: [{value: '1', label: {zh: 选项一, "
        "en: Option 1}}, {value: '2', label: {zh: 选项二, en: Option 2}}]}",
        "{key: rows, type: repeat, label: 明细, fields: [{key: item, type: text, "
        "label: {zh: 药品名称, en: null}}]}")
    assert messages(written) == []


def test_a_new_choice_and_repeat_wait_for_their_real_options_and_columns(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    response = client.post(f"/items/{it.id}/add/field", data={
        "key": "kind", "label": "类别", "type": "radio", "page": "claim",
        "revision": item().revision})  # a choice is not added without its options
    assert response.status_code == 302
    assert "a choice needs its options" in text(client.get(response.headers["Location"]))
    assert "kind" not in [f["key"] for p in item().draft["pages"] for f in p["fields"]]
    for key, type_name in (("kind", "radio"), ("rows", "repeat")):
        assert client.post(f"/items/{it.id}/add/field", data={
            "key": key, "label": key, "type": type_name, "page": "claim",
            "options": "一级，二级, 一级", "revision": item().revision}).status_code == 302
    kind = next(f for p in item().draft["pages"] for f in p["fields"] if f["key"] == "kind")
    assert [o["value"] for o in kind["options"]] == ["一级", "二级"]
    rows = next(f for p in item().draft["pages"] for f in p["fields"] if f["key"] == "rows")
    assert rows["fields"] == []  # no placeholder column: its first is added on its form
    page = text(client.get(f"/items/{it.id}/publish"))
    assert "placeholder option" not in page and "placeholder column" not in page
    assert "group &#34;rows&#34; needs at least one field" in page
    assert client.post(f"/items/{it.id}/publish",
                       data={"revision": item().revision}).status_code == 422
