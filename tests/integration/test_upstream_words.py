"""A variant's item page lists what the item above changed with each setting by its form label
(办理时限（工作日）, 名称), not its key (time_limit_days, label)."""
from app.commands.drafts import SaveDraftCommand
from app.commands.publish import PublishItemCommand
from tests.integration.designer_support import PROVINCE, item, load, staff, text


def test_upstream_settings_are_named_by_their_labels(client, ctx):
    load(PROVINCE)
    staff(client, "RegionAdmin", "130200", locale="zh")
    client.post(f"/items/adapt/{item().id}")
    variant = item("demo_allowance", "130200")
    assert client.post(f"/items/{variant.id}/publish",
                       data={"revision": variant.revision}).status_code == 302
    province = item()
    draft = dict(province.draft, time_limit_days=20)
    draft["pages"][0]["fields"][0] = dict(draft["pages"][0]["fields"][0], label="新的名称")
    SaveDraftCommand(province, draft, province.revision).run()
    PublishItemCommand("demo_allowance", "130000").run()
    html = text(client.get(f"/items/{variant.id}/"))
    panel = html[html.index("upstream-changes"):html.index("</ul>", html.index("upstream-changes"))]
    assert "(label)" not in panel and "(time_limit_days)" not in panel
    assert "(标签)" in panel and "(办理时限（工作日）)" in panel
