"""Shipped definitions that read the person registry: 一人一保 on the enrollment items, SC-2's
enrollments and 暂停参保区划, prefill of mobile and employer."""
import re

import pytest

from app.cli import DEMO_PERSONS
from app.commands.applications.context import engine_context, variables
from app.commands.applications.create import CreateApplicationCommand
from app.commands.applications.errors import ApplicationInvalidError
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import SubmitApplicationCommand
from app.commands.formdefs import LoadFormdefsCommand
from app.commands.persons import ImportPersonsCommand
from app.engine.answers import validate_all
from app.extensions import db
from app.models.base import utcnow
from tests.applications_support import FORMDEFS, api_create, api_upload, clock, token  # noqa: F401
from tests.integration.test_applications_commands import attach_rows
from tests.support import make_user

WANG_FANG, LIU_TING, WU_GANG = "511702200506180247", "440106200304110287", "510104199002280512"
ZHOU_MIN = "320102198409230266"  # 390 in 南京: no Sichuan or Guangdong enrollment
SC_ALREADY = "参保人已在本地正常参加城乡居民基本医疗保险，无需重复办理参保登记。"
SC_EMPLOYEE = ("参保人正在参加职工基本医疗保险，不能同时参加城乡居民基本医疗保险（一人一保）。职工医保停保后，再"
               "办理城乡居民参保登记。")
SC_ELSEWHERE = ("参保人在其他地区有正常参保的城乡居民基本医疗保险（一人一保）。请先在原参保地办理"
                "“城乡居民暂停参保”，再办理参保登记。")
RESIDENT = {
    "grassroots_name": "达州中医药职业学院", "grassroots_code": "51170299997", "mobile": "15808180234",
    "nation": "01", "hukou_region": "511702", "hukou_address": "通川区西外镇1号",
    "hukou_postcode": "635000", "psn_type": "1404", "enroll_date": "2026-12-01",
    "pay_year": 2026, "_notice": True,
}


@pytest.fixture
def registry(ctx, clock):
    LoadFormdefsCommand([FORMDEFS / "510000-sichuan", FORMDEFS / "511700-dazhou",
                         FORMDEFS / "440000-guangdong"], publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()


def citizen(number, name, region="511702"):
    user = make_user("Citizen", region, name=name, id_number=number)
    user.identity_verified_at = utcnow()
    db.session.commit()
    return user


def errors_of(application):
    return validate_all(application.version.definition, application.answers,
                        engine_context(application, "zh"), variables(application)).errors


def test_wang_fang_cannot_enroll_again_where_she_is_enrolled(registry, client):
    """Her active 城乡居民 enrollment in 511702 refuses a second one there (422, per field)."""
    wang = citizen(WANG_FANG, "王芳")
    headers = {**token(client, wang.username), "Accept-Language": "zh"}
    pk = api_create(client, headers, item="resident_enrollment", region="511702").get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": RESIDENT})
    assert saved.status_code == 200, saved.get_json()
    assert api_upload(client, headers, pk, "id_document").status_code == 201
    response = client.post(f"/api/v1/applications/{pk}/submit",
                           headers={**headers, "Idempotency-Key": f"k-{pk}"})
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"] == {"insutype": [SC_ALREADY]}


def test_an_agent_filing_is_checked_against_the_subject_not_the_agent(registry):
    """王芳's record refuses it, though the agent (吴刚, employee insurance only) holds no 390."""
    agent = citizen(WU_GANG, "吴刚", "510104")
    application = CreateApplicationCommand(
        agent, "resident_enrollment", "511702", "agent", {"name": "王芳", "id_number": WANG_FANG},
        agent={"relationship": "99", "address": "通川区西外镇1号"}).run()
    SaveAnswersCommand(application, RESIDENT, user=agent).run()
    attach_rows(application, ("id_document", "agent_id"))
    with pytest.raises(ApplicationInvalidError) as caught:
        SubmitApplicationCommand(application, user=agent).run()
    assert caught.value.errors == {"insutype": [SC_ALREADY]}


@pytest.mark.parametrize(("number", "name", "region", "expected"), [
    (WANG_FANG, "王芳", "511702", [SC_ALREADY]),  # 达州 variant inherits the rule
    (LIU_TING, "刘婷", "511702", [SC_ALREADY]),  # her 天河区 enrollment is suspended
    (LIU_TING, "刘婷", "510104", [SC_ELSEWHERE]),  # active in 通川区
    (ZHOU_MIN, "周敏", "510104", [SC_ELSEWHERE]),  # active in 南京 counts too
    (WU_GANG, "吴刚", "510104", [SC_EMPLOYEE]),  # active employee insurance: not a resident
])
def test_sichuan_one_person_one_enrollment(registry, number, name, region, expected):
    user = citizen(number, name, region)
    application = CreateApplicationCommand(user, "resident_enrollment", region, "self").run()
    SaveAnswersCommand(application, RESIDENT, user=user).run()
    assert errors_of(application).get("insutype", []) == expected


@pytest.mark.parametrize(("number", "name", "refused"), [
    ("440106197511110429", "郑丽", True),  # 职工医保 active in 天河区
    ("440305198807200350", "陈伟", False),  # his 职工医保 ended in 2023 (status 4)
])
def test_guangdong_refuses_active_employee_insurance(registry, number, name, refused):
    user = citizen(number, name, "440106")
    application = CreateApplicationCommand(user, "resident_enrollment", "440106", "self").run()
    SaveAnswersCommand(application, {**RESIDENT, "grassroots_code": "44010699999"},
                       user=user).run()
    assert (SC_EMPLOYEE in errors_of(application).get("insutype", [])) is refused


def test_guangdong_refuses_an_active_enrollment_elsewhere(registry):
    user = citizen(WANG_FANG, "王芳", "440106")
    application = CreateApplicationCommand(user, "resident_enrollment", "440106", "self").run()
    SaveAnswersCommand(application, {**RESIDENT, "grassroots_code": "44010699999"},
                       user=user).run()
    [message] = errors_of(application)["insutype"]
    assert "一人一保" in message and "暂停参保" in message


@pytest.mark.parametrize(("insured_region", "expected"), [
    ("510104", "参保人已在该参保地正常参加职工基本医疗保险，无需重复办理参保登记。"),
    ("511702", "参保人在其他地区有正常参保的职工基本医疗保险（一人一保）。请先在原参保地办理暂停参保或"
               "“基本医疗保险转移申请”，再办理本事项。"),
])
def test_flexible_employment_one_person_one_enrollment(registry, insured_region, expected):
    user = citizen(WU_GANG, "吴刚", "510104")
    application = CreateApplicationCommand(user, "flexible_employment_enrollment", "510104",
                                           "self").run()
    SaveAnswersCommand(application, {
        "gender": "1", "nation": "01", "mobile": "13980012345", "hukou_region": "510104",
        "residence_region": insured_region, "residence_address": "锦江区1号",
        "employment_form": "part_time", "insured_region": insured_region,
        "start_month": "2026-11-20", "_notice": True}, user=user).run()
    assert errors_of(application)["insured_region"] == [expected]


def test_the_wizard_shows_the_refusal_on_the_insurance_page(registry, app):
    from markupsafe import escape

    from tests.wizard_support import acknowledge_notice, post_step, signed_in, start

    client = signed_in(app, citizen(WANG_FANG, "王芳"))
    pk = start(client, "resident_enrollment", "511702")
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    for page in ("division", "resident"):
        data = {k: v for k, v in RESIDENT.items() if not k.startswith("_")}
        assert post_step(client, f"/applications/{pk}/pages/{page}", data).status_code == 302
    response = post_step(client, f"/applications/{pk}/pages/insurance", RESIDENT)
    assert response.status_code == 422
    assert str(escape(SC_ALREADY)) in response.get_data(as_text=True)


# --- SC-2: the person's enrollments from the registry -----------------------------------------

SUSPENSION = {"suspend_reason": "01", "suspend_date": "2026-11-20", "remark": "在户籍地参保",
              "nonlocal_student": "0", "graduating": "0"}
ENROLLMENT_CELLS = ("城乡居民基本医疗保险", "正常参保", "2023-09-01", "2023-09",
                    "四川省 达州市 通川区")


def suspension_draft(app, number=WANG_FANG, name="王芳"):
    from tests.wizard_support import acknowledge_notice, post_step, signed_in, start

    client = signed_in(app, citizen(number, name))
    pk = start(client, "resident_enrollment_suspend", "511702")
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    return client, pk


def test_sc2_shows_the_enrollments_and_offers_only_their_regions(registry, app):
    from tests.wizard_support import post_step

    client, pk = suspension_draft(app)
    basic = client.get(f"/applications/{pk}/pages/basic").get_data(as_text=True)
    table = basic[basic.index('<table class="data enrollments'):]
    table = table[:table.index("</table>")]
    assert all(f">{cell}</td>" in table for cell in ENROLLMENT_CELLS), table
    assert "511702" not in table and ">390</td>" not in table  # names, not codes
    assert post_step(client, f"/applications/{pk}/pages/basic", {}).status_code == 302

    page = client.get(f"/applications/{pk}/pages/suspension").get_data(as_text=True)
    select = page[page.index('name="suspend_region"'):]
    select = select[:select.index("</select>")]
    assert '<option value="511702">四川省 达州市 通川区</option>' in select
    assert select.count("<option") == 2  # 请选择 and the one enrollment's region
    refused = post_step(client, f"/applications/{pk}/pages/suspension",
                        {**SUSPENSION, "suspend_region": "510104"})
    assert refused.status_code == 422
    assert "请从提供的选项中选择。" in refused.get_data(as_text=True)
    assert post_step(client, f"/applications/{pk}/pages/suspension",
                     {**SUSPENSION, "suspend_region": "511702"}).status_code == 302


def test_sc2_reviewer_sees_the_enrollments_as_submitted(registry, app):
    from app.models.application import Application
    from app.models.person import Enrollment, Person
    from tests.wizard_support import post_step, submit_token, upload

    client, pk = suspension_draft(app)
    assert post_step(client, f"/applications/{pk}/pages/basic", {}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/suspension",
                     {**SUSPENSION, "suspend_region": "511702"}).status_code == 302
    assert upload(client, pk, "id_document").status_code in (200, 302, 303)
    confirm = client.get(f"/applications/{pk}/confirm").get_data(as_text=True)
    assert all(cell in confirm for cell in ENROLLMENT_CELLS)
    submitted = client.post(f"/applications/{pk}/confirm",
                            data={"submit_token": submit_token(confirm)})
    assert submitted.status_code == 303, submitted.get_data(as_text=True)[:3000]
    stored = db.session.get(Application, pk).answers["enrollments"]
    assert stored == [{"insutype": "390", "status": "1", "region": "511702",
                       "start_date": "2023-09-01", "psn_type": "1404",
                       "first_insured_month": "2023-09"}]

    enrollment = db.session.scalar(db.select(Enrollment).join(Person).where(
        Person.id_number == WANG_FANG))
    enrollment.status = "2"  # the registry moves on: the reviewer still sees what was submitted
    db.session.commit()
    from tests.support import login

    reviewer = app.test_client()
    make_user("Reviewer", "511702", username="tc_reviewer")
    assert login(reviewer, "tc_reviewer").status_code == 302
    html = reviewer.get(f"/review/applications/{pk}").get_data(as_text=True)
    assert all(f"<td>{cell}</td>" in html for cell in ENROLLMENT_CELLS), html
    assert "<td>暂停参保</td>" not in html


# --- prefill from the registry ----------------------------------------------------------------

def test_hb1_prefills_employer_and_mobile_from_the_subjects_record(ctx, clock, app):
    from tests.wizard_support import post_step, signed_in, start

    LoadFormdefsCommand([FORMDEFS / "130000-hebei" / "chronic_disease_outpatient.yaml"],
                        publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()
    client = signed_in(app, citizen("130203195803150312", "李四", "130203"))
    pk = start(client, "chronic_disease_outpatient", "130203")
    assert post_step(client, f"/applications/{pk}/notice", {"acknowledge": "y"}).status_code \
        == 302
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    html = client.get(f"/applications/{pk}/pages/basic").get_data(as_text=True)
    assert re.search(r'id="employer_name"[^>]* value="开滦.集团.有限责任公司"', html)
    assert 'value="130200000027"' in html
    assert 'value="13903150188"' in html
