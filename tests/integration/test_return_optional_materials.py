"""A return (一次性告知) may ask for any material that applies to the application — an optional
one the applicant did not upload too — and the applicant's correction then takes it. A material
whose ``required_when`` rules it out is refused by its label, with the reason."""
from html import unescape

from app.extensions import db
from app.models.application import Application
from tests.applications_support import clock, token  # noqa: F401
from tests.integration.test_wizard_correction_notes import submitted_hb1
from tests.support import login, make_user
from tests.wizard_support import HB1, TANGSHAN, citizen, publish, signed_in, upload


def test_an_optional_material_not_uploaded_can_be_asked_for_and_then_uploaded(
        app, ctx, clock):  # noqa: F811
    publish(HB1)
    applicant = signed_in(app, citizen())
    pk = submitted_hb1(applicant)
    reviewer = make_user("Reviewer", TANGSHAN)
    staff = app.test_client()
    assert login(staff, reviewer.username).status_code == 302
    page = unescape(staff.get(f"/review/applications/{pk}").get_data(as_text=True))
    assert 'data-kind="materials" data-key="test_reports"' in page  # offered on the checklist
    assert "选填材料，未提供" in page  # and still read as such

    client = app.test_client()
    version = db.session.get(Application, pk).lock_version
    returned = client.post(f"/api/v1/reviews/{pk}/return", headers=token(
        client, reviewer.username), json={"version": version, "missing": {
            "materials": {"test_reports": "请补充检查报告"}}})
    assert returned.status_code == 200, returned.get_json()
    assert returned.get_json()["status"] == "returned"
    assert upload(applicant, pk, "test_reports").status_code == 303
    db.session.expire_all()
    assert [a.material_key for a in db.session.get(Application, pk).attachments
            if a.removed_at is None].count("test_reports") == 1


def test_a_material_ruled_out_by_the_answers_is_refused_by_its_label(
        app, ctx, clock):  # noqa: F811
    publish(HB1)
    pk = submitted_hb1(signed_in(app, citizen()))
    reviewer = make_user("Reviewer", TANGSHAN)
    client = app.test_client()
    headers = token(client, reviewer.username)
    body = {"version": db.session.get(Application, pk).lock_version, "missing": {"materials": {
        "special_proof": "请补充异地居住证明", "no_such": "?"}}}
    refused = client.post(f"/api/v1/reviews/{pk}/return", headers=headers, json=body)
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["errors"] == {
        "missing.materials.special_proof": [
            "按申请人的填报内容，特殊情况证明（异地居住证明等）不适用（已告知申请人无需提供），"
            "不能要求补正。"],
        "missing.materials.no_such": ["no_such 不属于本申请。"]}
    english = client.post(f"/api/v1/reviews/{pk}/return?_l_=en", headers=headers, json=body)
    assert english.get_json()["errors"]["missing.materials.special_proof"] == [
        "Proof of the special circumstance (e.g. proof of residence elsewhere) does not apply "
        "under the applicant's answers (they were told there is nothing to provide): it cannot "
        "be asked for."]
