"""How long an item's applications are kept (``retention_years``) in the item designer: set on
an item, overridden by a regional variant, cleared back to the platform default."""
import re

from tests.integration.designer_support import item, load, staff, text
from tests.integration.test_designer_variants import adapt

SETTINGS = {"name_zh": "示例津贴申报", "category_zh": "待遇申报", "filers": ["self", "agent"],
            "notice__title_zh": "温馨提示", "notice__body_zh": "请如实填写。",
            "notice__acknowledge_zh": "我已阅读", "time_limit_days": "10"}


def test_an_item_states_how_long_its_applications_are_kept(client, ctx):
    from tests.integration.designer_support import PROVINCE

    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    assert "Applications kept (years after closing)" in text(client.get(
        f"/items/{it.id}/settings"))
    response = client.post(f"/items/{it.id}/settings", data={
        **SETTINGS, "revision": it.revision, "retention_years": "30"})
    assert response.status_code == 302
    assert item().draft["retention_years"] == 30
    response = client.post(f"/items/{it.id}/settings", data={
        **SETTINGS, "revision": item().revision, "retention_years": "0"})
    assert response.status_code == 422 and "must be from 1 to 100" in text(response)
    response = client.post(f"/items/{it.id}/settings", data={
        **SETTINGS, "revision": item().revision, "retention_years": ""})
    assert response.status_code == 302
    assert "retention_years" not in item().draft  # the platform default again


def test_a_variant_overrides_the_period_it_inherits(client, ctx):
    variant = adapt(client)
    response = client.post(f"/items/{variant.id}/settings", data={
        **SETTINGS, "revision": variant.revision, "retention_years": "15", "_action": "save"})
    assert response.status_code == 302
    assert item("demo_allowance", "130200").draft["retention_years"] == 15
    html = text(client.get(f"/items/{variant.id}/"))
    assert re.search(r'id="setting-retention_years"><th>[^<]*<span class="label label-warning">'
                     r'overridden', html)
