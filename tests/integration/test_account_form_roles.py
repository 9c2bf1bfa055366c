"""The staff account form offers every role the editor may grant, the roles the account holds
selected, and a save never takes away a role the form did not offer (app.views.admin
.account_roles): a role made on the roles page was neither offered nor kept, so saving an
account for any other reason (its mobile) dropped it. A regional administrator grants a made role
only when it is not above their own; separation of duties counts made roles on the form."""
import re

import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Role

from app.extensions import db
from app.models.user import BanshiUser
from app.views.admin.account_roles import may_grant
from tests.integration.test_custom_role_counter import (DECIDER, READER,  # noqa: F401
                                                        custom_roles)
from tests.support import login, make_user

#: A made role that administers staff accounts, all of it within a RegionAdmin's own powers.
ACCOUNTS = [("can_list", "StaffUserModelView"), ("can_edit", "StaffUserModelView"),
            ("menu_access", "List Users")]
KEPT = "This account also holds {}, which you may not grant: saving keeps it."
REGION = "130203"


def picker(html: str) -> dict[str, tuple[str, bool]]:
    """The role picker's options: {label: (value, selected)}."""
    select = re.search(r'<select[^>]*name="roles"[^>]*>([\s\S]*?)</select>', html)
    assert select, "no role picker on the page"
    return {label.strip(): (value, "selected" in attributes) for attributes, value, label in
            re.findall(r'<option([^>]*?)value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))}


def save_as_offered(client, account, mobile, add=()):
    """Open the account's form and save it as a browser would: the roles shown selected (and
    ``add``), a new mobile, nothing else changed."""
    page = client.get(f"/users/edit/{account.id}")
    assert page.status_code == 200, page.headers.get("Location")
    html = page.get_data(as_text=True)
    roles = [value for value, selected in picker(html).values() if selected]
    data = {"first_name": account.first_name or "某人", "region": account.region_code or "",
            "mobile": mobile, "active": "y", "roles": roles + [str(role.id) for role in add]}
    return html, client.post(f"/users/edit/{account.id}", data=data)


def held(account) -> set[str]:
    db.session.expire_all()
    return {role.name for role in db.session.get(BanshiUser, account.id).roles}


def builtin(name: str) -> Role:
    return db.session.scalar(sa.select(Role).where(Role.name == name))


def holder(*roles, username):
    account = make_user("Reviewer", REGION, username=username)
    account.roles.extend(roles)
    db.session.commit()
    return account


@pytest.fixture
def signed_in(client, ctx):
    def sign_in(role, region=None):
        make_user(role, region, username=f"afr_{role.lower()}")
        login(client, f"afr_{role.lower()}")
        client.get("/lang/en")
        return client
    return sign_in


def test_saving_an_account_keeps_its_custom_role(signed_in, custom_roles):
    reader = custom_roles("查阅岗", READER)
    account = holder(reader, username="afr_reader")
    client = signed_in("Admin")
    html, response = save_as_offered(client, account, "13911112222")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert held(account) == {"Reviewer", "查阅岗"}  # was {"Reviewer"}: dropped unseen
    assert db.session.get(BanshiUser, account.id).mobile == "13911112222"
    offered = picker(html)
    assert offered["查阅岗"][1] and offered["Reviewer"][1]  # held: shown selected
    assert "Regional administrator" in offered and "Citizen" in offered  # built-ins translated


def test_a_role_the_region_admin_may_not_grant_is_kept_and_named(signed_in, custom_roles):
    decider = custom_roles("审批岗", DECIDER)  # RegionAdmin does not decide: not theirs to give
    account = holder(decider, username="afr_decider")
    only = make_user("Reviewer", REGION, username="afr_only")
    only.roles = [decider]
    db.session.commit()
    client = signed_in("RegionAdmin", "130200")
    html, response = save_as_offered(client, account, "13911113333")
    assert KEPT.format("审批岗") in html and "审批岗" not in picker(html)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert held(account) == {"Reviewer", "审批岗"}
    # An account whose only role is one the editor may not grant is saved without a choice.
    html, response = save_as_offered(client, only, "13911114444")
    assert not any(selected for _, selected in picker(html).values())
    assert response.status_code == 302, response.get_data(as_text=True)
    assert held(only) == {"审批岗"}
    assert db.session.get(BanshiUser, only.id).mobile == "13911114444"


def test_a_region_admin_grants_no_role_beyond_their_own(signed_in, custom_roles):
    reader = custom_roles("查阅岗", READER)
    decider = custom_roles("审批岗", DECIDER)
    accounts = custom_roles("账号岗", ACCOUNTS)
    account = make_user("Reviewer", REGION, username="afr_staff")
    client = signed_in("RegionAdmin", "130200")
    offered = picker(client.get(f"/users/edit/{account.id}").get_data(as_text=True))
    assert set(offered) == {"Regional administrator", "Reviewer", "查阅岗"}
    editor = db.session.scalar(sa.select(BanshiUser).where(
        BanshiUser.username == "afr_regionadmin"))
    for role in (decider, accounts, builtin("Admin"), builtin("Citizen")):
        assert not may_grant(role, editor), role.name
        save_as_offered(client, account, "", add=[role])  # a role not offered is not given
        assert held(account) == {"Reviewer"}, role.name
    assert may_grant(reader, editor) and may_grant(builtin("RegionAdmin"), editor)
    _, response = save_as_offered(client, account, "", add=[reader])
    assert response.status_code == 302, response.get_data(as_text=True)
    assert held(account) == {"Reviewer", "查阅岗"}
    # An account holding a role that administers is a platform administrator's to change.
    admin_like = holder(accounts, username="afr_admin_like")
    response = client.get(f"/users/edit/{admin_like.id}", follow_redirects=True)
    assert "Only a platform administrator changes this account" in response.get_data(
        as_text=True)


def test_separation_of_duties_refuses_a_custom_deciding_role_on_the_form(signed_in,
                                                                         custom_roles):
    decider = custom_roles("审批岗", DECIDER)
    manager = make_user("RegionAdmin", REGION, username="afr_manager")
    client = signed_in("Admin")
    html, response = save_as_offered(client, manager, "", add=[decider])
    assert "审批岗" in picker(html)
    assert "cannot be both" in response.get_data(as_text=True)
    assert held(manager) == {"RegionAdmin"}
