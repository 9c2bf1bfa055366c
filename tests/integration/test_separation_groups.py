"""Separation of duties (app.roles) counts roles given through FAB groups, which grant their
roles' permissions as direct ones do: the account form refuses an account whose direct and
group roles conflict, the groups page refuses a group that would give one, and
``flask users conflicts`` (with a marker in the staff list) finds accounts that hold such a
pair from before the rule."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from flask_appbuilder.security.sqla.models import Group, Role, assoc_user_group

from app.extensions import db
from app.models.user import BanshiUser
from tests.support import login, make_user

GROUP_EN = ("One account cannot be both Regional administrator and Reviewer, also when a role "
            "comes through a group (here: counter)")
GROUP_ZH = "同一账号不能同时担任区域管理员和审核人员（通过用户组获得的角色同样计算在内"


def role(name: str) -> Role:
    return db.session.scalar(sa.select(Role).where(Role.name == name))


def make_group(name: str, *roles: str, users=()) -> Group:
    """Add a group; its members are written as rows (FAB's ``Group.users`` will not flush
    banshi's account class: memberships come from the database, as an older one holds them)."""
    group = Group(name=name, label=name, roles=[role(r) for r in roles])
    db.session.add(group)
    db.session.flush()
    for user in users:
        db.session.execute(assoc_user_group.insert().values(user_id=user.id, group_id=group.id))
    db.session.commit()
    return group


def account(username: str) -> BanshiUser:
    db.session.expire_all()
    return db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == username))


@pytest.fixture
def platform_admin(client, ctx):
    make_user("Admin", username="sodg_admin")
    login(client, "sodg_admin")
    return client


def test_the_account_form_counts_roles_given_through_groups(platform_admin):
    manager = make_user("RegionAdmin", "130203", username="sodg_manager")
    make_group("counter", "Reviewer", users=[manager])
    data = {"first_name": "新名字", "region": "130203", "mobile": "", "active": "y",
            "roles": [str(role("RegionAdmin").id)]}
    response = platform_admin.post(f"/users/edit/{manager.id}", data=data)
    assert response.status_code == 200
    assert GROUP_ZH in response.get_data(as_text=True)
    assert account("sodg_manager").first_name != "新名字"
    platform_admin.get("/lang/en")
    html = platform_admin.post(f"/users/edit/{manager.id}", data=data).get_data(as_text=True)
    assert GROUP_EN in html
    # Out of the group, the same save goes through.
    counter = db.session.scalar(sa.select(Group).where(Group.name == "counter"))
    db.session.execute(assoc_user_group.delete())
    db.session.commit()
    assert platform_admin.post(f"/users/edit/{manager.id}", data=data).status_code == 302
    assert account("sodg_manager").first_name == "新名字"


def test_the_groups_page_refuses_a_group_that_would_give_both_duties(platform_admin):
    manager = make_user("RegionAdmin", "130203", username="sodg_member")
    platform_admin.get("/lang/en")
    both = platform_admin.post("/groups/add", data={
        "name": "both", "label": "both", "roles": [str(role("RegionAdmin").id),
                                                   str(role("Reviewer").id)]})
    assert both.status_code == 200
    assert ("One account cannot be both Regional administrator and Reviewer, also when a role "
            "comes through a group (here: both)") in both.get_data(as_text=True)
    assert db.session.scalar(sa.select(Group).where(Group.name == "both")) is None
    desk = make_group("desk", users=[manager])
    edit = platform_admin.post(f"/groups/edit/{desk.id}", data={
        "name": "desk", "label": "desk", "roles": [str(role("Reviewer").id)],
        "users": [str(manager.id)]})
    assert edit.status_code == 200
    assert ("Account sodg_member: One account cannot be both Regional administrator and "
            "Reviewer, also when a role comes through a group (here: desk)"
            ) in edit.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Group, desk.id).roles == []
    fine = platform_admin.post("/groups/add", data={
        "name": "clerks", "label": "clerks", "roles": [str(role("Reviewer").id)]})
    assert fine.status_code == 302
    assert [r.name for r in db.session.scalar(
        sa.select(Group).where(Group.name == "clerks")).roles] == ["Reviewer"]


def test_accounts_holding_both_duties_are_listed_and_marked(app, platform_admin):
    runner = app.test_cli_runner()
    make_user("Reviewer", "130203", username="sodg_fine")
    clean = runner.invoke(args=["users", "conflicts"])
    assert clean.exit_code == 0, clean.output
    assert "No account holds roles that separation of duties keeps apart." in clean.output
    legacy = make_user("RegionAdmin", "130203", username="sodg_legacy")
    legacy.roles.append(role("Reviewer"))  # given before the rule, as older databases hold it
    grouped = make_user("Admin", None, username="sodg_grouped")
    make_group("counter", "Reviewer", users=[grouped])
    found = runner.invoke(args=["users", "conflicts"])
    assert found.exit_code == 1, found.output
    lines = [line for line in found.output.splitlines() if "\t" in line]
    assert [line.split("\t")[0] for line in lines] == ["sodg_grouped", "sodg_legacy"]
    assert "Platform administrator and Reviewer" in lines[0] and "groups: counter" in lines[0]
    assert "Regional administrator and Reviewer" in lines[1]
    assert "2 accounts hold roles that separation of duties keeps apart" in found.output
    with force_locale("zh"):  # the commands' default language
        assert gettext("No account holds roles that separation of duties keeps apart.") == \
            "没有账号同时持有职责分离要求分开的角色。"
    platform_admin.get("/lang/en")
    page = platform_admin.get("/users/list/?psize_UserDBModelView=100").get_data(as_text=True)
    assert "Regional administrator, Reviewer (⚠ not allowed together: take one role away)" \
        in page
