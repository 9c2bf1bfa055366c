"""What reviewers and applicants are told about a decision is what happened.

A co-signature that leaves its 会签 step waiting is not the step passing (the reviewer's flash,
the applicant's timeline, both APIs); a reason typed on the return checklist without the tick is
kept and confirmed, never dropped; a refusal in general reads neither 不予受理 nor 不予批准; a
decision that loses the race to the applicant's withdrawal says the applicant withdrew.
"""
import re
from html import unescape

from app.commands.applications.withdraw import WithdrawApplicationCommand
from app.commands.reviews import ApproveCommand, RefuseCommand
from tests.applications_support import token
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import login, make_user

STEP_PASSED = "医师评审认定（会签）环节审核通过"


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def accepted():
    """Return an HB-1 application accepted by the county, waiting at its 会签 step."""
    application = submitted(HB1, LUBEI)
    ApproveCommand(application.id, reviewer(LUBEI), None, application.lock_version).run()
    assert fresh(application).current_step == "assess"
    return application


def test_one_co_signature_of_two_is_not_the_step_passing(app, hb1):
    application = accepted()
    url = f"/review/applications/{application.id}"
    city = signed_in(app, reviewer(TANGSHAN))
    data = {"version": fresh(application).lock_version, "step": "assess", "confirmed": "1"}
    page = text(city.post(f"{url}/approve", data=data, follow_redirects=True))
    assert "已会签 1/2，待其他审核人员会签。" in page
    assert "审核通过，申请继续流转。" not in page
    assert fresh(application).current_step == "assess"

    citizen = signed_in(app, fresh(application).applicant)
    mine = text(citizen.get(f"/my/applications/{application.id}"))
    assert STEP_PASSED not in mine
    assert "医师评审认定（会签）环节已会签 1/2，待其他审核人员会签" in mine
    assert "受理环节已受理" in mine  # the step one person decides did pass: accepted
    english = text(citizen.get(f"/my/applications/{application.id}?_l_=en"))
    assert ("Co-signed at: Physician assessment (co-signed) (1 of 2); waiting for the other "
            "co-signers") in english

    client = app.test_client()
    headers = token(client, fresh(application).applicant.username)
    history = client.get(f"/api/v1/applications/{application.id}", headers=headers)
    approvals = [(row["step"], row.get("cosign")) for row in history.get_json()["history"]
                 if row["action"] == "application.approve"]
    assert approvals == [("accept", None), ("assess", {"approvals": 1, "approvers": 2})]

    second = client.post(f"/api/v1/reviews/{application.id}/approve", json={
        "version": fresh(application).lock_version},
        headers=token(client, reviewer(TANGSHAN).username))
    assert second.status_code == 200, second.get_json()
    assert second.get_json()["cosign"] is None and second.get_json()["current_step"] == "review"
    mine = text(citizen.get(f"/my/applications/{application.id}"))
    assert STEP_PASSED in mine  # now it has passed


def test_the_review_api_says_a_co_signature_left_the_step_waiting(app, hb1):
    application = accepted()
    client = app.test_client()
    signed = client.post(f"/api/v1/reviews/{application.id}/approve", json={
        "version": fresh(application).lock_version},
        headers=token(client, reviewer(TANGSHAN).username))
    assert signed.status_code == 200, signed.get_json()
    assert signed.get_json()["cosign"] == {"approvals": 1, "approvers": 2}
    assert signed.get_json()["current_step"] == "assess"


def test_a_reason_typed_without_the_tick_is_returned_too_and_confirmed_first(app, hb1):
    application = submitted(HB1, LUBEI)
    url = f"/review/applications/{application.id}/return"
    county = signed_in(app, reviewer(LUBEI))
    data = {"version": application.lock_version, "step": "accept",
            "return_materials": "diagnosis", "reason_materials_diagnosis": "诊断证明不清晰",
            "reason_materials_medical_records": "缺少出院记录"}  # typed, not ticked
    confirm = text(county.post(url, data=data))
    listed = re.search(r'<ul class="confirm-missing">.*?</ul>', confirm, re.S)[0]
    assert "诊断证明" in listed and "病历资料" in listed and "缺少出院记录" in listed
    assert fresh(application).status == "submitted"  # asked, not done
    done = county.post(url, data={**data, "confirmed": "1"})
    assert done.status_code == 303
    assert fresh(application).return_request["materials"] == {
        "diagnosis": "诊断证明不清晰", "medical_records": "缺少出院记录"}


def test_the_refused_status_in_general_is_neither_not_accepted_nor_not_approved(app, hb1):
    application, city = accepted(), reviewer(TANGSHAN)
    RefuseCommand(application.id, city, "不符合认定标准", fresh(application).lock_version).run()
    done = text(signed_in(app, city).get("/review/done?status=refused"))
    assert '<option value="refused" selected>不予办理</option>' in done
    row = re.search(rf'data-application="{application.id}".*?</tr>', done, re.S)[0]
    assert "不予受理" not in row
    dashboard = text(signed_in(app, make_user("RegionAdmin", TANGSHAN)).get("/dashboard/"))
    assert "<dt>不予办理</dt>" in dashboard and "不予受理" not in dashboard
    english = text(signed_in(app, make_user("RegionAdmin", TANGSHAN)).get("/dashboard/?_l_=en"))
    assert "<dt>Not granted</dt>" in english


def test_a_decision_after_the_applicant_withdrew_says_so(app, hb1):
    application = submitted(HB1, LUBEI)
    seen = application.lock_version
    WithdrawApplicationCommand(fresh(application), fresh(application).applicant,
                               reason="不办了").run()
    county = signed_in(app, reviewer(LUBEI))
    url = f"/review/applications/{application.id}"
    for verb in ("approve", "refuse"):
        answer = county.post(f"{url}/{verb}", data={
            "version": seen, "step": "accept", "comment": "同意", "confirmed": "1"})
        page = text(answer)
        assert answer.status_code == 409, page
        assert "申请人已撤回该申请" in page and "已被他人处理" not in page
    client = app.test_client()
    api = client.post(f"/api/v1/reviews/{application.id}/approve?_l_=en", json={
        "version": seen}, headers=token(client, reviewer(LUBEI).username))
    assert api.status_code == 409
    assert api.get_json()["message"].startswith("The applicant has withdrawn this application")
    assert fresh(application).status == "withdrawn"
