"""实名认证 confirms the identity an account already holds: an account registered (or verified)
with an ID number cannot verify another person's and so become theirs."""
import sqlalchemy as sa

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from app.validators import mask_id_number
from tests.accounts_support import DEV_SECRET, english_client
from tests.applications_support import ALICE_ID, BOB_ID, make_citizen, token
from tests.support import PASSWORD, login

VERIFY = "/api/v1/me/identity"
MESSAGE = ("This account holds the ID number 4401**********0021: verify that identity. Another "
           "person needs an account of their own.")


def details(**changes) -> dict:
    return {"name": "王小明", "id_number": BOB_ID, "method": "ec_password", "secret": DEV_SECRET,
            **changes}


def state(app, user_id):
    with app.app_context():
        user = db.session.get(BanshiUser, user_id)
        refused = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "identity.refused", AuditEvent.object_id == str(user_id))).all()
        return ((user.first_name, user.id_number, user.identity_verified_at is not None),
                [event.detail for event in refused])


def unverified(app):
    with app.app_context():
        user = make_citizen(ALICE_ID, "林小红", verified=False)
        return user.id, user.username


def test_the_web_form_refuses_another_persons_id_number(app):
    user_id, username = unverified(app)
    client = english_client(app)
    login(client, username)
    response = client.post("/identity/verify", data=details())
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and MESSAGE in page
    assert state(app, user_id) == (("林小红", ALICE_ID, False), [{
        "method": "ec_password", "id_number": mask_id_number(BOB_ID),
        "reason": "not_account_id_number"}])
    # The account's own identity still verifies.
    own = client.post("/identity/verify", data=details(name="林小红", id_number=ALICE_ID))
    assert own.status_code == 302
    assert state(app, user_id)[0] == ("林小红", ALICE_ID, True)


def test_the_api_refuses_it_on_id_number_in_either_language(app):
    user_id, username = unverified(app)
    client = app.test_client()
    headers = token(client, username)
    refused = client.post(f"{VERIFY}?_l_=en", json=details(), headers=headers)
    assert refused.status_code == 422
    assert refused.get_json() == {"message": MESSAGE, "errors": {"id_number": [MESSAGE]}}
    zh = client.post(VERIFY, json=details(id_number=BOB_ID.lower()), headers=headers).get_json()
    assert zh["errors"]["id_number"] == [
        "本账号登记的身份证号码为4401**********0021，只能认证该身份；他人请使用自己的账号。"]
    identity, events = state(app, user_id)
    assert identity == ("林小红", ALICE_ID, False) and len(events) == 2
    # The account's ID number still signs in; the other person's does not.
    for number, status in ((ALICE_ID, 200), (BOB_ID, 401)):
        assert client.post("/api/v1/security/login", json={
            "username": number, "password": PASSWORD, "provider": "db"}).status_code == status
