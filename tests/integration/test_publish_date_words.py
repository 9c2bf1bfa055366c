"""The publish page tells a date written right but not in the calendar (2026-02-30) from one
written wrong (2026/12/01), at the date field, in zh and en."""
import html as html_lib

from app.commands.drafts import SaveDraftCommand
from tests.integration.designer_support import PROVINCE, item, load, staff, text


def post(client, it, day):
    return client.post(f"/items/{it.id}/publish", data={"revision": it.revision,
                                                        "effective_from": day})


def test_a_day_not_in_the_calendar_is_said_so(client, ctx):
    load(PROVINCE)
    staff(client)
    it = item()
    SaveDraftCommand(it, dict(it.draft, time_limit_days=11), it.revision).run()
    it = item()
    refused = post(client, it, "2026-02-30")
    assert refused.status_code == 422
    assert "In effect from: 2026-02-30 is not a day of the calendar." in text(refused)
    assert "In effect from: give the date as YYYY-MM-DD." in text(post(client, it, "2026/12/01"))
    client.get("/lang/zh")
    shown = html_lib.unescape(text(post(client, it, "2026-02-30")))
    assert "生效日期：2026-02-30不是日历上存在的日期。" in shown and "格式" not in shown
    assert len(item().versions) == 1
