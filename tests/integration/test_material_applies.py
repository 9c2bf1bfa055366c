"""An upload or a pledge is refused (422, the material named by its label) when the answers
make its material unnecessary (无需提供, the counter's and the wizard's rule) or, on a returned
application, when the reviewer did not flag it — through the API and the web wizard alike."""
import html

from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Attachment
from tests.applications_support import (GD8_ANSWERS, api_create, api_upload, clock,  # noqa: F401
                                        gd8, load_gd8, token)
from tests.browser.helpers import say
from tests.integration.test_applications_commands import INFO_CHANGE
from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, citizen, fill_hb1_self, publish,
                                  signed_in, start, upload)

EN = {"Accept-Language": "en"}
DIAGNOSIS = {"zh": "诊断证明（终止妊娠或计划生育手术）",
             "en": "Diagnosis (termination or family-planning operation)"}


def stored(pk, key):
    db.session.expire_all()
    return db.session.scalars(select(Attachment).where(
        Attachment.application_id == pk, Attachment.material_key == key,
        Attachment.removed_at.is_(None))).all()


def answered_draft(client, headers) -> int:
    pk = api_create(client, headers).get_json()["id"]
    assert client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                      json={"answers": GD8_ANSWERS}).status_code == 200  # maternity leave
    return pk


def test_the_api_refuses_a_file_for_a_material_that_does_not_apply(app, client, gd8):
    headers = token(client, gd8.username)
    pk = answered_draft(client, headers)
    for language, extra in (("zh", {}), ("en", EN)):
        refused = api_upload(client, {**headers, **extra}, pk, "diagnosis")  # family planning
        assert refused.status_code == 422
        body = refused.get_json()
        assert body["message"] == say(
            app, "%(material)s does not apply under the answers given: nothing to provide.",
            language, material=DIAGNOSIS[language])
        assert body["errors"] == {"materials.diagnosis": [say(
            app, "This material does not apply under the answers given: nothing to provide.",
            language)]}
    assert stored(pk, "diagnosis") == []
    assert api_upload(client, headers, pk, "birth_certificate").status_code == 201
    assert api_upload(client, headers, pk, "discharge_record").status_code == 201  # optional


def test_the_wizard_refuses_a_file_for_a_material_that_does_not_apply(app, ctx,
                                                                      clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk)  # for oneself: no agent's identity card
    refused = upload(client, pk, "agent_id")
    assert refused.status_code == 422
    assert say(app, "This material does not apply under the answers given: nothing to "
                    "provide.") in html.unescape(refused.get_data(as_text=True))
    assert stored(pk, "agent_id") == []
    assert upload(client, pk, "diagnosis").status_code == 303


def test_an_unflagged_material_is_refused_with_its_label_in_english(app, client, gd8):
    headers = token(client, gd8.username)
    pk = answered_draft(client, headers)
    application = db.session.get(Application, pk)
    application.status, application.submitted_at = "returned", application.created_at
    application.return_request = {"fields": {}, "materials": {"id_document": "看不清"}}
    db.session.commit()
    refused = api_upload(client, {**headers, **EN}, pk, "birth_certificate")
    assert refused.status_code == 422
    assert refused.get_json() == {
        "message": say(app, "Only what the reviewer asked about may be changed; not: "
                            "%(labels)s", "en", labels="Birth certificate"),
        "errors": {"materials.birth_certificate": [say(
            app, "The reviewer did not ask for this to be changed; the change was not saved.",
            "en")]}}
    assert stored(pk, "birth_certificate") == []


def test_the_wizard_keeps_a_file_the_reviewer_did_not_flag(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk)
    assert upload(client, pk, "diagnosis").status_code == 303
    [scan] = stored(pk, "diagnosis")
    application = db.session.get(Application, pk)
    application.status, application.submitted_at = "returned", application.created_at
    application.return_request = {"fields": {}, "materials": {"medical_records": "不清晰"}}
    db.session.commit()
    refused = client.post(f"/applications/{pk}/materials/diagnosis/{scan.id}/remove")
    assert refused.status_code == 422
    assert "诊断证明" in html.unescape(refused.get_data(as_text=True))
    assert [a.id for a in stored(pk, "diagnosis")] == [scan.id]


def test_the_api_refuses_a_pledge_for_a_material_that_does_not_apply(app, client, gd8):
    load_gd8(INFO_CHANGE)
    headers = token(client, gd8.username)
    pk = api_create(client, headers, item="resident_info_change").get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    pledge = {"_pledges": {"residence_proof": True}}
    for language, extra in (("zh", {}), ("en", EN)):
        refused = client.put(url, headers={**headers, **extra}, json={"answers": {
            "change_items": ["mobile"], **pledge}})  # a new mobile asks no proof of residence
        assert refused.status_code == 422
        body = refused.get_json()
        label = {"zh": "居住证明（居住证、房产证明或租赁合同）",
                 "en": "Proof of residence (residence permit, title deed or lease)"}[language]
        assert body["message"] == say(
            app, "%(material)s does not apply under the answers given: nothing to provide.",
            language, material=label)
        assert body["errors"] == {"materials.residence_proof": [say(
            app, "This material does not apply under the answers given: nothing to provide.",
            language)]}
    application = db.session.get(Application, pk)
    db.session.refresh(application)
    assert "_pledges" not in (application.answers or {})
    assert client.put(url, headers=headers, json={"answers": {
        "change_items": ["residence"], **pledge}}).status_code == 200  # the same save decides
    assert client.put(url, headers=headers, json={"answers": {
        "change_items": ["mobile"], "_pledges": {"residence_proof": False}}}).status_code == 200


def test_the_api_keeps_an_unflagged_file_with_a_documented_422(app, client, gd8):
    headers = token(client, gd8.username)
    pk = answered_draft(client, headers)
    file_id = api_upload(client, headers, pk, "birth_certificate").get_json()["file_id"]
    application = db.session.get(Application, pk)
    application.status, application.submitted_at = "returned", application.created_at
    application.return_request = {"fields": {}, "materials": {"id_document": "看不清"}}
    db.session.commit()
    path = "/api/v1/applications/{pk}/materials/{key}/{file_id}"
    refused = client.delete(path.format(pk=pk, key="birth_certificate", file_id=file_id),
                            headers=headers)
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["materials.birth_certificate"]
    assert [a.id for a in stored(pk, "birth_certificate")] == [file_id]
    document = client.get("/api/v1/_openapi").get_json()
    assert "422" in document["paths"][path]["delete"]["responses"]
