"""A returned application (退回补正): the reasons on 我要查, only flagged parts editable, resubmit."""
import html
import re

from app.commands.reviews.return_ import ReturnCommand
from app.extensions import db
from app.models.application import Application
from tests.applications_support import clock  # noqa: F401
from tests.support import make_user
from tests.wizard_support import (HB1, HB1_BASIC, HB1_CODE, TANGSHAN, citizen, fill_hb1_self,
                                  post_step, publish, signed_in, start, submit_token, upload)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def submitted_hb1(app, client) -> int:
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk)
    for key in ("diagnosis", "medical_records"):
        upload(client, pk, key)
    page = text(client.get(f"/applications/{pk}/confirm"))
    client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(page)})
    assert db.session.get(Application, pk).status == "submitted"
    return pk


def test_citizen_corrects_only_what_was_flagged_and_resubmits(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = submitted_hb1(app, client)
    reviewer = make_user("Reviewer", TANGSHAN)
    ReturnCommand(pk, reviewer, comment="请补正", missing={
        "fields": {"mobile": "手机号码无法接通"}, "materials": {"diagnosis": "诊断证明不清晰"}}).run()

    detail = text(client.get(f"/my/applications/{pk}"))
    assert "手机号码无法接通" in detail and "诊断证明不清晰" in detail and "请补正" in detail
    assert "</strong>：手机号码无法接通" in detail and "</strong>：诊断证明不清晰" in detail
    assert f'href="/applications/{pk}/"' in detail
    assert reviewer.first_name is None or reviewer.first_name not in detail  # a role, no name
    assert "门诊慢特病申报" in text(client.get("/my/applications/?tab=open"))

    start_at = client.get(f"/applications/{pk}/")
    assert start_at.headers["Location"].endswith(f"/applications/{pk}/pages/basic")
    page = text(client.get(f"/applications/{pk}/pages/basic"))
    assert 'name="mobile"' in page and "手机号码无法接通" in page
    assert 'name="employer_name"' not in page and "唐山某某公司" in page  # shown read-only
    assert client.get(f"/applications/{pk}/pages/kind").status_code == 302  # not flagged
    assert client.get(f"/applications/{pk}/notice").status_code == 302
    response = post_step(client, f"/applications/{pk}/pages/basic",
                         {**HB1_BASIC, "mobile": "13900139000", "employer_name": "改了"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{pk}/materials")
    answers = db.session.get(Application, pk).answers
    assert answers["mobile"] == "13900139000" and answers["employer_name"] == "唐山某某公司"

    materials = text(client.get(f"/applications/{pk}/materials"))
    assert "诊断证明不清晰" in materials
    assert 'name="file-diagnosis"' in materials
    assert 'name="file-medical_records"' not in materials
    assert upload(client, pk, "medical_records").status_code == 422  # as a question not flagged
    assert upload(client, pk, "diagnosis").status_code == 303
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert re.search(r"<dd>本人——[^<]+（[^<]+）</dd>", confirm)  # full-width, as one text
    again = client.post(f"/applications/{pk}/confirm",
                        data={"submit_token": submit_token(confirm)})
    assert again.status_code == 303
    application = db.session.get(Application, pk)
    assert application.status == "submitted" and application.round == 2
    timeline = text(client.get(f"/my/applications/{pk}"))
    assert "请补正" in timeline


def test_a_flagged_question_that_depends_on_a_read_only_one_stays_editable(
        app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk, {"special": "1", "special_type": "居住偏远",
                               "absence_reason": "路远", "special_pledge": "y"})
    for key in ("diagnosis", "medical_records"):
        upload(client, pk, key)
    page = text(client.get(f"/applications/{pk}/confirm"))
    client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(page)})
    ReturnCommand(pk, make_user("Reviewer", TANGSHAN), missing={
        "fields": {"special_type": "请核实特殊人员类型"}}).run()
    url = f"/applications/{pk}/pages/special_person"
    page = text(client.get(url))
    assert 'name="special"' not in page and 'name="special_type"' in page  # 是: read-only
    live = text(client.post(f"{url}/fields", data={"special_type": "异地安置"}))
    assert 'name="special_type"' in live  # not hidden by the read-only answer left out
    assert post_step(client, url, {"special_type": "年老或行动不便"}).status_code == 302
    answers = db.session.get(Application, pk).answers
    assert answers["special_type"] == "年老或行动不便" and answers["special"] == "1"
