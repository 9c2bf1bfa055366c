"""险种 and 参保地 answers held to the subject's registry record (citizen QA, two findings).

SC-3 出具参保凭证 offered 王芳 (390 in 通川区 only) the whole 险种 code table and every county of
Sichuan, then refused what she chose; filing for herself she is now offered her own enrollments
(``among``, as SC-2's 暂停参保区划). HB-1 门诊慢特病申报 prefilled 参保地区 from the record but took
石家庄 for 张三 and 李四 (both insured in 唐山 路北区); the SC 跨省异地就医备案 had the same editable,
unchecked 参保地. Both now refuse an answer the record does not hold, whoever files.
"""
import pytest

from app.cli import DEMO_PERSONS
from app.commands.formdefs import LoadFormdefsCommand
from app.commands.persons import ImportPersonsCommand
from app.extensions import db
from app.models.base import utcnow
from tests.applications_support import (FORMDEFS, api_create, clock, id_number,  # noqa: F401
                                        token)
from tests.support import make_user

ZHANG_SAN, LI_SI, WANG_FANG = "11010519491231002X", "130203195803150312", "511702200506180247"
LUBEI, TONGCHUAN = "130203", "511702"
HB1_MISMATCH = ["参保地区与参保人该险种的参保记录不符，请核对参保地区。"]
SC_MISMATCH = ["参保地与参保人该险种的参保记录不符，请核对参保地。"]


@pytest.fixture
def registry(ctx, clock):
    LoadFormdefsCommand([FORMDEFS / "130000-hebei" / "chronic_disease_outpatient.yaml",
                         FORMDEFS / "510000-sichuan" / "insurance_certificate.yaml",
                         FORMDEFS / "510000-sichuan" / "cross_province_medical_filing.yaml"],
                        publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()


def verified(region, name, number):
    user = make_user("Citizen", region, name=name, id_number=number)
    user.identity_verified_at = utcnow()
    db.session.commit()
    return user


def draft(client, user, item, region, **extra):
    headers = {**token(client, user.username), "Accept-Language": "zh"}
    created = api_create(client, headers, item=item, region=region, **extra)
    assert created.status_code == 201, created.get_json()
    return headers, created.get_json()["id"]


def save(client, headers, pk, page, answers):
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": answers, "page": page})
    assert saved.status_code == 200, saved.get_json()
    return saved.get_json()["errors"]


def test_sc3_offers_her_own_enrollments_and_refuses_any_other(client, registry):
    headers, pk = draft(client, verified(TONGCHUAN, "王芳", WANG_FANG),
                        "insurance_certificate", TONGCHUAN)
    form = client.get(f"/api/v1/applications/{pk}/form", headers=headers).get_json()
    schema = form["answers_schema"]["properties"]
    assert schema["insutype"]["enum"] == ["390"]
    assert schema["insured_region"]["enum"] == [TONGCHUAN]
    errors = save(client, headers, pk, "certificate",
                  {"insutype": "310", "insured_region": "510104", "purpose": "personal",
                   "language": "zh"})
    assert set(errors) >= {"insutype", "insured_region"}, errors
    assert save(client, headers, pk, "certificate",
                {"insutype": "390", "insured_region": TONGCHUAN, "purpose": "personal",
                 "language": "zh"}) == {}


HB1_BASIC = {"insutype": "310", "mobile": "13800138000"}


def test_hb1_refuses_an_insured_region_the_record_does_not_hold(client, registry):
    headers, pk = draft(client, verified(LUBEI, "张三", ZHANG_SAN),
                        "chronic_disease_outpatient", LUBEI)
    errors = save(client, headers, pk, "basic", {**HB1_BASIC, "insured_region": "130100"})
    assert errors.get("insured_region") == HB1_MISMATCH, errors
    assert "insutype" not in errors
    assert save(client, headers, pk, "basic", {**HB1_BASIC, "insured_region": "130200"}) == {}
    errors = save(client, headers, pk, "basic",
                  {**HB1_BASIC, "insutype": "390", "insured_region": "130200"})
    assert set(errors) == {"insutype", "insured_region"}, errors


def test_hb1_refuses_an_agents_insured_region_naming_no_registry_value(client, registry):
    agent = verified(LUBEI, "赵六", id_number("13020319800101001"))
    headers, pk = draft(client, agent, "chronic_disease_outpatient", LUBEI, filer="agent",
                        subject={"name": "李四", "id_number": LI_SI},
                        agent={"relationship": "99", "address": "唐山市路北区某路1号"})
    errors = save(client, headers, pk, "basic", {**HB1_BASIC, "insured_region": "130100"})
    assert errors.get("insured_region") == HB1_MISMATCH, errors
    assert "130203" not in str(errors) and "路北" not in str(errors)
    assert save(client, headers, pk, "basic", {**HB1_BASIC, "insured_region": "130200"}) == {}


def test_sc_cross_province_filing_refuses_an_insured_region_the_record_does_not_hold(
        client, registry):
    headers, pk = draft(client, verified(TONGCHUAN, "王芳", WANG_FANG),
                        "cross_province_medical_filing", TONGCHUAN)
    answers = {"insutype": "390", "insured_region": "510100"}
    errors = save(client, headers, pk, "filing", answers)
    assert errors.get("insured_region") == SC_MISMATCH, errors
    errors = save(client, headers, pk, "filing", {**answers, "insured_region": "511700"})
    assert "insured_region" not in errors and "insutype" not in errors, errors


ZHENG_LI, TIANHE, NANSHAN, CHANG_AN = "440106197511110429", "440106", "440305", "130102"
TRANSFERS = [FORMDEFS / "440000-guangdong" / "transfer_out_cross_province.yaml",
             FORMDEFS / "440000-guangdong" / "transfer_in_cross_province.yaml",
             FORMDEFS / "130000-hebei" / "transfer_out_cross_province.yaml",
             FORMDEFS / "130000-hebei" / "transfer_in_cross_province.yaml",
             FORMDEFS / "130000-hebei" / "transfer_within_province.yaml"]
OUT_MISMATCH = ["转出地与参保人该险种的参保记录不符，请核对转出地。"]
IN_MISMATCH = ["转入地与参保人该险种的参保记录不符，请核对转入地。"]


@pytest.mark.parametrize(("item", "person", "field", "wrong", "right", "message"), [
    # 郑丽 holds 职工 (310) in 广州 天河区; 张三 in 唐山 路北区.
    ("transfer_out_cross_province", ("郑丽", ZHENG_LI, TIANHE), "from_region", NANSHAN, TIANHE,
     OUT_MISMATCH),
    ("transfer_in_cross_province", ("郑丽", ZHENG_LI, TIANHE), "to_region", NANSHAN, TIANHE,
     IN_MISMATCH),
    ("transfer_out_cross_province", ("张三", ZHANG_SAN, LUBEI), "from_region", CHANG_AN, LUBEI,
     OUT_MISMATCH),
    ("transfer_in_cross_province", ("张三", ZHANG_SAN, LUBEI), "to_region", CHANG_AN, LUBEI,
     IN_MISMATCH),
    ("transfer_within_province", ("张三", ZHANG_SAN, LUBEI), "to_region", CHANG_AN, LUBEI,
     IN_MISMATCH),
])
def test_a_transfer_refuses_a_region_the_record_does_not_hold(client, ctx, clock, item, person,
                                                                field, wrong, right, message):
    LoadFormdefsCommand(TRANSFERS, publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()
    name, number, region = person
    headers, pk = draft(client, verified(region, name, number), item, region)
    page = "agencies" if item == "transfer_within_province" else "transfer"
    errors = save(client, headers, pk, page, {field: wrong})
    assert errors.get(field) == message, errors
    errors = save(client, headers, pk, page, {field: right})
    assert field not in errors, errors
