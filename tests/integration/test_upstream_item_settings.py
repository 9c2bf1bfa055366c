"""A variant's item page lists the item settings the item above changed by their translated
labels (办理时限（工作日）, 状态的事项用语, 列表摘要（问题键）), not their keys in ``<code>``."""
from app.commands.drafts import SaveDraftCommand
from app.commands.publish import PublishItemCommand
from tests.integration.designer_support import PROVINCE, item, load, staff, text


def _panel(html: str) -> str:
    start = html.index("upstream-changes")
    return html[start:html.index("</ul>", start)]


def test_upstream_item_settings_are_named_by_their_labels(client, ctx):
    load(PROVINCE)
    staff(client, "RegionAdmin", "130200", locale="zh")
    client.post(f"/items/adapt/{item().id}")
    variant = item("demo_allowance", "130200")
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    province = item()
    draft = dict(province.draft, time_limit_days=20, summary=["amount"],
                 outcomes={"approved": {"zh": "已发放", "en": "Paid"}})
    SaveDraftCommand(province, draft, province.revision).run()
    PublishItemCommand("demo_allowance", "130000").run()
    panel = _panel(text(client.get(f"/items/{variant.id}/")))
    for key in ("time_limit_days", "summary", "outcomes"):
        assert key not in panel, key
    for label in ("事项设置", "办理时限（工作日）", "列表摘要（问题键）", "状态的事项用语"):
        assert label in panel, label
    client.get("/lang/en")
    panel = _panel(text(client.get(f"/items/{variant.id}/")))
    assert "<code>" not in panel
    for label in ("Time limit (working days)", "Summary on list rows (question keys)",
                  "Wording for statuses"):
        assert label in panel, label
