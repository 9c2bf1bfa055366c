"""Password reset with an SMS code: same answer for unknown mobiles (A3), sessions end (A5)."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from tests.accounts_support import english_client, send_code, sms_code, sms_texts, without
from tests.support import PASSWORD, login, make_user

MOBILE = "13800138000"
UNKNOWN = "13912345678"
NEW_PASSWORD = "Fresh2026pass"


@pytest.fixture
def client(app):
    """Pages in English, the language these assertions quote (zh is the default)."""
    return english_client(app)


def reset_form(mobile, code, password=NEW_PASSWORD, confirmation=None):
    return {"mobile": mobile, "code": code, "password": password,
            "confirmation": password if confirmation is None else confirmation}


@pytest.fixture
def citizen(app):
    with app.app_context():
        user = make_user(username=MOBILE, mobile=MOBILE)
        return user.id


def password_hash(app, user_id):
    with app.app_context():
        return db.session.get(BanshiUser, user_id).password


def signed_in(client) -> bool:
    return client.get("/me/").status_code == 200


def test_reset_sets_the_password_and_ends_other_sessions(app, client, citizen):
    elsewhere = english_client(app)
    login(elsewhere, MOBILE)
    assert signed_in(elsewhere)
    before = password_hash(app, citizen)

    send_code(client, MOBILE, purpose="reset")
    response = client.post("/account/reset", data=reset_form(MOBILE, sms_code(app, MOBILE)))
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/")
    assert "Your password was changed" in client.get("/login/").get_data(as_text=True)

    assert password_hash(app, citizen) != before
    assert not signed_in(elsewhere)  # the session from before the reset is dead
    login(client, MOBILE, PASSWORD)
    assert not signed_in(client)
    assert login(client, MOBILE, NEW_PASSWORD).status_code == 302 and signed_in(client)
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "account.password_reset"))
        assert event.object_id == str(citizen) and event.actor_id == citizen


def test_reset_for_an_unknown_mobile_answers_like_a_known_one(app, citizen):
    answers = []
    for mobile in (MOBILE, UNKNOWN):
        visitor = english_client(app)
        visitor.get("/account/reset")
        sent = send_code(visitor, mobile, purpose="reset")
        again = send_code(visitor, mobile, purpose="reset")  # the minute counts for both
        submitted = visitor.post("/account/reset", data=reset_form(mobile, "000000"))
        answers.append([(r.status_code, without(r.get_data(as_text=True), mobile))
                        for r in (sent, again, submitted)])
    assert answers[0] == answers[1]
    assert "we sent it a verification code" in answers[0][0][1]
    assert "before requesting another code" in answers[0][1][1]
    assert "The code is wrong" in answers[0][2][1]
    assert sms_texts(app, UNKNOWN) == [] and len(sms_texts(app, MOBILE)) == 1


def test_a_disabled_account_gets_no_code(app, client, citizen):
    with app.app_context():
        db.session.get(BanshiUser, citizen).active = False
        db.session.commit()
    assert "we sent it a verification code" in send_code(
        client, MOBILE, purpose="reset").get_data(as_text=True)
    assert sms_texts(app, MOBILE) == []


@pytest.mark.parametrize("password, confirmation, message", [
    ("short1", None, "at least 8 characters"),
    ("onlyletters", None, "at least one digit"),
    ("password1", None, "too common"),
    ("Pass\x00word2026", None, "control character"),  # refused before the form: 400
    (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords do not match."),
])
def test_reset_applies_the_password_policy(app, client, citizen, password, confirmation,
                                           message):
    before = password_hash(app, citizen)
    send_code(client, MOBILE, purpose="reset")
    response = client.post("/account/reset", data=reset_form(
        MOBILE, sms_code(app, MOBILE), password, confirmation))
    assert response.status_code == (400 if "\x00" in password else 200)
    assert message in response.get_data(as_text=True)
    assert password_hash(app, citizen) == before


def test_a_registration_code_does_not_reset(app, client, citizen):
    before = password_hash(app, citizen)
    send_code(client, MOBILE, purpose="reset")
    code = sms_code(app, MOBILE)
    response = client.post("/account/register", data={
        "mobile": MOBILE, "code": code, "password": NEW_PASSWORD,
        "confirmation": NEW_PASSWORD, "agreement": "y"})
    assert "expired or was already used" in response.get_data(as_text=True)
    assert password_hash(app, citizen) == before
