"""Registration with an SMS code: policy, agreement, canonical mobiles, same answer (A3, A4)."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from tests.accounts_support import (DEV_SECRET, english_client, register, register_form,
                                    send_code, sms_code, sms_texts, valid_id, without)
from tests.support import PASSWORD, csrf_token, login, make_user

MOBILE = "13800138000"
ID_NUMBER = valid_id("11010519900307123")


@pytest.fixture
def client(app):
    """Pages in English, the language these assertions quote (zh is the default)."""
    return english_client(app)


def accounts(app):
    with app.app_context():
        return db.session.scalars(sa.select(BanshiUser).order_by(BanshiUser.id)).all()


def signed_in(client) -> bool:
    return client.get("/me/").status_code == 200


def test_register_sign_in_by_mobile_verify_sign_in_by_id_number(app, client):
    response = register(client, app, MOBILE)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/identity/verify")
    assert signed_in(client)
    client.post("/logout/")
    assert not signed_in(client)

    assert login(client, "+86 138 0013 8000").status_code == 302 and signed_in(client)
    response = client.post("/identity/verify", data={
        "name": "张三", "id_number": ID_NUMBER, "method": "ec_password", "secret": DEV_SECRET})
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")
    client.post("/logout/")

    assert not signed_in(client)
    assert login(client, ID_NUMBER).status_code == 302 and signed_in(client)
    page = client.get("/me/").get_data(as_text=True)
    assert "张三" in page and "138****8000" in page and "1101**********" in page
    assert MOBILE not in page and ID_NUMBER not in page


def test_the_new_account_is_a_citizen_named_by_its_mobile(app, client):
    register(client, app, MOBILE)
    [user] = accounts(app)
    with app.app_context():
        user = db.session.merge(user)
        assert (user.username, user.mobile, user.email) == (
            MOBILE, MOBILE, f"{MOBILE}@accounts.invalid")
        assert user.first_name == "" and user.last_name == "" and user.id_number is None
        assert user.role_names == {"Citizen"} and user.identity_verified_at is None
        assert user.password != PASSWORD and user.active
        event = db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "account.register"))
        assert event.object_id == str(user.id) and event.actor_id == user.id
        assert MOBILE not in str(event.detail) and event.detail["mobile"] == "138****8000"


def test_full_width_digits_and_country_code_are_canonicalised(app, client):
    send_code(client, "+86 １３８ ００１３ ８０００")
    code = sms_code(app, MOBILE)
    response = client.post("/account/register", data=register_form("+86 138-0013-8000", code))
    assert response.status_code == 302
    assert [u.mobile for u in accounts(app)] == [MOBILE]


def test_a_wrong_code_is_refused(app, client):
    send_code(client, MOBILE)
    wrong = f"{(int(sms_code(app, MOBILE)) + 1) % 1_000_000:06d}"
    response = client.post("/account/register", data=register_form(MOBILE, wrong))
    assert response.status_code == 200
    assert "The code is wrong; 4 attempts left." in response.get_data(as_text=True)
    assert accounts(app) == []


@pytest.mark.parametrize("password, rule", [
    ("abc123", "at least 8 characters"),
    ("12345678901", "at least one letter"),
    ("abcdefghij", "at least one digit"),
    ("password1", "too common"),
    (f"x{MOBILE}", "must not be or contain the username"),
    ("Banshi\x002026", "control character"),  # refused before the form: 400
    ("", "Enter a password."),
])
def test_weak_passwords_are_refused_naming_the_rule(app, client, password, rule):
    send_code(client, MOBILE)
    response = client.post("/account/register",
                           data=register_form(MOBILE, sms_code(app, MOBILE), password))
    assert response.status_code == (400 if "\x00" in password else 200)
    assert rule in response.get_data(as_text=True)
    assert accounts(app) == []


@pytest.mark.parametrize("changes, message", [
    ({"confirmation": PASSWORD + "x"}, "The two passwords do not match."),
    ({"agreement": None}, "Accept the registration agreement to continue."),
    ({"code": "12345"}, "The code has 6 digits."),
    ({"mobile": "12345"}, "A mobile phone number has 11 digits; this one has 5."),
    ({"mobile": "10012345678"}, "This phone number does not exist."),
])
def test_incomplete_forms_are_refused(app, client, changes, message):
    send_code(client, MOBILE)
    data = {**register_form(MOBILE, sms_code(app, MOBILE)), **changes}
    response = client.post("/account/register",
                           data={key: value for key, value in data.items() if value is not None})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert accounts(app) == []


def test_a_taken_mobile_answers_exactly_like_a_new_one_and_changes_nothing(app):
    with app.app_context():
        owner = make_user(username="someone", mobile=MOBILE)
        before = (owner.id, owner.password, owner.session_epoch, owner.email)
    new_mobile = "13912345678"
    taken, fresh = english_client(app), english_client(app)
    answers = []
    for visitor, mobile in ((taken, MOBILE), (fresh, new_mobile)):
        visitor.get("/account/register")
        sent = send_code(visitor, mobile)
        submitted = visitor.post("/account/register", data=register_form(mobile, "000000"))
        answers.append([(r.status_code, without(r.get_data(as_text=True), mobile))
                        for r in (sent, submitted)])
    assert answers[0] == answers[1]
    assert "Check your phone" in answers[0][0][1] and "The code is wrong" in answers[0][1][1]
    [warning] = sms_texts(app, MOBILE)
    assert "already has one" in warning and not any(c.isdigit() for c in warning)
    assert sms_code(app, new_mobile)
    with app.app_context():
        users = db.session.scalars(sa.select(BanshiUser)).all()
        assert [(u.id, u.password, u.session_epoch, u.email) for u in users] == [before]


def test_a_post_without_csrf_token_shows_form_expired_and_creates_nothing(app, client, csrf):
    csrf_token(client, "/account/register")  # a real visitor has the page (and session)
    sent = send_code(client, MOBILE)
    assert "The form expired or was sent from elsewhere" in sent.get_data(as_text=True)
    assert sms_texts(app, MOBILE) == []
    response = client.post("/account/register", data=register_form(MOBILE, "123456"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The form expired or was sent from elsewhere" in page
    assert f'value="{MOBILE}"' in page and 'name="csrf_token"' in page  # the form, refilled
    assert accounts(app) == []


def test_with_csrf_token_registration_works(app, client, csrf):
    token = csrf_token(client, "/account/register")
    send_code(client, MOBILE, csrf_token=token)
    response = client.post("/account/register", data=register_form(
        MOBILE, sms_code(app, MOBILE), csrf_token=token))
    assert response.status_code == 302 and len(accounts(app)) == 1


def test_the_page_shows_the_agreement_and_works_without_javascript(client):
    page = client.get("/account/register").get_data(as_text=True)
    assert 'id="registration-agreement"' in page and 'href="#registration-agreement"' in page
    assert 'name="send_code" value="register" formaction="/account/sms-code"' in page
    assert "<script" not in page


def test_a_signed_in_citizen_is_sent_to_their_account(app, client):
    register(client, app, MOBILE)
    response = client.get("/account/register")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")
