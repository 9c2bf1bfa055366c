"""A variant's changes to a part its parent then removes: the parent's publisher is warned (not
refused), the variant's publish page says what happened and a button removes those changes."""
import re
from html import unescape

from app.commands.item_create import PublishDraftCommand
from tests.integration.designer_support import PROVINCE, fields, item, load, staff, text
from tests.integration.test_designer_editor import field_form, post_change
from tests.support import make_user


def override_and_publish(client, key="special_type"):
    load(PROVINCE)
    staff(client, "RegionAdmin", "130200")
    assert client.post(f"/items/adapt/{item().id}").status_code == 302
    variant = item("demo_allowance", "130200")
    data = field_form(client, variant, key)
    data.update(label_zh="特殊人员类型（唐山）", _action="save")
    data.pop("required", None)
    assert client.post(f"/items/{variant.id}/field/{key}", data=data).status_code == 302
    variant = item("demo_allowance", "130200")
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    return variant


def remove_in_province(app, key="special_type"):
    province_client = app.test_client()
    staff(province_client, "RegionAdmin", "130000")
    province = item()
    assert post_change(province_client, province, "delete", "field", key).status_code == 302
    return province_client, item()


def test_the_parent_is_warned_and_the_variant_removes_its_stale_changes(client, ctx):
    variant = override_and_publish(client)
    province_client, province = remove_in_province(ctx)
    html = text(province_client.get(f"/items/{province.id}/publish"))
    assert "No problems that stop publishing." in html
    warnings = html[html.index("lint-warnings"):]
    assert re.search(r"The variant of Tangshan City changes field “special_type”, which this "
                     r"version removes", warnings)
    assert province_client.post(f"/items/{province.id}/publish",
                                data={"revision": province.revision}).status_code == 302

    html = unescape(text(client.get(f"/items/{variant.id}/publish")))
    assert 'field "special_type" is not in the parent item: the changes to it apply to nothing ' \
           '(the parent removed it' in html
    assert 'id="stale-overrides"' in html and "<code>special_type</code>" in html
    link = client.get(f"/items/{variant.id}/field/special_type")  # the problem's link
    assert link.status_code == 302 and link.headers["Location"].endswith("#stale-overrides")
    assert client.get(f"/items/{variant.id}/field/no_such_field").status_code == 404
    overview = text(client.get(f"/items/{variant.id}/"))
    assert 'id="stale-overrides"' in overview and "Remove these changes" in overview

    assert client.post(f"/items/{variant.id}/stale", data={"revision": variant.revision - 1}
                       ).status_code == 409
    variant = item("demo_allowance", "130200")
    assert client.post(f"/items/{variant.id}/stale",
                       data={"revision": variant.revision}).status_code == 302
    variant = item("demo_allowance", "130200")
    assert "special_type" not in str(variant.draft)
    assert 'id="stale-overrides"' not in text(client.get(f"/items/{variant.id}/"))
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    published = item("demo_allowance", "130200").latest_version.definition
    assert "special_type" not in fields(published) and "special" in fields(published)


def test_removing_stale_changes_keeps_the_variant_s_other_changes(client, ctx):
    variant = override_and_publish(client)
    data = field_form(client, variant, "special")
    data.update(label_zh="是否特殊人员（唐山）", _action="save")
    assert client.post(f"/items/{variant.id}/field/special", data=data).status_code == 302
    _province_client, province = remove_in_province(ctx)
    PublishDraftCommand(province, province.revision, None, actor=make_user(
        "RegionAdmin", "130000")).run()
    variant = item("demo_allowance", "130200")
    assert client.post(f"/items/{variant.id}/stale",
                       data={"revision": variant.revision}).status_code == 302
    assert item("demo_allowance", "130200").draft["pages"] == [{"key": "applicant", "fields": [
        {"key": "special", "label": {"zh": "是否特殊人员（唐山）", "en": None}}]}]


def test_a_base_item_has_no_stale_changes_to_remove(client, ctx):
    load(PROVINCE)
    staff(client)
    province = item()
    assert client.post(f"/items/{province.id}/stale",
                       data={"revision": province.revision}).status_code == 404
