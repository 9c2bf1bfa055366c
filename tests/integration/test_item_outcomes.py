"""An item's own name for a status (``outcomes``) and its list-row ``summary``, where people see
them: HB-2 跨省异地就医备案 says 备案成功 for a filing approved, and its 我要查 row shows the filing
type, person, place of treatment and start date (SERVICE_ITEMS HB-2/NAT, result query)."""
import re

import pytest

from tests.accounts_support import valid_id
from tests.applications_support import token
from tests.review_support import (LUBEI, citizen, fresh, publish, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import login

FILING = "cross_province_medical_filing"
# A personal temporary filing within a year of its start is decided by rule (auto_temporary).
TEMPORARY = {
    "_notice": True, "filing_type": "temporary", "temporary_kind": "self_referral",
    "name": "张三", "cert_type": "01", "id_number": valid_id("13020319900101002"),
    "mobile": "13800138000", "destination": "440100", "start_date": "2026-03-10",
    "end_date": "2026-12-31", "contact_name": "李四", "contact_mobile": "13912345678",
}


@pytest.fixture
def approved(ctx, workday_clock):
    publish(FILING)
    person = citizen(LUBEI)
    application = submitted(FILING, LUBEI, dict(TEMPORARY), applicant=person,
                            subject_id_number=TEMPORARY["id_number"])
    assert fresh(application).status == "approved"  # by the rule, as a citizen's would be
    return application, person


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_my_applications_say_filed_and_show_the_filing(client, approved):
    application, person = approved
    login(client, person.username)
    html = client.get("/my/applications/?tab=done").get_data(as_text=True)
    assert '<dd class="status">备案成功</dd>' in html
    assert "审核通过" not in html
    page = text(client.get("/my/applications/?tab=done"))
    for shown in ("备案类型 跨省临时外出就医", "姓名 张三", "跨省就医地 广东省 广州市",
                  "申请时间（备案开始日期） 2026年3月10日"):
        assert shown in page, shown
    assert "联系电话" not in page  # only the summary's questions
    detail = client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert '<dd class="status">备案成功</dd>' in detail


def test_in_english(client, approved):
    _application, person = approved
    login(client, person.username)
    client.get("/lang/en")
    html = client.get("/my/applications/?tab=done").get_data(as_text=True)
    assert '<dd class="status">Filing registered</dd>' in html
    page = text(client.get("/my/applications/?tab=done"))
    for shown in ("Filing type Temporary treatment in another province",
                  "Filing start date March 10, 2026"):
        assert shown in page, shown


def test_the_api_names_the_status_next_to_its_code(client, approved):
    application, person = approved
    headers = token(client, person.username)
    rows = client.get("/api/v1/applications/", headers=headers).get_json()["result"]
    assert [(r["status"], r["status_name"]) for r in rows] == [("approved", "备案成功")]
    one = client.get(f"/api/v1/applications/{application.id}", headers=headers).get_json()
    assert (one["status"], one["status_name"]) == ("approved", "备案成功")
    english = client.get("/api/v1/applications/?_l_=en", headers=headers).get_json()["result"]
    assert english[0]["status_name"] == "Filing registered"


def test_an_item_without_outcomes_keeps_the_platform_words(client, ctx, workday_clock):
    publish("chronic_disease_outpatient")
    person = citizen(LUBEI)
    application = submitted("chronic_disease_outpatient", LUBEI, {}, applicant=person)
    headers = token(client, person.username)
    one = client.get(f"/api/v1/applications/{application.id}", headers=headers).get_json()
    assert one["status"] == "submitted" and one["status_name"] is None


def test_the_reviewer_reads_the_item_s_word(client, approved):
    application, _person = approved
    staff = reviewer(LUBEI)
    login(client, staff.username)
    html = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert '<td class="application-status">备案成功</td>' in html


def test_the_text_message_names_the_filing_registered(ctx, workday_clock):
    from app.commands.notifications import render
    from app.commands.reviews import ApproveCommand
    from tests.review_support import TANGSHAN, notifications

    publish(FILING)
    long_term = {**TEMPORARY, "filing_type": "long_term", "long_term_kind": "posted_worker",
                 "_pledges": {"work_proof": True}}
    del long_term["temporary_kind"]
    application = submitted(FILING, LUBEI, long_term,
                            subject_id_number=TEMPORARY["id_number"])
    for region in (LUBEI, TANGSHAN):  # 受理 at the county, 审核 at the city
        ApproveCommand(application.id, reviewer(region), None, fresh(application).lock_version
                       ).run()
    assert fresh(application).status == "approved"
    texts = [render(n) for n in notifications(application)]
    assert texts[-1] == f"您的申请{application.serial}（跨省异地就医备案）已办结：备案成功。", texts
    assert render(notifications(application)[-1], "en") == (
        f"Your application {application.serial} (跨省异地就医备案) has been decided: 备案成功.")


def test_the_review_queue_says_the_item_s_word(client, ctx, workday_clock):
    """The queue rows and API entries carry the wording, not the summary: they load no answers
    (docs/engine.md)."""
    from app.commands.reviews import ApproveCommand
    from tests.review_support import TANGSHAN

    publish(FILING)
    long_term = {**TEMPORARY, "filing_type": "long_term", "long_term_kind": "posted_worker",
                 "_pledges": {"work_proof": True}}
    del long_term["temporary_kind"]
    application = submitted(FILING, LUBEI, long_term, subject_id_number=TEMPORARY["id_number"])
    county, city = reviewer(LUBEI), reviewer(TANGSHAN)
    ApproveCommand(application.id, county, None, fresh(application).lock_version).run()
    headers = token(client, city.username)
    [entry] = client.get("/api/v1/reviews/?state=pending", headers=headers).get_json()["result"]
    assert (entry["status"], entry["status_name"]) == ("submitted", None)  # not named
    ApproveCommand(application.id, city, None, fresh(application).lock_version).run()
    [entry] = client.get("/api/v1/reviews/?state=done&_l_=en", headers=headers
                         ).get_json()["result"]
    assert (entry["status"], entry["status_name"]) == ("approved", "Filing registered")
    login(client, city.username)
    html = client.get("/review/done").get_data(as_text=True)
    assert "<td>备案成功</td>" in html and "<td>审核通过</td>" not in html
