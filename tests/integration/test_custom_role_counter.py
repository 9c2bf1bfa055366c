"""A role an administrator makes on the roles page counts by what it grants, as FAB's own
access check reads it: with the counter's ``WindowEntry can_enter`` it opens 窗口代录, shows its
menu entry and files applications of its region there, given directly or through a group;
without it, it does not (app.counter_access, app.scoping.is_staff)."""
import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Group, Role

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (ALICE_ID, REGION, clock, load_gd8,  # noqa: F401
                                        make_person)
from tests.integration.test_review_window import fill_and_submit, start
from tests.support import login, make_user

#: What a counter clerk's role needs on the pages: the counter, its menu entries, 修改密码.
COUNTER = [("can_enter", "WindowEntry"), ("menu_access", "Review"),
           ("menu_access", "Window entry"), ("can_this_form_get", "ResetMyPasswordView"),
           ("can_this_form_post", "ResetMyPasswordView")]
#: A role of the review desk that reads but does not file at the counter.
READER = [("can_read", "ReviewDesk"), ("menu_access", "Review"),
          ("menu_access", "Due soon and overdue")]
#: A role that decides at the review desk: 待办 and 已办 are its menu entries.
DECIDER = [("can_read", "ReviewDesk"), ("can_decide", "ReviewDesk"), ("menu_access", "Review"),
           ("menu_access", "To do"), ("menu_access", "Done")]
WINDOW_LINK = 'href="/review/window/"'
QUEUE_LINKS = ('href="/review/pending"', 'href="/review/done"')
STAFF_HOME = "请通过上方菜单办理本辖区业务"
REFUSED = "只有区划的审核人员可以窗口代录"


def make_role(sm, name, grants):
    role = sm.add_role(name)
    for permission, view in grants:
        sm.add_permission_role(role, sm.find_permission_view_menu(permission, view))
    return db.session.get(Role, role.id)


def drop_roles(*names):
    """ab_role is seeded data, kept between tests: remove the roles a test made."""
    db.session.rollback()
    for group in db.session.scalars(sa.select(Group)):
        db.session.delete(group)
    for role in db.session.scalars(sa.select(Role).where(Role.name.in_(names))):
        role.permissions.clear()
        for user in list(role.user):
            user.roles.remove(role)
        db.session.delete(role)
    db.session.commit()


@pytest.fixture
def custom_roles(app, ctx):
    """Return a maker of roles (name, grants); ``made`` lists the names to remove after the
    test, those made on the roles page included."""
    def make(name, grants):
        make.made.append(name)
        return make_role(app.appbuilder.sm, name, grants)

    make.made = []
    yield make
    drop_roles(*make.made)


def account_holding(role, region=REGION, through_group=False):
    """An account whose only role is ``role``, given directly or through a group."""
    user = make_user("Reviewer" if region else "Citizen", region)
    user.roles = []
    if through_group:
        group = Group(name=f"desk_{user.id}", label="desk", roles=[role])
        db.session.add(group)
        user.groups = [group]
    else:
        user.roles = [role]
    db.session.commit()
    return user


def navbar(page: str) -> str:
    """Return the menu of a staff page (the page's own tabs link to the queues as well)."""
    return page.split('<header class="top"', 1)[1].split("</header>", 1)[0]


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


@pytest.mark.parametrize("through_group", [False, True])
def test_a_made_role_with_the_counter_permission_files_at_the_counter(app, custom_roles,
                                                                      through_group):
    clerk = account_holding(custom_roles("CounterClerk", COUNTER), through_group=through_group)
    client = signed_in(app, clerk)
    page = client.get("/review/window/")
    assert page.status_code == 200, page.get_data(as_text=True)[-1500:]
    assert WINDOW_LINK in page.get_data(as_text=True)
    assert 'name="id_number"' in page.get_data(as_text=True)
    assert STAFF_HOME in client.get("/").get_data(as_text=True)  # not the citizens' portal


def test_a_made_role_without_it_does_not(app, custom_roles):
    reader = account_holding(custom_roles("DeskReader", READER))
    client = signed_in(app, reader)
    assert client.get("/review/window/").status_code in (302, 403)
    assert WINDOW_LINK not in client.get("/review/late").get_data(as_text=True)
    # Nor an account with the counter's role but no region: it files nowhere.
    counter_role = custom_roles("CounterClerk", COUNTER)
    clerk = account_holding(counter_role, region=None)
    page = signed_in(app, clerk).get("/review/window/")
    assert page.status_code == 403 and REFUSED in page.get_data(as_text=True)
    # Nor whoever defines items and staff accounts (separation of duties), given it as well.
    for managing in ("RegionAdmin", "Admin"):
        manager = make_user(managing, REGION)
        manager.roles.append(counter_role)
        db.session.commit()
        page = signed_in(app, manager).get("/review/window/")
        assert page.status_code == 403 and REFUSED in page.get_data(as_text=True), managing


def test_a_role_made_on_the_roles_page_files_at_the_counter(app, custom_roles, clock):
    """Made by the platform administrator on 角色 (FAB's form), then given to a clerk, who
    looks a citizen up and starts an application."""
    sm = app.appbuilder.sm
    load_gd8()
    make_person(ALICE_ID, "林小红")
    make_user("Admin", username="crc_admin")
    admin = app.test_client()
    login(admin, "crc_admin")
    custom_roles.made.append("CounterDesk")
    ids = [str(sm.find_permission_view_menu(permission, view).id) for permission, view in COUNTER]
    assert admin.post("/roles/add", data={"name": "CounterDesk", "permissions": ids}
                      ).status_code == 302
    role = db.session.scalar(sa.select(Role).where(Role.name == "CounterDesk"))
    assert len(role.permissions) == len(COUNTER)
    clerk = signed_in(app, account_holding(role))
    assert clerk.get("/review/window/").status_code == 200
    found = clerk.post("/review/window/", data={"action": "check", "name": "林小红",
                                                "id_number": ALICE_ID})
    assert found.status_code == 200 and "registry-match" in found.get_data(as_text=True)
    # It files there as a Reviewer does: the draft, its pages and materials, submitted.
    created = start(clerk)
    assert created.status_code == 303, created.get_data(as_text=True)[-1500:]
    application = db.session.scalar(sa.select(Application))
    assert clerk.get(created.headers["Location"]).status_code == 200
    assert fill_and_submit(clerk, application.id).status_code == 303
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "submitted"



def test_a_made_role_that_decides_is_shown_the_decision_queues(app, custom_roles):
    decider = signed_in(app, account_holding(custom_roles("DeskDecider", DECIDER)))
    pending = decider.get("/review/pending")
    assert pending.status_code == 200
    menu = navbar(pending.get_data(as_text=True))
    for link in QUEUE_LINKS:
        assert link in menu, link
    assert WINDOW_LINK not in menu
    reader = signed_in(app, account_holding(custom_roles("DeskReader", READER)))
    menu = navbar(reader.get("/review/late").get_data(as_text=True))
    assert 'href="/review/late"' in menu and not any(link in menu for link in QUEUE_LINKS)
