"""A draft is deleted, not withdrawn (409 naming DELETE, as 我要查 offers only 删除草稿), and a
``filer`` other than self or agent is 422 keyed filer naming the allowed values."""
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from tests.applications_support import api_create, clock, gd8, token  # noqa: F401


def test_a_draft_cannot_be_withdrawn_through_the_api(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    refused = client.post(f"/api/v1/applications/{pk}/withdraw?_l_=en", headers=alice)
    assert refused.status_code == 409
    path = f"/api/v1/applications/{pk}"
    assert refused.get_json() == {
        "message": "This draft was never submitted, so there is nothing to withdraw. Delete the "
                   f"draft instead: DELETE {path}.",
        "action": {"method": "DELETE", "path": path}}
    zh = client.post(f"/api/v1/applications/{pk}/withdraw", headers=alice,
                     json={"reason": "不办了"}).get_json()["message"]
    assert "草稿" in zh and f"DELETE {path}" in zh and "withdraw" not in zh
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert (application.status, application.closed_at) == ("draft", None)
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "application.withdrawn")).all()
    listed = client.get("/api/v1/applications/?status=withdrawn", headers=alice).get_json()
    assert pk not in [row["id"] for row in listed["result"]]
    deleted = client.delete(action_path(refused), headers=alice)  # the way it points to
    assert deleted.get_json() == {"id": pk, "status": "deleted"}


def action_path(response) -> str:
    return response.get_json()["action"]["path"]


def test_the_draft_conflict_is_documented(client):
    spec = client.get("/api/v1/_openapi").get_json()
    operation = spec["paths"]["/api/v1/applications/{pk}/withdraw"]["post"]
    conflict = operation["responses"]["409"]
    assert "DELETE /api/v1/applications/<id>" in conflict["description"]
    schemas = spec["components"]["schemas"]
    reply = schemas[conflict["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    action = reply["properties"]["action"]
    action = schemas[action.get("$ref", action.get("allOf", [{}])[0].get("$ref", "")).rsplit(
        "/", 1)[1]] if "properties" not in action else action
    assert "DELETE" in action["properties"]["method"]["enum"]
    assert schemas["ApplicationPostSchema"]["properties"]["filer"]["enum"] == ["self", "agent"]


def test_an_unknown_filer_is_422_naming_the_allowed_values(gd8, client):
    alice = token(client, gd8.username)
    response = api_create(client, alice, filer="robot")
    assert response.status_code == 422
    [message] = response.get_json()["errors"]["filer"]
    assert "self" in message and "agent" in message and "本人" in message
    english = client.post("/api/v1/applications/?_l_=en", headers=alice, json={
        "item": "x", "region": "440106", "filer": "robot"}).get_json()
    assert english["errors"]["filer"] == [
        "filer must be one of: self, agent (self: for yourself; agent: for someone else, as "
        "their agent)."]
    assert db.session.scalar(select(Application.id)) is None
    item_refuses = api_create(client, alice, filer="agent", subject={
        "name": "李四", "id_number": "110101199003077777"})
    assert item_refuses.status_code == 422 and "filer" in item_refuses.get_json()["errors"]


def test_a_posted_web_withdrawal_leaves_a_draft_a_draft(app, ctx, clock):  # noqa: F811
    from tests.wizard_support import HB1, HB1_CODE, TANGSHAN, citizen, publish, signed_in, start

    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    assert client.get(f"/my/applications/{pk}/withdraw").status_code == 303  # never offered
    posted = client.post(f"/my/applications/{pk}/withdraw", data={"confirmed": "1"},
                         follow_redirects=True)
    assert "该草稿从未提交，无需撤回" in posted.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, pk).status == "draft"
