"""Usernames as sign-in reads them: none that sign-in would take for a mobile or an ID number,
none differing from another only in case (after width normalisation), sign-in in any case."""
import pytest
import sqlalchemy as sa

from app.commands.users import UserError
from app.extensions import db
from app.models.user import BanshiUser
from tests.integration.test_admin_staff_accounts import account_form, field_error
from tests.support import PASSWORD, login, make_user

LOGIN = "/api/v1/security/login"


@pytest.fixture
def region_admin(client, ctx):
    make_user("RegionAdmin", "130200", username="sn_admin")
    login(client, "sn_admin")
    return client


def accounts(*names):
    return db.session.scalars(sa.select(BanshiUser.username).where(
        BanshiUser.username.in_(names))).all()


@pytest.mark.parametrize("username, message", [
    ("13900139000", "用户名不能像手机号"), ("139 0013 9000", "用户名不能像手机号"),
    ("11010519491231002X", "用户名不能像身份证号"),
])
def test_a_username_sign_in_reads_as_a_mobile_or_id_number_is_refused(region_admin, username,
                                                                      message):
    response = region_admin.post("/users/add", data=account_form(username))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, "username", message)
    assert accounts(username, username.replace(" ", "")) == []


def test_a_username_that_is_the_accounts_own_mobile_signs_in(region_admin, client):
    response = region_admin.post("/users/add", data=account_form("13900139001",
                                                                  mobile="13900139001"))
    assert response.status_code == 302
    # Found and the password accepted: 403, not 401, because the password the administrator
    # chose must first be changed on the web (app.views.admin.password_change).
    assert client.post(LOGIN, json={"username": "13900139001", "password": "Good2026pass",
                                    "provider": "db"}).status_code == 403


def test_the_command_line_refuses_it_too(ctx):
    with pytest.raises(UserError, match="mobile"):
        make_user("Reviewer", "130203", username="13900139002")
    make_user("Citizen", "130203", username="13900139003", mobile="13900139003")


@pytest.mark.parametrize("taken", ["QA_Y1", "ＱＡ＿ｙ１", "qa_y1 "])
def test_usernames_differing_only_in_case_are_one(region_admin, taken):
    assert region_admin.post("/users/add", data=account_form("qa_y1")).status_code == 302
    response = region_admin.post("/users/add", data=account_form(taken))
    assert field_error(response.get_data(as_text=True), "username", "该用户名已被其他账号使用")
    assert accounts("QA_Y1", "QA_y1", "qa_y1") == ["qa_y1"]
    with pytest.raises(UserError):
        make_user("Reviewer", "130203", username=taken)


def test_sign_in_takes_the_username_in_any_case(client, ctx):
    make_user("Reviewer", "130203", username="Sn_Case")
    for typed in ("sn_case", "SN_CASE", "ｓｎ＿ｃａｓｅ"):
        assert client.post(LOGIN, json={"username": typed, "password": PASSWORD,
                                        "provider": "db"}).status_code == 200, typed


def test_sign_in_picks_no_account_among_old_case_twins(client, ctx):
    make_user("Reviewer", "130203", username="sn_twin")
    make_user("Reviewer", "130203", username="sn_twin2")
    db.session.execute(sa.update(BanshiUser).where(BanshiUser.username == "sn_twin2")
                       .values(username="SN_Twin"))
    db.session.commit()
    assert client.post(LOGIN, json={"username": "sn_twin", "password": PASSWORD,
                                    "provider": "db"}).status_code == 200
    assert client.post(LOGIN, json={"username": "Sn_TWIN", "password": PASSWORD,
                                    "provider": "db"}).status_code == 401
