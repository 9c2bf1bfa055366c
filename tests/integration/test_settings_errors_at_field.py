"""The item settings form shows a setting's problem at its input, in words, without the key:
办理时限 -3 and 保存年限 1000 are said under those inputs, not as time_limit_days：… on top."""
import html as html_lib
import re

from tests.integration.designer_support import PROVINCE, field_errors, item, load, staff, text


def test_a_settings_problem_is_shown_at_its_input(client, ctx):
    load(PROVINCE)
    staff(client, locale="zh")
    it = item()
    page = text(client.get(f"/items/{it.id}/settings"))
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    data.update({n: v for n, v in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page)})
    data.update({"filers": ["self", "agent"], "time_limit_days": "-3", "retention_years": "1000",
                 "revision": it.revision})
    response = client.post(f"/items/{it.id}/settings", data=data)
    assert response.status_code == 422
    shown = html_lib.unescape(text(response))
    assert "time_limit_days：" not in shown and "retention_years：" not in shown
    errors = field_errors(shown)
    assert errors == ["须大于0", "须在1至100之间"], errors
