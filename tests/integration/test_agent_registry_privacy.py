"""An agent sees no more of the subject's registry record than the identity they declared.

Anyone who knows a name and an ID number may file as an agent; the subject's mobile, employer
and other registry facts must not reach them (PIPL). An agent's editable answers are prefilled
only from the declared identity (name, ID number and what the number encodes); a read-only
registry answer is shown to them masked, on the page and in the API, while the rules still see
it whole. A self filing and the counter's entry (the clerk checks identity in person) keep the
registry's prefill.
"""
import datetime as dt
import html

import pytest

from app.cli import DEMO_PERSONS
from app.commands.applications.context import agent_filing
from app.commands.persons import ImportPersonsCommand
from app.engine.answers import page_state, validate_all
from app.engine.fields import EngineContext
from app.engine.masked import answers_for_agent
from app.engine.subject_identity import AGENT_FILING, DECLARED
from app.extensions import db
from app.models.application import Application
from app.models.person import Enrollment
from app.validators import mask_mobile
from tests.applications_support import (FORMDEFS, api_upload, clock, id_number,  # noqa: F401
                                        token)
from tests.support import login, make_user
from tests.wizard_support import (CITIZEN_ID, HB1, HB1_CODE, SUBJECT_ID, TANGSHAN,
                                  acknowledge_notice, citizen, make_person, post_step, publish,
                                  signed_in, start)

MOBILE, EMPLOYER, EMPLOYER_CODE = "13911112222", "唐山市路北区机械厂", "130203000118"
SUBJECT = {"name": "王秀英", "id_number": SUBJECT_ID}
TYPED = "13700001111"  # the mobile the agent gives
AGENT = {"relationship": "99", "address": "唐山市路北区某某路1号"}


def on_record(person) -> None:
    """Give a registry person a mobile and an employer (an active employee enrollment)."""
    person.mobile = MOBILE
    db.session.add(Enrollment(person_id=person.id, insutype="310", status="1",
                              region_code=TANGSHAN, start_date=dt.date(2020, 1, 1),
                              employer_name=EMPLOYER, employer_code=EMPLOYER_CODE))
    db.session.commit()


def basic_page(client, pk: int) -> str:
    assert post_step(client, f"/applications/{pk}/pages/kind",
                     {"disease_kind": "chronic"}).status_code == 302
    response = client.get(f"/applications/{pk}/pages/basic")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def hb1(app, ctx, clock):  # noqa: F811
    """HB-1 published; 王建国 (a citizen) and 王秀英 (a stranger to him, with a mobile and an
    employer on record); yields 王建国's account."""
    publish(HB1)
    user = citizen(CITIZEN_ID, "王建国", TANGSHAN)
    on_record(make_person(SUBJECT_ID, "王秀英", TANGSHAN, sex="2"))
    return user


def test_an_agents_wizard_page_shows_none_of_the_subjects_registry_data(app, hb1):
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": SUBJECT["name"], "subject_id_number": SUBJECT_ID,
        **AGENT}).status_code == 302
    page = basic_page(client, pk)
    assert "王秀英" in page  # the identity the agent declared
    for secret in (MOBILE, EMPLOYER, EMPLOYER_CODE):
        assert secret not in page
    stored = db.session.get(Application, pk).answers or {}
    assert MOBILE not in str(stored) and EMPLOYER not in str(stored)


def test_a_self_filing_still_shows_its_own_registry_data(app, hb1):
    on_record(db.session.scalar(_person(CITIZEN_ID)))
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    page = basic_page(client, pk)
    for fact in (MOBILE, EMPLOYER, EMPLOYER_CODE):
        assert f'value="{fact}"' in page


def _person(number: str):
    from app.models.person import Person

    return db.select(Person).where(Person.id_number == number)


def test_the_api_never_returns_the_subjects_registry_data_to_the_agent(client, hb1):
    headers = token(client, hb1.username)
    created = client.post("/api/v1/applications/", headers=headers, json={
        "item": HB1_CODE, "region": TANGSHAN, "filer": "agent", "subject": SUBJECT,
        "agent": AGENT})
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers, json={"answers": {
        "_notice": True, "disease_kind": "chronic", "insutype": "310",
        "insured_region": TANGSHAN, "mobile": TYPED, "special": "0", "disease": "高血压",
        "hospital": "唐山中心医院", "department": "心内科"}})
    assert saved.status_code == 200 and not saved.get_json()["errors"], saved.get_json()
    draft = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert draft["answers"]["mobile"] == TYPED  # as the agent typed it, while theirs to change
    for key in ("diagnosis", "medical_records", "agent_id"):
        assert api_upload(client, headers, pk, key).status_code == 201
    submitted = client.post(f"/api/v1/applications/{pk}/submit", json=None,
                            headers={**headers, "Idempotency-Key": f"k-{pk}"})
    assert submitted.status_code == 200, submitted.get_json()
    shown = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    # Submitted: identifiers masked for the agent, as 我要查's detail shows them.
    assert shown["answers"]["mobile"] == mask_mobile(TYPED)
    assert shown["answers"]["name"] == "王秀英"
    for reply in (saved.get_json(), submitted.get_json(), shown, draft):
        for secret in (MOBILE, EMPLOYER, EMPLOYER_CODE):
            assert secret not in str(reply)


DEFINITION = {"pages": [{"key": "p", "fields": [
    {"key": "name", "type": "text", "prefill": "person.name", "readonly": True},
    {"key": "employer", "type": "text", "prefill": "person.employer_name", "readonly": True},
    {"key": "phone", "type": "mobile", "prefill": "person.mobile", "readonly": True},
    {"key": "mobile", "type": "mobile", "prefill": "person.mobile",
     "rules": [{"check": 'mobile != person.mobile',
                "message": "Give a number other than the one on record."}]},
]}]}
PERSON = {"name": "王秀英", "mobile": MOBILE, "employer_name": EMPLOYER}


def scope(by_agent: bool) -> dict:
    return {"person": PERSON, DECLARED: {"name": "王秀英", "id_number": SUBJECT_ID,
                                         AGENT_FILING: by_agent}}


def test_the_engine_masks_for_an_agent_what_it_keeps_whole_for_the_rules(app, ctx):
    engine = EngineContext(locale="en")
    agent = page_state(DEFINITION, "p", {}, engine, scope(True))
    assert "mobile" not in agent.answers  # not suggested from the registry
    assert agent.answers["employer"] == EMPLOYER and agent.answers["phone"] == MOBILE  # whole
    assert agent.fixed["employer"] == "唐＊＊" and MOBILE not in str(agent.fixed)
    assert agent.fixed["name"] == "王秀英"  # declared, so shown
    # A rule over person sees the registry's values for the agent's submission too.
    refused = validate_all(DEFINITION, {"mobile": MOBILE}, engine, scope(True))
    assert refused.errors == {"mobile": ["Give a number other than the one on record."]}
    assert not validate_all(DEFINITION, {"mobile": "13700001111"}, engine, scope(True)).errors
    fields = DEFINITION["pages"][0]["fields"]
    assert answers_for_agent(fields, agent.answers) == {  # as the API sends them to the agent
        "name": "王秀英", "employer": "唐＊＊", "phone": "139****2222"}
    own = page_state(DEFINITION, "p", {}, engine, scope(False))
    assert own.fixed["employer"] == EMPLOYER and own.fixed["phone"] == MOBILE


def test_only_an_agent_outside_the_counter_files_as_agent():
    assert agent_filing(Application(filer="agent", channel="web"))
    assert agent_filing(Application(filer="agent", channel="api"))
    assert not agent_filing(Application(filer="self", channel="web"))
    assert not agent_filing(Application(filer="agent", channel="window"))


SC2 = [FORMDEFS / "510000-sichuan" / "resident_enrollment_suspend.yaml",
       FORMDEFS / "511700-dazhou" / "resident_enrollment_suspend.yaml"]
WANG_FANG = "511702200506180247"  # DEMO_PERSONS: 390 active in 通川区 since 2023-09-01
SUSPENSION = {"suspend_reason": "01", "suspend_date": "2026-11-20", "remark": "在户籍地参保",
              "nonlocal_student": "0", "graduating": "0", "suspend_region": "511702"}


def test_an_agent_is_shown_no_registry_table_on_any_page(app, ctx, clock):  # noqa: F811
    """SC-2's 人员参保信息 (a registry table): not on the agent's page, confirmation or 我要查."""
    publish(SC2)
    ImportPersonsCommand(DEMO_PERSONS).run()
    client = signed_in(app, citizen(id_number("51010419800101001"), "吴刚", "510104"))
    pk = start(client, "resident_enrollment_suspend", "511702")
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": "王芳", "subject_id_number": WANG_FANG,
        **AGENT}).status_code == 302
    basic = html.unescape(client.get(f"/applications/{pk}/pages/basic").get_data(as_text=True))
    assert '<p class="display" id="enrollments">' in basic and "2023" not in basic
    assert post_step(client, f"/applications/{pk}/pages/basic", {}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/suspension", SUSPENSION).status_code \
        == 302
    for url in (f"/applications/{pk}/confirm", f"/my/applications/{pk}"):
        page = html.unescape(client.get(url).get_data(as_text=True))
        assert "王芳" in page and "2023" not in page and "15808180234" not in page, url
    assert db.session.get(Application, pk).answers.get("enrollments") in (None, [])


def test_the_counters_entry_still_shows_the_registry_record(app, hb1):
    """The clerk checks the identity card in person: the window entry keeps the prefill."""
    clerk = app.test_client()
    assert login(clerk, make_user("Reviewer", TANGSHAN).username).status_code == 302
    created = clerk.post("/review/window/", data={
        "item": HB1_CODE, "region": TANGSHAN, "name": "王秀英", "id_number": SUBJECT_ID,
        "identity_checked": "y", "action": "create"})
    assert created.status_code == 303, created.get_data(as_text=True)[:1000]
    pk = db.session.scalar(db.select(Application.id).where(Application.channel == "window"))
    assert clerk.post(f"/review/window/{pk}/pages/kind",
                      data={"disease_kind": "chronic", "_go": "next"}).status_code == 303
    page = html.unescape(clerk.get(f"/review/window/{pk}/pages/basic").get_data(as_text=True))
    for fact in (MOBILE, EMPLOYER, EMPLOYER_CODE):
        assert f'value="{fact}"' in page
