"""A result document as a PDF file (app.views.result_document_pdf): SC-3 出具参保凭证's
certificate through the API (``/document.pdf``) and the citizen's web page, read back with pypdf:
the same words as the printable page, labels in the request's language, ID number masked,
hostile answers kept as typed text, nobody but the owner and staff in scope, nothing before
approval."""
import io
import re

import pytest
from pypdf import PdfReader

from tests.applications_support import token
from tests.integration.test_result_document import (ANSWERS, ID_NUMBER, JINJIANG, WUHOU,
                                                    apply, publish_certificate)
from tests.review_support import citizen, reviewer, workday_clock  # noqa: F401
from tests.support import login


@pytest.fixture
def issued(ctx, workday_clock):  # noqa: F811
    publish_certificate()
    application, person = apply(dict(ANSWERS))
    assert application.status == "approved"
    return application, person


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def squeezed(text: str) -> str:
    """``text`` without blanks: a line of Chinese may wrap anywhere."""
    return re.sub(r"\s+", "", text)


def test_the_api_sends_the_certificate_as_a_pdf(client, issued):
    application, person = issued
    reply = client.get(f"/api/v1/applications/{application.id}/document.pdf",
                       headers=token(client, person.username))
    text = pdf_text(reply)
    masked = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    for shown in ("基本医疗保险参保缴费凭证", "兹证明 测试人", masked, "职工基本医疗保险",
                  application.serial, "四川省 成都市 锦江区", "2026年3月2日", "出具参保凭证"):
        assert squeezed(shown) in squeezed(text), (shown, text)
    assert "\x7f" not in text  # list bullets are set in the document's font
    assert ID_NUMBER not in text
    disposition = reply.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and ".pdf" in disposition
    assert f"{application.serial}.pdf" in disposition  # filename*: the title, then the serial
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    again = client.get(f"/api/v1/applications/{application.id}/document.pdf",
                       headers=token(client, person.username))
    assert again.get_data() == reply.get_data()  # invariant: no creation time, no random id
    spec = client.get("/api/v1/_openapi").get_json()
    assert "application/pdf" in spec["paths"]["/api/v1/applications/{pk}/document.pdf"][
        "get"]["responses"]["200"]["content"]


def test_the_pdf_keeps_the_chosen_language(client, issued):
    application, person = issued
    url = f"/api/v1/applications/{application.id}/document.pdf"
    english = pdf_text(client.get(url, headers={**token(client, person.username),
                                                "Accept-Language": "en"}))
    # 凭证语言 中文 was chosen: a Chinese certificate whatever the request's language
    assert "Certificate of basic medical insurance enrollment" not in english
    assert "Date of issue" not in english and "基本医疗保险参保缴费凭证" in english
    chinese = pdf_text(client.get(url, headers=token(client, person.username)))
    assert chinese == english


def test_only_the_owner_and_staff_in_scope_get_the_pdf(client, issued):
    application, _person = issued
    url = f"/api/v1/applications/{application.id}/document.pdf"
    assert client.get(url, headers=token(client, citizen(JINJIANG).username)).status_code == 404
    assert client.get(url, headers=token(client, reviewer(WUHOU).username)).status_code == 404
    assert client.get(url, headers=token(client, reviewer(JINJIANG).username)).status_code == 200
    assert client.get(url).status_code == 401


def test_no_pdf_before_approval(client, ctx, workday_clock):  # noqa: F811
    publish_certificate()
    application, person = apply({**ANSWERS, "purpose": "other", "purpose_detail": "出国"})
    assert application.status == "submitted"
    reply = client.get(f"/api/v1/applications/{application.id}/document.pdf",
                       headers=token(client, person.username))
    assert reply.status_code == 404
    assert reply.get_json()["message"] == "此办件没有凭证：其事项不出具凭证，或尚未审核通过。"


def test_hostile_answers_stay_text_in_the_pdf(client, issued):
    from app.extensions import db

    application, person = issued
    typed = '</para><font size="40">大</font> & <b>x</b> <br/>'
    # SC-3 prints the registry's name as kept at approval (app.workflow.document_facts)
    application.answers = {**application.answers,
                           "_registry": {**application.answers["_registry"], "name": typed}}
    db.session.commit()
    text = pdf_text(client.get(f"/api/v1/applications/{application.id}/document.pdf",
                               headers=token(client, person.username)))
    assert '</para><font size="40">大</font> & <b>x</b> <br/>' in text, text


def signed_in(client, username):
    """A client of its own for ``username`` (one signs in per client)."""
    other = client.application.test_client()
    login(other, username)
    return other


def test_the_printable_pages_offer_the_pdf(client, issued):
    application, person = issued
    owner = signed_in(client, person.username)
    page = owner.get(f"/my/applications/{application.id}/document").get_data(as_text=True)
    pdf_url = f"/my/applications/{application.id}/document.pdf"
    assert f'href="{pdf_url}" download>下载PDF文件</a>' in page
    assert application.serial in pdf_text(owner.get(pdf_url))
    assert signed_in(client, citizen(JINJIANG).username).get(pdf_url).status_code == 404

    staff_url = f"/review/applications/{application.id}/document.pdf"
    staff = signed_in(client, reviewer(JINJIANG).username)
    sheet = staff.get(f"/review/applications/{application.id}/document").get_data(as_text=True)
    assert f'href="{staff_url}" download>' in sheet
    assert squeezed("兹证明 测试人") in squeezed(pdf_text(staff.get(staff_url)))
    assert signed_in(client, reviewer(WUHOU).username).get(staff_url).status_code == 404
