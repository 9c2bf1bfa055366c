"""An agent cannot walk strangers' registry records: per account, the answers a subject's record
refused are limited (``AGENT_REFUSAL_RATE_LIMIT``: each new try counts, the same answers sent
again do not, a subject's name refused for their ID number does), and so are the different
people drafts are started for (``AGENT_SUBJECT_RATE_LIMIT``). Past a limit the answer is 429
with Retry-After and a translated message, on the web and through the API, and the audit log
says so once per window. """
import html

import pytest
from sqlalchemy import select

from app.cli import DEMO_PERSONS
from app.commands.persons import ImportPersonsCommand
from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.models.base import utcnow
from tests.applications_support import FORMDEFS, NOW, id_number, token
from tests.support import frozen_clock, make_user
from tests.wizard_support import acknowledge_notice, post_step, publish, signed_in, start

SC2 = [FORMDEFS / "510000-sichuan" / "resident_enrollment_suspend.yaml",
       FORMDEFS / "511700-dazhou" / "resident_enrollment_suspend.yaml"]
CODE, TONGCHUAN, JINJIANG, QINGYANG = "resident_enrollment_suspend", "511702", "510104", "510105"
WANG_FANG = "511702200506180247"  # DEMO_PERSONS: 390 active in 通川区 (511702) only
AGENT = {"relationship": "99", "address": "成都市锦江区某某路1号"}
SUSPENSION = {"suspend_reason": "01", "suspend_date": "2026-11-20", "remark": "在户籍地参保",
              "nonlocal_student": "0", "graduating": "0"}
WAIT_ZH = "为保护其信息"


@pytest.fixture
def agent(app, limited):
    """SC-2 and the demo registry; yields 吴刚 of 成都, a stranger to 王芳, on the limited app."""
    with app.app_context(), frozen_clock(app, NOW), frozen_clock(limited, NOW):
        publish(SC2)
        ImportPersonsCommand(DEMO_PERSONS).run()
        user = make_user("Citizen", "510104", name="吴刚",
                         id_number=id_number("51010419800101001"))
        user.identity_verified_at = utcnow()
        db.session.commit()
        yield user


def events(app, user, action: str) -> int:
    with app.app_context():
        return len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.object_id == str(user.id))).all())


def api_agent_draft(client, headers, name="王芳", number=WANG_FANG):
    return client.post("/api/v1/applications/", headers=headers, json={
        "item": CODE, "region": TONGCHUAN, "filer": "agent", "agent": AGENT,
        "subject": {"name": name, "id_number": number}})


def put(client, headers, pk, region, lang="zh"):
    return client.put(f"/api/v1/applications/{pk}/answers?_l_={lang}", headers=headers, json={
        "answers": {**SUSPENSION, "suspend_region": region}, "page": "suspension"})


def test_an_agents_refused_tries_are_limited_through_the_api(app, limited, agent):
    limited.config["AGENT_REFUSAL_RATE_LIMIT"] = "2 per hour"
    client = limited.test_client()
    headers = token(client, agent.username)
    created = api_agent_draft(client, headers)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    assert "suspend_region" in put(client, headers, pk, JINJIANG).get_json()["errors"]
    for _again in range(3):  # the same answers again: no new try, still judged
        assert "suspend_region" in put(client, headers, pk, JINJIANG).get_json()["errors"]
    assert put(client, headers, pk, QINGYANG).status_code == 200  # the second try
    refused = put(client, headers, pk, TONGCHUAN)
    assert refused.status_code == 429 and 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert WAIT_ZH in refused.get_json()["message"]
    with limited.app_context():  # not saved, and nothing said of it
        assert db.session.get(Application, pk).answers["suspend_region"] == QINGYANG
    english = put(client, headers, pk, TONGCHUAN, "en")
    assert english.status_code == 429
    assert english.get_json()["message"].startswith(
        "Too many answers given for the people you apply for did not match")
    assert events(app, agent, "agent.refusals_limited") == 1  # once per window
    # Nor is another subject's name judged against the registry meanwhile.
    assert api_agent_draft(client, headers, "王方").status_code == 429


def test_a_refused_subject_name_counts_and_the_wizard_says_when(app, limited, agent):
    limited.config["AGENT_REFUSAL_RATE_LIMIT"] = "1 per hour"
    client = signed_in(limited, agent)
    pk = start(client, CODE, TONGCHUAN)
    acknowledge_notice(client, pk)
    filer = {"filer": "agent", "subject_name": "王方", "subject_id_number": WANG_FANG, **AGENT}
    assert post_step(client, f"/applications/{pk}/filer", filer).status_code == 422
    refused = post_step(client, f"/applications/{pk}/filer", {**filer, "subject_name": "王芳"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 3500
    assert WAIT_ZH in html.unescape(refused.get_data(as_text=True))
    assert events(app, agent, "agent.refusals_limited") == 1


def test_the_wizard_refuses_the_page_past_the_limit(app, limited, agent):
    limited.config["AGENT_REFUSAL_RATE_LIMIT"] = "1 per hour"
    client = signed_in(limited, agent)
    pk = start(client, CODE, TONGCHUAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": "王芳", "subject_id_number": WANG_FANG,
        **AGENT}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/basic", {}).status_code == 302
    url = f"/applications/{pk}/pages/suspension"
    assert post_step(client, url, {**SUSPENSION, "suspend_region": JINJIANG}).status_code == 422
    refused = post_step(client, url, {**SUSPENSION, "suspend_region": TONGCHUAN})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 3500
    page = html.unescape(refused.get_data(as_text=True))
    assert WAIT_ZH in page and "与参保人员信息库中被代办人的信息不符" not in page


def test_the_people_an_account_files_for_are_limited(app, limited, agent):
    limited.config["AGENT_SUBJECT_RATE_LIMIT"] = "2 per day"
    client = limited.test_client()
    headers = token(client, agent.username)
    first, second, third = (id_number(f"1101051950010100{n}") for n in (1, 3, 5))
    for number in (first, first, second, second):  # a second draft for one person is free
        assert api_agent_draft(client, headers, "李四", number).status_code == 201
    refused = api_agent_draft(client, headers, "李四", third)
    assert refused.status_code == 429
    assert 86000 < int(refused.headers["Retry-After"]) <= 86400
    assert "不同的人" in refused.get_json()["message"]
    assert api_agent_draft(client, headers, "李四", third).status_code == 429
    assert events(app, agent, "agent.subjects_limited") == 1
    assert api_agent_draft(client, headers, "李四", first).status_code == 201

    # The web: the agent-only start and the "who applies" step say so on the form.
    web = signed_in(limited, agent)
    pk = start(web, CODE, TONGCHUAN)
    acknowledge_notice(web, pk)
    step = post_step(web, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": "李四", "subject_id_number": third, **AGENT})
    assert step.status_code == 429 and int(step.headers["Retry-After"]) > 86000
    assert "不同的人" in html.unescape(step.get_data(as_text=True))
    with limited.app_context():
        assert db.session.get(Application, pk).filer == "self"


def test_the_openapi_document_names_the_429s(client):
    paths = client.get("/api/v1/_openapi").get_json()["paths"]
    create = paths["/api/v1/applications/"]["post"]
    answers = paths["/api/v1/applications/{pk}/answers"]["put"]
    assert "429" in create["responses"] and "AGENT_SUBJECT_RATE_LIMIT" in create["description"]
    assert "429" in answers["responses"] and "AGENT_REFUSAL_RATE_LIMIT" in answers["description"]
