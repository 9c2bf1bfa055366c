"""Usernames are read one way wherever an account is made and where sign-in looks it up
(app.validators.canonical_username): spaces around it and full-width letters make no second
name, a blank username or full name is refused on its field, a clash after normalising too.
The staff form also canonicalises full-width ID numbers and mobiles as the citizen side does."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.user import BanshiUser
from tests.integration.test_admin_staff_accounts import account, account_form, field_error
from tests.support import PASSWORD, login, make_user

STAFF_PASSWORD = "Good2026pass"  # account_form's


def signs_in(app, username, password=STAFF_PASSWORD) -> bool:
    client = app.test_client()
    login(client, username, password)
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.fixture
def region_admin(client, ctx):
    make_user("RegionAdmin", "130200", username="sn_admin")
    login(client, "sn_admin")
    return client


def usernames():
    return set(db.session.scalars(sa.select(BanshiUser.username)))


@pytest.mark.parametrize("typed, stored", [("sn_ws  ", "sn_ws"), ("  sn_lead", "sn_lead"),
                                           ("ｓｎ＿ｆｗ", "sn_fw")])
def test_staff_form_stores_the_username_sign_in_finds(app, region_admin, typed, stored):
    response = region_admin.post("/users/add", data=account_form(typed))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert account(stored) is not None and typed not in usernames() - {stored}
    db.session.commit()
    assert signs_in(app, typed) and signs_in(app, stored)


@pytest.mark.parametrize("field, value, message", [
    ("username", "   ", "请输入用户名。"),
    ("first_name", "   ", "请输入姓名。"),
])
def test_a_blank_username_or_name_is_refused_on_its_field(region_admin, field, value, message):
    before = usernames()
    data = {**account_form("sn_blank"), field: value}
    html = region_admin.post("/users/add", data=data).get_data(as_text=True)
    assert field_error(html, field, message), html
    assert usernames() == before


def test_a_blank_name_is_refused_when_editing_too(region_admin):
    staff = make_user("Reviewer", "130203", username="sn_named", name="张三")
    data = {"first_name": "  ", "region": "130203", "active": "y",
            "roles": account_form("x")["roles"]}
    html = region_admin.post(f"/users/edit/{staff.id}", data=data).get_data(as_text=True)
    assert field_error(html, "first_name", "请输入姓名。"), html
    db.session.expire_all()
    assert account("sn_named").first_name == "张三"


@pytest.mark.parametrize("typed", ["sn_taken ", "ｓｎ＿ｔａｋｅｎ"])
def test_a_clash_after_normalising_is_named_on_the_field(region_admin, typed):
    make_user("Reviewer", "130203", username="sn_taken")
    response = region_admin.post("/users/add", data=account_form(typed))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, "username", "该用户名已被其他账号使用。"), html
    assert usernames() >= {"sn_taken"} and typed not in usernames()


def test_cli_account_with_a_full_width_name_signs_in_as_typed(app, runner):
    result = runner.invoke(args=["users", "add", "--username", " ｓｎ＿ｃｌｉ ", "--password",
                                 PASSWORD, "--role", "Reviewer", "--region", "130200",
                                 "--name", "   "])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == "sn_cli"))
        assert user is not None and user.first_name == "sn_cli"
    assert signs_in(app, " ｓｎ＿ｃｌｉ ", PASSWORD) and signs_in(app, "sn_cli", PASSWORD)


def test_full_width_id_number_and_mobile_are_canonicalised_on_the_staff_form(region_admin):
    """QA's #7: the staff form reads them as the citizen side does (SECURITY_TESTS D1)."""
    response = region_admin.post("/users/add", data=account_form(
        "sn_fullwidth", id_number="１３０２０３１９９００１０１００１７",
        mobile="１３７ ００００ ００１２"))
    assert response.status_code == 302, response.get_data(as_text=True)
    user = account("sn_fullwidth")
    assert (user.id_number, user.mobile) == ("130203199001010017", "13700000012")


def test_a_wrong_check_digit_is_named_whatever_the_digit_width(region_admin):
    """QA typed 130203199001010015, whose check digit is 7, in both widths: the same message."""
    for typed in ("１３０２０３１９９００１０１００１５", "130203199001010015"):
        html = region_admin.post("/users/add", data=account_form(
            "sn_check", id_number=typed)).get_data(as_text=True)
        assert field_error(html, "id_number", "身份证号码校验位错误。"), html
    assert account("sn_check") is None
