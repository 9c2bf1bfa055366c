"""The 409 panel of a stale tab shows the questions the saved answers show (their own
conditions), not those this tab's input would show."""
import html
import re

from tests.applications_support import FORMDEFS, clock  # noqa: F401
from tests.wizard_support import (acknowledge_notice, citizen, post_step, publish, signed_in,
                                  start, version_on)

GD2 = FORMDEFS / "440000-guangdong" / "resident_info_change.yaml"


def test_the_stale_panel_follows_the_saved_answers_conditions(app, ctx, clock):  # noqa: F811
    publish([GD2])
    client = signed_in(app, citizen(region="440106"))
    pk = start(client, "resident_info_change", "440106")
    acknowledge_notice(client, pk)
    post_step(client, f"/applications/{pk}/filer", {"filer": "self"})
    url = f"/applications/{pk}/pages/change"
    stale = version_on(client.get(url).get_data(as_text=True))  # tab A opens the page
    assert post_step(client, url, {"change_items": ["mobile"], "new_mobile": "13900139000",
                                   "reason": "B原因"}, action="update",
                     version=stale).status_code == 200  # tab B saves first
    response = post_step(client, url, {"change_items": ["residence"], "reason": "A原因"},
                         action="update", version=stale)
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    panel = re.search(r'<section class="saved".*?</section>', page, re.S).group(0)
    shown = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", panel))
    assert shown["变更项目"] == "手机号码" and shown["变更原因"] == "B原因"
    assert shown["新手机号码"] == "13900139000"
    assert not {"居住行政区", "居住地址", "居住地邮政编码"} & shown.keys()
