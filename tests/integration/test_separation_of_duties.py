"""Separation of duties (app.roles): an account that defines items and staff (Admin,
RegionAdmin) cannot also decide applications or enter them at the counter (Reviewer) — refused
on the account forms, adding and editing, with the roles named in the page's language; the demo
accounts hold no such pair."""
import re

import pytest
import sqlalchemy as sa

from app.cli import DEMO_ACCOUNTS
from app.extensions import db
from app.models.user import BanshiUser
from app.roles import separation_conflict
from tests.support import login, make_user

ZH = "同一账号不能同时担任区域管理员和审核人员"
EN = "One account cannot be both Regional administrator and Reviewer"


def role_ids(*names):
    return [str(db.session.scalar(sa.text("SELECT id FROM ab_role WHERE name = :n"), {"n": n}))
            for n in names]


def account(username):
    db.session.expire_all()
    return db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == username))


def form(username, *roles, region="130203"):
    return {"username": username, "first_name": "某人", "region": region,
            "roles": role_ids(*roles), "active": "y", "password": "Good2026pass",
            "conf_password": "Good2026pass"}


def refused_on_roles(html: str, text: str) -> bool:
    return bool(re.search(r'name="roles"[\s\S]*?<div class="alert alert-danger">\s*'
                          + re.escape(text), html))


@pytest.fixture
def platform_admin(client, ctx):
    make_user("Admin", username="sod_admin")
    login(client, "sod_admin")
    return client


@pytest.fixture
def region_admin(client, ctx):
    make_user("RegionAdmin", "130200", username="sod_region_admin")
    login(client, "sod_region_admin")
    return client


def test_adding_an_account_with_both_duties_is_refused_naming_the_roles(platform_admin):
    response = platform_admin.post("/users/add", data=form("sod_both", "RegionAdmin", "Reviewer"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert refused_on_roles(html, ZH), html[-3000:]
    assert account("sod_both") is None
    platform_admin.get("/lang/en")
    html = platform_admin.post("/users/add", data=form("sod_both", "RegionAdmin", "Reviewer")
                               ).get_data(as_text=True)
    assert refused_on_roles(html, EN) and account("sod_both") is None
    # The platform administrator's own role with Reviewer: the same rule.
    html = platform_admin.post("/users/add", data=form("sod_admin_rev", "Admin", "Reviewer")
                               ).get_data(as_text=True)
    assert refused_on_roles(html, "One account cannot be both Platform administrator and "
                                  "Reviewer") and account("sod_admin_rev") is None
    # Each duty on its own account is fine.
    for name, role in (("sod_manager", "RegionAdmin"), ("sod_decider", "Reviewer")):
        assert platform_admin.post("/users/add", data=form(name, role)).status_code == 302
        assert {r.name for r in account(name).roles} == {role}


def test_editing_a_reviewer_into_an_administrator_too_is_refused(region_admin):
    reviewer = make_user("Reviewer", "130203", username="sod_reviewer")
    data = {"first_name": "某人", "region": "130203", "mobile": "", "active": "y",
            "roles": role_ids("Reviewer", "RegionAdmin")}
    response = region_admin.post(f"/users/edit/{reviewer.id}", data=data)
    assert response.status_code == 200
    assert refused_on_roles(response.get_data(as_text=True), ZH)
    assert {r.name for r in account("sod_reviewer").roles} == {"Reviewer"}
    moved = region_admin.post(f"/users/edit/{reviewer.id}",
                              data={**data, "roles": role_ids("RegionAdmin")})
    assert moved.status_code == 302  # one duty for another is a change of post, not a pair
    assert {r.name for r in account("sod_reviewer").roles} == {"RegionAdmin"}


def test_the_rule_and_the_demo_accounts():
    assert separation_conflict(["RegionAdmin", "Reviewer"]) == ("RegionAdmin", "Reviewer")
    assert separation_conflict(["Admin", "Reviewer", "Citizen"]) == ("Admin", "Reviewer")
    assert separation_conflict(["Admin", "RegionAdmin"]) is None
    assert separation_conflict(["Reviewer", "Citizen"]) is None
    holders: dict[str, set] = {}
    for username, role, *_rest in DEMO_ACCOUNTS:
        holders.setdefault(username, set()).add(role)
    assert not [name for name, roles in holders.items() if separation_conflict(roles)]
