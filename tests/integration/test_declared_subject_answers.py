"""An agent's subject the registry does not know holds the identity answers too (GD-1).

An agent enrolling a newborn declares the child's name and ID number on the filer step; the
registry knows nothing and nobody verified it, so ``person`` is empty. The answers' name, ID
number and sex could then name someone else than the application's subject (whom reviewers
see). Now the declared subject prefills them and holds them, on a save and at submission,
through the API and the web wizard alike; the sex and birth date are those the number encodes.
"""
import html
import re

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (ALICE_ID, BOB_ID, FORMDEFS, api_create,  # noqa: F401
                                        api_upload, clock, id_number, load_gd8, make_citizen,
                                        make_person, token)
from tests.wizard_support import acknowledge_notice, post_step, signed_in, start

GD1 = FORMDEFS / "440000-guangdong" / "resident_enrollment.yaml"
ITEM, REGION = "resident_enrollment", "440106"
CHILD_ID = id_number("44010620250301002")  # a girl born 2025-03-01, not in the registry
CHILD = {"name": "林小小", "id_number": CHILD_ID}
AGENT = {"relationship": "04", "address": "广州市天河区天河路1号"}
NOT_THE_SUBJECT = ("This must be the details of the person you apply for, as you gave them "
                   "under “Who applies”; another person's details are not accepted.")
NOT_THE_SUBJECT_ZH = "须为被代办人本人的信息（以“申报人”一步填写的为准），不能填写他人的信息。"
DIVISION = {"grassroots_name": "天河某社区", "grassroots_code": "44010600001"}
RESIDENT = {"mobile": "13800138000", "nation": "01", "hukou_region": "440106",
            "hukou_address": "天河路1号", "hukou_postcode": "510000"}
INSURANCE = {"psn_type": "1401", "enroll_date": "2026-11-25", "pay_year": 2026}
SOMEONE_ELSE = {"cert_type": "01", "id_number": BOB_ID, "name": "王芳", "gender": "1"}


def put(client, headers, pk, answers):
    return client.put(f"/api/v1/applications/{pk}/answers?_l_=en", headers=headers,
                      json={"answers": answers})


def test_the_api_holds_an_agents_answers_to_the_declared_subject(ctx, clock, client):
    load_gd8(GD1)
    headers = token(client, make_citizen().username)
    make_person(BOB_ID, "王芳")  # a real person of the registry, not the subject
    created = api_create(client, headers, item=ITEM, filer="agent", subject=CHILD, agent=AGENT)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = put(client, headers, pk, {"_notice": True, **DIVISION, **RESIDENT, **INSURANCE,
                                      **SOMEONE_ELSE})
    assert saved.status_code == 200, saved.get_json()
    errors = saved.get_json()["errors"]
    assert {k: errors.get(k) for k in ("id_number", "name", "gender")} == {
        "id_number": [NOT_THE_SUBJECT], "name": [NOT_THE_SUBJECT], "gender": [NOT_THE_SUBJECT]}
    for key in ("id_document", "agent_id"):
        assert api_upload(client, headers, pk, key).status_code == 201
    refused = client.post(f"/api/v1/applications/{pk}/submit?_l_=en",
                          headers={**headers, "Idempotency-Key": "k1"})
    assert refused.status_code == 422, refused.get_json()
    assert {"id_number", "name", "gender"} <= set(refused.get_json()["errors"])
    # Left out, the identity answers are the declared subject's (prefilled), and go through.
    saved = put(client, headers, pk, {"id_number": None, "name": None, "gender": None})
    assert saved.status_code == 200 and not saved.get_json()["errors"], saved.get_json()
    submitted = client.post(f"/api/v1/applications/{pk}/submit?_l_=en",
                            headers={**headers, "Idempotency-Key": "k2"})
    assert submitted.status_code == 200, submitted.get_json()
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert application.subject_verified_at is None
    assert (application.subject_id_number, application.subject_name) == (CHILD_ID, "林小小")


def test_the_wizard_prefills_and_holds_the_declared_subject(app, ctx, clock):
    load_gd8(GD1)
    client = signed_in(app, make_citizen())
    make_person(BOB_ID, "王芳")
    pk = start(client, ITEM, REGION)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": CHILD["name"], "subject_id_number": CHILD_ID,
        **AGENT}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/division", DIVISION).status_code == 302
    url = f"/applications/{pk}/pages/resident"
    shown = html.unescape(client.get(url).get_data(as_text=True))
    assert re.search(r'name="id_number"[^>]*value="%s"|value="%s"[^>]*name="id_number"'
                     % (CHILD_ID, CHILD_ID), shown)
    assert re.search(r'name="name"[^>]*value="林小小"|value="林小小"[^>]*name="name"', shown)
    refused = post_step(client, url, {**RESIDENT, **SOMEONE_ELSE})
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    for key in ("id_number", "name", "gender"):
        assert re.search(r'id="%s-err">%s' % (key, re.escape(NOT_THE_SUBJECT_ZH)), page), key
    accepted = post_step(client, url, {**RESIDENT, "cert_type": "01", "id_number": CHILD_ID,
                                       "name": "林小小", "gender": "2"})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)[:2000]
