"""Answers prefilled from the subject's identity are the subject's, even where editable (GD-1).

A citizen filing 城乡居民参保登记 for themself could type another real person's name and ID
number: the subject (whom the reviewer sees and whose enrollments 一人一保 reads) was the account
holder, the answers someone else. The engine now refuses an identity answer that differs from
what ``person`` gives; an agent enrolling a newborn the registry does not know still types it.
"""
from app.extensions import db
from app.models.application import Application
from app.models.base import utcnow
from tests.applications_support import (ALICE_ID, BOB_ID, FORMDEFS, api_create,  # noqa: F401
                                        api_upload, clock, load_gd8, make_citizen, make_person,
                                        token)
from tests.support import make_user

GD1 = FORMDEFS / "440000-guangdong" / "resident_enrollment.yaml"
NOT_THE_SUBJECT = ("This must be the details of the person the application is for, as the "
                   "insured-person registry or the verified identity gives them; another "
                   "person's details are not accepted.")
ANSWERS = {"_notice": True, "grassroots_name": "天河某社区", "grassroots_code": "44010600001",
           "cert_type": "01", "mobile": "13800138000", "nation": "01", "gender": "2",
           "hukou_region": "440106", "hukou_address": "天河路1号", "hukou_postcode": "510000",
           "psn_type": "1401", "enroll_date": "2026-11-25", "pay_year": 2026}
SOMEONE_ELSE = {"id_number": BOB_ID, "name": "王芳"}


def submit(client, headers, pk):
    return client.post(f"/api/v1/applications/{pk}/submit?_l_=en", json=None,
                       headers={**headers, "Idempotency-Key": f"k-{pk}"})


def put(client, headers, pk, answers):
    return client.put(f"/api/v1/applications/{pk}/answers?_l_=en", headers=headers,
                      json={"answers": answers})


def test_a_self_filing_cannot_enroll_someone_else_through_the_api(ctx, clock, client):
    load_gd8(GD1)
    alice = make_citizen()
    make_person(BOB_ID, "王芳")  # a real person of the registry
    headers = token(client, alice.username)
    created = api_create(client, headers, item="resident_enrollment", filer="self")
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = put(client, headers, pk, {**ANSWERS, **SOMEONE_ELSE})
    assert saved.status_code == 200, saved.get_json()
    errors = saved.get_json()["errors"]
    assert errors["id_number"] == [NOT_THE_SUBJECT] and errors["name"] == [NOT_THE_SUBJECT]
    assert api_upload(client, headers, pk, "id_document").status_code == 201
    refused = submit(client, headers, pk)
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["errors"]["id_number"] == [NOT_THE_SUBJECT]
    db.session.expire_all()
    assert db.session.get(Application, pk).status == "draft"  # nothing reached a reviewer
    # Her own identity (typed in another width, as the form allows) goes through.
    saved = put(client, headers, pk, {"id_number": ALICE_ID.lower(), "name": "林 小红"})
    assert saved.status_code == 200 and not saved.get_json()["errors"], saved.get_json()
    assert submit(client, headers, pk).status_code == 200
    db.session.expire_all()
    stored = db.session.get(Application, pk).answers
    assert (stored["id_number"], stored["name"]) == (ALICE_ID, "林 小红")


def test_the_registry_record_holds_the_sex_too(ctx, clock, client):
    load_gd8(GD1)
    alice = make_citizen()  # her registry record says 2 (female)
    headers = token(client, alice.username)
    pk = api_create(client, headers, item="resident_enrollment").get_json()["id"]
    saved = put(client, headers, pk, {**ANSWERS, "gender": "1"})
    assert saved.get_json()["errors"]["gender"] == [NOT_THE_SUBJECT]
    saved = put(client, headers, pk, {"gender": "2", "id_number": ALICE_ID, "name": "林小红"})
    assert "gender" not in saved.get_json()["errors"]


def test_a_citizen_the_registry_does_not_know_is_held_to_the_verified_identity(ctx, clock,
                                                                              client):
    load_gd8(GD1)
    alice = make_user("Citizen", "440106", name="林小红", id_number=ALICE_ID)  # no record
    alice.identity_verified_at = utcnow()
    db.session.commit()
    headers = token(client, alice.username)
    pk = api_create(client, headers, item="resident_enrollment").get_json()["id"]
    errors = put(client, headers, pk, {**ANSWERS, **SOMEONE_ELSE}).get_json()["errors"]
    assert errors["id_number"] == [NOT_THE_SUBJECT] and errors["name"] == [NOT_THE_SUBJECT]
    assert "gender" not in errors  # the verification gives no sex: hers to answer


def test_sichuans_enrollment_holds_a_self_filing_to_the_subject_too(ctx, clock, client):
    load_gd8(FORMDEFS / "510000-sichuan" / "resident_enrollment.yaml")
    wu = make_citizen("510104199002280512", "吴刚", region="510104")
    make_person("511702200506180247", "王芳", region="511702")
    headers = token(client, wu.username)
    pk = api_create(client, headers, item="resident_enrollment", region="510104").get_json()["id"]
    errors = put(client, headers, pk, {
        **ANSWERS, "grassroots_name": "锦江社区", "grassroots_code": "51010400001",
        "id_number": "511702200506180247", "name": "王芳"}).get_json()["errors"]
    assert errors["id_number"] == [NOT_THE_SUBJECT] and errors["name"] == [NOT_THE_SUBJECT]
