"""One rule for a person's identifiers on their own pages, whatever the item (docs/engine.md,
*Personal identifiers*). SC-2 showed its filer their own ID number masked (``masked: true``)
where HB-1 and GD-1 showed it in full; now every item reads alike:

- lists (我要查's rows, the API's list) mask it;
- the confirmation and the filer's own detail pages (我要查, the API's detail) show it in full;
- an agent sees the subject's number in full while filing and correcting, masked once the
  application is submitted, on the web and in the API alike.
"""
import html
from dataclasses import dataclass

import pytest

from app.commands.reviews.return_ import ReturnCommand
from app.extensions import db
from app.models.application import Application
from app.validators import mask_id_number, mask_mobile
from tests.applications_support import (ALICE_ID, FORMDEFS, SC2_SUSPENSION,  # noqa: F401
                                        TONGCHUAN, WANG_FANG, api_create, api_upload, clock,
                                        load_gd8, make_citizen, publish_sc2, token, wang_fang)
from tests.support import make_user
from tests.wizard_support import (CITIZEN_ID, HB1, HB1_CODE, SUBJECT_ID, TANGSHAN, citizen,
                                  make_person, publish, signed_in)

HB1_ANSWERS = {"_notice": True, "disease_kind": "chronic", "insutype": "310",
               "insured_region": TANGSHAN, "mobile": "13700001111", "special": "0",
               "disease": "高血压", "hospital": "唐山中心医院", "department": "心内科"}
GD1_ANSWERS = {"_notice": True, "grassroots_name": "天河某社区", "grassroots_code": "44010600001",
               "cert_type": "01", "mobile": "13800138000", "nation": "01", "gender": "2",
               "hukou_region": "440106", "hukou_address": "天河路1号", "hukou_postcode": "510000",
               "psn_type": "1401", "enroll_date": "2026-11-25", "pay_year": 2026,
               "id_number": ALICE_ID, "name": "林小红"}
SC2_ANSWERS = {"_notice": True, **SC2_SUSPENSION, "suspend_region": TONGCHUAN}


@dataclass
class Filing:
    user: object
    number: str
    item: str
    region: str
    answers: dict
    materials: tuple


def hb1() -> Filing:
    publish(HB1)
    return Filing(citizen(), CITIZEN_ID, HB1_CODE, TANGSHAN, HB1_ANSWERS,
                  ("diagnosis", "medical_records"))


def gd1() -> Filing:
    load_gd8(FORMDEFS / "440000-guangdong" / "resident_enrollment.yaml")
    return Filing(make_citizen(), ALICE_ID, "resident_enrollment", "440106", GD1_ANSWERS,
                  ("id_document",))


def sc2() -> Filing:  # its 证件号码 says masked: true
    publish_sc2()
    return Filing(wang_fang(), WANG_FANG, "resident_enrollment_suspend", TONGCHUAN, SC2_ANSWERS,
                  ("id_document",))


ITEMS = pytest.mark.parametrize("setup", [hb1, gd1, sc2], ids=["HB-1", "GD-1", "SC-2"])


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def drafted(client, filing: Filing, **create) -> tuple[dict, int]:
    """File ``filing`` through the API up to its submission; return (headers, id)."""
    headers = token(client, filing.user.username)
    created = api_create(client, headers, item=filing.item, region=filing.region, **create)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": filing.answers})
    assert saved.status_code == 200 and not saved.get_json()["errors"], saved.get_json()
    for key in filing.materials:
        assert api_upload(client, headers, pk, key).status_code == 201
    return headers, pk


def submit(client, headers, pk: int) -> None:
    response = client.post(f"/api/v1/applications/{pk}/submit", json=None,
                           headers={**headers, "Idempotency-Key": f"own-{pk}"})
    assert response.status_code == 200, response.get_json()


@ITEMS
def test_the_confirmation_and_own_detail_pages_show_ones_own_number_in_full(app, ctx, clock,
                                                                            setup):
    filing = setup()
    api = app.test_client()
    headers, pk = drafted(api, filing)
    web = signed_in(app, filing.user)
    masked = mask_id_number(filing.number)
    confirm = page(web, f"/applications/{pk}/confirm")
    # 办理对象 and 证件号码 alike: the filer checks what they submit.
    assert confirm.count(filing.number) >= 2 and masked not in confirm
    submit(api, headers, pk)
    detail = page(web, f"/my/applications/{pk}")
    assert detail.count(filing.number) >= 2 and masked not in detail
    body = api.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert body["subject_id_number"] == filing.number
    assert body["answers"]["id_number"] == filing.number
    assert masked not in str(body)
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["id_number"] == filing.number  # stored whole


@ITEMS
def test_lists_always_mask_ones_own_number(app, ctx, clock, setup):
    filing = setup()
    api = app.test_client()
    headers, pk = drafted(api, filing)
    web = signed_in(app, filing.user)
    for submitted in (False, True):
        if submitted:
            submit(api, headers, pk)
        listed = api.get("/api/v1/applications/", headers=headers).get_json()
        assert listed["result"][0]["subject_id_number"] == mask_id_number(filing.number)
        assert filing.number not in str(listed)
        for tab in ("all", "open"):
            assert filing.number not in page(web, f"/my/applications/?tab={tab}")


@pytest.fixture
def agent_filing(app, ctx, clock):  # noqa: F811
    """HB-1 filed by 王建国 for 王秀英 through the API, up to its submission."""
    filing = hb1()
    filing.materials += ("agent_id",)
    make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2")
    api = app.test_client()
    headers, pk = drafted(api, filing, filer="agent",
                          subject={"name": "王秀英", "id_number": SUBJECT_ID},
                          agent={"relationship": "03", "address": "唐山市路北区某某路1号"})
    return api, headers, pk, signed_in(app, filing.user)


def agent_reads(api, headers, pk: int, web) -> tuple[str, dict]:
    return (page(web, f"/my/applications/{pk}"),
            api.get(f"/api/v1/applications/{pk}", headers=headers).get_json())


def test_an_agent_sees_the_subjects_number_in_full_while_filing_and_correcting(agent_filing):
    api, headers, pk, web = agent_filing
    confirm = page(web, f"/applications/{pk}/confirm")
    assert confirm.count(SUBJECT_ID) >= 2 and mask_id_number(SUBJECT_ID) not in confirm
    detail, body = agent_reads(api, headers, pk, web)  # a draft: theirs to change
    assert SUBJECT_ID in detail and "13700001111" in detail
    assert body["subject_id_number"] == SUBJECT_ID  # read-only answers are filled at submission
    assert body["answers"]["mobile"] == "13700001111"
    submit(api, headers, pk)
    ReturnCommand(pk, make_user("Reviewer", TANGSHAN), comment="请补正", missing={
        "fields": {"hospital": "医院名称不全"}, "materials": {}}).run()
    detail, body = agent_reads(api, headers, pk, web)  # returned: theirs to correct
    assert body["status"] == "returned" and SUBJECT_ID in detail
    assert body["subject_id_number"] == body["answers"]["id_number"] == SUBJECT_ID
    assert SUBJECT_ID in page(web, f"/applications/{pk}/confirm")


def test_an_agent_sees_the_subjects_number_masked_once_submitted_web_and_api_alike(
        agent_filing):
    api, headers, pk, web = agent_filing
    submit(api, headers, pk)
    detail, body = agent_reads(api, headers, pk, web)
    masked = mask_id_number(SUBJECT_ID)
    assert SUBJECT_ID not in detail and detail.count(masked) >= 2  # 办理对象 and 证件号码
    assert SUBJECT_ID not in str(body)
    assert body["subject_id_number"] == body["answers"]["id_number"] == masked
    # The API mirrors the page: a mobile the agent gave is masked on both.
    assert "13700001111" not in detail and mask_mobile("13700001111") in detail
    assert body["answers"]["mobile"] == mask_mobile("13700001111")
    assert body["subject_name"] == "王秀英" and "王秀英" in detail  # names are not identifiers
