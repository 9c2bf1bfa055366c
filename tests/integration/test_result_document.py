"""SC-3 出具参保凭证 delivers its certificate (the item's ``result_document``): approved by rule,
the citizen's application says 已出具 and links a printable certificate with the serial number,
the issuing region and the date; the API returns it; nobody else sees it; answers render inert."""
import re

import pytest

from tests.accounts_support import valid_id
from tests.applications_support import token
from tests.review_support import (FORMDEFS, MONDAY, citizen, fresh, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import login

CODE = "insurance_certificate"
JINJIANG, WUHOU = "510104", "510107"  # 成都市 锦江区 and its sibling 武侯区
ID_NUMBER = valid_id("51010419900101002")
ANSWERS = {"name": "王五", "cert_type": "01", "id_number": ID_NUMBER, "mobile": "13800138000",
           "insutype": "310", "insured_region": JINJIANG, "purpose": "personal",
           "language": "zh"}


def publish_certificate(registered: bool = True) -> None:
    """Publish SC-3 and put its subject in the registry: employee insurance (310) in 锦江区,
    what ANSWERS ask a certificate of (its rules and auto_issue compare them with the record)."""
    import datetime as dt

    from app.commands.formdefs import LoadFormdefsCommand
    from app.extensions import db
    from app.models.person import Enrollment
    from tests.applications_support import make_person

    LoadFormdefsCommand([FORMDEFS / "510000-sichuan" / f"{CODE}.yaml"], publish=True).run()
    if registered:
        person = make_person(ID_NUMBER, "测试人", JINJIANG)
        db.session.add(Enrollment(person_id=person.id, insutype="310", status="1",
                                  region_code=JINJIANG, start_date=dt.date(2016, 5, 1)))
        db.session.commit()


def apply(answers: dict, person=None):
    person = person or citizen(JINJIANG)
    application = submitted(CODE, JINJIANG, answers, applicant=person,
                            subject_id_number=ID_NUMBER)
    return fresh(application), person


@pytest.fixture
def issued(ctx, workday_clock):
    publish_certificate()
    application, person = apply(dict(ANSWERS))
    assert application.status == "approved"  # auto_issue: by rule
    return application, person


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_application_says_issued_and_links_the_certificate(client, issued):
    application, person = issued
    login(client, person.username)
    html = client.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert '<dd class="status">已出具</dd>' in html  # not the platform's 审核通过
    assert f'href="/my/applications/{application.id}/document"' in html
    page = client.get(f"/my/applications/{application.id}/document")
    assert page.status_code == 200
    body = text(page)
    masked = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    for shown in ("基本医疗保险参保缴费凭证", f"兹证明 测试人 （证件号码 {masked}）",
                  "在四川省 成都市 锦江区参加职工基本医疗保险", "开具用途：个人证明（入学、就业、落户等）",
                  f"申请编号 {application.serial}", "出具机构 成都市锦江区医疗保障局",
                  "出具日期 2026年3月2日"):
        assert shown in body, (shown, body)
    assert ID_NUMBER not in page.get_data(as_text=True)
    assert "document.css" in page.get_data(as_text=True)  # the print style sheet


def test_the_certificate_keeps_its_language_in_english_pages(client, issued):
    application, person = issued
    login(client, person.username)
    client.get("/lang/en")
    body = text(client.get(f"/my/applications/{application.id}/document"))
    # 凭证语言 中文 was chosen: the certificate stays Chinese, the page around it is English
    assert "基本医疗保险参保缴费凭证" in body and "出具日期 2026年3月2日" in body
    assert "Certificate of basic medical insurance enrollment" not in body
    assert "Date of issue" not in body and "Download PDF" in body


def test_the_api_returns_the_document(client, issued):
    application, person = issued
    reply = client.get(f"/api/v1/applications/{application.id}/document",
                       headers=token(client, person.username))
    assert reply.status_code == 200
    data = reply.get_json()
    assert data["title"] == "基本医疗保险参保缴费凭证"
    assert (data["serial"], data["issued_on"]) == (application.serial, "2026-03-02")
    assert data["agency"] == "成都市锦江区医疗保障局" and data["item"] == "出具参保凭证"
    assert "<strong>测试人</strong>" in data["html"] and ID_NUMBER not in data["html"]
    spec = client.get("/api/v1/_openapi").get_json()
    assert "/api/v1/applications/{pk}/document" in spec["paths"]
    assert "DocumentSchema" in spec["components"]["schemas"]


def test_only_the_owner_and_staff_in_scope_see_it(client, issued):
    application, _person = issued
    url = f"/api/v1/applications/{application.id}/document"
    stranger = citizen(JINJIANG)
    assert client.get(url, headers=token(client, stranger.username)).status_code == 404
    assert client.get(url, headers=token(client, reviewer(WUHOU).username)).status_code == 404
    assert client.get(url, headers=token(client, reviewer(JINJIANG).username)).status_code == 200
    login(client, stranger.username)
    assert client.get(f"/my/applications/{application.id}/document").status_code == 404
    assert client.get(url).status_code == 401  # no token: the API asks to sign in


def test_no_document_before_approval(client, ctx, workday_clock):
    publish_certificate()
    application, person = apply({**ANSWERS, "purpose": "other", "purpose_detail": "出国"})
    assert application.status == "submitted"  # "other" goes to a clerk
    login(client, person.username)
    assert client.get(f"/my/applications/{application.id}/document").status_code == 404
    assert "/document" not in client.get(f"/my/applications/{application.id}").get_data(
        as_text=True)
    reply = client.get(f"/api/v1/applications/{application.id}/document",
                       headers=token(client, person.username))
    assert reply.status_code == 404
    assert reply.get_json()["message"] == "此办件没有凭证：其事项不出具凭证，或尚未审核通过。"


def test_a_subject_the_registry_does_not_know_goes_to_a_clerk(ctx, workday_clock):
    """auto_issue reads the subject's enrollments: with none to read, a person decides."""
    publish_certificate(registered=False)
    application, _person = apply(dict(ANSWERS))
    assert application.status == "submitted"


def test_hostile_answers_render_inert(client, issued):
    from app.extensions import db

    application, person = issued
    hostile = "<script>alert(1)</script>[x](javascript:alert(1))"
    # The certificate prints the registry's name, kept at approval (app.workflow.document_facts)
    answers = dict(application.answers)
    answers["_registry"] = {**answers["_registry"], "name": hostile}
    application.answers = answers
    db.session.commit()
    login(client, person.username)
    html = client.get(f"/my/applications/{application.id}/document").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;[x](javascript:alert(1))" in html
    assert "<script>alert" not in html and 'href="javascript' not in html
    data = client.get(f"/api/v1/applications/{application.id}/document",
                      headers=token(client, person.username)).get_json()
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;[x](javascript:alert(1))</strong>" \
        in data["html"]
