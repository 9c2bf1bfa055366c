"""Who chose the password decides the mark (app.commands.own_password): its owner — 修改密码, or
a reset by SMS code to their own mobile — clears it, and the next sign-in goes straight in;
anyone else — an administrator's 设置新密码, ``flask users add``, FAB's ``flask fab create-user``
and ``reset-password`` — sets it. A role an administrator made counts as staff here when it
grants 修改密码."""
import sqlalchemy as sa
from flask_appbuilder.cli import fab
from flask_appbuilder.security.sqla.models import Role

from app.extensions import db
from app.models.audit import AuditEvent
from tests.accounts_support import english_client, send_code, sms_code
from tests.integration.test_admin_set_password import (CHOSEN, FORM, GIVEN, account, api_login,
                                                       change_own, sent_to_change_form,
                                                       signed_in)
from tests.integration.test_custom_role_counter import drop_roles, make_role
from tests.support import login, make_user

MOBILE = "13800138011"
SMS_CHOSEN = "Sms2026chosen"


def reset_by_sms(app, mobile, password):
    visitor = english_client(app)  # the language sms_code reads
    send_code(visitor, mobile, purpose="reset")
    return visitor.post("/account/reset", data={
        "mobile": mobile, "code": sms_code(app, mobile), "password": password,
        "confirmation": password})


def set_by_admin(admin, user_id, password=GIVEN):
    return admin.post(f"/resetpassword/form?pk={user_id}",
                      data={"password": password, "conf_password": password})


def test_a_reset_by_sms_is_the_owners_choice(app, ctx):
    make_user("RegionAdmin", "130200", username="op_admin")
    reviewer = make_user("Reviewer", "130203", username="op_rev", mobile=MOBILE)
    admin = signed_in(app, "op_admin")
    assert set_by_admin(admin, reviewer.id).status_code == 302
    assert account("op_rev").must_change_password is True  # the administrator knows it

    # The given password again is no choice of one's own: refused, the mark stays.
    again = reset_by_sms(app, MOBILE, GIVEN)
    assert again.status_code == 200 and "different from your current" in again.get_data(
        as_text=True)
    assert account("op_rev").must_change_password is True

    done = reset_by_sms(app, MOBILE, SMS_CHOSEN)
    assert done.status_code == 302 and done.headers["Location"].endswith("/login/")
    assert account("op_rev").must_change_password is None
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "account.password_reset"))
    assert event.detail["must_change_password"] == {"from": True, "to": False}

    user = app.test_client()
    signed = login(user, "op_rev", SMS_CHOSEN)
    assert signed.status_code == 302 and not signed.headers["Location"].endswith(FORM)
    assert user.get("/users/userinfo/").status_code == 200
    assert user.get("/review/pending").status_code == 200
    assert api_login(app, "op_rev", SMS_CHOSEN).status_code == 200

    # An administrator's new password marks the account again.
    assert set_by_admin(admin, reviewer.id).status_code == 302
    assert account("op_rev").must_change_password is True
    assert sent_to_change_form(signed_in(app, "op_rev", GIVEN), "/users/userinfo/")


def test_passwords_typed_on_the_command_line_are_changed_at_the_first_sign_in(app, ctx,
                                                                                runner):
    result = runner.invoke(args=["users", "add", "--username", "op_cli", "--password", GIVEN,
                                 "--role", "Reviewer", "--region", "130203"])
    assert result.exit_code == 0, result.output
    assert "first sign-in" in result.output
    assert account("op_cli").must_change_password is True
    created = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "account.create"))
    assert created.detail["must_change_password"] is True and created.detail["via"] == "cli"
    user = signed_in(app, "op_cli", GIVEN)
    assert sent_to_change_form(user, "/review/pending")
    assert change_own(user, GIVEN, CHOSEN).status_code == 302
    assert account("op_cli").must_change_password is None

    # A citizen's account has no 修改密码: nothing to mark (they reset theirs by SMS code).
    result = runner.invoke(args=["users", "add", "--username", "op_citizen", "--password",
                                 GIVEN, "--role", "Citizen"])
    assert result.exit_code == 0 and "first sign-in" not in result.output
    assert account("op_citizen").must_change_password is None

    # FAB's own commands: an account they create, a password they reset.
    result = runner.invoke(fab, ["create-user", "--role", "RegionAdmin", "--username",
                                 "op_fab", "--firstname", "某", "--lastname", "人", "--email",
                                 "op_fab@accounts.invalid", "--password", GIVEN])
    assert result.exit_code == 0, result.output
    assert account("op_fab").must_change_password is True
    result = runner.invoke(fab, ["reset-password", "--username", "op_cli", "--password",
                                 SMS_CHOSEN])
    assert result.exit_code == 0, result.output
    assert account("op_cli").must_change_password is True


def test_a_made_role_with_the_change_form_is_staff_for_the_mark(app, ctx):
    sm = app.appbuilder.sm
    role = make_role(sm, "PasswordDesk", [("can_this_form_get", "ResetMyPasswordView"),
                                          ("can_this_form_post", "ResetMyPasswordView")])
    try:
        make_user("Admin", username="op_platform")
        clerk = make_user("Reviewer", "130203", username="op_desk")
        clerk.roles = [db.session.get(Role, role.id)]
        db.session.commit()
        admin = signed_in(app, "op_platform")
        assert set_by_admin(admin, clerk.id).status_code == 302
        assert account("op_desk").must_change_password is True
        user = signed_in(app, "op_desk", GIVEN)
        assert sent_to_change_form(user, "/")
        assert change_own(user, GIVEN, CHOSEN).status_code == 302
        assert account("op_desk").must_change_password is None
        assert user.get("/").status_code == 200
    finally:
        drop_roles("PasswordDesk")

