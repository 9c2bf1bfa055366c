"""The item designer's settings for ``outcomes`` (an item's wording for a status) and
``summary`` (the questions its list rows show), on an item and on a regional variant."""
import re

from tests.integration.designer_support import item, load, staff, text
from tests.integration.test_designer_variants import adapt

SETTINGS = {"name_zh": "示例津贴申报", "category_zh": "待遇申报", "filers": ["self", "agent"],
            "notice__title_zh": "温馨提示", "notice__body_zh": "请如实填写。",
            "notice__acknowledge_zh": "我已阅读", "time_limit_days": "10"}


def test_an_item_names_its_approval_and_lists_its_summary(client, ctx):
    from tests.integration.designer_support import PROVINCE

    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    assert "Summary on list rows (question keys)" in text(client.get(
        f"/items/{it.id}/settings"))
    response = client.post(f"/items/{it.id}/settings", data={
        **SETTINGS, "revision": it.revision, "outcomes__approved_zh": "已发放",
        "outcomes__approved_en": "Paid", "summary": "amount, delivery_date"})
    assert response.status_code == 302, text(response)
    assert item().draft["outcomes"] == {"approved": {"zh": "已发放", "en": "Paid"}}
    assert item().draft["summary"] == ["amount", "delivery_date"]
    response = client.post(f"/items/{it.id}/settings", data={
        **SETTINGS, "revision": item().revision, "summary": "a, b, c, d, e, f",
        "outcomes__paid_zh": "已发放"})  # no input for a status the platform lacks
    assert response.status_code == 422 and "lists at most 5" in text(response)
    response = client.post(f"/items/{it.id}/settings", data={
        **SETTINGS, "revision": item().revision, "summary": ""})
    assert response.status_code == 302
    assert "summary" not in item().draft and "outcomes" not in item().draft


def test_a_variant_overrides_the_wording_it_inherits(client, ctx):
    variant = adapt(client)
    response = client.post(f"/items/{variant.id}/settings", data={
        **SETTINGS, "revision": variant.revision, "outcomes__approved_zh": "已办结",
        "_action": "save"})
    assert response.status_code == 302
    assert item("demo_allowance", "130200").draft["outcomes"] == {
        "approved": {"zh": "已办结", "en": None}}
    html = text(client.get(f"/items/{variant.id}/"))
    assert re.search(r'id="setting-outcomes"><th>[^<]*<span class="label label-warning">'
                     r'overridden', html)
