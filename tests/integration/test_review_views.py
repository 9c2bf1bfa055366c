"""The reviewers' detail page and decision forms: scope (B1), workflow order (B6), stale
decisions (E1/E2), reveal with permission and reason (E5/F1), labels of the pinned version,
inline previews, the 一次性告知 checklist and the diff after resubmission."""
import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from app import workflow
from app.commands.reviews import ApproveCommand, RefuseCommand, ReturnCommand, returnable_keys
from app.extensions import db
from app.models.application import Attachment
from app.models.audit import AuditEvent
from app.storage import get_storage
from app.validators import mask_id_number
from tests.browser.helpers import say
from tests.applications_support import USCC, id_number, pdf_bytes, png_bytes
from tests.review_support import (FUTIAN, HB1, LUBEI, MONDAY, NANSHAN, SHENZHEN,  # noqa: F401
                                  fresh, history, publish, reviewer, submitted, workday_clock)
from tests.support import login, make_user

GD8 = "maternity_allowance"
SUBJECT_ID = id_number("44030519900101002")
ANSWERS = {
    "name": "林小红", "cert_type": "01", "id_number": SUBJECT_ID, "mobile": "13800138000",
    "employer_name": "深圳某某有限公司", "employer_uscc": USCC,
    "not_advanced_reason": "licence_revoked", "leave_type": "maternity",
    "event_date": "2026-01-05", "parity": 1, "fetus_count": 1, "leave_start": "2026-01-05",
    "leave_end": "2026-05-14", "leave_days": 130, "bank_name": "中国银行",
    "bank_account": "6217000000000000123", "account_holder": "林小红", "_notice": True,
}
GUANGZHOU_TIANHE = "440106"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def says(app, msgid: str) -> str:
    """The message as the page shows it (Chinese by default, HTML-escaped)."""
    return str(escape(say(app, msgid)))


def without_nonce(response) -> str:
    """The page without its per-response script nonces (the same page otherwise)."""
    return re.sub(r'nonce="[^"]*"', "", response.get_data(as_text=True))


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def attach(application, key, data, content_type, name):
    attachment = Attachment(
        application_id=application.id, material_key=key, region_code=application.region_code,
        owner_id=application.applicant_id, original_name=name,
        storage_key=get_storage().save(data), content_type=content_type, size=len(data),
        sha256="0" * 64)
    db.session.add(attachment)
    db.session.commit()
    return attachment


@pytest.fixture
def gd8(ctx, workday_clock):
    publish(GD8)
    application = submitted(GD8, NANSHAN, dict(ANSWERS), subject_id_number=SUBJECT_ID)
    return application


def post(client, application, verb, **form):
    """Post a decision form as confirmed (the confirmation page has its own test)."""
    data = {"version": str(fresh(application).lock_version),
            "step": fresh(application).current_step or "", "confirmed": "1", **form}
    return client.post(f"/review/applications/{application.id}/{verb}", data=data)


def test_detail_shows_the_pinned_labels_masked_data_and_inline_previews(app, gd8):
    image = attach(gd8, "id_document", png_bytes(), "image/png", "身份证.png")
    scan = attach(gd8, "birth_certificate", pdf_bytes(), "application/pdf", "出生证明.pdf")
    word = attach(gd8, "employer_status_proof", b"PK\x03\x04docx", DOCX, "说明.docx")
    county = signed_in(app, reviewer(NANSHAN))
    response = county.get(f"/review/applications/{gd8.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("生育津贴申报", "参保人信息", "用人单位情况", "用人单位未垫付原因", "被吊销营业执照",
                 "产假", "居民身份证（户口簿）", "本人身份证", "出生医学证明", "受理"):
        assert text in html, text
    assert SUBJECT_ID not in html and "13800138000" not in html
    assert "6217000000000000123" not in html and "************0123" in html
    assert mask_id_number(SUBJECT_ID) in html and 'class="subject-name">测试人<' in html
    assert f'<img class="preview" src="/review/applications/{gd8.id}/files/{image.id}' \
        '?preview=1"' in html
    assert f'<object class="preview" data="/review/applications/{gd8.id}/files/{scan.id}' \
        '?preview=1"' in html
    assert f"/files/{word.id}" in html and f'data="/review/applications/{gd8.id}/files/{word.id}"' \
        not in html
    assert 'class="decide-approve"' in html and 'class="decide-return"' in html
    assert f'name="version" value="{fresh(gd8).lock_version}"' in html
    # The fields' stylesheet (a drawn signature's img.signature-image), loaded in the head.
    head = html.split("</head>", 1)[0]
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]*/fields\.css)">', head)
    assert stylesheet, "fields.css is not loaded"
    assert "img.signature-image" in county.get(stylesheet.group(1)).get_data(as_text=True)
    shown = county.get(f"/review/applications/{gd8.id}/files/{image.id}")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in shown.headers["Content-Security-Policy"]
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN"
    pdf = county.get(f"/review/applications/{gd8.id}/files/{scan.id}")
    assert pdf.mimetype == "application/pdf" and pdf.headers["Content-Disposition"].startswith(
        "inline;")
    download = county.get(f"/review/applications/{gd8.id}/files/{word.id}")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Frame-Options"] == "DENY"
    assert len(history(gd8, "application.file_viewed")) == 3


def test_outside_the_scope_everything_is_404(app, gd8):
    image = attach(gd8, "id_document", png_bytes(), "image/png", "id.png")
    missing = 10 ** 7
    for region in (FUTIAN, GUANGZHOU_TIANHE, LUBEI):
        client = signed_in(app, reviewer(region))
        for url in (f"/review/applications/{gd8.id}",
                    f"/review/applications/{gd8.id}/files/{image.id}",
                    f"/review/applications/{missing}"):
            assert client.get(url).status_code == 404, (region, url)
        for verb in ("approve", "return", "refuse", "reveal"):
            response = post(client, gd8, verb, comment="x", reason="核对", return_fields="mobile",
                            reason_fields_mobile="x")
            assert response.status_code == 404, (region, verb)
        assert without_nonce(post(client, gd8, "approve")) == without_nonce(client.post(
            f"/review/applications/{missing}/approve", data={"version": "1"}))
    # A file of another application is not reachable through this one.
    other = submitted(GD8, NANSHAN, dict(ANSWERS))
    county = signed_in(app, reviewer(NANSHAN))
    assert county.get(f"/review/applications/{other.id}/files/{image.id}").status_code == 404
    assert fresh(gd8).status == "submitted" and not history(gd8, "application.approve")


def test_decisions_follow_the_chain_and_refuse_what_is_not_current(app, gd8):
    county_user, city_user = reviewer(NANSHAN), reviewer(SHENZHEN)
    county, city = signed_in(app, county_user), signed_in(app, city_user)
    seen = fresh(gd8).lock_version
    # The city sees the application (its subtree) but the step is the county's.
    page = city.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    assert 'class="decide-approve"' not in page and "not-yours" in page
    refused = post(city, gd8, "approve")
    assert refused.status_code == 403 and says(
        app, "This step is handled by another region or level.") in refused.get_data(as_text=True)
    done = post(county, gd8, "approve", comment="材料齐全")
    assert done.status_code == 303 and done.headers["Location"].endswith(
        f"/review/applications/{gd8.id}")
    assert (fresh(gd8).current_step, fresh(gd8).status) == ("review", "submitted")
    # The county's old form (step accept, the version it saw) is refused.
    stale = county.post(f"/review/applications/{gd8.id}/approve",
                        data={"version": str(seen), "step": "accept"})
    assert stale.status_code == 409
    assert says(app, "Reload the application") in stale.get_data(as_text=True)
    not_current = post(county, gd8, "approve", step="accept")
    assert not_current.status_code == 403
    assert says(app, "This step is not the application's current step.") in \
        not_current.get_data(as_text=True)
    returned = post(city, gd8, "return", comment="请补正", return_fields=["mobile"],
                    reason_fields_mobile="号码已停机", return_materials=["birth_certificate"],
                    reason_materials_birth_certificate="请上传清晰的出生医学证明")
    assert returned.status_code == 303
    application = fresh(gd8)
    assert application.status == "returned"
    assert application.return_request["fields"] == {"mobile": "号码已停机"}
    assert application.return_request["materials"] == {
        "birth_certificate": "请上传清晰的出生医学证明"}
    closed = post(city, gd8, "approve")
    assert closed.status_code == 409 and says(
        app, "This application is not waiting for a decision.") in closed.get_data(as_text=True)
    page = city.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    assert "号码已停机" in page and says(app, "Returned for correction") in page


def test_return_names_every_item_with_a_reason_and_refuse_needs_one(app, gd8):
    county = signed_in(app, reviewer(NANSHAN))
    html = county.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    checklist = re.findall(r'name="return_(fields|materials)" value="([a-z_]+)"', html)
    definition = fresh(gd8).version.definition
    asked = returnable_keys(fresh(gd8))  # what the applicant was asked for (checklist tests)
    fields = [f["key"] for p in definition["pages"] for f in p["fields"]]
    assert [k for kind, k in checklist if kind == "fields"] == [
        k for k in fields if k in asked["fields"]]
    assert "cert_number" not in asked["fields"]  # hidden by 证件类型 01
    assert [k for kind, k in checklist if kind == "materials"] == [
        m["key"] for m in definition["materials"] if m["key"] in asked["materials"]]
    detail = f"/review/applications/{gd8.id}"
    # A form with errors redirects to the page (a reload posts nothing), which shows the
    # messages and what was typed once.
    nothing = post(county, gd8, "return", comment="x")
    assert nothing.status_code == 303 and nothing.headers["Location"].endswith(
        f"{detail}#decision")
    assert says(app, "Name at least one field or material to correct.") in county.get(
        detail).get_data(as_text=True)
    blank = post(county, gd8, "return", return_fields="mobile", reason_fields_mobile=" ",
                 comment="kept（原样）")
    assert blank.status_code == 303
    page = county.get(detail).get_data(as_text=True)
    assert says(app, "Say what is wrong or missing.") in page and ">kept（原样）</textarea>" in page
    assert re.search(r'value="mobile" checked', page)
    again = county.get(detail).get_data(as_text=True)
    assert "kept（原样）" not in again and says(app, "Say what is wrong or missing.") not in again
    no_reason = post(county, gd8, "refuse", comment="")
    assert no_reason.status_code == 303 and says(
        app, "Give the reason: the applicant will read it.") in county.get(detail).get_data(
        as_text=True)
    assert fresh(gd8).status == "submitted"
    assert post(county, gd8, "refuse", comment="不符合条件").status_code == 303
    assert fresh(gd8).status == "refused"
    assert county.post(f"/review/applications/{gd8.id}/approve", data={}).status_code == 400


def test_after_resubmission_the_reviewer_sees_what_changed(app, gd8):
    county_user = reviewer(NANSHAN)
    ReturnCommand(gd8.id, county_user, "请补正", fresh(gd8).lock_version,
                  {"fields": {"mobile": "号码错误", "bank_name": "请写全称"}}).run()
    application = fresh(gd8)
    application.answers = {**application.answers, "mobile": "13900139000",
                           "bank_name": "中国银行深圳分行"}
    workflow.resume(application)
    db.session.commit()
    html = signed_in(app, county_user).get(f"/review/applications/{gd8.id}").get_data(
        as_text=True)
    diff = html[html.index('class="table table-bordered table-condensed answer-diff"'):]
    diff = diff[:diff.index("</table>")]
    assert "联系电话" in diff and "开户银行" in diff and "用人单位名称" not in diff
    assert "中国银行深圳分行" in diff and "139****9000" in diff and "138****8000" in diff
    assert "13900139000" not in html
    assert "号码错误" in html  # what was asked, next to what changed


def test_reveal_needs_the_permission_and_a_reason_and_is_logged(app, gd8):
    admin_client = signed_in(app, make_user("RegionAdmin", SHENZHEN))
    page = admin_client.get(f"/review/applications/{gd8.id}")
    assert page.status_code == 200 and 'class="decide-' not in page.get_data(as_text=True)
    assert "reveal-form" not in page.get_data(as_text=True)
    assert post(admin_client, gd8, "reveal", reason="看看").status_code == 403
    assert post(admin_client, gd8, "approve").status_code == 403
    county_user = reviewer(NANSHAN)
    county = signed_in(app, county_user)
    assert "reveal-form" in county.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    detail = f"/review/applications/{gd8.id}"
    empty = post(county, gd8, "reveal", reason="  ")
    assert empty.status_code == 303 and empty.headers["Location"].endswith(detail)
    page = county.get(detail).get_data(as_text=True)
    assert says(app, "Say why you need the full number.") in page and SUBJECT_ID not in page
    posted = post(county, gd8, "reveal", reason=f"核对身份证复印件 {SUBJECT_ID}")
    assert posted.status_code == 303 and SUBJECT_ID not in posted.get_data(as_text=True)
    assert SUBJECT_ID not in posted.headers["Location"]
    shown = county.get(detail)
    assert SUBJECT_ID in shown.get_data(as_text=True)
    assert "no-store" in shown.headers["Cache-Control"]
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "identity.reveal")))
    assert len(events) == 1 and events[0].actor_id == county_user.id
    assert events[0].object_id == str(gd8.id) and events[0].request_id
    assert events[0].detail["reason"].startswith("核对身份证复印件")
    assert SUBJECT_ID not in str(events[0].detail)
    # Shown in the history; the number is not on the next page load.
    again = county.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    assert SUBJECT_ID not in again and 'data-action="identity.reveal"' in again


def test_approve_and_refuse_are_confirmed_first_without_javascript(app, gd8):
    county = signed_in(app, reviewer(NANSHAN))
    for verb, comment, title in (("approve", "材料齐全，予以受理", "Accept this application?"),
                                 ("refuse", "不符合条件（已核）", "Refuse this application?")):
        asked = post(county, gd8, verb, comment=comment, confirmed="")
        page = asked.get_data(as_text=True)
        assert asked.status_code == 200 and says(app, title) in page
        assert 'class="decide-confirm' in page and 'name="confirmed" value="1"' in page
        assert comment in page and fresh(gd8).status == "submitted"
        assert not history(gd8, f"application.{verb}")
    # "Back" finds the form as it was typed.
    back = county.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    assert ">不符合条件（已核）</textarea>" in back
    # A refusal without a reason is sent back before any confirmation.
    assert post(county, gd8, "refuse", comment=" ", confirmed="").status_code == 303
    done = post(county, gd8, "refuse", comment="不符合条件（已核）")
    assert done.status_code == 303 and fresh(gd8).status == "refused"


def test_staff_without_the_desk_and_citizens_are_refused(app, gd8):
    citizen = signed_in(app, make_user("Citizen", NANSHAN))
    for url in ("/review/pending", "/review/done", "/review/late",
                f"/review/applications/{gd8.id}", "/review/window/"):
        assert citizen.get(url).status_code == 403, url
    assert post(citizen, gd8, "approve").status_code == 403
    supervisor = signed_in(app, make_user("RegionAdmin", SHENZHEN))
    assert supervisor.get("/review/late?state=overdue").status_code == 200
    assert supervisor.get("/review/window/").status_code == 403


def test_no_fab_action_route_reaches_applications(app):
    """Decisions are plain POST routes; no ModelView (with FAB's unscoped action routes) is
    registered over applications, attachments or decisions."""
    from app.models.application import Application, StepDecision

    models = {Application, Attachment, StepDecision}
    for view in app.appbuilder.baseviews:
        datamodel = getattr(view, "datamodel", None)
        assert getattr(datamodel, "obj", None) not in models, view
    review_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/review")]
    assert review_rules and not [r for r in review_rules if "action" in r.rule]


def test_decisions_by_commands_and_pages_agree(app, gd8):
    """A decision made elsewhere (the API, another reviewer) makes the open form stale."""
    county_user = reviewer(NANSHAN)
    county = signed_in(app, county_user)
    form_version = fresh(gd8).lock_version
    ApproveCommand(gd8.id, reviewer(NANSHAN), None, form_version).run()  # a colleague
    response = county.post(f"/review/applications/{gd8.id}/refuse",
                           data={"version": str(form_version), "comment": "x"})
    assert response.status_code == 409
    assert says(app, "Someone else has acted on this application") in response.get_data(
        as_text=True)
    RefuseCommand(gd8.id, reviewer(SHENZHEN), "不符合", fresh(gd8).lock_version).run()
    assert post(county, gd8, "approve").status_code == 409  # refused: closed


def test_a_repeat_group_is_a_table_with_labels_and_masked_numbers(app, ctx, workday_clock):
    from app.commands.formdefs import LoadFormdefsCommand
    from tests.review_support import FORMDEFS

    LoadFormdefsCommand([FORMDEFS / "320000-jiangsu" / "family_mutual_aid.yaml"],
                        publish=True).run()
    spouse = id_number("32010219850505001")
    application = submitted("family_mutual_aid", "320102", {
        "users": [{"name": "王大明", "id_card": spouse, "relationship": "02"}]})
    assert fresh(application).current_step == "accept"
    html = signed_in(app, reviewer("320102")).get(
        f"/review/applications/{application.id}").get_data(as_text=True)
    table = html[html.index('class="table table-bordered table-condensed repeat-table"'):]
    table = table[:table.index("</table>")]
    for text in ("姓名", "证件号码", "与授权人关系", "王大明", mask_id_number(spouse), "配偶"):
        assert text in table, text
    assert spouse not in html


def test_no_one_decides_their_own_application(app, gd8):
    """B6: a reviewer whose ID number is the subject's is refused, with the reason."""
    own = signed_in(app, make_user("Reviewer", NANSHAN, id_number=SUBJECT_ID))
    page = own.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    assert 'class="decide-approve"' not in page
    refused = post(own, gd8, "approve")
    assert refused.status_code == 403
    assert says(app, "You cannot decide on your own application.") in refused.get_data(
        as_text=True)
    assert row_ids_in(own.get("/review/pending").get_data(as_text=True)) == []


def row_ids_in(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'tr class="queue-row[^"]*" data-application="(\d+)"', html)]


def test_a_later_version_never_changes_how_an_application_reads(app, gd8, tmp_path):  # E6
    from app.commands.formdefs import LoadFormdefsCommand
    from tests.review_support import FORMDEFS

    source = (FORMDEFS / "440000-guangdong" / "maternity_allowance.yaml").read_text("utf-8")
    newer = source.replace("label: {zh: 联系电话,", "label: {zh: 手机号码（新）,").replace(
        "{value: licence_revoked, label: {zh: 被吊销营业执照,",
        "{value: licence_revoked, label: {zh: 执照被吊销（新）,")
    assert newer != source
    (tmp_path / "maternity_allowance.yaml").write_text(newer, encoding="utf-8")
    LoadFormdefsCommand([tmp_path / "maternity_allowance.yaml"], publish=True).run()
    later = submitted(GD8, NANSHAN, dict(ANSWERS))
    assert (fresh(gd8).version.number, fresh(later).version.number) == (1, 2)
    county = signed_in(app, reviewer(NANSHAN))
    old = county.get(f"/review/applications/{gd8.id}").get_data(as_text=True)
    assert "联系电话" in old and "被吊销营业执照" in old and "（新）" not in old
    new = county.get(f"/review/applications/{later.id}").get_data(as_text=True)
    assert "手机号码（新）" in new and "执照被吊销（新）" in new
