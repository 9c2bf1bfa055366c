"""A new page and a new repeating group start empty in the designer — no "……" introduction, no
placeholder column to remember to delete. The draft keeps them; lint names each (file and line,
the publish page links to the part) and publishing waits until the first field is there."""
import io
import textwrap

from flask_babel import force_locale, gettext

from app.engine.lint import lint_text
from tests.integration.designer_support import CITY, PROVINCE, item, load, staff, text

PAGE = 'page %(number)s ("%(page)s") has no fields yet; add its first field or delete the page'
GROUP = 'group "%(key)s" needs at least one field'


def definition(second_page: str) -> str:
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
        """) + textwrap.indent(second_page, "    ") + \
        "approval: [{key: accept, name: 受理, level: county}]\n"


def messages(source: str) -> list[tuple[int, str]]:
    with force_locale("en"):
        return [(p.line, p.message) for p in lint_text(source, "demo.yaml")]


def test_lint_names_an_empty_page_and_an_empty_group_at_their_lines():
    assert messages(definition("fields: []\n")) == [
        (12, PAGE % {"number": 2, "page": "second"})]  # at its "fields: []"
    group = definition("fields:\n  - {key: rows, type: repeat, label: 明细, fields: []}\n")
    assert messages(group) == [(13, GROUP % {"key": "rows"})]
    done = definition("fields:\n  - {key: rows, type: repeat, label: 明细, fields: "
                      "[{key: drug, type: text, label: 药品名称}]}\n")
    assert messages(done) == []


def test_the_empty_page_message_is_translated(app):
    with app.test_request_context("/"), force_locale("zh"):
        said = gettext(PAGE, number=3, page="bank")
    assert said != PAGE and "bank" in said and "3" in said


def add(client, it, kind, **data):
    revision = item(it.code, it.region_code).revision
    return client.post(f"/items/{it.id}/add/{kind}", data={"revision": revision, **data})


def round_trip(client, it):
    """Export the draft as Excel and import it back in its place (kept though unfinished)."""
    xlsx = client.get(f"/items/{it.id}/export.xlsx")
    assert xlsx.status_code == 200
    back = client.post("/items/import", data={
        "item_id": it.id, "revision": item().revision,
        "file": (io.BytesIO(xlsx.data), "demo.xlsx")}, content_type="multipart/form-data")
    assert back.status_code == 302, text(back)


def test_a_new_page_starts_empty_and_waits_for_its_first_field(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    response = add(client, it, "page", key="bank", label="银行信息")
    assert response.status_code == 302  # to the item page, at the new page
    assert response.headers["Location"].endswith(f"/items/{it.id}/#page-bank")
    assert item().draft["pages"][-1] == {"key": "bank", "title": {"zh": "银行信息", "en": None},
                                         "fields": []}
    overview = text(client.get(response.headers["Location"]))
    assert "Page “银行信息” added: add its first field below." in overview
    assert "No fields yet: add the first one below." in overview
    assert "……" not in overview and "bank_intro" not in overview

    # The draft is whole: exported, previewed and imported back as it is.
    exported = client.get(f"/items/{it.id}/export.yaml").get_data(as_text=True)
    assert "- key: bank\n" in exported and "fields: []" in exported
    assert client.get(f"/items/{it.id}/preview").status_code == 200
    round_trip(client, it)
    assert item().draft["pages"][-1]["fields"] == []

    page = text(client.get(f"/items/{it.id}/publish"))
    said = PAGE % {"number": 3, "page": "bank"}
    assert said.replace('"', "&#34;") in page
    assert f'href="/items/{it.id}/page/bank"' in page  # linked to the page
    refused = client.post(f"/items/{it.id}/publish", data={"revision": item().revision})
    assert refused.status_code == 422 and item().latest_version is None

    assert add(client, it, "field", page="bank", key="bank_account", type="bank_account",
               label="银行账号").status_code == 302
    assert "No fields yet" not in text(client.get(f"/items/{it.id}/"))
    assert "has no fields yet" not in text(client.get(f"/items/{it.id}/publish"))
    published = client.post(f"/items/{it.id}/publish", data={"revision": item().revision})
    assert published.status_code == 302 and item().latest_version.number == 1
    assert [f["key"] for f in item().latest_version.definition["pages"][-1]["fields"]] == [
        "bank_account"]


def test_a_new_repeat_starts_without_columns_and_waits_for_its_first(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    response = add(client, it, "field", page="claim", key="drugs", type="repeat", label="药品")
    assert response.status_code == 302
    drugs = next(f for p in item().draft["pages"] for f in p["fields"] if f["key"] == "drugs")
    assert drugs["fields"] == []
    form = text(client.get(response.headers["Location"]))
    assert "No column yet: add the first one with the form below." in form
    assert 'id="column-' not in form  # no placeholder column (内容) to rename or delete
    overview = text(client.get(f"/items/{it.id}/"))
    assert "No fields in this group yet" in overview and 'id="field-drugs.item"' not in overview
    assert client.get(f"/items/{it.id}/preview").status_code == 200
    round_trip(client, it)
    assert next(f for p in item().draft["pages"] for f in p["fields"]
                if f["key"] == "drugs")["fields"] == []

    page = text(client.get(f"/items/{it.id}/publish"))
    assert (GROUP % {"key": "drugs"}).replace('"', "&#34;") in page
    assert "placeholder" not in page
    refused = client.post(f"/items/{it.id}/publish", data={"revision": item().revision})
    assert refused.status_code == 422 and item().latest_version is None

    assert add(client, it, "field", page="claim/drugs", key="drug", type="text",
               label="药品名称").status_code == 302
    assert "No column yet" not in text(client.get(f"/items/{it.id}/field/drugs"))
    published = client.post(f"/items/{it.id}/publish", data={"revision": item().revision})
    assert published.status_code == 302 and item().latest_version.number == 1
    published_group = next(f for p in item().latest_version.definition["pages"]
                           for f in p["fields"] if f["key"] == "drugs")
    assert published_group["fields"] == [{"key": "drug", "type": "text",
                                          "label": {"zh": "药品名称", "en": None}}]


def test_a_new_page_is_checked_like_any_part(client, ctx):
    """A key used twice or not a key is refused, by the add form's name for it."""
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    before = item().revision
    for key in ("claim", "Bad Key"):
        response = add(client, it, "page", key=key, label="重复")
        assert response.status_code == 302 and item().revision == before
        assert "New page “重复”" in text(client.get(response.headers["Location"]))


def test_a_variant_adds_an_empty_page_of_its_own_too(client, ctx):
    load(PROVINCE)
    load(CITY, publish=False)
    staff(client, region="130200")
    it = item(region="130200")
    response = add(client, it, "page", key="ts_bank", label="银行信息")
    assert response.status_code == 302, text(client.get(f"/items/{it.id}/"))
    city = item(region="130200")
    assert [p for p in city.draft["pages"] if p["key"] == "ts_bank"] == [
        {"key": "ts_bank", "title": {"zh": "银行信息", "en": None}, "fields": []}]
    overview = text(client.get(f"/items/{it.id}/"))
    assert "No fields yet: add the first one below." in overview
    page = text(client.get(f"/items/{it.id}/publish"))
    assert "(&#34;ts_bank&#34;) has no fields yet" in page
    assert add(client, city, "field", page="ts_bank", key="ts_account", type="text",
               label="账号").status_code == 302
    assert "has no fields yet" not in text(client.get(f"/items/{it.id}/publish"))
