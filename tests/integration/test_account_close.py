"""注销账号 (PIPL art. 47): a citizen closes their account on /me/close or through
POST /api/v1/me/close. Refused while an application is in progress or a service window is
entering one for them (409), and for staff;
drafts go with their files, decided applications stay; the account is anonymised, cannot
sign in, its old token is refused, and the same person registers again."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Attachment, Notification
from app.models.verification import SmsChallenge
from app.storage import get_storage
from tests.account_close_support import (ID_NUMBER, MOBILE, NAME, account,  # noqa: F401
                                         account_events, assert_anonymised, reload)
from tests.accounts_support import DEV_SECRET, english_client, register
from tests.applications_support import token
from tests.retention_support import KEPT, on
from tests.review_support import CHANG_AN, fresh, submitted, workday_clock  # noqa: F401
from tests.support import PASSWORD, login, make_user

CLOSE, API_CLOSE, ME = "/me/close", "/api/v1/me/close", "/api/v1/me/"


def confirmed(password=PASSWORD) -> dict:
    return {"password": password, "confirmed": "y"}


def test_a_citizen_closes_their_account_on_the_web_and_registers_again(account, app):
    client = english_client(app)
    login(client, MOBILE)
    bearer = token(client, MOBILE)
    draft_id, draft_key = account.draft.id, account.draft.attachments[0].storage_key
    page = client.get(CLOSE).get_data(as_text=True)
    assert "What is deleted" in page and "What the law keeps" in page
    assert "you have 1" in page and 'name="password"' in page

    wrong = client.post(CLOSE, data=confirmed("not-my-password1"))
    assert wrong.status_code == 200 and "The password is not right." in wrong.get_data(
        as_text=True)
    unticked = client.post(CLOSE, data={"password": PASSWORD})
    assert "Tick the box to confirm" in unticked.get_data(as_text=True)
    assert reload(account).anonymised_at is None

    closed = client.post(CLOSE, data=confirmed())
    assert closed.status_code == 303 and closed.headers["Location"].endswith("/")
    assert_anonymised(account)
    # The draft and its file are gone; the approved application stays, as an official record.
    assert db.session.get(Application, draft_id) is None
    assert not get_storage().exists(draft_key)
    kept = fresh(account.approved)
    assert kept.status == "approved" and kept.applicant_id == account.id
    assert kept.answers == {"note": f"{NAME}的说明"} and kept.anonymised_at is None
    # Unsent notifications had nobody to go to; the sent one stays with its application.
    left = list(db.session.scalars(select(Notification).where(
        Notification.recipient_id == account.id)))
    assert left and all(n.sent_at is not None for n in left)
    # One event, nothing personal in it; the registration-era details redacted.
    event = account_events(account, "account.closed")[0]
    assert event.detail == {"cause": "closed", "drafts": 1, "files": 1}
    assert event.actor_id == account.id
    # Signed out here; the session, a new sign-in and the old token are refused.
    assert client.get("/me/").status_code in (302, 303)
    assert "Wrong account or password" in login(client, MOBILE, follow=True).get_data(
        as_text=True)
    assert client.get(ME, headers=bearer).status_code == 401
    assert client.post("/api/v1/security/login", json={
        "username": MOBILE, "password": PASSWORD, "provider": "db"}).status_code == 401

    # The same person registers again with the same mobile and ID number.
    again = english_client(app)
    assert register(again, app, MOBILE).status_code in (302, 303)
    verified = again.post("/identity/verify", data={
        "name": NAME, "id_number": ID_NUMBER, "method": "ec_password", "secret": DEV_SECRET})
    assert verified.status_code in (302, 303), verified.get_data(as_text=True)
    assert NAME in again.get("/me/").get_data(as_text=True)
    fresh_account = db.session.scalar(select(type(account)).where(
        type(account).id_number == ID_NUMBER))
    assert fresh_account.id != account.id and fresh_account.mobile == MOBILE
    assert fresh(account.approved).applicant_id == account.id  # not linked to the new account


def test_closing_is_refused_while_an_application_is_in_progress(account, app):
    submitted(KEPT, CHANG_AN, applicant=account, at=on(2026, 3, 4))
    client = english_client(app)
    login(client, MOBILE)
    page = client.get(CLOSE).get_data(as_text=True)
    assert "You have an application in progress" in page and 'name="password"' not in page
    refused = client.post(CLOSE, data=confirmed())
    assert "You have an application in progress" in refused.get_data(as_text=True)
    bearer = token(client, MOBILE)
    answer = client.post(API_CLOSE + "?_l_=en", json={"password": PASSWORD}, headers=bearer)
    assert answer.status_code == 409
    assert answer.get_json()["message"].startswith("You have an application in progress")
    zh = client.post(API_CLOSE, json={"password": PASSWORD}, headers=bearer)
    assert zh.status_code == 409 and "办理中" in zh.get_json()["message"]
    draft_id = account.draft.id
    row = reload(account)
    assert row.anonymised_at is None and row.mobile == MOBILE and row.active
    assert db.session.get(Application, draft_id) is not None


def test_closing_is_refused_while_a_window_enters_an_application_for_them(account, app):
    """Deleting a counter draft (窗口代录) would lose the clerk's work unseen: refused, naming
    the item, until the window submits or deletes it."""
    clerk = make_user("Reviewer", CHANG_AN, name="窗口张")
    counter = Application(item_id=account.draft.item_id, version_id=account.draft.version_id,
                          region_code=CHANG_AN, applicant_id=account.id, status="draft",
                          channel="window", entered_by_id=clerk.id, answers={"note": "代录中"})
    db.session.add(counter)
    db.session.commit()
    counter_id = counter.id
    client = english_client(app)
    login(client, MOBILE)
    page = client.get(CLOSE).get_data(as_text=True)
    said = "A service window is entering an application for you (Retention test)"
    assert said in page and 'name="password"' not in page
    assert said in client.post(CLOSE, data=confirmed()).get_data(as_text=True)
    bearer = token(client, MOBILE)
    answer = client.post(API_CLOSE + "?_l_=en", json={"password": PASSWORD}, headers=bearer)
    assert answer.status_code == 409 and answer.get_json()["message"].startswith(said)
    zh = client.post(API_CLOSE, json={"password": PASSWORD}, headers=bearer)
    assert zh.status_code == 409 and "窗口" in zh.get_json()["message"]
    assert "保存期限测试" in zh.get_json()["message"]
    row = reload(account)
    assert row.anonymised_at is None and row.mobile == MOBILE and row.active
    assert db.session.get(Application, counter_id) is not None
    assert db.session.get(Application, account.draft.id) is not None
    # Once the window deleted it, the citizen closes the account (their own draft goes).
    db.session.delete(db.session.get(Application, counter_id))
    db.session.commit()
    closed = client.post(API_CLOSE, json={"password": PASSWORD}, headers=bearer)
    assert closed.status_code == 200 and closed.get_json()["drafts_deleted"] == 1


def test_a_citizen_closes_their_account_through_the_api(account, client):
    challenge = SmsChallenge(mobile=MOBILE, purpose="reset", code_hash="x",
                             expires_at=on(2030, 1, 1))
    db.session.add(challenge)
    db.session.commit()
    bearer = token(client, MOBILE)
    draft_id = account.draft.id
    wrong = client.post(API_CLOSE + "?_l_=en", json={"password": "not-my-password1"},
                        headers=bearer)
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"] == {"password": ["The password is not right."]}
    missing = client.post(API_CLOSE, json={}, headers=bearer)
    assert missing.status_code == 422 and "password" in missing.get_json()["errors"]
    assert client.post(API_CLOSE, json={"password": PASSWORD, "role": "Admin"},
                       headers=bearer).status_code == 422  # unknown keys are refused
    assert reload(account).anonymised_at is None

    closed = client.post(API_CLOSE, json={"password": PASSWORD}, headers=bearer)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["drafts_deleted"] == 1 and "注销" in closed.get_json()["message"]
    assert_anonymised(account)
    assert db.session.scalar(select(Attachment.id).where(
        Attachment.application_id == draft_id)) is None
    assert db.session.scalar(select(SmsChallenge.id).where(SmsChallenge.mobile == MOBILE)) \
        is None
    assert client.get(ME, headers=bearer).status_code == 401
    assert client.post(API_CLOSE, json={"password": PASSWORD}, headers=bearer).status_code == 401
    # A new account on the same mobile, verified with the same ID number through the API.
    assert register(english_client(client.application), client.application,
                    MOBILE).status_code in (302, 303)
    again = token(client, MOBILE)
    verified = client.post("/api/v1/me/identity", headers=again, json={
        "name": NAME, "id_number": ID_NUMBER, "method": "ec_password", "secret": DEV_SECRET})
    assert verified.status_code == 200, verified.get_json()
    assert verified.get_json()["may_apply"] is True


@pytest.mark.parametrize("role", ["Reviewer", "RegionAdmin"])
def test_staff_cannot_close_their_account(ctx, client, role):
    staff = make_user(role, CHANG_AN, username=f"staff_{role.lower()}")
    bearer = token(client, staff.username)
    assert client.post(API_CLOSE, json={"password": PASSWORD}, headers=bearer).status_code \
        == 403
    login(client, staff.username)
    assert client.get(CLOSE).status_code == 403
    assert client.post(CLOSE, data=confirmed()).status_code == 403
    assert reload(staff).anonymised_at is None and reload(staff).active


def test_a_platform_administrator_is_refused_by_the_rule_itself(ctx):
    admin = make_user("Admin", username="platform_admin")
    client = english_client(ctx)
    bearer = token(client, admin.username)
    answer = client.post(API_CLOSE + "?_l_=en", json={"password": PASSWORD}, headers=bearer)
    assert answer.status_code == 403
    assert answer.get_json()["message"].startswith("Staff accounts cannot be closed here")
    login(client, admin.username)
    page = client.post(CLOSE, data=confirmed()).get_data(as_text=True)
    assert "Staff accounts cannot be closed here" in page
    row = reload(admin)
    assert row.anonymised_at is None and row.active and row.username == "platform_admin"


def test_wrong_passwords_are_limited_across_the_page_and_the_api(account, limited):
    client = limited.test_client()
    bearer = token(client, MOBILE)
    for _ in range(5):
        assert client.post(API_CLOSE, json={"password": "not-my-password1"},
                           headers=bearer).status_code == 422
    login(client, MOBILE)
    for _ in range(5):
        assert client.post(CLOSE, data=confirmed("not-my-password1")).status_code == 200
    refused = client.post(API_CLOSE, json={"password": PASSWORD}, headers=bearer)
    assert refused.status_code == 429 and refused.headers.get("Retry-After")
    assert client.post(CLOSE, data=confirmed()).status_code == 429
    assert reload(account).anonymised_at is None


def test_closing_is_documented_in_the_openapi_document(ctx, client):
    document = client.get("/api/v1/_openapi").get_json()
    post = document["paths"]["/api/v1/me/close"]["post"]
    assert set(post["responses"]) >= {"200", "401", "403", "409", "422", "429"}
    body = document["components"]["schemas"]["ClosePostSchema"]
    assert body["required"] == ["password"] and body["additionalProperties"] is False
