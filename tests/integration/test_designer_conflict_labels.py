"""A two-tab save conflict on the item settings shows the other person's version by label
(名称, 办理时限 …), not by the definition's keys (schema, code, time_limit_days)."""
import re

import pytest

from tests.integration.designer_support import PROVINCE, item, load, staff, text

SETTINGS = {"name_zh": "示例津贴申报", "name_en": "Demo allowance claim", "category_zh": "待遇申报",
            "audience_zh": "职工", "filers": ["self"], "time_limit_days": "12",
            "notice__title_zh": "温馨提示", "notice__body_zh": "请如实填写",
            "notice__acknowledge_zh": "我已阅读"}


def their_rows(html):
    table = html.split('class="table table-condensed theirs"', 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", table, re.S))


@pytest.mark.parametrize("locale, labels, keys", [
    ("zh", ("名称", "办理时限（工作日）", "事项编码", "须知标题"),
     ("schema", "code", "region", "category", "time_limit_days", "notice")),
    ("en", ("Name", "Time limit (working days)", "Item code", "Notice title"),
     ("schema", "code", "region", "category", "time_limit_days", "notice")),
])
def test_their_settings_are_shown_by_label(client, ctx, locale, labels, keys):
    load(PROVINCE, publish=False)
    staff(client, locale=locale)
    it = item()
    first = it.revision
    theirs = {**SETTINGS, "revision": first, "time_limit_days": "15"}
    assert client.post(f"/items/{it.id}/settings", data=theirs).status_code == 302
    response = client.post(f"/items/{it.id}/settings", data={**SETTINGS, "revision": first})
    assert response.status_code == 409
    rows = their_rows(text(response))
    for label in labels:
        assert label in rows, (label, list(rows))
    for key in keys:
        assert key not in rows, key
    time_limit = "办理时限（工作日）" if locale == "zh" else "Time limit (working days)"
    assert "15" in rows[time_limit]
    region = rows["行政区划" if locale == "zh" else "Region"]
    assert ("河北省（130000）" if locale == "zh" else "Hebei Province (130000)") in region
