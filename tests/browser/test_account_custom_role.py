"""Saving a staff account that holds a role made on the roles page keeps that role.

The platform administrator sees it selected in the role picker under its own name; a regional
administrator, who may not grant a deciding role, reads on the form that saving keeps it. Each
changes the account's mobile and saves; the role is still the account's."""
import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.user import BanshiUser
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.integration.test_custom_role_counter import (DECIDER, READER,  # noqa: F401
                                                        custom_roles)
from tests.support import make_user

pytestmark = pytest.mark.browser


def holder(role, username):
    account = make_user("Reviewer", "130203", username=username, name="路北经办")
    account.roles.append(role)
    db.session.commit()
    return account.id


def roles_of(account_id):
    db.session.expire_all()
    return {role.name for role in db.session.get(BanshiUser, account_id).roles}


def change_mobile_and_save(page, live_server, account_id, mobile):
    page.goto(f"{live_server}/users/edit/{account_id}")
    page.fill("#mobile", mobile)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/users/list/"))


def test_the_administrator_saves_an_account_with_a_custom_role(desk_page, live_server, app,
                                                               custom_roles):
    page = desk_page
    errors = watch_server_errors(page)
    account_id = holder(custom_roles("查阅岗", READER), "bcr_reader")
    make_user("Admin", username="bcr_admin")
    sign_in(page, live_server, "bcr_admin")
    page.goto(f"{live_server}/users/edit/{account_id}")
    chosen = page.locator("select#roles option:checked")
    expect(chosen).to_have_text([say(app, "Reviewer"), "查阅岗"])
    expect(page.locator(".select2-container").filter(has_text="查阅岗")).to_be_visible()
    change_mobile_and_save(page, live_server, account_id, "13911115555")
    assert roles_of(account_id) == {"Reviewer", "查阅岗"}
    assert db.session.get(BanshiUser, account_id).mobile == "13911115555"
    assert not errors, errors


def test_a_region_admin_reads_that_a_role_they_may_not_grant_is_kept(desk_page, live_server,
                                                                     app, custom_roles):
    page = desk_page
    errors = watch_server_errors(page)
    account_id = holder(custom_roles("审批岗", DECIDER), "bcr_decider")
    make_user("RegionAdmin", "130200", username="bcr_region_admin")
    sign_in(page, live_server, "bcr_region_admin")
    page.goto(f"{live_server}/users/edit/{account_id}")
    note = say(app, "This account also holds %(roles)s, which you may not grant: saving keeps "
                    "it.", roles="审批岗")
    expect(page.locator("form:has(select#roles)")).to_contain_text(note)
    expect(page.locator("select#roles option", has_text="审批岗")).to_have_count(0)
    change_mobile_and_save(page, live_server, account_id, "13911116666")
    assert roles_of(account_id) == {"Reviewer", "审批岗"}
    assert not errors, errors
