"""Real-name verification through the development verifier, the account page, the gate."""
from datetime import timedelta, timezone

import pytest
import sqlalchemy as sa
from flask import g

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.base import utcnow
from app.models.user import BanshiUser
from app.services.identity import DevelopmentIdentityVerifier
from app.views.citizen import requires_verified_identity
from tests.accounts_support import DEV_SECRET, english_client, valid_id
from tests.support import login, make_user

ID_NUMBER = valid_id("11010519900307123")  # 110105 朝阳区 (Beijing)
OTHER_ID = valid_id("44010619851201456")
WRONG_CHECK = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")


@pytest.fixture
def client(app):
    """Pages in English, the language these assertions quote (zh is the default)."""
    return english_client(app)


def form(secret=DEV_SECRET, **changes):
    return {"name": "张三", "id_number": ID_NUMBER, "method": "ec_password", "secret": secret,
            **changes}


@pytest.fixture
def citizen(app, client):
    """A signed-in citizen without a verified identity; returns the account id."""
    with app.app_context():
        user_id = make_user(username="13800138000", mobile="13800138000").id
        user = db.session.get(BanshiUser, user_id)
        user.first_name = ""
        db.session.commit()
    login(client, "13800138000")
    return user_id


def account(app, user_id):
    with app.app_context():
        user = db.session.get(BanshiUser, user_id)
        db.session.expunge(user)
        return user


def test_verification_records_name_id_method_time_and_region(app, client, citizen):
    response = client.post("/identity/verify", data=form(id_number=ID_NUMBER.lower()))
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")
    user = account(app, citizen)
    assert (user.first_name, user.id_number, user.identity_method, user.region_code) == (
        "张三", ID_NUMBER, "ec_password", "110105")
    assert user.identity_verified_at.tzinfo is not None
    assert abs(user.identity_verified_at - utcnow()) < timedelta(minutes=1)
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "identity.verify"))
        assert event.object_id == str(citizen) and ID_NUMBER not in str(event.detail)
        assert event.detail == {"method": "ec_password", "id_number": "1101**********1239"}
    page = client.get("/me/").get_data(as_text=True)
    assert "Verified on" in page and "Chaoyang District" in page and ID_NUMBER not in page


def test_a_region_already_set_is_kept(app, client, citizen):
    with app.app_context():
        db.session.get(BanshiUser, citizen).region_code = "130200"
        db.session.commit()
    client.post("/identity/verify", data=form())
    assert account(app, citizen).region_code == "130200"


def test_social_security_card_needs_its_number(app, client, citizen):
    response = client.post("/identity/verify", data=form(method="sscard"))
    assert "Enter your social security card number." in response.get_data(as_text=True)
    assert account(app, citizen).identity_verified_at is None
    response = client.post("/identity/verify", data=form(method="sscard", card_number="a1234 5678"))
    assert response.status_code == 302
    assert account(app, citizen).identity_method == "sscard"


def test_a_wrong_secret_is_refused_with_a_message(app, client, citizen):
    response = client.post("/identity/verify", data=form(secret="654321"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The name, ID number and password do not match our records." in page
    user = account(app, citizen)
    assert user.identity_verified_at is None and user.id_number is None and user.first_name == ""
    with app.app_context():
        refused = db.session.scalar(sa.select(AuditEvent).where(
            AuditEvent.action == "identity.refused"))
        assert refused.detail["id_number"] == "1101**********1239"


def test_an_id_number_held_by_another_account_is_refused(app, client, citizen):
    with app.app_context():
        make_user(username="other", id_number=ID_NUMBER)
    response = client.post("/identity/verify", data=form())
    assert "already linked to another account" in response.get_data(as_text=True)
    assert account(app, citizen).id_number is None


def test_a_held_number_with_a_wrong_secret_gets_the_mismatch_answer(app, client, citizen):
    with app.app_context():
        make_user(username="other", id_number=ID_NUMBER)
    page = client.post("/identity/verify", data=form(secret="x", name="随便")).get_data(
        as_text=True)
    assert "The name, ID number and password do not match our records." in page
    assert "already linked" not in page


@pytest.mark.parametrize("id_number, message", [
    (WRONG_CHECK, "check digit is wrong"),
    ("990105199003071234", "province code"),
    ("110105199002301234", "not a real date"),
])
def test_a_bad_id_number_is_refused_on_its_field(app, client, citizen, id_number, message):
    response = client.post("/identity/verify", data=form(id_number=id_number))
    assert message in response.get_data(as_text=True)
    assert account(app, citizen).identity_verified_at is None


def test_the_development_notice_shows_the_secret(app, client, citizen):
    page = client.get("/identity/verify").get_data(as_text=True)
    assert 'class="dev-banner"' in page and f"with the password {DEV_SECRET}" in page


def test_a_verified_citizen_is_not_verified_again(app, client, citizen):
    client.post("/identity/verify", data=form())
    response = client.post("/identity/verify", data=form(name="李四", id_number=OTHER_ID))
    assert response.status_code == 200 and "Your identity is verified." in response.get_data(
        as_text=True)
    assert account(app, citizen).id_number == ID_NUMBER


def test_anonymous_visitors_sign_in_first_and_staff_get_403(app, client):
    response = client.get("/identity/verify")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    assert client.get("/me/").status_code == 302
    with app.app_context():
        make_user("Reviewer", "130200", username="reviewer1")
    login(client, "reviewer1")
    assert client.get("/identity/verify").status_code == 403


def test_an_administrator_is_told_it_is_for_citizens_as_the_api_tells_them(app, client):
    """Admin holds every permission: the form answered 200 and verified them, the API 403."""
    from tests.applications_support import token

    with app.app_context():
        admin_id = make_user("Admin", username="platform1").id
    login(client, "platform1")
    message = ("Real-name verification is for citizens' accounts. Staff accounts are managed "
               "by their administrator.")
    for response in (client.get("/identity/verify"), client.post("/identity/verify",
                                                                 data=form())):
        assert response.status_code == 403
        assert message in response.get_data(as_text=True).replace("&#39;", "'")
        assert 'name="secret"' not in response.get_data(as_text=True)
    api = app.test_client()
    refused = api.post("/api/v1/me/identity?_l_=en", json={**form(), "card_number": None},
                       headers=token(api, "platform1"))
    assert (refused.status_code, refused.get_json()) == (403, {"message": message})
    assert account(app, admin_id).identity_verified_at is None
    assert account(app, admin_id).id_number != ID_NUMBER


def test_development_verifier_never_passes_silently():
    verifier = DevelopmentIdentityVerifier("123456")
    assert verifier.verify("张三", ID_NUMBER, "ec_password", "123456").ok
    for args in [("张三", WRONG_CHECK, "ec_password", "123456"),
                 ("张三", ID_NUMBER, "ec_password", "12345"),
                 ("", ID_NUMBER, "ec_password", "123456"),
                 ("张三", ID_NUMBER, "sscard", "123456"),
                 ("张三", ID_NUMBER, "face", "123456")]:
        result = verifier.verify(*args)
        assert not result.ok and result.reason


def test_requires_verified_identity_sends_to_verification(app, citizen):
    @requires_verified_identity
    def apply():
        return "applied"

    with app.test_request_context("/apply/x?item=1"):
        g.user = db.session.get(BanshiUser, citizen)
        response = apply()
        assert response.status_code == 302
        assert response.location == "/identity/verify?next=/apply/x?item%3D1"
        g.user.identity_verified_at = utcnow().astimezone(timezone.utc)
        assert apply() == "applied"
        db.session.rollback()
    with app.test_request_context("/apply/x"):
        g.user = None
        assert "/login/" in apply().location
