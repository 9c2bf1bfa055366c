"""Staff who may see an application see the document it delivered (SC-3 出具参保凭证's
certificate): its staff detail page links it once the applicant has it (approved), and
/review/applications/<id>/document shows the sheet the applicant prints, scoped as the detail
page (404 outside the region, before approval). Opening it is not recorded, as opening the
detail page is not."""
from sqlalchemy import func, select

from tests.integration.test_result_document import (ANSWERS, ID_NUMBER, JINJIANG,  # noqa: F401
                                                     WUHOU, apply, issued, publish_certificate,
                                                     text)
from tests.review_support import fresh, reviewer, workday_clock  # noqa: F401
from tests.support import login

CHENGDU = "510100"  # the city above 锦江区 and 武侯区


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def history_count(application) -> int:
    from app.extensions import db
    from app.models.audit import AuditEvent

    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.object_type == "application", AuditEvent.object_id == str(application.id)))


def test_a_reviewer_in_the_region_sees_the_link_and_the_page(app, issued):
    application, _person = issued
    link = f'href="/review/applications/{application.id}/document"'
    for user in (reviewer(JINJIANG), reviewer(CHENGDU)):  # the county, the city above it
        client = signed_in(app, user)
        detail = client.get(f"/review/applications/{application.id}")
        assert detail.status_code == 200
        html = detail.get_data(as_text=True)
        assert link in html and "查看并打印《基本医疗保险参保缴费凭证》" in html
        before = history_count(application)
        page = client.get(f"/review/applications/{application.id}/document")
        assert page.status_code == 200
        body, raw = text(page), page.get_data(as_text=True)
        masked = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
        for shown in ("基本医疗保险参保缴费凭证", f"兹证明 测试人 （证件号码 {masked}）",
                      f"申请编号 {application.serial}", "出具机构 成都市锦江区医疗保障局",
                      "出具日期 2026年3月2日"):
            assert shown in body, (shown, body)
        assert ID_NUMBER not in raw
        assert "document.css" in raw and "staff-skip" in raw  # print sheet, staff layout
        assert f'href="/review/applications/{application.id}"' in raw  # back to the detail
        assert history_count(application) == before  # as a detail page view: not recorded


def test_outside_the_region_it_is_not_found(app, issued):
    application, person = issued
    client = signed_in(app, reviewer(WUHOU))
    assert client.get(f"/review/applications/{application.id}").status_code == 404
    assert client.get(f"/review/applications/{application.id}/document").status_code == 404
    owner = signed_in(app, person)  # the applicant has their own page, not the staff one
    assert owner.get(f"/review/applications/{application.id}/document").status_code == 403


def test_no_link_nor_page_before_the_applicant_has_it(app, ctx, workday_clock):
    from app.commands.reviews import ApproveCommand

    publish_certificate()
    application, _person = apply({**ANSWERS, "purpose": "other", "purpose_detail": "出国"})
    county, city = reviewer(JINJIANG), reviewer(CHENGDU)
    client = signed_in(app, county)
    document = f"/review/applications/{application.id}/document"
    for step_user in (county, None):
        assert fresh(application).status == "submitted"
        html = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
        assert "document-issued" not in html and document not in html
        assert client.get(document).status_code == 404
        if step_user is not None:  # 受理 passes; 审核 at the city still to come
            ApproveCommand(application.id, step_user, None,
                           fresh(application).lock_version).run()
    ApproveCommand(application.id, city, None, fresh(application).lock_version).run()
    assert fresh(application).status == "approved"
    html = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert f'href="{document}"' in html
    assert client.get(document).status_code == 200
