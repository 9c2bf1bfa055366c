"""The roles page in a browser: the platform administrator adds the review desk's decision
permission to a role a regional administrator holds, with FAB's permission picker, and the page
refuses it under the field in Chinese, naming the role, the permission and the account; the
role keeps its permissions (app.views.admin.separation.role_refusal)."""
import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Role
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.integration.test_custom_role_counter import READER, drop_roles, make_role
from tests.support import make_user

pytestmark = pytest.mark.browser
ROLE = "查阅岗"


def stored_permissions(app, role_id: int) -> set[tuple[str, str]]:
    with app.app_context():
        role = db.session.get(Role, role_id)
        return {(pair.permission.name, pair.view_menu.name) for pair in role.permissions}


def test_the_roles_page_refuses_a_decision_permission_for_a_managers_role(desk_page,
                                                                          live_server, app):
    page = desk_page
    server_errors = watch_server_errors(page)
    with app.app_context():
        role = make_role(app.appbuilder.sm, ROLE, READER)
        role_id = role.id
        manager = make_user("RegionAdmin", "130203", username="rsp_manager")
        manager.roles.append(role)
        db.session.commit()
        admin = make_user("Admin", username="rsp_admin").username
    try:
        sign_in(page, live_server, admin)
        page.goto(f"{live_server}/roles/edit/{role_id}")
        picker = page.locator("#permissions + .select2")  # FAB's Select2 4 picker
        picker.locator(".select2-search__field").click()
        page.keyboard.type("can decide on ReviewDesk")
        page.locator(".select2-results__option", has_text="can decide on ReviewDesk").click()
        expect(picker.locator(".select2-selection__choice")).to_have_count(len(READER) + 1)
        page.locator("form button[type=submit]", has_text=say(app, "Save")).click()
        page.wait_for_load_state()
        refusal = say(app, "The role %(role)s cannot grant %(permission)s: %(holders)s would "
                           "then be both %(managing)s and a role that decides applications (a "
                           "role that comes through a group counts too). Whoever defines items "
                           "and staff accounts does not decide applications or enter them at "
                           "the counter: take the role away from them first.", role=ROLE,
                      permission="ReviewDesk：can decide", holders="rsp_manager",
                      managing=say(app, "Regional administrator"))
        expect(page.locator(".alert-danger", has_text=refusal)).to_be_visible()
        assert stored_permissions(app, role_id) == set(READER)
        assert not server_errors, server_errors
    finally:
        with app.app_context():
            drop_roles(ROLE)
            assert db.session.scalar(sa.select(Role).where(Role.name == ROLE)) is None
