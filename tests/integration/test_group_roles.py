"""A role given through a FAB group counts as a role given directly: FAB grants its
permissions, and banshi's region scope, role checks and staffing read it too (app.scoping's
``role_names`` and ``held_roles``). Accounts join groups on FAB's groups page and in code."""
import datetime as dt

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_appbuilder.security.sqla.models import Group, Role

from app.extensions import db
from app.models.user import BanshiUser
from app.scoping import role_names
from tests.integration.test_review_queries import QUERY_BUDGET, counted, row_ids
from tests.review_support import (HB1, LUBEI, LUNAN, TANGSHAN, hb1,  # noqa: F401
                                  submitted, workday_clock)
from tests.applications_support import token
from tests.support import login, make_user


def role(name: str) -> Role:
    return db.session.scalar(sa.select(Role).where(Role.name == name))


def account(user_id: int) -> BanshiUser:
    db.session.expire_all()
    return db.session.get(BanshiUser, user_id)


def group_only_reviewer(region: str, username: str) -> BanshiUser:
    """An account whose only role is Reviewer, through the group "desk"."""
    user = make_user("Reviewer", region, username=username)
    user.roles = []
    current_app.appbuilder.sm.add_group("desk", "desk", "", roles=[role("Reviewer")],
                                        users=[user], commit=False)
    db.session.commit()
    return user


def signed_in(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_accounts_join_groups_in_code(ctx):
    """FAB's Group.users typechecked its members against FAB's own User class: banshi's
    account did not flush, from either side."""
    sm = current_app.appbuilder.sm
    first = make_user("Citizen", username="gr_first")
    desk = sm.add_group("gr_desk", "gr_desk", "", roles=[role("Reviewer")], users=[first])
    assert desk is not None  # add_group logs the error and answers None
    second = make_user("Citizen", username="gr_second")
    second.groups.append(desk)
    db.session.commit()
    assert sorted(user.username for user in account(first.id).groups[0].users) == [
        "gr_first", "gr_second"]
    assert role_names(account(second.id)) == {"Citizen", "Reviewer"}
    assert account(second.id).role_names == {"Citizen", "Reviewer"}


def test_the_groups_page_saves_members_and_their_roles_count(app, client, ctx):
    make_user("Admin", username="gr_admin")
    member = make_user("Reviewer", LUBEI, username="gr_member")
    member.roles = []  # a staff account whose role comes through the group (no citizens)
    db.session.commit()
    login(client, "gr_admin")
    assert client.post("/groups/add", data={"name": "gr_desk", "label": "gr_desk",
                                            "roles": [str(role("Reviewer").id)]}
                       ).status_code == 302
    desk = db.session.scalar(sa.select(Group).where(Group.name == "gr_desk"))
    response = client.post(f"/groups/edit/{desk.id}", data={
        "name": "gr_desk", "label": "gr_desk", "roles": [str(role("Reviewer").id)],
        "users": [str(member.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [group.name for group in account(member.id).groups] == ["gr_desk"]
    assert role_names(account(member.id)) == {"Reviewer"}
    # /me tells the client what the account is, as the checks read it.
    me = app.test_client().get("/api/v1/me/", headers=token(app.test_client(), "gr_member"))
    assert [r["code"] for r in me.get_json()["roles"]] == ["Reviewer"]


def test_a_reviewer_through_a_group_sees_exactly_their_regions_queue(app, hb1):
    mine = [submitted(HB1, LUBEI), submitted(HB1, LUBEI)]
    sibling, other_city = submitted(HB1, LUNAN), submitted(HB1, "130102")
    user = group_only_reviewer(LUBEI, "gr_reviewer")
    assert [r.name for r in account(user.id).roles] == []
    direct = make_user("Reviewer", LUBEI, username="gr_direct")
    pages = {}
    for username in ("gr_direct", "gr_reviewer"):
        client = signed_in(app, username)
        client.get("/review/pending")  # warm the caches that outlive a request
        with counted(app) as statements:
            page = client.get("/review/pending")
        assert page.status_code == 200
        pages[username] = (row_ids(page.get_data(as_text=True)), len(statements))
    assert sorted(pages["gr_reviewer"][0]) == sorted(a.id for a in mine)
    # The group's roles come with the account's own query: not one statement more.
    assert pages["gr_reviewer"] == pages["gr_direct"] and pages["gr_direct"][1] <= QUERY_BUDGET
    county = client
    for outside in (sibling, other_city):
        assert county.get(f"/review/applications/{outside.id}").status_code in (403, 404)
    assert county.get(f"/review/applications/{mine[0].id}").status_code == 200
    # The staffing rule (无人可办) counts the group's reviewer as it counts a direct one.
    from app.workflow.staffing import Staff
    assert sorted(actor.id for actor in Staff.load({LUBEI}, {"Reviewer"}).actors) == sorted(
        (direct.id, user.id))

    # Out of the group, the account holds nothing: no queue, no application.
    desk = db.session.scalar(sa.select(Group).where(Group.name == "desk"))
    make_user("Admin", username="gr_root")
    admin = signed_in(app, "gr_root")
    assert admin.post(f"/groups/edit/{desk.id}", data={
        "name": "desk", "label": "desk", "roles": [str(role("Reviewer").id)], "users": []}
    ).status_code == 302
    assert account(user.id).groups == [] and role_names(account(user.id)) == set()
    assert county.get("/review/pending").status_code == 403
    assert county.get(f"/review/applications/{mine[0].id}").status_code in (403, 404)
    assert [actor.id for actor in Staff.load({LUBEI}, {"Reviewer"}).actors] == [direct.id]


def test_a_region_administrator_cannot_change_an_administrator_through_a_group(app, ctx):
    make_user("RegionAdmin", TANGSHAN, username="gr_city")
    target = make_user("RegionAdmin", LUBEI, username="gr_target")
    city = signed_in(app, "gr_city")
    city.get("/lang/en")
    assert city.get(f"/users/edit/{target.id}").status_code == 200  # a county administrator
    current_app.appbuilder.sm.add_group("root", "root", "", roles=[role("Admin")],
                                        users=[account(target.id)])
    page = city.get(f"/users/edit/{target.id}", follow_redirects=True).get_data(as_text=True)
    assert "Only a platform administrator changes citizens&#39; and administrators&#39; " \
        "accounts." in page
    city.post(f"/users/edit/{target.id}", data={
        "first_name": "改名", "region": LUBEI, "roles": [str(role("RegionAdmin").id)],
        "active": "y"})
    assert account(target.id).first_name != "改名"


def test_a_citizen_with_a_staff_role_through_a_group_is_not_an_unused_citizen(ctx):
    from app.commands.accounts import unused_accounts

    plain = make_user("Citizen", username="gr_plain")
    staffed = make_user("Citizen", username="gr_staffed")
    far = dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)
    assert {plain.id, staffed.id} <= set(unused_accounts(far))
    current_app.appbuilder.sm.add_group("desk", "desk", "", roles=[role("Reviewer")],
                                        users=[account(staffed.id)])
    found = set(unused_accounts(far))
    assert plain.id in found and staffed.id not in found
