"""Deleting an item's last page is refused in words (事项至少需要一个页面…), not as
pages：不能为空; the page stays."""
import html as html_lib

from app.commands.drafts import SaveDraftCommand
from tests.integration.designer_support import PROVINCE, item, load, staff, text


def test_the_last_page_is_kept_with_a_sentence(client, ctx):
    load(PROVINCE)
    staff(client, locale="zh")
    it = item()
    draft = dict(it.draft, pages=it.draft["pages"][:1])
    draft.pop("summary", None)
    SaveDraftCommand(it, draft, it.revision).run()
    it = item()
    deleted = client.post(f"/items/{it.id}/change", data={
        "kind": "page", "key": "applicant", "action": "delete", "confirmed": "y",
        "revision": it.revision}, follow_redirects=True)
    shown = html_lib.unescape(text(deleted))
    assert "事项至少需要一个页面：请先添加其他页面，再删除此页面。" in shown
    assert "pages：" not in shown
    assert [p["key"] for p in item().draft["pages"]] == ["applicant"]
