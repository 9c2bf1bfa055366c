"""A 会签 step's progress on the detail page: how many have signed this round, and who."""
import re

from app.commands.reviews import ApproveCommand
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import login


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def test_the_detail_page_shows_co_sign_progress(app, hb1):
    application = submitted(HB1, LUBEI)
    ApproveCommand(application.id, reviewer(LUBEI), None, application.lock_version).run()
    first = reviewer(TANGSHAN, name="张三")
    ApproveCommand(application.id, first, None, fresh(application).lock_version).run()
    assert fresh(application).current_step == "assess"  # 会签: two approvers
    page = signed_in(app, reviewer(TANGSHAN)).get(f"/review/applications/{application.id}")
    step = re.search(r'<td class="current-step">(.*?)</td>', page.get_data(as_text=True), re.S)[1]
    assert "已签 1/2" in step and "张三" in step
    county = signed_in(app, reviewer(LUBEI))
    html = county.get(f"/review/applications/{application.id}?_l_=en").get_data(as_text=True)
    assert "Signed 1/2: 张三" in html
