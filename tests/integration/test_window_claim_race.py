"""实名认证 claiming a window placeholder while a clerk enters a counter draft on it.

The claim (app.commands.reviews.window.claim_window_account) locks the placeholder's row as
the window entry does: an entry holding the lock commits its draft first and the claim then
moves it with the rest; an entry that looked the citizen up before the claim committed is
refused (409, look the citizen up again). Either way no draft stays behind on the placeholder.
The races themselves need PostgreSQL row locks; the orderings are also played out one after
the other, on both databases.
"""
import threading
import time

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from app.commands import identity
from app.commands.applications.errors import StateConflictError
from app.commands.identity import VerifyIdentityCommand
from app.commands.reviews import window
from app.commands.reviews.window import WindowEntryCommand
from app.extensions import db
from app.models.application import Application, Attachment, Notification
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from tests.applications_support import (ALICE_ID, CODE, REGION, api_create,  # noqa: F401
                                        clock, load_gd8, make_person, token)
from tests.support import make_user

NAME = "林小红"
WALK_IN = {"name": NAME, "id_number": ALICE_ID}
CHANGED_EN = ("The account for this ID number has just changed (the citizen verified their "
              "identity, or another counter entered them). Look the citizen up again.")


@pytest.fixture
def counter(ctx, clock):
    """GD-8 published, Alice in the person registry (no account), a clerk at 天河区."""
    load_gd8()
    make_person(ALICE_ID, NAME)
    return make_user("Reviewer", REGION, name="窗口张")


def enter(clerk) -> Application:
    return WindowEntryCommand(clerk, CODE, REGION, NAME, ALICE_ID, identity_checked=True).run()


def verify(citizen) -> BanshiUser:
    return VerifyIdentityCommand(citizen, NAME, ALICE_ID, "ec_password", "123456").run()


def owned_by(user_id: int) -> dict[str, list[int]]:
    """What rows still point at ``user_id``: applications, files, notifications."""
    db.session.expire_all()
    return {
        "applications": list(db.session.scalars(
            select(Application.id).where(Application.applicant_id == user_id))),
        "attachments": list(db.session.scalars(
            select(Attachment.id).where(Attachment.owner_id == user_id))),
        "notifications": list(db.session.scalars(
            select(Notification.id).where(Notification.recipient_id == user_id))),
    }


def test_the_claim_moves_everything_the_placeholder_owns(counter):
    first = enter(counter)
    placeholder_id = first.applicant_id
    second = enter(counter)  # the placeholder found by its number and locked
    assert second.applicant_id == placeholder_id
    db.session.add(Attachment(application_id=first.id, material_key="id_card",
                              region_code=REGION, owner_id=placeholder_id,
                              original_name="身份证.png", storage_key="claim-race-1",
                              content_type="image/png", size=3, sha256="0" * 64,
                              uploaded_by_id=counter.id))
    db.session.add(Notification(application_id=first.id, recipient_id=placeholder_id,
                                region_code=REGION, template="application.submitted",
                                params={}))
    db.session.commit()
    citizen = make_user("Citizen", None, mobile="13912345678")
    verify(citizen)
    assert owned_by(placeholder_id) == {"applications": [], "attachments": [],
                                        "notifications": []}
    mine = owned_by(citizen.id)
    assert sorted(mine["applications"]) == sorted([first.id, second.id])
    assert len(mine["attachments"]) == 1 and len(mine["notifications"]) == 1
    placeholder = db.session.get(BanshiUser, placeholder_id)
    assert placeholder.id_number is None and not placeholder.active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.claimed"))
    assert event.detail["placeholder"] == placeholder_id and event.detail["applications"] == 2


def test_an_entry_looked_up_before_the_claim_committed_is_refused(counter, client,
                                                                  monkeypatch):
    """The citizen's verification claims the placeholder between the clerk's look-up (which
    still found it) and the draft: the entry is refused, nothing lands on the placeholder,
    and looking the citizen up again files on the verified account."""
    placeholder_id = enter(counter).applicant_id
    citizen = make_user("Citizen", None, mobile="13912345678")
    looked_up = window.check_identity

    def claimed_meanwhile(name, id_number):
        check = looked_up(name, id_number)
        verify(db.session.get(BanshiUser, citizen.id))
        return check

    monkeypatch.setattr(window, "check_identity", claimed_meanwhile)
    headers = token(client, counter.username)
    refused = client.post("/api/v1/applications/?_l_=en", headers=headers, json={
        "item": CODE, "region": REGION, "subject": WALK_IN, "identity_checked": True})
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["message"] == CHANGED_EN
    with force_locale("zh"):
        assert "重新查询" in str(window.ACCOUNT_CHANGED)
    assert owned_by(placeholder_id)["applications"] == []
    assert len(owned_by(citizen.id)["applications"]) == 1

    monkeypatch.setattr(window, "check_identity", looked_up)
    again = api_create(client, headers, subject=WALK_IN, identity_checked=True)
    assert again.status_code == 201, again.get_json()
    assert db.session.get(Application, again.get_json()["id"]).applicant_id == citizen.id


def test_a_number_verified_before_the_placeholder_is_made_is_refused_not_a_500(
        counter, client, monkeypatch):
    """The look-up found no account; the citizen verifies the number before the clerk's entry
    makes a placeholder for it: 409 in words (the ID number's unique index), not a 500."""
    citizen = make_user("Citizen", None, mobile="13912345678")
    looked_up = window.check_identity

    def verified_meanwhile(name, id_number):
        check = looked_up(name, id_number)
        verify(db.session.get(BanshiUser, citizen.id))
        return check

    monkeypatch.setattr(window, "check_identity", verified_meanwhile)
    refused = client.post("/api/v1/applications/?_l_=en", headers=token(
        client, counter.username), json={"item": CODE, "region": REGION, "subject": WALK_IN,
                                         "identity_checked": True})
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["message"] == CHANGED_EN
    db.session.expire_all()
    assert db.session.scalar(select(Application.id)) is None
    assert db.session.get(BanshiUser, citizen.id).id_number == ALICE_ID


def wait_for_a_lock_waiter(timeout: float = 20) -> None:
    """Return once another connection of this database waits for a lock (PostgreSQL)."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND wait_event_type = 'Lock'")
    deadline = time.monotonic() + timeout
    with db.engine.connect() as connection:
        while time.monotonic() < deadline:
            if connection.execute(query).scalar():
                return
            connection.rollback()  # pg_stat_activity is read once per transaction
            time.sleep(0.05)
    raise AssertionError("nobody waited for the lock")


def run_thread(app, outcomes, label, work):
    with app.app_context():
        try:
            work()
            outcomes.append((label, "ok"))
        except StateConflictError as error:
            outcomes.append((label, "409", str(error)))
        except Exception as error:  # anything else is a failure of the test
            outcomes.append((label, "error", repr(error)))
        finally:
            db.session.remove()


def race(app, *targets):
    outcomes = []
    threads = [threading.Thread(target=run_thread, args=(app, outcomes, label, work))
               for label, work in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_a_claim_waits_for_an_entry_holding_the_placeholder_and_moves_its_draft(
        app, counter, db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL row locks")
    placeholder_id = enter(counter).applicant_id
    clerk_id, citizen_id = counter.id, make_user("Citizen", None, mobile="13912345678").id
    db.session.remove()
    locked = threading.Event()

    class Entry(WindowEntryCommand):
        def _locked(self, account, number):
            row = WindowEntryCommand._locked(account, number)
            locked.set()
            wait_for_a_lock_waiter()  # the claim, on the placeholder's row
            return row

    def entry():
        try:
            Entry(db.session.get(BanshiUser, clerk_id), CODE, REGION, NAME, ALICE_ID,
                  identity_checked=True).run()
        finally:
            locked.set()

    def claim():
        assert locked.wait(timeout=30)
        verify(db.session.get(BanshiUser, citizen_id))

    outcomes = race(app, ("entry", entry), ("claim", claim))
    assert sorted(outcomes) == [("claim", "ok"), ("entry", "ok")], outcomes
    assert owned_by(placeholder_id)["applications"] == []
    assert len(owned_by(citizen_id)["applications"]) == 2


def test_an_entry_waiting_for_a_claim_is_refused(app, counter, db_dialect, monkeypatch):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL row locks")
    placeholder_id = enter(counter).applicant_id
    clerk_id, citizen_id = counter.id, make_user("Citizen", None, mobile="13912345678").id
    db.session.remove()
    claimed = threading.Event()
    real_claim = identity.claim_window_account

    def claim_then_hold(user, number):
        try:
            moved = real_claim(user, number)
            claimed.set()
            wait_for_a_lock_waiter()  # the entry, on the placeholder's row
            return moved
        finally:
            claimed.set()

    monkeypatch.setattr(identity, "claim_window_account", claim_then_hold)

    def entry():
        assert claimed.wait(timeout=30)
        enter(db.session.get(BanshiUser, clerk_id))

    outcomes = race(app, ("claim", lambda: verify(db.session.get(BanshiUser, citizen_id))),
                    ("entry", entry))
    assert sorted(o[:2] for o in outcomes) == [("claim", "ok"), ("entry", "409")], outcomes
    assert owned_by(placeholder_id)["applications"] == []
    assert len(owned_by(citizen_id)["applications"]) == 1
