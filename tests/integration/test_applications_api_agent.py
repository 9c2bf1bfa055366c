"""GET /api/v1/applications/<id> shows who filed for the subject (代办人): the relationship and
the address the agent gave, in full to the agent (the owner), as the reviewers see them to staff.
"""
import pytest

from app.commands.applications.context import engine_context
from app.commands.applications.filer import SetFilerCommand
from app.extensions import db
from app.models.application import Application
from app.views.review.display import agent_section
from tests.applications_support import (BOB_ID, FORMDEFS, REGION, api_create,  # noqa: F401
                                        clock, load_gd8, make_citizen, make_person, token)
from tests.support import make_user

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


def file_for_bob(client, alice, address=ADDRESS, relationship="04") -> int:
    headers = token(client, alice.username)
    created = api_create(client, headers, item=ITEM, filer="agent",
                         subject={"name": "王大明", "id_number": BOB_ID})
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    # The relationship and address are given at the wizard's "who applies" step.
    SetFilerCommand(db.session.get(Application, pk), "agent",
                    subject={"name": "王大明", "id_number": BOB_ID},
                    agent={"relationship": relationship, "address": address}, user=alice).run()
    return pk


def test_the_agent_sees_their_relationship_and_address(client, agent_filed):
    pk = file_for_bob(client, agent_filed)
    alice = token(client, agent_filed.username)
    shown = client.get(f"/api/v1/applications/{pk}", headers=alice).get_json()
    assert shown["filer"] == "agent" and shown["subject_name"] == "王大明"
    assert shown["agent"] == {"name": "林小红", "relationship": "04",
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
    shown = client.get(f"/api/v1/applications/{pk}", headers=staff).get_json()
    agent = shown["agent"]
    assert agent["name"] == "林**" and agent["relationship"] == "04"
    assert agent["relationship_name"] == "父母"
    assert agent["address"] == "广州市天河区天河路1号(房东身份证4401**********0030)"
    application = db.session.get(Application, pk)
    with app.test_request_context("/"):
        rows = {row.key: row.value for row in agent_section(
            application, engine_context(application, "zh")).rows}
    assert (agent["name"], agent["relationship_name"], agent["address"]) == (
        rows["agent_name"], rows["agent_relationship"], rows["agent_address"])


def test_an_agent_application_without_details_and_a_self_filed_one(client, agent_filed):
    alice = token(client, agent_filed.username)
    created = api_create(client, alice, item=ITEM, filer="agent",
                         subject={"name": "王大明", "id_number": BOB_ID})
    pk = created.get_json()["id"]  # filed through the API alone: no relationship or address
    shown = client.get(f"/api/v1/applications/{pk}", headers=alice).get_json()
    assert shown["agent"] == {"name": "林小红", "relationship": None,
                              "relationship_name": None, "address": None}
    own = api_create(client, alice, item=ITEM).get_json()["id"]
    mine = client.get(f"/api/v1/applications/{own}", headers=alice).get_json()
    assert mine["filer"] == "self" and mine["agent"] is None


def test_openapi_documents_the_agent(client, agent_filed):
    admin = make_user("Admin")
    spec = client.get("/api/v1/_openapi", headers=token(client, admin.username)).get_json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["AgentSchema"]["properties"]) == {
        "name", "relationship", "relationship_name", "address"}
    detail = schemas["ApplicationDetailSchema"]["properties"]
    assert "agent" in detail and {"subject_name", "history", "answers"} <= set(detail)
    ok = spec["paths"]["/api/v1/applications/{pk}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApplicationDetailSchema"}
    listed = spec["paths"]["/api/v1/applications/"]["get"]["responses"]["200"]
    assert listed["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ApplicationListSchema")
