"""A refusal shown beside a field of an admin form (app.views.admin.model_writes) is text: FAB's
form macro passes each field error through the template's ``_()``, which marks what it returns
safe, so a group name holding markup came out as a live link or image in the separation-of-duties
refusal of the groups page."""
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Group, Role, assoc_user_group

from app.extensions import db
from tests.support import login, make_user

NAME = "审核组<a href='https://evil.example/'>点此重新登录</a><img src=x onerror=alert(1)>"


def role(name: str) -> Role:
    return db.session.scalar(sa.select(Role).where(Role.name == name))


def test_a_group_name_in_a_refusal_is_shown_as_text(client, ctx):
    make_user("Admin", username="markup_admin")
    manager = make_user("RegionAdmin", "130203", username="markup_manager")
    group = Group(name=NAME, label="desk", roles=[role("Reviewer")])
    db.session.add(group)
    db.session.commit()
    login(client, "markup_admin")
    reply = client.post(f"/groups/edit/{group.id}", data={
        "name": NAME, "label": "desk", "roles": [str(role("Reviewer").id)],
        "users": [str(manager.id)]})
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "markup_manager" in html and "同一账号不能同时担任区域管理员和审核人员" in html
    assert "href='https://evil.example/'" not in html and "<img src=x" not in html
    assert "审核组&lt;a href=&#39;https://evil.example/&#39;&gt;点此重新登录&lt;/a&gt;" in html
    assert db.session.scalar(sa.select(assoc_user_group.c.user_id)) is None
