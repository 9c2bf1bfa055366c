"""A variant saved in the designer is held to the size limits (FORMDEF_MAX_*) once merged onto
its parent, as lint and publish hold it: a part that takes the item past a limit is refused with
the limit named, the admin's input stays on the page and the draft is not changed."""
from tests.integration.designer_support import item, text
from tests.integration.test_designer_editor import field_form
from tests.integration.test_designer_variants import adapt


def test_adding_a_material_past_the_limit_once_merged_is_refused(app, client, ctx, monkeypatch):
    variant = adapt(client)
    monkeypatch.setitem(app.config, "FORMDEF_MAX_MATERIALS", len(item().draft["materials"]))
    response = client.post(f"/items/{variant.id}/add/material", data={
        "key": "bank_card", "label": "银行卡", "revision": variant.revision},
        follow_redirects=True)
    html = text(response)
    assert response.status_code == 200 and "FORMDEF_MAX_MATERIALS" in html
    assert "once merged onto demo_allowance@130000" in html
    assert "Internal Server Error" not in html
    after = item("demo_allowance", "130200")
    assert after.revision == variant.revision and "materials" not in after.draft


def test_a_part_form_keeps_the_input_when_the_merged_item_is_too_large(app, client, ctx,
                                                                       monkeypatch):
    """Within the limit the variant adds a material; lowered, saving any part is refused
    (422), the typed label still in the form, until a part is removed."""
    variant = adapt(client)
    assert client.post(f"/items/{variant.id}/add/material", data={
        "key": "bank_card", "label": "银行卡", "revision": variant.revision}).status_code == 302
    variant = item("demo_allowance", "130200")
    monkeypatch.setitem(app.config, "FORMDEF_MAX_MATERIALS", len(item().draft["materials"]))
    data = field_form(client, variant, "bank_card", kind="material")
    data.update(label_zh="银行卡（正反面）", _action="save")
    response = client.post(f"/items/{variant.id}/material/bank_card", data=data)
    html = text(response)
    assert response.status_code == 422
    assert "too many materials once merged onto demo_allowance@130000" in html
    assert "(setting FORMDEF_MAX_MATERIALS)" in html
    assert 'value="银行卡（正反面）"' in html
    assert item("demo_allowance", "130200").revision == variant.revision
    client.get("/lang/zh")
    html = text(client.post(f"/items/{variant.id}/material/bank_card", data=data))
    assert "设置项 FORMDEF_MAX_MATERIALS" in html and "FORMDEF_MAX_MATERIALS)" not in html
