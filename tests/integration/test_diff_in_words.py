"""The publish page's and the version comparison's diff say settings by their form labels and
coded values in words (申报人：本人；他人代办 → 本人), never the raw keys."""
import re

from app.commands.drafts import SaveDraftCommand
from tests.integration.designer_support import PROVINCE, item, load, staff, text


def diff_rows(html: str) -> str:
    start = html.index('<table class="table table-condensed diff">')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:html.index("</table>", start)]))


def test_the_diff_names_settings_by_label_and_values_in_words(client, ctx):
    load(PROVINCE)
    staff(client, locale="zh")
    it = item()
    SaveDraftCommand(it, dict(it.draft, filers=["self"], effective_from="2099-12-01"),
                     it.revision).run()
    shown = diff_rows(text(client.get(f"/items/{it.id}/publish")))
    assert "事项设置 申报人 修改 申报人 ：本人；他人代办 → 本人" in shown
    assert "生效日期" not in shown and "2099-12-01" not in shown  # when, not what: no change
    assert "self" not in shown and "agent" not in shown and "effective_from" not in shown
