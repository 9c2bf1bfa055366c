"""FAB's own admin pages (roles, groups, the working calendar): a failed save stays on the form
with the input and a translated message; refused deletes say why; no database text anywhere."""
import logging
import re
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.calendar import CalendarDay
from app.roles import ALL_ROLES
from tests.support import login, make_user

DB_TEXT = ("INSERT", "UPDATE ab_", "UNIQUE", "duplicate key", "sqlite3", "psycopg2", "[SQL",
           "IntegrityError", "constraint")
SAVE_FAILED = {"zh": "保存未成功。请重试；如仍失败，请联系平台管理员。",
               "en": "The record could not be saved. Try again; if it fails again, tell the "
                     "platform administrator."}


def db_text(html: str) -> list[str]:
    return [text for text in DB_TEXT if text in html]


def field_error(html, field, text):
    """True when ``text`` is shown under the form field ``field`` (not as a page message)."""
    return re.search(rf'name="{field}"[\s\S]*?<span class="help-block">[^<]*</span>\s*'
                     rf'<div class="alert alert-danger">\s*{re.escape(text)}', html)


def role_named(name):
    return db.session.scalar(sa.select(sa.text("id")).select_from(sa.text("ab_role"))
                             .where(sa.text("name = :n")).params(n=name))


def add_role(name):
    db.session.execute(sa.text("INSERT INTO ab_role (name) VALUES (:n)"), {"n": name})
    db.session.commit()
    return role_named(name)


@pytest.fixture
def admin(client, ctx):
    """A signed-in platform administrator; roles the test made are removed afterwards (ab_role
    is seeded data, kept between tests)."""
    make_user("Admin", username="fw_admin")
    login(client, "fw_admin")
    yield client
    db.session.rollback()
    extra = sa.text("SELECT id FROM ab_role WHERE name NOT IN :names").bindparams(
        sa.bindparam("names", expanding=True))
    ids = list(db.session.scalars(extra, {"names": [*ALL_ROLES, "Public"]}))
    for table in ("ab_user_role", "ab_permission_view_role", "ab_group_role"):
        db.session.execute(sa.text(f"DELETE FROM {table} WHERE role_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": ids or [-1]})
    db.session.execute(sa.text("DELETE FROM ab_role WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)), {"ids": ids or [-1]})
    db.session.commit()


@pytest.fixture
def no_form_uniqueness(monkeypatch):
    """Let clashes reach the database, as two forms saved at once do (FAB's Unique validator
    checks before the write; the unique constraint decides)."""
    from flask_appbuilder import validators

    monkeypatch.setattr(validators.Unique, "__call__", lambda self, form, field: None)


@pytest.mark.parametrize("locale, message", [("zh", "已有同名角色。"),
                                             ("en", "A role with this name already exists.")])
def test_a_role_name_clash_is_named_on_the_form(admin, no_form_uniqueness, locale, message):
    response = admin.post(f"/roles/add?_l_={locale}", data={"name": "Reviewer"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.request.path == "/roles/add"
    assert field_error(html, "name", message) and 'value="Reviewer"' in html
    assert not db_text(html)
    add_role("fw_editors")
    editors = role_named("fw_editors")
    response = admin.post(f"/roles/edit/{editors}?_l_={locale}", data={"name": "Citizen"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, "name", message)
    assert 'value="Citizen"' in html and not db_text(html)
    assert role_named("fw_editors") == editors


def test_a_role_still_held_by_accounts_is_kept(admin):
    role = add_role("fw_clerks")
    user = make_user("Reviewer", "130200", username="fw_clerk")
    db.session.execute(sa.text("INSERT INTO ab_user_role (user_id, role_id) VALUES (:u, :r)"),
                       {"u": user.id, "r": role})
    db.session.commit()
    for locale, message in (("zh", "仍有1个账号拥有该角色"),
                            ("en", "1 account(s) still have this role: take it away")):
        response = admin.post(f"/roles/delete/{role}?_l_={locale}", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html
        assert "User(s) exists" not in html and not db_text(html)
    assert role_named("fw_clerks") == role


@pytest.mark.parametrize("role", ["Reviewer", "Public"])
def test_built_in_roles_are_neither_deleted_nor_renamed(admin, role):
    role_id = role_named(role)
    html = admin.post(f"/roles/delete/{role_id}", follow_redirects=True).get_data(as_text=True)
    assert "内置角色不能删除。" in html
    response = admin.post(f"/roles/edit/{role_id}", data={"name": f"{role}2"})
    assert field_error(response.get_data(as_text=True), "name", "内置角色不能改名")
    assert role_named(role) == role_id


def test_copying_a_role_twice_gives_the_copies_free_names(admin):
    role = add_role("fw_source")
    for _ in range(2):
        response = admin.post("/roles/action_post", data={"action": "copyrole",
                                                          "rowid": [str(role)]})
        assert response.status_code == 302
    assert role_named("fw_source copy") and role_named("fw_source copy 2")


def test_a_group_clash_and_a_group_in_use(admin, no_form_uniqueness):
    admin.post("/groups/add", data={"name": "fw_group"})
    response = admin.post("/groups/add", data={"name": "fw_group", "label": "第二个"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, "name", "已有同名用户组。")
    assert 'value="第二个"' in html and not db_text(html)
    group = db.session.scalar(sa.text("SELECT id FROM ab_group WHERE name = 'fw_group'"))
    user = make_user("Reviewer", "130200", username="fw_member")
    db.session.execute(sa.text("INSERT INTO ab_user_group (user_id, group_id) VALUES (:u, :g)"),
                       {"u": user.id, "g": group})
    db.session.commit()
    html = admin.post(f"/groups/delete/{group}", follow_redirects=True).get_data(as_text=True)
    assert "该用户组中仍有1个账号" in html and not db_text(html)
    assert "User(s) exists" not in html


DAY = {"day": "2027-01-01", "kind": "holiday", "name": "元旦"}


def test_a_date_already_in_the_calendar_stays_on_the_form(admin):
    admin.post("/calendar/add", data=DAY)
    response = admin.post("/calendar/add", data={**DAY, "name": "新年"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.request.path == "/calendar/add"
    assert field_error(html, "day", "工作日历中已有2027-01-01，请直接编辑该日期。")
    assert 'value="新年"' in html and not db_text(html)


@pytest.mark.parametrize("locale, message", [
    ("zh", "工作日历中已有该日期，请直接编辑该日期。"),
    ("en", "This date is in the calendar already: edit it instead.")])
def test_a_calendar_date_clash_found_by_the_database_is_named(admin, monkeypatch, locale,
                                                              message):
    from app.views.admin import calendar

    admin.post("/calendar/add", data=DAY)
    monkeypatch.setattr(calendar, "day_taken", lambda day: False)  # the other save won
    response = admin.post(f"/calendar/add?_l_={locale}", data={**DAY, "name": "新年"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(html, "day", message)
    assert 'value="新年"' in html and not db_text(html)
    assert db.session.get(CalendarDay, date(2027, 1, 1)).name == "元旦"


@contextmanager
def failing_flush(model, detail):
    """Make every flush that writes a ``model`` row fail as a lost connection would."""
    def fail(session, context, instances):
        if any(isinstance(row, model) for row in (*session.new, *session.dirty)):
            raise sa.exc.OperationalError(f"INSERT INTO {model.__tablename__}", {},
                                          Exception(detail))
    sa.event.listen(Session, "before_flush", fail)
    try:
        yield
    finally:
        sa.event.remove(Session, "before_flush", fail)


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_other_database_errors_are_logged_and_said_in_words(admin, caplog, locale):
    with caplog.at_level(logging.ERROR), failing_flush(CalendarDay, "server closed the link"):
        response = admin.post(f"/calendar/add?_l_={locale}", data=DAY)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and SAVE_FAILED[locale] in html
    assert 'value="元旦"' in html and not db_text(html) and "server closed" not in html
    assert "server closed the link" in caplog.text
    assert db.session.get(CalendarDay, date(2027, 1, 1)) is None


def role_permissions(role_id):
    return set(db.session.scalars(sa.text(
        "SELECT permission_view_id FROM ab_permission_view_role WHERE role_id = :r"),
        {"r": role_id}))


@pytest.fixture
def reviewer_permissions(admin):
    """Reviewer's permission rows in the database, put back after the test (ab_role is seeded)."""
    role_id = role_named("Reviewer")
    before = role_permissions(role_id)
    yield role_id, before
    db.session.rollback()
    db.session.execute(sa.text("DELETE FROM ab_permission_view_role WHERE role_id = :r"),
                       {"r": role_id})
    for pv in before:
        db.session.execute(sa.text("INSERT INTO ab_permission_view_role (permission_view_id, "
                                   "role_id) VALUES (:pv, :r)"), {"pv": pv, "r": role_id})
    db.session.commit()


@pytest.mark.parametrize("locale, note, refused", [
    ("zh", "内置角色的权限由系统定义，在此修改不会生效。", "内置角色的权限由系统定义，不能在此修改。"),
    ("en", "The permissions of a built-in role are defined by the system: changing them here "
           "would have no effect.",
     "The permissions of a built-in role are defined by the system and cannot be changed here.")])
def test_a_built_in_roles_permissions_are_shown_read_only_and_kept(
        admin, reviewer_permissions, locale, note, refused):
    role_id, before = reviewer_permissions
    html = admin.get(f"/roles/edit/{role_id}?_l_={locale}").get_data(as_text=True)
    assert note in html and 'name="permissions"' not in html
    # What FAB checks (app.roles), not what the database holds for the role.
    decide = {"zh": "<li>ReviewDesk：can decide</li>", "en": "<li>can decide on ReviewDesk</li>"}
    assert decide[locale] in html
    assert {"zh": "<li>WindowEntry：can enter</li>",
            "en": "<li>can enter on WindowEntry</li>"}[locale] in html
    db.session.execute(sa.text("DELETE FROM ab_permission_view_role WHERE role_id = :r"),
                       {"r": role_id})
    db.session.commit()
    assert decide[locale] in admin.get(
        f"/roles/edit/{role_id}?_l_={locale}").get_data(as_text=True)
    # A change posted anyway (an old page, a crafted request) is refused under the field.
    some = sorted(before)[:2]
    response = admin.post(f"/roles/edit/{role_id}?_l_={locale}",
                          data={"name": "Reviewer", "permissions": [str(pv) for pv in some]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'id="permissions"[\s\S]*?<div class="alert alert-danger">\s*'
                     rf'{re.escape(refused)}', html)
    assert role_permissions(role_id) == set()


def test_saving_a_built_in_role_leaves_its_permission_rows_alone(admin, reviewer_permissions):
    role_id, before = reviewer_permissions
    response = admin.post(f"/roles/edit/{role_id}", data={"name": "Reviewer"})
    assert response.status_code == 302
    assert role_permissions(role_id) == before  # FAB's form emptied them (no input posted)


def test_the_admin_roles_permissions_stay_editable_in_the_database(app, admin):
    from app.cli import sync_security

    role_id = role_named("Admin")
    before = role_permissions(role_id)
    html = admin.get(f"/roles/edit/{role_id}").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="permissions"', html)
    assert "在此移除的权限会在下次执行“flask security sync”时恢复。" in html
    kept = sorted(before)[1:]
    try:
        response = admin.post(f"/roles/edit/{role_id}",
                              data={"name": "Admin", "permissions": [str(pv) for pv in kept]})
        assert response.status_code == 302 and role_permissions(role_id) == set(kept)
        sync_security()  # gives the Admin role every permission again, as the page says
        assert role_permissions(role_id) == before
    finally:
        sync_security()
