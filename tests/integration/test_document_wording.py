"""What SC-3 出具参保凭证's certificate says: a sentence shown only when an answer is given or
not (``{{if answers.period}} … {{end}}``, app.engine.documents), the purpose typed for 其他
printed, the issuing agency the medical insurance bureau of the region that decided the last
step (a city reviewer's 审核: 成都市医疗保障局, not the county), one word for the serial number
(申请编号), and the PDF created on the day of issue."""
import datetime as dt
import io

from pypdf import PdfReader

from app.commands.reviews.approve import ApproveCommand
from tests.applications_support import token
from tests.integration.test_result_document import (ANSWERS, JINJIANG, apply, issued,  # noqa: F401
                                                     publish_certificate, text)
from tests.review_support import fresh, reviewer, workday_clock  # noqa: F401
from tests.support import login


def page_text(client, application, person) -> str:
    login(client, person.username)
    return text(client.get(f"/my/applications/{application.id}/document"))


def test_the_whole_record_is_said_only_when_no_period_was_given(client, ctx, workday_clock):
    publish_certificate()
    period = {"start": "2020-01-01", "end": "2025-12-31"}
    application, person = apply({**ANSWERS, "period": period})
    assert application.status == "approved"
    body = page_text(client, application, person)
    assert "凭证所含参保期间：2020年1月1日 – 2025年12月31日 本凭证" in body, body
    assert "全部缴费记录" not in body and "未填写" not in body
    assert "办件编号" not in body and f"申请编号 {application.serial}" in body


def test_without_a_period_the_whole_record_is_said(client, issued):  # noqa: F811
    application, person = issued
    body = page_text(client, application, person)
    assert "凭证所含参保期间：该段参保的全部缴费记录" in body
    assert "（）" not in body  # no empty purpose detail either


def test_a_clerks_certificate_prints_the_purpose_typed_and_the_citys_bureau(client, ctx,
                                                                              workday_clock):
    publish_certificate()
    answers = {**ANSWERS, "purpose": "other", "purpose_detail": "办理公积金贷款"}
    application, person = apply(answers)
    assert application.status == "submitted"  # 其他: a clerk decides
    ApproveCommand(application.id, reviewer(JINJIANG)).run()  # 受理, the county
    ApproveCommand(application.id, reviewer("510100")).run()  # 审核, the city: the last step
    application = fresh(application)
    assert application.status == "approved"
    body = page_text(client, application, person)
    assert "开具用途：其他（办理公积金贷款）" in body, body
    assert "出具机构 成都市医疗保障局" in body and "本凭证由成都市医疗保障局经办" in body
    assert "锦江区医疗保障局" not in body
    reply = client.get(f"/api/v1/applications/{application.id}/document.pdf",
                       headers=token(client, person.username))
    created = PdfReader(io.BytesIO(reply.get_data())).metadata.creation_date
    assert created.date() == dt.date(2026, 3, 2) and created.year != 2000
