"""Separation of duties on the roles page (app.views.admin.separation.role_refusal): a role an
administrator made may not be given a decision permission while an account that defines items
and staff (RegionAdmin, Admin) holds it, directly or through a group, or a group gives it
together with such a role. The page refuses the save under the permissions field, naming the
role, the permission and those accounts and groups, in the page's language; before, it saved
and only ``flask users conflicts`` found the pair afterwards."""
import re

import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Group, Role, assoc_user_group

from app.commands.users import separation_conflicts
from app.extensions import db
from tests.integration.test_custom_role_counter import READER, custom_roles  # noqa: F401
from tests.support import login, make_user

REFUSED = {"en": "The role 查阅岗 cannot grant can decide on ReviewDesk: {holders} would then be "
                 "both {managing} and a role that decides applications",
           "zh": "角色 查阅岗 不能授予权限（ReviewDesk：can decide）：否则 {holders} 将同时担任"
                 "{managing}和可审批申请的角色"}
MANAGING = {"en": {"RegionAdmin": "Regional administrator", "Admin": "Platform administrator"},
            "zh": {"RegionAdmin": "区域管理员", "Admin": "平台管理员"}}


def permission_ids(app, pairs) -> list[str]:
    sm = app.appbuilder.sm
    return [str(sm.find_permission_view_menu(permission, view).id) for permission, view in pairs]


def stored_permissions(role_id: int) -> set[tuple[str, str]]:
    db.session.expire_all()
    role = db.session.get(Role, role_id)
    return {(pair.permission.name, pair.view_menu.name) for pair in role.permissions}


def edit(admin, app, role, pairs, locale="en"):
    return admin.post(f"/roles/edit/{role.id}?_l_={locale}",
                      data={"name": role.name, "permissions": permission_ids(app, pairs)})


def refused_under_permissions(html: str, text: str) -> bool:
    return bool(re.search(r'name="permissions"[\s\S]*?<div class="alert alert-danger">\s*'
                          + re.escape(text), html))


def group_giving(name: str, *roles: Role, users=()) -> Group:
    group = Group(name=name, label=name, roles=list(roles))
    db.session.add(group)
    db.session.flush()
    for user in users:
        db.session.execute(assoc_user_group.insert().values(user_id=user.id, group_id=group.id))
    db.session.commit()
    return group


@pytest.fixture
def admin(app, client, ctx):
    make_user("Admin", username="rps_admin")
    login(client, "rps_admin")
    return client


DECIDING = [*READER, ("can_decide", "ReviewDesk")]


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("managing", ["RegionAdmin", "Admin"])
def test_a_managers_role_is_not_given_the_decision_permission(app, admin, custom_roles,
                                                               managing, locale):
    role = custom_roles("查阅岗", READER)
    manager = make_user(managing, "130203", username="rps_manager")
    manager.roles.append(role)
    db.session.commit()
    response = edit(admin, app, role, DECIDING, locale)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert refused_under_permissions(html, REFUSED[locale].format(
        holders="rps_manager", managing=MANAGING[locale][managing])), html[-3000:]
    assert stored_permissions(role.id) == set(READER)
    assert separation_conflicts() == []
    # Another change to the role, without the decision permission, is saved.
    assert edit(admin, app, role, READER[:2]).status_code == 302
    assert stored_permissions(role.id) == set(READER[:2])


def test_a_role_given_to_a_manager_through_a_group_is_refused_too(app, admin, custom_roles):
    role, region_admin = custom_roles("查阅岗", READER), db.session.scalar(
        sa.select(Role).where(Role.name == "RegionAdmin"))
    member = make_user("RegionAdmin", "130203", username="rps_member")
    group_giving("rps_desk", role, users=[member])
    group_giving("rps_both", role, region_admin)  # no members: it would give both itself
    html = edit(admin, app, role, DECIDING).get_data(as_text=True)
    assert refused_under_permissions(html, REFUSED["en"].format(
        holders="rps_member, group rps_both, group rps_desk",
        managing="Regional administrator")), html[-3000:]
    assert stored_permissions(role.id) == set(READER)


def test_a_role_only_reviewers_hold_may_decide(app, admin, custom_roles):
    role = custom_roles("查阅岗", READER)
    reviewer = make_user("Reviewer", "130203", username="rps_reviewer")
    reviewer.roles.append(role)
    group_giving("rps_desk", role, users=[make_user("Reviewer", "130203")])
    assert edit(admin, app, role, DECIDING).status_code == 302
    assert stored_permissions(role.id) == set(DECIDING)
