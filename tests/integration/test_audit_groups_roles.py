"""Group and role changes are in the audit log (app.views.admin.security_audit): creating,
changing and deleting a group or role, a group's members and roles included, each with the
actor, the request id and the names before and after, and the log shows them in words."""
import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Group, Role

from app.extensions import db
from app.models.audit import AuditEvent
from tests.support import login, make_user


def role(name: str) -> Role:
    return db.session.scalar(sa.select(Role).where(Role.name == name))


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def admin(client, ctx):
    user = make_user("Admin", username="agr_admin")
    login(client, "agr_admin")
    client.admin_id = user.id
    return client


def test_group_create_change_and_delete_are_recorded(admin):
    clerk = make_user("Reviewer", "130203", username="agr_clerk")
    assert admin.post("/groups/add", data={"name": "agr_desk", "label": "agr_desk",
                                           "roles": [str(role("Reviewer").id)]}
                      ).status_code == 302
    desk = db.session.scalar(sa.select(Group).where(Group.name == "agr_desk"))
    [created] = events("group.create")
    assert created.actor_id == admin.admin_id and created.object_id == str(desk.id)
    assert created.request_id and created.object_type == "group"
    assert created.detail == {"name": "agr_desk", "roles": ["Reviewer"], "members": []}
    response = admin.post(f"/groups/edit/{desk.id}", data={
        "name": "agr_desk", "label": "agr_desk", "users": [str(clerk.id)],
        "roles": [str(role("Reviewer").id), str(role("Citizen").id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    [changed] = events("group.update")
    assert changed.actor_id == admin.admin_id
    assert changed.detail["members"] == {"from": [], "to": ["agr_clerk"]}
    assert changed.detail["roles"] == {"from": ["Reviewer"], "to": ["Citizen", "Reviewer"]}
    page = admin.get(f"/auditlog/show/{changed.id}").get_data(as_text=True)
    assert "修改用户组" in page and "成员" in page and "审核人员" in page
    assert "agr_clerk" in page
    english = admin.get(f"/auditlog/show/{changed.id}?_l_=en").get_data(as_text=True)
    assert "Group changed" in english and "Members" in english
    admin.post(f"/groups/edit/{desk.id}", data={"name": "agr_desk", "label": "agr_desk",
                                                "roles": [str(role("Reviewer").id)]})
    assert admin.post(f"/groups/delete/{desk.id}").status_code == 302
    [deleted] = events("group.delete")
    assert deleted.detail["name"] == "agr_desk" and deleted.detail["members"] == []


def test_role_create_change_and_delete_are_recorded(admin):
    assert admin.post("/roles/add", data={"name": "agr_role"}).status_code == 302
    made = db.session.scalar(sa.select(Role).where(Role.name == "agr_role"))
    [created] = events("role.create")
    assert created.actor_id == admin.admin_id and created.detail["name"] == "agr_role"
    permission = sorted(role("Admin").permissions, key=lambda row: row.id)[0]
    assert admin.post(f"/roles/edit/{made.id}", data={
        "name": "agr_role2", "permissions": [str(permission.id)]}).status_code == 302
    [changed] = events("role.update")
    assert changed.detail["name"] == {"from": "agr_role", "to": "agr_role2"}
    assert changed.detail["permissions"]["from"] == []
    assert len(changed.detail["permissions"]["to"]) == 1
    listed = admin.get("/auditlog/list/").get_data(as_text=True)
    assert "创建角色" in listed and "修改角色" in listed
    assert admin.post(f"/roles/delete/{made.id}").status_code == 302
    assert [e.detail["name"] for e in events("role.delete")] == ["agr_role2"]
