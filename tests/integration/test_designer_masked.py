"""The designer's ``masked`` checkbox (app.engine.masked): offered on the types that can be
masked, in the administrator's language, refused next to it where lint would refuse it."""
from tests.integration.designer_support import PROVINCE, field_errors, item, load, staff, text
from tests.integration.test_designer_editor import field_form


def draft_field(key: str) -> dict:
    return next(f for page in item().draft["pages"] for f in page["fields"] if f["key"] == key)


def test_masked_is_a_checkbox_refused_unless_read_only_and_prefilled(client, ctx):
    load(PROVINCE, publish=False)
    staff(client, locale="zh")
    it = item()
    added = client.post(f"/items/{it.id}/add/field", data={
        "key": "id_number", "type": "id_card", "label": "证件号码", "page": "applicant",
        "revision": it.revision})
    assert added.status_code == 302
    html = text(client.get(f"/items/{it.id}/field/id_number"))
    assert 'id="masked" name="masked" type="checkbox"' in html
    assert "个人识别号：列表中脱敏显示（如 5134**********1234）" in html
    assert 'name="masked"' not in text(client.get(f"/items/{it.id}/field/delivery_date"))

    data = field_form(client, item(), "id_number")
    data.update(masked="y", _action="save")
    refused = client.post(f"/items/{it.id}/field/id_number", data=data)
    assert refused.status_code == 422
    assert ("字段“id_number”：masked 只能用于从人员信息预填的只读字段（readonly: true 且有 prefill）"
            in field_errors(text(refused)))
    assert "masked" not in draft_field("id_number")

    data.update(readonly="y", prefill="person.id_number")
    assert client.post(f"/items/{it.id}/field/id_number", data=data).status_code == 302
    saved = draft_field("id_number")
    assert saved["masked"] is True and saved["readonly"] is True
