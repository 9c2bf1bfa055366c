"""Window entry (窗口代录) and closing the citizen's account (注销账号) at once: the entry locks the
account row as the closing does, so a closing that found no counter draft finishes first and
the entry is then refused (409: the account was closed; the clerk looks the citizen up again),
never leaving a counter draft on a closed account."""
import threading

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.commands.accounts import AnonymiseAccountCommand
from app.commands.applications.errors import StateConflictError
from app.commands.reviews import window
from app.commands.reviews.window import WindowEntryCommand
from app.extensions import db
from app.models.application import Application
from app.models.user import BanshiUser
from tests.account_close_support import (ID_NUMBER, NAME, account,  # noqa: F401
                                         assert_anonymised)
from tests.applications_support import api_create, token
from tests.retention_support import KEPT
from tests.review_support import CHANG_AN, workday_clock  # noqa: F401
from tests.support import make_user

WALK_IN = {"name": NAME, "id_number": ID_NUMBER}


def counter_drafts(user_id: int) -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(Application.id).where(
        Application.applicant_id == user_id, Application.channel == "window")))


def test_an_entry_looked_up_before_the_closing_committed_is_refused(account, client,
                                                                    monkeypatch):
    """The closing commits between the clerk's look-up (which still found the account) and the
    draft: the entry is refused, and looking the citizen up again makes a new account."""
    clerk = make_user("Reviewer", CHANG_AN, name="窗口张")
    user_id = account.id
    looked_up = window.check_identity

    def closed_meanwhile(name, id_number):
        check = looked_up(name, id_number)
        AnonymiseAccountCommand(user_id, "closed").run()
        return check

    monkeypatch.setattr(window, "check_identity", closed_meanwhile)
    headers = token(client, clerk.username)
    refused = client.post("/api/v1/applications/?_l_=en", headers=headers, json={
        "item": KEPT, "region": CHANG_AN, "subject": WALK_IN, "identity_checked": True})
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["message"] == (
        "The citizen's account has just been closed. Look the citizen up again.")
    with force_locale("zh"):
        assert "注销" in str(window.ACCOUNT_CLOSED)
    document = client.get("/api/v1/_openapi").get_json()
    assert "409" in document["paths"]["/api/v1/applications/"]["post"]["responses"]
    assert_anonymised(account)
    assert counter_drafts(user_id) == []

    monkeypatch.setattr(window, "check_identity", looked_up)
    again = api_create(client, headers, item=KEPT, region=CHANG_AN, subject=WALK_IN,
                       identity_checked=True)
    assert again.status_code == 201, again.get_json()
    holder = db.session.get(Application, again.get_json()["id"]).applicant
    assert holder.id != user_id and holder.id_number == ID_NUMBER
    assert holder.identity_method == "window"


def close_holding_the_lock(app, user_id, locked, looked_up, outcomes):
    """Close the account; once its row lock is held and no counter draft found, wait until the
    clerk has looked the citizen up, then commit."""

    class Closing(AnonymiseAccountCommand):
        def validate(self):
            user = super().validate()
            locked.set()
            assert looked_up.wait(timeout=30)
            return user

    with app.app_context():
        try:
            Closing(user_id, "closed").run()
            outcomes.append(("closed", None))
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(("error", repr(error)))
        finally:
            db.session.remove()


def enter_while_closing(app, clerk_id, locked, looked_up, outcomes):
    """Start a counter draft for the citizen while the closing holds its locks."""

    class Entry(WindowEntryCommand):
        def validate(self):
            check = super().validate()
            assert check.account is not None  # the closing has not committed yet
            looked_up.set()
            return check

    with app.app_context():
        try:
            clerk = db.session.get(BanshiUser, clerk_id)
            assert locked.wait(timeout=30)
            Entry(clerk, KEPT, CHANG_AN, NAME, ID_NUMBER, identity_checked=True).run()
            outcomes.append(("entered", None))
        except StateConflictError as error:
            outcomes.append(("409", str(error)))
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(("error", repr(error)))
        finally:
            looked_up.set()  # never leave the closing waiting
            db.session.remove()


def test_an_entry_started_while_the_account_is_being_closed_waits_and_is_refused(
        app, account, db_dialect):
    if db_dialect != "postgresql":
        pytest.skip("SQLite serialises every writer: the race needs PostgreSQL row locks")
    clerk_id = make_user("Reviewer", CHANG_AN, name="窗口张").id
    user_id = account.id
    db.session.remove()
    locked, looked_up, outcomes = threading.Event(), threading.Event(), []
    threads = [threading.Thread(target=close_holding_the_lock,
                                args=(app, user_id, locked, looked_up, outcomes)),
               threading.Thread(target=enter_while_closing,
                                args=(app, clerk_id, locked, looked_up, outcomes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(o[0] for o in outcomes) == ["409", "closed"], outcomes
    assert_anonymised(db.session.get(BanshiUser, user_id))
    assert counter_drafts(user_id) == []
