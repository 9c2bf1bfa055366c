"""The applicant's own mobile number comes from the registry when it has one (``prefill:
person.mobile``), as the HB items did: JS-1's 授权人 and GD-1's 居民信息 asked for it empty."""
import html

from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from app.models.person import Person
from tests.applications_support import (ALICE_ID, FORMDEFS, api_create, api_upload,  # noqa: F401
                                        clock, load_gd8, make_citizen, token)
from tests.wizard_support import (JIANGSU_ID, JS1, JS1_CODE, NANJING, acknowledge_notice,
                                  citizen, publish, signed_in, start)

REGISTRY_MOBILE = "13913876542"


def registry_mobile(number: str) -> None:
    db.session.scalars(select(Person).where(Person.id_number == number)).one().mobile = \
        REGISTRY_MOBILE
    db.session.commit()


def test_js1_offers_the_authorisers_mobile_from_the_registry(app, ctx, clock):
    publish(JS1)
    client = signed_in(app, citizen(JIANGSU_ID, "李明", NANJING))
    registry_mobile(JIANGSU_ID)
    pk = start(client, JS1_CODE, NANJING)
    acknowledge_notice(client, pk)
    page = html.unescape(client.get(f"/applications/{pk}/pages/authoriser")
                         .get_data(as_text=True))
    field = page[page.index('name="mobile"') - 300:page.index('name="mobile"') + 300]
    assert f'value="{REGISTRY_MOBILE}"' in field


def test_gd1_submits_the_registry_mobile_when_none_is_typed_and_a_typed_one_wins(ctx, clock,
                                                                                client):
    load_gd8(FORMDEFS / "440000-guangdong" / "resident_enrollment.yaml")
    alice = make_citizen()
    registry_mobile(ALICE_ID)
    headers = token(client, alice.username)
    pk = api_create(client, headers, item="resident_enrollment").get_json()["id"]
    answers = {"_notice": True, "grassroots_name": "天河某社区", "grassroots_code": "44010600001",
               "nation": "01", "gender": "2", "hukou_region": "440106",
               "hukou_address": "天河路1号", "hukou_postcode": "510000", "psn_type": "1401",
               "enroll_date": "2026-11-25", "pay_year": 2026}
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": answers})
    assert saved.status_code == 200 and not saved.get_json()["errors"], saved.get_json()
    assert api_upload(client, headers, pk, "id_document").status_code == 201
    submitted = client.post(f"/api/v1/applications/{pk}/submit", json=None,
                            headers={**headers, "Idempotency-Key": f"k-{pk}"})
    assert submitted.status_code == 200, submitted.get_json()
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["mobile"] == REGISTRY_MOBILE
