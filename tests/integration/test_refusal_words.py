"""Refusing at the acceptance (the chain's first step people decide) is 不予受理; refusing later
(会签, 审核) is 不予批准 — on the button, the reason's label, the confirmation, the history, the
status and the applicant's notification, in both languages."""
import re

from app.commands.notifications import render as render_text
from app.commands.reviews import ApproveCommand
from app.models.item import ItemVersion
from app.workflow.routing import refuses_acceptance
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1,  # noqa: F401
                                  notifications, reviewer, submitted, workday_clock)
from tests.support import login


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def refuse_form(html: str) -> str:
    return re.search(r'<form[^>]*class="decide-refuse".*?</form>', html, re.S)[0]


def test_the_acceptance_refuses_to_accept_later_steps_deny_approval(app, hb1):
    application = submitted(HB1, LUBEI)
    assert refuses_acceptance(application.version, "accept")
    assert not refuses_acceptance(application.version, "assess")
    assert not refuses_acceptance(application.version, "review")
    county = signed_in(app, reviewer(LUBEI))
    form = refuse_form(county.get(f"/review/applications/{application.id}").get_data(
        as_text=True))
    assert "不予受理" in form and "不予批准" not in form
    ApproveCommand(application.id, reviewer(LUBEI), None, application.lock_version).run()
    co_signer = reviewer(TANGSHAN)
    city = signed_in(app, co_signer)
    url = f"/review/applications/{application.id}"
    form = refuse_form(city.get(url).get_data(as_text=True))
    assert "不予批准" in form and "不予受理" not in form
    assert "不予批准理由（必填）" in form
    english = refuse_form(city.get(url + "?_l_=en").get_data(as_text=True))
    assert "Deny approval" in english and "Reason for denying approval" in english
    application = fresh(application)
    data = {"version": application.lock_version, "step": "assess", "comment": "病历不符合认定标准"}
    confirm = city.post(f"{url}/refuse", data=data).get_data(as_text=True)
    assert "确认不予批准此申请？" in confirm and "不予受理" not in confirm
    done = city.post(f"{url}/refuse", data={**data, "confirmed": "1"})
    assert done.status_code == 303
    page = city.get(url).get_data(as_text=True)
    assert "已不予批准" in page  # the flash
    status = re.search(r'class="application-status">(.*?)</td>', page)[1]
    assert status == "不予批准"
    assert "不予受理" not in page
    done_rows = city.get("/review/done").get_data(as_text=True)
    row = re.search(rf'data-application="{application.id}".*?</tr>', done_rows, re.S)[0]
    assert "不予批准" in row and "不予受理" not in row  # the 已办 row's decision
    citizen = signed_in(app, fresh(application).applicant)
    mine = citizen.get("/my/applications/?tab=done").get_data(as_text=True)
    assert "不予批准" in mine and "不予受理" not in mine
    detail = citizen.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert "不予批准" in detail and "不予受理" not in detail  # status and the timeline
    assert "环节不予批准" in detail
    notification = notifications(fresh(application))[-1]
    assert notification.template == "review.not_approved"
    assert "不予批准" in render_text(notification, "zh")
    assert "was not approved" in render_text(notification, "en")


def test_a_refusal_at_the_acceptance_says_so_everywhere(app, hb1):
    application = submitted(HB1, LUBEI)
    county = signed_in(app, reviewer(LUBEI))
    url = f"/review/applications/{application.id}"
    data = {"version": application.lock_version, "step": "accept", "comment": "材料不全"}
    assert "确认不予受理此申请？" in county.post(f"{url}/refuse", data=data).get_data(as_text=True)
    assert county.post(f"{url}/refuse", data={**data, "confirmed": "1"}).status_code == 303
    page = county.get(url).get_data(as_text=True)
    assert re.search(r'class="application-status">(.*?)</td>', page)[1] == "不予受理"
    assert "不予批准" not in page
    detail = signed_in(app, fresh(application).applicant).get(
        f"/my/applications/{application.id}").get_data(as_text=True)
    assert "环节不予受理" in detail and "不予批准" not in detail
    notification = notifications(fresh(application))[-1]
    assert notification.template == "review.refused"
    assert "不予受理" in render_text(notification, "zh")


def test_a_rule_step_before_the_acceptance_counts_as_acceptance(ctx):
    version = ItemVersion(definition={"approval": [
        {"key": "check", "name": "自动核验", "auto": "true"},
        {"key": "accept", "name": "受理"}, {"key": "review", "name": "审核"}]})
    assert refuses_acceptance(version, "check") and refuses_acceptance(version, "accept")
    assert not refuses_acceptance(version, "review")
