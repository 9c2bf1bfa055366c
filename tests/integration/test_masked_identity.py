"""``masked: true`` on SC-2 城乡居民暂停参保 (seed 003: "证件号码 5134*****") no longer hides the
number from its own filer: the wizard page, confirmation, 我要查's detail and the API's show it
in full as every item does (docs/engine.md, *Personal identifiers*), the list masks it; the
application stores it whole, and nothing sent back in its place is kept."""
import pytest

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (SC2_SUSPENSION, TONGCHUAN, WANG_FANG,  # noqa: F401
                                        api_upload, clock, publish_sc2, sc2_api_draft,
                                        sc2_web_draft, token, wang_fang)
from tests.wizard_support import post_step, submit_token, upload

MASKED = "5117**********0247"
SUSPENSION = {**SC2_SUSPENSION, "suspend_region": TONGCHUAN}


@pytest.fixture
def sc2(ctx, clock):
    """SC-2 published with the demo registry; yields 王芳's own account."""
    publish_sc2()
    return wang_fang()


def shown_whole(html: str) -> bool:
    return WANG_FANG in html and MASKED not in html


def test_sc2_pages_show_the_filer_the_id_number_whole_and_the_list_masks_it(sc2, app):
    client, pk = sc2_web_draft(app, sc2)
    basic = client.get(f"/applications/{pk}/pages/basic").get_data(as_text=True)
    assert shown_whole(basic), basic[basic.find('id="q-id_number"') - 200:][:800]
    # A read-only input takes nothing: a masked form sent back is not kept either.
    assert post_step(client, f"/applications/{pk}/pages/basic",
                     {"name": "王芳", "cert_type": "01", "id_number": MASKED}).status_code == 302
    assert "id_number" not in db.session.get(Application, pk).answers
    assert post_step(client, f"/applications/{pk}/pages/suspension", SUSPENSION).status_code == 302
    assert upload(client, pk, "id_document").status_code in (200, 302, 303)

    confirm = client.get(f"/applications/{pk}/confirm").get_data(as_text=True)
    assert shown_whole(confirm), confirm
    assert confirm.count(WANG_FANG) == 2  # 证件号码, and who the application is for
    submitted = client.post(f"/applications/{pk}/confirm",
                            data={"submit_token": submit_token(confirm)})
    assert submitted.status_code == 303, submitted.get_data(as_text=True)[:2000]
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert application.status == "submitted"
    assert application.answers["id_number"] == WANG_FANG  # stored whole
    assert shown_whole(client.get(f"/my/applications/{pk}").get_data(as_text=True))
    assert WANG_FANG not in client.get("/my/applications/").get_data(as_text=True)

    api = app.test_client()
    headers = token(api, sc2.username)
    body = api.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert body["answers"]["id_number"] == WANG_FANG and body["answers"]["name"] == "王芳"
    listed = api.get("/api/v1/applications/", headers=headers).get_json()["result"]
    assert listed[0]["subject_id_number"] == MASKED


def test_answers_sent_for_a_masked_field_through_the_api_are_not_kept(sc2, app):
    api = app.test_client()
    headers, pk = sc2_api_draft(api, sc2)
    form = api.get(f"/api/v1/applications/{pk}/form", headers=headers).get_json()
    schema = form["answers_schema"]["properties"]["id_number"]
    assert schema["readOnly"] is True and "pattern" in schema  # the number is sent whole
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
    assert body["answers"]["id_number"] == body["subject_id_number"] == WANG_FANG
