"""``masked: true`` on SC-2 城乡居民暂停参保: the citizen's wizard page, confirmation, 我要查 and
API show the ID number masked (seed 003: "证件号码 5134*****"); the application stores it whole,
and nothing sent back in its place is kept."""
import pytest

from app.cli import DEMO_PERSONS
from app.commands.formdefs import LoadFormdefsCommand
from app.commands.persons import ImportPersonsCommand
from app.extensions import db
from app.models.application import Application
from app.models.base import utcnow
from tests.applications_support import FORMDEFS, api_create, api_upload, clock, token  # noqa: F401
from tests.support import make_user
from tests.wizard_support import (acknowledge_notice, post_step, signed_in, start, submit_token,
                                  upload)

WANG_FANG = "511702200506180247"  # DEMO_PERSONS: 390 active in 达州 通川区
MASKED = "5117**********0247"
SUSPENSION = {"suspend_reason": "01", "suspend_date": "2026-11-20", "remark": "在户籍地参保",
              "nonlocal_student": "0", "graduating": "0", "suspend_region": "511702"}


@pytest.fixture
def sc2(ctx, clock):
    LoadFormdefsCommand([FORMDEFS / "510000-sichuan" / "resident_enrollment_suspend.yaml",
                         FORMDEFS / "511700-dazhou" / "resident_enrollment_suspend.yaml"],
                        publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()
    user = make_user("Citizen", "511702", name="王芳", id_number=WANG_FANG)
    user.identity_verified_at = utcnow()
    db.session.commit()
    return user


def shown_masked(html: str) -> bool:
    return WANG_FANG not in html and MASKED in html


def test_sc2_pages_show_the_id_number_masked_and_the_application_keeps_it_whole(sc2, app):
    client = signed_in(app, sc2)
    pk = start(client, "resident_enrollment_suspend", "511702")
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    basic = client.get(f"/applications/{pk}/pages/basic").get_data(as_text=True)
    assert shown_masked(basic), basic[basic.find('id="q-id_number"') - 200:][:800]
    # The read-only input goes back as it was shown: the masked form is not kept.
    assert post_step(client, f"/applications/{pk}/pages/basic",
                     {"name": "王芳", "cert_type": "01", "id_number": MASKED}).status_code == 302
    assert "id_number" not in db.session.get(Application, pk).answers
    assert post_step(client, f"/applications/{pk}/pages/suspension", SUSPENSION).status_code == 302
    assert upload(client, pk, "id_document").status_code in (200, 302, 303)

    confirm = client.get(f"/applications/{pk}/confirm").get_data(as_text=True)
    assert shown_masked(confirm), confirm
    assert confirm.count(MASKED) == 2  # 证件号码, and who the application is for
    submitted = client.post(f"/applications/{pk}/confirm",
                            data={"submit_token": submit_token(confirm)})
    assert submitted.status_code == 303, submitted.get_data(as_text=True)[:2000]
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert application.status == "submitted"
    assert application.answers["id_number"] == WANG_FANG  # stored whole
    assert shown_masked(client.get(f"/my/applications/{pk}").get_data(as_text=True))

    api = app.test_client()
    body = api.get(f"/api/v1/applications/{pk}", headers=token(api, sc2.username)).get_json()
    assert body["answers"]["id_number"] == MASKED and body["answers"]["name"] == "王芳"


def test_answers_sent_for_a_masked_field_through_the_api_are_not_kept(sc2, app):
    api = app.test_client()
    headers = token(api, sc2.username)
    created = api_create(api, headers, item="resident_enrollment_suspend", region="511702")
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    form = api.get(f"/api/v1/applications/{pk}/form", headers=headers).get_json()
    schema = form["answers_schema"]["properties"]["id_number"]
    assert schema["readOnly"] is True and "pattern" not in schema  # the masked form is sent
    saved = api.put(f"/api/v1/applications/{pk}/answers", headers=headers, json={"answers": {
        "_notice": True, **SUSPENSION, "id_number": MASKED, "cert_number": "11010519491231002X"}})
    assert saved.status_code == 200, saved.get_json()
    assert "id_number" not in saved.get_json()["errors"]
    stored = db.session.get(Application, pk).answers
    assert "id_number" not in stored and "cert_number" not in stored
    assert api_upload(api, headers, pk, "id_document").status_code == 201
    submitted = api.post(f"/api/v1/applications/{pk}/submit", headers={
        **headers, "Idempotency-Key": f"masked-{pk}"})
    assert submitted.status_code == 200, submitted.get_json()
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["id_number"] == WANG_FANG
    body = api.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert body["answers"]["id_number"] == MASKED
