"""HB-1 门诊慢特病申报 through the citizen's web pages (HTTP): 我要办 → wizard → submit → 我要查.

Covers the catalogue by region, the notice and filer steps, page errors next to fields, hidden
fields left out, save per page, the confirmation (labels, not codes), one submission for a
double POST of the same token (E3), the tabs of 我要查 and withdrawing.
"""
import html
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from tests.applications_support import clock  # noqa: F401
from tests.browser.helpers import say
from tests.wizard_support import (HB1, HB1_AGENT_BASIC, HB1_CODE, HB1_RECOGNITION, JS1,
                                  NANJING, SUBJECT_ID, TANGSHAN, acknowledge_notice, citizen,
                                  fill_hb1_self, make_person, post_step, publish, signed_in,
                                  start, submit_token, upload)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def hb1(ctx, clock):  # noqa: F811
    publish(HB1 + JS1)
    return citizen()


def count(*where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(*where))


def test_catalogue_shows_the_items_of_the_citizens_region(app, hb1):
    client = signed_in(app, hb1)
    page = text(client.get("/apply/"))
    assert "门诊慢特病申报" in page and "待遇认定" in page  # grouped by its category
    assert "家庭共济" not in page  # a 江苏 item
    assert 'aria-current="page"' not in page and "路北区" in page
    other = text(client.get("/apply/?province=320000&city=320100&county=" + NANJING))
    assert "家庭共济" in other and "门诊慢特病申报" not in other
    narrowed = text(client.get("/apply/?province=320000"))  # no JS: the next select fills
    assert 'value="320100"' in narrowed and "家庭共济" in narrowed
    assert "门诊慢特病申报" not in text(client.get(f"/apply/?region={TANGSHAN}&q=共济"))
    assert "门诊慢特病申报" in text(client.get(f"/apply/?region={TANGSHAN}&q=慢特"))
    anonymous = app.test_client().get(f"/apply/?region={TANGSHAN}")
    assert anonymous.status_code == 200 and "门诊慢特病申报" in text(anonymous)


def test_item_page_explains_materials_and_starts(app, hb1):
    client = signed_in(app, hb1)
    page = text(client.get(f"/apply/{HB1_CODE}?region={TANGSHAN}"))
    assert "温馨提示" in page and "诊断证明" in page and "代办人身份证" in page
    assert say(app, "%(days)d working days after submission", days=20) in page
    assert "是否特殊人员" in page  # 特殊情况证明 depends on these answers: named
    assert say(app, "Required when you apply for someone else") in page  # 代办人身份证
    assert 'action="/apply/chronic_disease_outpatient/start"' in page
    assert client.get(f"/apply/{HB1_CODE}?region={NANJING}").status_code == 404
    pk = start(client, HB1_CODE, TANGSHAN)
    application = db.session.get(Application, pk)
    assert application.status == "draft" and application.filer == "self"
    assert "/applications/%d/" % pk in text(client.get(f"/apply/{HB1_CODE}?region={TANGSHAN}"))


def test_hb1_as_an_agent_from_notice_to_submitted_and_withdrawn(app, hb1):
    make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2")
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    assert client.get(f"/applications/{pk}/").headers["Location"].endswith(f"/{pk}/notice")
    refused = post_step(client, f"/applications/{pk}/notice", {})
    assert refused.status_code == 422 and 'aria-invalid="true"' in text(refused)
    acknowledge_notice(client, pk)
    assert db.session.get(Application, pk).notice_acknowledged_at is not None

    agent = {"filer": "agent", "subject_name": "王秀", "subject_id_number": SUBJECT_ID,
             "relationship": "03", "address": "唐山市路北区某某路1号"}
    wrong = post_step(client, f"/applications/{pk}/filer", agent)
    assert wrong.status_code == 422
    assert say(app, "The name and ID number do not match our records.") in text(wrong)
    assert post_step(client, f"/applications/{pk}/filer",
                     {**agent, "subject_name": "王秀英"}).status_code == 302
    application = db.session.get(Application, pk)
    assert application.filer == "agent" and application.subject_verified_at is not None

    empty = post_step(client, f"/applications/{pk}/pages/kind", {})
    assert empty.status_code == 422
    assert re.search(r'id="disease_kind-err">' + re.escape(say(app, "Answer this question.")),
                     text(empty))
    post_step(client, f"/applications/{pk}/pages/kind", {"disease_kind": "special"})
    basic = text(client.get(f"/applications/{pk}/pages/basic"))
    assert 'value="王秀英"' in basic  # the subject the agent declared
    assert post_step(client, f"/applications/{pk}/pages/basic", HB1_AGENT_BASIC).status_code \
        == 302

    url = f"/applications/{pk}/pages/special_person"
    plain = text(client.get(url))
    assert 'name="special_type"' not in plain and "<noscript>" in plain  # hidden: not rendered
    updated = post_step(client, url, {"special": "1"}, action="update")
    assert updated.status_code == 200 and 'name="special_type"' in text(updated)
    assert 'class="error"' not in text(updated)  # "update" shows the questions, not errors
    missing = post_step(client, url, {"special": "1"})
    assert missing.status_code == 422 and 'id="special_type-err"' in text(missing)
    special = {"special": "1", "special_type": "年老或行动不便", "absence_reason": "行动不便",
               "special_pledge": "y"}
    assert post_step(client, url, special).status_code == 302
    assert db.session.get(Application, pk).answers["special_type"] == "年老或行动不便"
    assert post_step(client, f"/applications/{pk}/pages/recognition",
                     HB1_RECOGNITION).status_code == 302

    for key in ("diagnosis", "medical_records", "agent_id"):
        assert upload(client, pk, key).status_code == 303
    confirm = client.get(f"/applications/{pk}/confirm")
    page = text(confirm)
    assert confirm.status_code == 200 and "problems-title" not in page
    for shown in ("特殊病申报", "职工基本医疗保险", "年老或行动不便", "王秀英", "scan.jpg",
                  "13800138000", "唐山市路北区某某路1号"):
        assert shown in page, shown
    # The agent's relationship by its name (03 子女), as 我要查 names it.
    assert re.search(r"<dt>" + re.escape(say(app, "Your relationship to them"))
                     + r"</dt><dd>子女</dd>", page)
    english = text(client.get(f"/applications/{pk}/confirm?_l_=en"))
    assert re.search(r"<dt>Your relationship to them</dt><dd>Child</dd>", english)
    token = submit_token(page)
    first = client.post(f"/applications/{pk}/confirm", data={"submit_token": token})
    again = client.post(f"/applications/{pk}/confirm", data={"submit_token": token})
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"].endswith(f"/applications/{pk}/submitted")
    assert count(AuditEvent.action == "application.submitted") == 1
    application = db.session.get(Application, pk)
    submitted = text(client.get(f"/applications/{pk}/submitted"))
    assert say(app, "Submitted, waiting for review") in submitted
    assert application.serial in submitted and application.serial.startswith(TANGSHAN)

    assert "门诊慢特病申报" in text(client.get("/my/applications/?tab=open"))
    assert "门诊慢特病申报" not in text(client.get("/my/applications/?tab=done"))
    listed = text(client.get("/my/applications/"))
    assert say(app, "Being processed") in listed and "受理" in listed  # status and step
    detail = text(client.get(f"/my/applications/{pk}"))
    assert say(app, "Submitted") in detail and SUBJECT_ID not in detail  # masked (F1)
    assert client.get(f"/applications/{pk}/pages/kind").status_code == 302  # not editable now
    asked = client.post(f"/my/applications/{pk}/withdraw", data={"reason": "不需要了"})
    assert asked.status_code == 200 and say(app, "Yes, withdraw it") in text(asked)
    assert db.session.get(Application, pk).status == "submitted"  # not without confirming
    withdrawn = client.post(f"/my/applications/{pk}/withdraw",
                            data={"reason": "不需要了", "confirmed": "1"})
    assert withdrawn.status_code == 303
    assert db.session.get(Application, pk).status == "withdrawn"
    assert "门诊慢特病申报" in text(client.get("/my/applications/?tab=done"))
    assert "不需要了" in text(client.get(f"/my/applications/{pk}"))


def test_confirmation_lists_what_blocks_the_submission_with_links(app, hb1):
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    page = text(client.get(f"/applications/{pk}/confirm"))
    assert "problems-title" in page
    assert f'href="/applications/{pk}/pages/kind#q-disease_kind"' in page
    assert f'href="/applications/{pk}/materials#material-diagnosis"' in page
    refused = client.post(f"/applications/{pk}/confirm", data={"submit_token": "t-1"})
    assert refused.status_code == 422 and "problems-title" in text(refused)
    assert db.session.get(Application, pk).status == "draft"
    assert client.post(f"/applications/{pk}/confirm", data={}).status_code == 400


def test_hidden_pages_fields_and_changed_answers_on_the_confirmation(app, hb1):
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk, {"special": "1", "special_type": "居住偏远",
                               "absence_reason": "路远", "special_pledge": "y"})
    post_step(client, f"/applications/{pk}/pages/special_person", {"special": "0"})
    for key in ("diagnosis", "medical_records"):
        upload(client, pk, key)
    page = text(client.get(f"/applications/{pk}/confirm"))
    assert "居住偏远" not in page and "路远" not in page  # hidden now: neither shown nor sent
    assert "problems-title" not in page
    client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(page)})
    answers = db.session.get(Application, pk).answers
    assert answers["special"] == "0" and "special_type" not in answers


def test_withdrawing_twice_explains_instead_of_failing(app, hb1):
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    assert say(app, "Delete this draft") in text(client.get(f"/my/applications/{pk}"))
    application = db.session.get(Application, pk)  # a draft is deleted, not withdrawn
    application.status, application.submitted_at = "submitted", application.created_at
    db.session.commit()
    client.post(f"/my/applications/{pk}/withdraw", data={"confirmed": "1"})
    again = client.post(f"/my/applications/{pk}/withdraw", data={"confirmed": "1"})
    assert again.status_code == 303
    page = text(client.get(f"/my/applications/{pk}"))
    assert say(app, "This application is already withdrawn.") in page
    assert say(app, "Withdraw this application") not in page
