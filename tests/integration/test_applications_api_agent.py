"""The agent (代办人) through the applications API: ``POST /`` takes the relationship and the
address the web wizard's "who applies" step asks, checked by the same rules (check_agent);
``GET /<id>`` shows them, in full to the agent (the owner), as the reviewers see them to staff;
the agent's identity card (material ``agent_id``, ``required_when: filer == "agent"``) is asked
for exactly as on the web.
"""
import html

import pytest
from sqlalchemy import func, select

from app.commands.applications.context import engine_context
from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.views.review.display import agent_section
from tests.applications_support import (ALICE_ID, BOB_ID, FORMDEFS, REGION, api_create,  # noqa: F401
                                        api_upload, clock, load_gd8, make_citizen, make_person,
                                        token)
from tests.support import login, make_user
from tests.wizard_support import post_step, start

INFO_CHANGE = FORMDEFS / "440000-guangdong" / "resident_info_change.yaml"  # self or agent
ITEM = "resident_info_change"
ADDRESS = "广州市天河区天河路1号"
# An ID-like number typed into the address: the reviewers' pages mask it, so must the API.
ADDRESS_WITH_NUMBER = "广州市天河区天河路1号（房东身份证440106198505050030）"


@pytest.fixture
def agent_filed(ctx, clock):
    """GD-2 published; Alice (林小红) and her father 王大明 in the registry; yields Alice."""
    load_gd8(INFO_CHANGE)
    alice = make_citizen()
    make_person(BOB_ID, "王大明", sex="1")
    return alice


BOB = {"name": "王大明", "id_number": BOB_ID}


def count_applications() -> int:
    return db.session.scalar(select(func.count()).select_from(Application))


def file_for_bob(client, alice, address=ADDRESS, relationship="04") -> int:
    headers = token(client, alice.username)
    created = api_create(client, headers, item=ITEM, filer="agent", subject=BOB,
                         agent={"relationship": relationship, "address": address})
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def test_the_agent_sees_their_relationship_and_address(client, agent_filed):
    pk = file_for_bob(client, agent_filed)
    alice = token(client, agent_filed.username)
    shown = client.get(f"/api/v1/applications/{pk}", headers=alice).get_json()
    assert shown["filer"] == "agent" and shown["subject_name"] == "王大明"
    assert shown["agent"] == {"name": "林小红", "id_number": ALICE_ID, "relationship": "04",
                              "relationship_name": "父母", "address": ADDRESS}
    english = client.get(f"/api/v1/applications/{pk}?_l_=en", headers=alice).get_json()
    assert english["agent"]["relationship_name"] == "Parent"
    # Lists stay masked-only: no address, no agent block.
    listed = client.get("/api/v1/applications/", headers=alice).get_json()["result"]
    assert [row["id"] for row in listed] == [pk] and "agent" not in listed[0]
    assert ADDRESS not in str(listed)


def test_staff_see_the_agent_as_the_review_page_shows_them(app, client, agent_filed):
    pk = file_for_bob(client, agent_filed, address=ADDRESS_WITH_NUMBER)
    clerk = make_user("Reviewer", REGION)
    staff = token(client, clerk.username)
    assert client.get(f"/api/v1/applications/{pk}", headers=staff).status_code == 404  # draft
    db.session.get(Application, pk).status = "submitted"
    db.session.commit()
    shown = client.get(f"/api/v1/applications/{pk}", headers=staff).get_json()
    agent = shown["agent"]
    assert agent["name"] == "林**" and agent["relationship"] == "04"
    assert agent["relationship_name"] == "父母"
    assert agent["address"] == "广州市天河区天河路1号（房东身份证4401**********0030）"  # as typed
    application = db.session.get(Application, pk)
    with app.test_request_context("/"):
        rows = {row.key: row.value for row in agent_section(
            application, engine_context(application, "zh")).rows}
    assert (agent["name"], agent["relationship_name"], agent["address"]) == (
        rows["agent_name"], rows["agent_relationship"], rows["agent_address"])


def test_the_details_are_stored_and_recorded_at_creation(client, agent_filed):
    pk = file_for_bob(client, agent_filed)
    application = db.session.get(Application, pk)
    assert (application.filer, application.channel, application.subject_name) == (
        "agent", "api", "王大明")
    assert (application.agent_relationship, application.agent_address) == ("04", ADDRESS)
    created = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "application.created"))
    assert created.detail["agent"] == {"relationship": "04", "address": ADDRESS}
    # The wizard's "who applies" step shows what the API client gave.
    assert login(client, agent_filed.username).status_code == 302
    page = html.unescape(client.get(f"/applications/{pk}/filer").get_data(as_text=True))
    assert f'value="{ADDRESS}"' in page and '<option selected value="04">' in page


@pytest.mark.parametrize("agent, keys", [
    (None, {"agent.relationship", "agent.address"}),               # no agent block at all
    ({"address": ADDRESS}, {"agent.relationship"}),                 # relationship missing
    ({"relationship": "07", "address": ADDRESS}, {"agent.relationship"}),  # not in the table
    ({"relationship": "01", "address": ADDRESS}, {"agent.relationship"}),  # 01 本人: not an agent
    ({"relationship": "04", "address": "  "}, {"agent.address"}),
    ({"relationship": "04", "address": "路" * 201}, {"agent.address"}),
])
def test_an_agent_without_valid_details_gets_422_per_field(client, agent_filed, agent, keys):
    alice = token(client, agent_filed.username)
    extra = {} if agent is None else {"agent": agent}
    refused = api_create(client, alice, item=ITEM, filer="agent", subject=BOB, **extra)
    assert refused.status_code == 422, refused.get_json()
    assert set(refused.get_json()["errors"]) == keys
    assert count_applications() == 0


def test_the_messages_are_the_wizards_and_translated(app, client, agent_filed):
    alice = token(client, agent_filed.username)
    body = {"item": ITEM, "filer": "agent", "subject": BOB,
            "agent": {"relationship": "07", "address": ""}}
    zh = api_create(client, alice, **body).get_json()["errors"]
    en = client.post("/api/v1/applications/?_l_=en", headers=alice,
                     json={"region": REGION, **body}).get_json()["errors"]
    assert en == {"agent.relationship": ["Choose how you are related to this person."],
                  "agent.address": ["Enter your address."]}
    assert zh["agent.relationship"] != en["agent.relationship"]  # translated, not English
    # The wizard's "who applies" step words the same input the same way (one check_agent).
    web = app.test_client()
    assert login(web, agent_filed.username).status_code == 302
    pk = start(web, ITEM, REGION)
    step = post_step(web, f"/applications/{pk}/filer", {
        "filer": "agent", "subject_name": BOB["name"], "subject_id_number": BOB_ID,
        "relationship": "07", "address": ""})
    page = html.unescape(step.get_data(as_text=True))
    assert step.status_code == 422
    assert zh["agent.relationship"][0] in page and zh["agent.address"][0] in page


def test_filing_for_oneself_with_an_agent_block_is_refused(client, agent_filed):
    alice = token(client, agent_filed.username)
    details = {"relationship": "04", "address": ADDRESS}
    refused = client.post("/api/v1/applications/?_l_=en", headers=alice, json={
        "item": ITEM, "region": REGION, "agent": details})  # filer defaults to self
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"agent": [
        "Give a relationship and an address only when filing for someone else as their agent."]}
    clerk = token(client, make_user("Reviewer", REGION).username)
    at_counter = api_create(client, clerk, item=ITEM, identity_checked=True, agent=details,
                            subject={"name": "林小红", "id_number": agent_filed.id_number})
    assert at_counter.status_code == 422 and set(at_counter.get_json()["errors"]) == {"agent"}
    assert count_applications() == 0
    own = api_create(client, alice, item=ITEM, agent=None)  # an explicit null is no block
    assert own.status_code == 201
    mine = client.get(f"/api/v1/applications/{own.get_json()['id']}", headers=alice).get_json()
    assert mine["filer"] == "self" and mine["agent"] is None


def test_filing_for_oneself_naming_a_subject_is_refused(client, agent_filed):
    alice = token(client, agent_filed.username)
    refused = client.post("/api/v1/applications/?_l_=en", headers=alice, json={
        "item": ITEM, "region": REGION, "filer": "self",
        "subject": {"name": BOB["name"], "id_number": BOB_ID}})
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["errors"] == {"subject": [
        "Name the person you file for only when filing for someone else as their agent (filer "
        "agent); for yourself, leave subject out."]}
    assert count_applications() == 0
    assert api_create(client, alice, item=ITEM, subject=None).status_code == 201  # null: none


ONLY_MOBILE = {"change_items": ["mobile"], "new_mobile": "13900139000", "_notice": True}


def submit(client, headers, pk, key):
    return client.post(f"/api/v1/applications/{pk}/submit",
                       headers={**headers, "Idempotency-Key": key})


def test_the_agents_identity_card_is_asked_as_on_the_web(client, agent_filed):
    alice = token(client, agent_filed.username)
    pk = file_for_bob(client, agent_filed)
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=alice,
                       json={"answers": ONLY_MOBILE})
    assert saved.status_code == 200 and saved.get_json()["errors"] == {}
    assert api_upload(client, alice, pk, "id_document").status_code == 201
    missing = submit(client, alice, pk, "agent-1")
    assert missing.status_code == 422
    assert set(missing.get_json()["errors"]) == {"materials.agent_id"}
    assert api_upload(client, alice, pk, "agent_id").status_code == 201
    submitted = submit(client, alice, pk, "agent-2")
    assert submitted.status_code == 200, submitted.get_json()
    assert db.session.get(Application, pk).answers["name"] == "王大明"  # the subject's record
    # Filing for oneself, the same item asks for no agent's card.
    own = api_create(client, alice, item=ITEM).get_json()["id"]
    client.put(f"/api/v1/applications/{own}/answers", headers=alice,
               json={"answers": ONLY_MOBILE})
    assert api_upload(client, alice, own, "id_document").status_code == 201
    assert submit(client, alice, own, "self-1").status_code == 200


def test_openapi_documents_the_agent(client, agent_filed):
    admin = make_user("Admin")
    spec = client.get("/api/v1/_openapi", headers=token(client, admin.username)).get_json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["AgentSchema"]["properties"]) == {
        "name", "relationship", "relationship_name", "address"}
    detail = schemas["ApplicationDetailSchema"]["properties"]
    assert "agent" in detail and {"subject_name", "history", "answers"} <= set(detail)
    posted = schemas["ApplicationPostSchema"]["properties"]
    assert "required when filer is agent" in posted["agent"]["description"]
    create = spec["paths"]["/api/v1/applications/"]["post"]
    assert "agent.relationship" in create["description"]
    ok = spec["paths"]["/api/v1/applications/{pk}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApplicationDetailSchema"}
    listed = spec["paths"]["/api/v1/applications/"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ApplicationListSchema")


def test_the_citizens_detail_page_shows_the_agent_in_full(app, client, agent_filed):
    pk = file_for_bob(client, agent_filed, address=ADDRESS_WITH_NUMBER)
    stored = db.session.get(Application, pk).agent_address  # NFKC: "(" for "（"
    assert BOB_ID in stored  # the agent typed a number into it: they see it in full
    own = api_create(client, token(client, agent_filed.username), item=ITEM).get_json()["id"]
    web = app.test_client()
    assert login(web, agent_filed.username).status_code == 302
    page = html.unescape(web.get(f"/my/applications/{pk}").get_data(as_text=True))
    agent = page[page.index("代办信息"):page.index('id="timeline-title"')]
    for shown in ("代办人</dt><dd>林小红", "代办人与申请人关系</dt><dd>父母",
                  f"代办人联系地址</dt><dd>{stored}"):
        assert shown in agent, shown
    web.get("/lang/en")
    english = html.unescape(web.get(f"/my/applications/{pk}").get_data(as_text=True))
    assert "Filed by an agent" in english and "Parent" in english
    assert f"Agent's address</dt><dd>{stored}" in english
    mine = html.unescape(web.get(f"/my/applications/{own}").get_data(as_text=True))
    assert "Filed by an agent" not in mine and "Agent's address" not in mine


def test_deleting_a_draft_takes_the_agent_out_of_its_history(client, agent_filed):  # F2
    pk = file_for_bob(client, agent_filed)

    def details() -> list[dict]:
        db.session.expire_all()
        return [event.detail for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "application", AuditEvent.object_id == str(pk)))]

    assert any(ADDRESS in str(detail) for detail in details())
    alice = token(client, agent_filed.username)
    assert client.delete(f"/api/v1/applications/{pk}", headers=alice).status_code == 200
    kept = details()
    assert kept and not any(ADDRESS in str(detail) or "subject" in detail for detail in kept)
    assert any("agent" in detail.get("redacted", ()) for detail in kept)
