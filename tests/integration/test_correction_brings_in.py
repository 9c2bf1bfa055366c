"""A flagged answer changed in a correction brings in the questions and materials it makes
visible or required (app.commands.applications.correctable): HB-1 returned on 是否特殊人员,
answered 是, asks 特殊人员类型, 不能到场原因 and 承诺书, and 特殊情况证明 for 异地安置 — all of
them editable on the web and through the API, nothing else; the explanatory text stays shown.
"""
import html

from app.commands.reviews.return_ import ReturnCommand
from app.extensions import db
from app.models.application import Application
from tests.applications_support import api_upload, clock, token  # noqa: F401
from tests.integration.test_wizard_correction_notes import submitted_hb1
from tests.support import make_user
from tests.wizard_support import (HB1, TANGSHAN, citizen, post_step, publish, signed_in,
                                  submit_token, upload)

SPECIAL = {"special": "1", "special_type": "异地安置", "absence_reason": "长期居住在外省",
           "special_pledge": "y"}
NOTE = "特殊人员指对于居住偏远、异地安置"
BROUGHT_IN = {"special_type", "absence_reason", "special_pledge"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def returned_on_special(app):
    """HB-1 sent with 是否特殊人员 = 否, returned on it, on 申报病种 and on 诊断证明."""
    publish(HB1)
    user = citizen()
    client = signed_in(app, user)
    pk = submitted_hb1(client)
    ReturnCommand(pk, make_user("Reviewer", TANGSHAN), comment="请补正", missing={
        "fields": {"special": "请核实是否属于特殊人员", "disease": "病种名称不规范"},
        "materials": {"diagnosis": "诊断证明不清晰"}}).run()
    return client, user, pk


def test_the_questions_a_flagged_answer_shows_are_editable_and_the_note_stays(
        app, ctx, clock):  # noqa: F811
    client, _user, pk = returned_on_special(app)
    url = f"/applications/{pk}/pages/special_person"
    page = text(client.get(url))
    assert NOTE in page  # the explanatory text, not "—"
    stuck = post_step(client, url, {"special": "1"})
    assert stuck.status_code == 422
    page = text(stuck)
    for key in BROUGHT_IN:  # each asked for, as an input the summary's link reaches
        assert f'name="{key}"' in page, key
    assert 'href="#special_type"' in page and 'id="special_type"' in page
    assert post_step(client, url, SPECIAL).status_code == 302
    answers = db.session.get(Application, pk).answers
    assert {k: answers[k] for k in SPECIAL} == {**SPECIAL, "special_pledge": True}

    # 特殊情况证明, required for 异地安置, may be uploaded; 病历资料 (not asked) may not.
    materials = text(client.get(f"/applications/{pk}/materials"))
    assert 'id="file-special_proof"' in materials
    assert 'id="file-medical_records"' not in materials
    assert upload(client, pk, "special_proof").status_code == 303
    assert upload(client, pk, "medical_records").status_code != 303
    # a question neither flagged nor brought in is still not read from a page
    recognition = f"/applications/{pk}/pages/recognition"
    post_step(client, recognition, {"disease": "糖尿病", "hospital": "别的医院",
                                    "department": "内分泌科"})
    upload(client, pk, "diagnosis")
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert 'class="problems"' not in confirm
    sent = client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(confirm)})
    assert sent.status_code == 303
    application = db.session.get(Application, pk)
    assert application.status == "submitted"
    assert application.answers["hospital"] == "唐山中心医院"
    assert application.answers["special_type"] == "异地安置"

    # The reviewer sees the questions brought in among the changes.
    reviewer = make_user("Reviewer", TANGSHAN)
    desk = signed_in(app, reviewer)
    diff = text(desk.get(f"/review/applications/{pk}")).split("answer-diff", 1)
    assert len(diff) == 2, "no diff on the review page"
    for label in ("是否特殊人员", "特殊人员类型", "不能到场原因", "承诺书", "申报病种"):
        assert label in diff[1].split("</table>", 1)[0], label


def test_the_api_accepts_what_a_flagged_answer_brings_in_and_names_it(
        app, ctx, clock):  # noqa: F811
    client, user, pk = returned_on_special(app)
    api = app.test_client()
    headers = token(api, user.username)
    detail = api.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert detail["editable"] == {
        "fields": sorted({"special", "disease"} | BROUGHT_IN),
        "materials": ["diagnosis", "special_proof"]}
    url = f"/api/v1/applications/{pk}/answers"
    refused = api.put(url, headers=headers, json={"answers": {"hospital": "别的医院"}})
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"hospital"}
    saved = api.put(url, headers=headers, json={"answers": {**SPECIAL, "special_pledge": True}})
    assert saved.status_code == 200, saved.get_json()
    assert api_upload(api, headers, pk, "special_proof").status_code == 201
    assert api_upload(api, headers, pk, "medical_records").status_code == 422
    submitted = api.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert submitted["answers"]["special_type"] == "异地安置"
    db.session.expire_all()
    application = db.session.get(Application, pk)
    application.status = "draft"  # not a correction: nothing is named
    db.session.commit()
    assert api.get(f"/api/v1/applications/{pk}", headers=headers).get_json()["editable"] is None
