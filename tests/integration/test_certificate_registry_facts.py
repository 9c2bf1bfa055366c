"""SC-3 出具参保凭证 prints only what the person registry holds (security review, finding 1).

The certificate states 险种类型, 参保区划 and the period covered, and is issued by rule. It was
issued whenever the two answers were filled in: an agent (吴刚) obtained one for 王芳 stating
公务员医疗补助 in 锦江区 since 1990, though the registry has her in 城乡居民 (390) in 通川区 since
2023. The definition's rules now compare each answer with her enrollments, and its ``auto`` step
approves only what they hold (a subject the registry does not know goes to a clerk)."""
import pytest

from app.cli import DEMO_PERSONS
from app.commands.formdefs import LoadFormdefsCommand
from app.commands.persons import ImportPersonsCommand
from app.extensions import db
from app.models.application import Application
from app.models.base import utcnow
from tests.applications_support import FORMDEFS, api_create, clock, token  # noqa: F401
from tests.support import make_user

WANG_FANG, WU_GANG = "511702200506180247", "510104199002280512"
TONGCHUAN = "511702"  # 达州市 通川区, where 王芳 holds 390 since 2023-09-01
ANSWERS = {"name": "王芳", "cert_type": "01", "id_number": WANG_FANG, "mobile": "15808180234",
           "purpose": "personal", "language": "zh"}
# 险种类型 and 参保区划 are chosen among her enrollments (``among``); an agent is not offered them
# and is told only that the answer does not match the record (app.engine.answer_choices).
NOT_ON_RECORD = ["与参保人员信息库中被代办人的信息不符，请与被代办人核对。"]
ERRORS = {
    "insutype": NOT_ON_RECORD,
    "insured_region": NOT_ON_RECORD,
    "period": ["凭证所含参保期间应在该险种一段参保的个人参保日期至参保终止日期之间"
               "（正常参保的，至今天）。"],
}


@pytest.fixture
def agent(ctx, clock):
    """SC-3 published, the demo registry imported; yields 吴刚, who files for 王芳."""
    LoadFormdefsCommand([FORMDEFS / "510000-sichuan" / "insurance_certificate.yaml"],
                        publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()
    user = make_user("Citizen", "510104", name="吴刚", id_number=WU_GANG)
    user.identity_verified_at = utcnow()
    db.session.commit()
    return user


def file_for_wang_fang(client, user, answers):
    headers = {**token(client, user.username), "Accept-Language": "zh"}
    created = api_create(client, headers, item="insurance_certificate", region=TONGCHUAN,
                         filer="agent", subject={"name": "王芳", "id_number": WANG_FANG},
                         agent={"relationship": "99", "address": "成都市锦江区某路1号"})
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": {**ANSWERS, **answers}})
    assert saved.status_code == 200, saved.get_json()
    submitted = client.post(f"/api/v1/applications/{pk}/submit",
                            headers={**headers, "Idempotency-Key": f"k-{pk}"})
    return pk, headers, submitted


@pytest.mark.parametrize(("answers", "refused"), [
    # The review's reproduction: type, region and period all the applicant's invention.
    ({"insutype": "320", "insured_region": "510104",
      "period": {"start": "1990-01-01", "end": "2026-11-01"}}, ERRORS),
    # Her own type and region, a period reaching back before her enrollment.
    ({"insutype": "390", "insured_region": TONGCHUAN,
      "period": {"start": "2020-01-01", "end": "2026-11-01"}}, {"period": ERRORS["period"]}),
    # Her own type in another region.
    ({"insutype": "390", "insured_region": "510104"},
     {"insured_region": ERRORS["insured_region"]}),
])
def test_a_certificate_of_what_the_registry_does_not_hold_is_refused(client, agent, answers,
                                                                       refused):
    pk, _headers, response = file_for_wang_fang(client, agent, answers)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"] == refused
    assert db.session.get(Application, pk).status == "draft"


def test_an_agents_request_of_what_the_registry_holds_goes_to_a_clerk(client, agent):
    """No mandate is checked online: the certificate of another person is a clerk's decision."""
    pk, _headers, response = file_for_wang_fang(client, agent, {
        "insutype": "390", "insured_region": TONGCHUAN,
        "period": {"start": "2023-09-01", "end": "2026-11-01"}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"
    assert db.session.get(Application, pk).current_step == "auto_issue"  # waits for a clerk


def test_what_the_registry_holds_is_issued_to_the_person_by_rule_and_printed(client, agent):
    wang_fang = make_user("Citizen", TONGCHUAN, name="王芳", id_number=WANG_FANG)
    wang_fang.identity_verified_at = utcnow()
    db.session.commit()
    headers = {**token(client, wang_fang.username), "Accept-Language": "zh"}
    created = api_create(client, headers, item="insurance_certificate", region=TONGCHUAN)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers, json={"answers": {
        **ANSWERS, "insutype": "390", "insured_region": TONGCHUAN,
        "period": {"start": "2023-09-01", "end": "2026-11-01"}}})
    assert saved.status_code == 200, saved.get_json()
    response = client.post(f"/api/v1/applications/{pk}/submit",
                           headers={**headers, "Idempotency-Key": f"k-{pk}"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "approved"
    document = client.get(f"/api/v1/applications/{pk}/document", headers=headers)
    assert document.status_code == 200, document.get_json()
    html = document.get_json()["html"]
    assert "在四川省 达州市 通川区参加城乡居民基本医疗保险" in html, html
    assert "2023年9月1日" in html and "1990" not in html
