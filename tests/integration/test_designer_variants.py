"""Regional variants in the browser: adapt an item in effect above, edit it as citizens see it
(inherited, overridden, locked parts), see and take over what the parent changed upstream."""
import re

from app.commands.drafts import SaveDraftCommand
from app.commands.formdefs import PublishItemCommand
from tests.integration.designer_support import PROVINCE, fields, item, load, staff, text
from tests.integration.test_designer_editor import field_form, post_change


def adapt(client):
    load(PROVINCE)
    staff(client, "RegionAdmin", "130200")
    html = text(client.get("/items/"))
    assert "Adapt for my region" in html or "为本地区调整" in html
    province = item()
    response = client.post(f"/items/adapt/{province.id}")
    assert response.status_code == 302
    return item("demo_allowance", "130200")


def test_adapt_for_my_region_creates_a_variant(client, ctx):
    variant = adapt(client)
    assert variant.draft == {"schema": 1, "code": "demo_allowance", "region": "130200",
                             "derives": "demo_allowance"}
    assert variant.derives_item_id == item().id and variant.status == "draft"
    html = text(client.get(f"/items/{variant.id}/"))
    assert html.count(">inherited<") + html.count(">继承<") >= 10
    assert "locked" in html or "锁定" in html
    assert "Adapt for my region" not in text(client.get("/items/"))  # adapted already


def test_variant_edits_are_stored_as_overrides(client, ctx):
    variant = adapt(client)
    data = field_form(client, variant, "special")
    data.update(label_zh="是否特殊人员（唐山）", _action="save")
    assert client.post(f"/items/{variant.id}/field/special", data=data).status_code == 302
    variant = item("demo_allowance", "130200")
    assert variant.draft["pages"] == [{"key": "applicant", "fields": [
        {"key": "special", "label": {"zh": "是否特殊人员（唐山）", "en": None}}]}]
    html = text(client.get(f"/items/{variant.id}/"))
    assert re.search(r'id="field-special".*?overridden', html, re.S)
    assert post_change(client, variant, "hide", "field", "special_type").status_code == 302
    variant = item("demo_allowance", "130200")
    assert {"key": "special_type", "hidden": True} in variant.draft["pages"][0]["fields"]
    assert "special_type" not in fields(__import__("app.commands.item_edit", fromlist=[
        "Editing"]).Editing.of(variant).definition)
    html = text(client.get(f"/items/{variant.id}/"))
    assert "Hidden in this region" in html or "本地区隐藏" in html
    assert post_change(client, variant, "show", "field", "special_type").status_code == 302
    assert item("demo_allowance", "130200").draft["pages"][0]["fields"] == [
        {"key": "special", "label": {"zh": "是否特殊人员（唐山）", "en": None}}]
    response = client.post(f"/items/{variant.id}/add/field", data={
        "key": "ts_workplace", "type": "text", "label": "工作单位", "page": "applicant",
        "revision": item("demo_allowance", "130200").revision})
    assert response.status_code == 302
    variant = item("demo_allowance", "130200")
    assert {"key": "ts_workplace", "type": "text", "label": {"zh": "工作单位", "en": None}} in \
        variant.draft["pages"][0]["fields"]
    response = client.post(f"/items/{variant.id}/publish", data={"revision": variant.revision})
    assert response.status_code == 302
    assert item("demo_allowance", "130200").latest_version.definition["pages"][0]["fields"][
        -1]["key"] == "ts_workplace"


def test_locked_parts_are_read_only(client, ctx):
    variant = adapt(client)
    html = text(client.get(f"/items/{variant.id}/material/id_card"))
    assert "locked this part" in html or "锁定" in html
    assert 'name="_action" value="save"' not in html
    assert re.search(r'<input[^>]*disabled[^>]*name="max_files"|<input[^>]*name="max_files"'
                     r'[^>]*disabled', html)
    html = text(client.get(f"/items/{variant.id}/field/cert_type"))  # locked: wording only
    assert re.search(r'id="label_zh"[^>]*name="label_zh"', html)
    assert not re.search(r'<input[^>]*disabled[^>]*name="label_zh"', html)
    assert re.search(r'disabled[^>]*id="dictionary"|id="dictionary"[^>]*disabled', html)
    data = {"revision": variant.revision, "key": "id_card", "label_zh": "本人身份证",
            "max_files": "9", "_action": "save"}
    response = client.post(f"/items/{variant.id}/material/id_card", data=data)
    assert response.status_code == 422 and "locked" in text(response)
    assert item("demo_allowance", "130200").draft.get("materials") is None
    response = client.post(f"/items/{variant.id}/change", data={
        "kind": "field", "key": "amount", "action": "hide", "revision": variant.revision},
        follow_redirects=True)
    assert "cannot be hidden" in text(response)


def test_upstream_changes_are_shown_and_taken_over(client, ctx):
    variant = adapt(client)
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    province = item()
    draft = dict(province.draft, time_limit_days=20)
    draft["materials"] = province.draft["materials"] + [
        {"key": "bank_card", "label": {"zh": "银行卡", "en": None}}]
    SaveDraftCommand(province, draft, province.revision).run()
    PublishItemCommand("demo_allowance", "130000").run()
    variant = item("demo_allowance", "130200")
    html = text(client.get(f"/items/{variant.id}/"))
    panel = html[html.index("upstream-changes"):]
    assert "Time limit (working days)" in panel and "<code>bank_card</code>" in panel
    assert variant.latest_version.definition["time_limit_days"] == 10  # pinned until taken over
    html = text(client.get(f"/items/{variant.id}/publish"))
    assert "<code>bank_card</code>" in html
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    variant = item("demo_allowance", "130200")
    assert variant.latest_version.definition["time_limit_days"] == 20
    assert "upstream-changes" not in text(client.get(f"/items/{variant.id}/"))


def test_a_province_admin_adapts_for_a_city_below(client, ctx):
    load(PROVINCE)
    staff(client, "RegionAdmin", "130000")
    province = item()
    assert 'class="form-inline adapt-below"' in text(client.get(f"/items/{province.id}/"))
    assert client.post(f"/items/adapt/{province.id}", data={"region": "130200"}).status_code == 302
    assert item("demo_allowance", "130200").draft["derives"] == "demo_allowance"
    response = client.post(f"/items/adapt/{province.id}", data={"region": "440000"},
                           follow_redirects=True)
    assert "your own region" in text(response)  # not below, and not theirs
    assert response.request.path == f"/items/{province.id}/"  # back on the item
    assert item("demo_allowance", "440000") is None


def test_item_settings_show_inherited_or_overridden(client, ctx):
    variant = adapt(client)
    html = text(client.get(f"/items/{variant.id}/"))
    assert re.search(r'id="setting-time_limit_days"><th>[^<]*<span class="label label-default">'
                     r'inherited', html)
    response = client.post(f"/items/{variant.id}/settings", data={
        "revision": variant.revision, "name_zh": "示例津贴申报", "category_zh": "待遇申报",
        "notice__title_zh": "温馨提示", "notice__body_zh": "唐山：请如实填写。",
        "notice__acknowledge_zh": "我已阅读", "filers": ["self", "agent"],
        "time_limit_days": "8", "_action": "save"})
    assert response.status_code == 302
    assert item("demo_allowance", "130200").draft["time_limit_days"] == 8
    html = text(client.get(f"/items/{variant.id}/"))
    for key in ("time_limit_days", "notice"):
        assert re.search(rf'id="setting-{key}"><th>[^<]*<span class="label label-warning">'
                         r'overridden', html), key
    assert re.search(r'id="setting-category"><th>[^<]*<span class="label label-default">', html)


def test_a_first_variant_version_is_compared_with_the_item_above(client, ctx):
    variant = adapt(client)
    data = field_form(client, variant, "special")
    data.update(label_zh="是否特殊人员（唐山）", _action="save")
    assert client.post(f"/items/{variant.id}/field/special", data=data).status_code == 302
    html = text(client.get(f"/items/{variant.id}/publish"))
    assert "compared with version 1 of the item of" in html and "first version" not in html
    diff = html[html.index('class="table table-condensed diff"'):]
    assert diff.count('<tr class="change-') == 1  # only what the city changed
    assert re.search(r'<tr class="change-changed"><td>field</td><td><code>special</code>.*?'
                     r'是否特殊人员（唐山）', diff, re.S)


def test_a_variant_lowers_a_co_signed_step_to_one_approver(client, ctx):
    load(PROVINCE)
    province = item()
    draft = dict(province.draft, approval=[dict(step, approvers=2) if step["key"] == "review"
                                           else step for step in province.draft["approval"]])
    SaveDraftCommand(province, draft, province.revision).run()
    PublishItemCommand("demo_allowance", "130000").run()
    staff(client, "RegionAdmin", "130200")
    assert client.post(f"/items/adapt/{item().id}").status_code == 302
    variant = item("demo_allowance", "130200")
    data = {"revision": variant.revision, "key": "review", "name_zh": "审核", "role": "Reviewer",
            "level": "city", "when": "amount > 10000", "approvers": "1", "_action": "save"}
    response = client.post(f"/items/{variant.id}/step/review", data=data)
    assert response.status_code == 302, field_errors_of(response)
    variant = item("demo_allowance", "130200")
    assert variant.draft["approval"] == [{"key": "review", "approvers": 1, "distinct": False}]
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    step = item("demo_allowance", "130200").latest_version.definition["approval"][1]
    assert step["key"] == "review" and step.get("approvers", 1) == 1


def test_a_variant_step_saved_as_inherited_stores_only_what_changed(client, ctx):
    variant = adapt(client)
    data = field_form(client, variant, "review", kind="step")
    assert data["approvers"] == "1"  # the parent leaves it out: the form shows the default
    response = client.post(f"/items/{variant.id}/step/review", data=dict(data, _action="save"))
    assert response.status_code == 302, field_errors_of(response)
    assert "approval" not in item("demo_allowance", "130200").draft  # nothing changed
    data = field_form(client, variant, "review", kind="step")
    data.update(name_zh="审核（唐山）", _action="save")
    assert client.post(f"/items/{variant.id}/step/review", data=data).status_code == 302
    assert item("demo_allowance", "130200").draft["approval"] == [
        {"key": "review", "name": {"zh": "审核（唐山）", "en": None}}]


def field_errors_of(response):
    from tests.integration.designer_support import field_errors
    return field_errors(text(response))


def test_adapting_twice_lands_on_the_variant_already_there(client, ctx):
    variant = adapt(client)
    again = client.post(f"/items/adapt/{item().id}", follow_redirects=True)
    assert again.status_code == 200 and again.request.path == f"/items/{variant.id}/"
    assert "130200" in text(again) and "demo_allowance" in text(again)  # the refusal, flashed
    foreign = client.post(f"/items/adapt/{item().id}", data={"region": "440000"},
                          follow_redirects=True)
    assert foreign.status_code == 200 and foreign.request.path == "/items/"  # not a 404 page
