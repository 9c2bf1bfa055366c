"""A role an administrator makes on the roles page makes its holder staff, and a deciding one,
by what it grants (app.roles.STAFF_PERMISSIONS: deciding, filing at the counter, reading the
review desk, administering the region), directly or through a group, as the built-in RegionAdmin
and Reviewer do: the applications API reads as staff, real-name verification and closing an
account are refused, the audit log offers the account as staff, the account form asks for a
region, and separation of duties keeps a deciding role from RegionAdmin and Admin."""
import pytest
import sqlalchemy as sa
from flask import g
from flask_appbuilder.security.sqla.models import Group, Role, assoc_user_group
from flask_babel import force_locale, gettext

from app.api.applications.reads import is_staff
from app.commands.accounts import is_citizen_account
from app.commands.applications.errors import NotAllowedError
from app.commands.identity import ensure_verifiable
from app.commands.users import separation_conflicts
from app.extensions import db
from app.models.user import BanshiUser
from app.roles import separation_refusal
from app.views.admin.audit_log import staff_accounts
from tests.integration.test_custom_role_counter import (COUNTER, DECIDER, READER,  # noqa: F401
                                                        account_holding, custom_roles)
from tests.support import login, make_user

REGION_NEEDED = "Choose the region the account belongs to."
#: A role granting no staff permission: the working calendar, read only.
CALENDAR = [("can_list", "CalendarDayModelView"), ("can_show", "CalendarDayModelView")]


def builtin(name: str) -> Role:
    return db.session.scalar(sa.select(Role).where(Role.name == name))


def with_group(user: BanshiUser, *roles: Role) -> BanshiUser:
    """Put ``user`` in a new group giving ``roles`` (memberships written as rows)."""
    group = Group(name=f"grp_{user.id}", label="grp", roles=list(roles))
    db.session.add(group)
    db.session.flush()
    db.session.execute(assoc_user_group.insert().values(user_id=user.id, group_id=group.id))
    db.session.commit()
    db.session.expire_all()
    return db.session.get(BanshiUser, user.id)


@pytest.mark.parametrize("through_group", [False, True])
def test_the_applications_api_reads_a_custom_counter_clerk_as_staff(custom_roles,
                                                                     through_group):
    clerk = account_holding(custom_roles("窗口岗", COUNTER), through_group=through_group)
    reader = account_holding(custom_roles("查阅岗", READER), through_group=through_group)
    calendar = account_holding(custom_roles("日历岗", CALENDAR), through_group=through_group)
    assert is_staff(clerk) and is_staff(reader)  # the review desk's reads are staff's
    assert not is_staff(calendar)
    assert is_staff(make_user("Reviewer", "130203")) and is_staff(make_user("Admin"))
    assert not is_staff(make_user("Citizen"))


@pytest.mark.parametrize("grants", [COUNTER, DECIDER, READER])
def test_verification_and_closing_refuse_a_custom_staff_role(custom_roles, grants):
    staff = account_holding(custom_roles("业务岗", grants))
    with pytest.raises(NotAllowedError):
        ensure_verifiable(staff)
    citizen = make_user("Citizen")
    ensure_verifiable(citizen)
    assert is_citizen_account(citizen)
    # A citizen's account given the role as well is a staff account, directly or by group.
    citizen.roles.append(db.session.scalar(sa.select(Role).where(Role.name == "业务岗")))
    db.session.commit()
    assert not is_citizen_account(citizen)
    grouped = with_group(make_user("Citizen"), builtin("业务岗"))
    assert not is_citizen_account(grouped)
    with pytest.raises(NotAllowedError):
        ensure_verifiable(grouped)
    # A role granting no staff permission leaves a citizen a citizen.
    read_only = custom_roles("日历岗", CALENDAR)
    reader = make_user("Citizen")
    reader.roles.append(read_only)
    db.session.commit()
    assert is_citizen_account(reader)
    ensure_verifiable(reader)


def test_the_audit_log_offers_custom_role_staff(app, custom_roles):
    clerk = account_holding(custom_roles("窗口岗", COUNTER))
    decider = account_holding(custom_roles("审批岗", DECIDER), through_group=True)
    reader = account_holding(custom_roles("查阅岗", READER))
    calendar = account_holding(custom_roles("日历岗", CALENDAR))
    reviewer, citizen = make_user("Reviewer", "130203"), make_user("Citizen")
    with app.test_request_context():
        g.user = make_user("Admin")
        offered = {user.username for user in staff_accounts()}
    assert {clerk.username, decider.username, reader.username, reviewer.username} <= offered
    assert calendar.username not in offered and citizen.username not in offered


def test_the_account_form_asks_a_custom_staff_role_for_a_region(client, custom_roles):
    make_user("Admin", username="crs_admin")
    login(client, "crs_admin")
    member = with_group(make_user("Citizen", username="crs_member"),
                        custom_roles("窗口岗", COUNTER))
    data = {"first_name": "新名字", "region": "", "mobile": "", "active": "y",
            "roles": [str(builtin("Citizen").id)]}
    client.get("/lang/en")
    html = client.post(f"/users/edit/{member.id}", data=data).get_data(as_text=True)
    assert REGION_NEEDED in html
    db.session.expire_all()
    assert db.session.get(BanshiUser, member.id).first_name != "新名字"
    # A citizen's account without such a role is saved without a region.
    plain = make_user("Citizen", username="crs_plain")
    client.post(f"/users/edit/{plain.id}", data=data)
    db.session.expire_all()
    assert db.session.get(BanshiUser, plain.id).first_name == "新名字"


@pytest.mark.parametrize("managing", ["RegionAdmin", "Admin"])
def test_separation_of_duties_counts_a_custom_deciding_role(app, client, custom_roles,
                                                            managing):
    decider_role = custom_roles("审批岗", DECIDER)
    custom_roles("窗口岗", COUNTER)
    manager = make_user(managing, "130203" if managing == "RegionAdmin" else None,
                        username="crs_manager")
    manager.roles.append(decider_role)
    clerk = make_user("RegionAdmin", "130203", username="crs_clerk")
    clerk.roles.append(builtin("窗口岗"))
    db.session.commit()
    found = {user.username: pair for user, pair in separation_conflicts()}
    assert found == {"crs_manager": (managing, "审批岗")}
    with force_locale("en"):
        assert "cannot be both" in str(separation_refusal(manager.roles))
    assert separation_refusal(clerk.roles) is None
    result = app.test_cli_runner().invoke(args=["users", "conflicts"])
    assert result.exit_code == 1 and "crs_manager" in result.output
    assert "审批岗" in result.output and "crs_clerk" not in result.output
    # The account form refuses to save it.
    make_user("Admin", username="crs_admin")
    login(client, "crs_admin")
    client.get("/lang/en")
    data = {"first_name": "新名字", "region": "130203", "mobile": "", "active": "y",
            "roles": [str(builtin(managing).id)]}
    with_group(manager, decider_role)
    html = client.post(f"/users/edit/{manager.id}", data=data).get_data(as_text=True)
    assert "cannot be both" in html
    with force_locale("en"):
        assert gettext("Give the roles to two accounts.") in html


def test_the_groups_page_refuses_regionadmin_with_a_custom_deciding_role(client, custom_roles):
    decider_role, clerk_role = custom_roles("审批岗", DECIDER), custom_roles("窗口岗", COUNTER)
    make_user("Admin", username="crs_admin")
    login(client, "crs_admin")
    client.get("/lang/en")
    both = client.post("/groups/add", data={
        "name": "both", "label": "both", "roles": [str(builtin("RegionAdmin").id),
                                                   str(decider_role.id)]})
    assert ("One account cannot be both Regional administrator and 审批岗 (grants can decide on "
            "ReviewDesk), also when a role comes through a group (here: both)"
            ) in both.get_data(as_text=True)
    assert db.session.scalar(sa.select(Group).where(Group.name == "both")) is None
    fine = client.post("/groups/add", data={
        "name": "fine", "label": "fine", "roles": [str(builtin("RegionAdmin").id),
                                                   str(clerk_role.id)]})
    assert fine.status_code == 302
