"""When a row was created, when a history event happened and an account's last sign-in follow
the application's clock (``BANSHI_CLOCK``), as every date rule does; without it, the real time."""
import datetime as dt

from sqlalchemy import select

from app.audit import record
from app.extensions import db
from app.models.application import Application, IdempotencyRecord
from app.models.audit import AuditEvent
from app.models.item import Item
from app.models.user import BanshiUser
from tests.applications_support import NOW, clock, gd8, token  # noqa: F401
from tests.integration.test_applications_commands import new_draft
from tests.support import login


def test_creation_history_and_sign_in_times_read_the_app_clock(app, client, clock,  # noqa: F811
                                                             gd8):  # noqa: F811
    application = new_draft(gd8)  # the clock stands at NOW, days before the real today
    db.session.expire_all()
    assert db.session.get(Item, application.version.item_id).created_at == NOW
    assert db.session.get(Application, application.id).created_at == NOW
    [created] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "application",
        AuditEvent.object_id == str(application.id))).all()
    assert created.at == NOW
    event = record("test.clock", "test")
    db.session.add(IdempotencyRecord(account_id=gd8.id, key="k", request_hash="0" * 64))
    db.session.commit()
    assert event.at == NOW
    assert db.session.scalar(select(IdempotencyRecord.created_at)) == NOW
    local = NOW.astimezone().replace(tzinfo=None)  # FAB's column: naive local server time
    assert login(client, gd8.username).status_code == 302  # the web form
    db.session.expire_all()
    assert db.session.get(BanshiUser, gd8.id).last_login == local
    clock.set(NOW + dt.timedelta(days=1))
    token(client, gd8.username)  # the API
    db.session.expire_all()
    assert db.session.get(BanshiUser, gd8.id).last_login == local + dt.timedelta(days=1)


def test_without_the_setting_the_times_are_the_real_ones(app, client, ctx):
    from tests.applications_support import load_gd8, make_citizen

    load_gd8()
    citizen = make_citizen()
    before = dt.datetime.now(dt.timezone.utc)
    application = new_draft(citizen)
    event = record("test.clock", "test")
    db.session.commit()
    assert login(client, citizen.username).status_code == 302
    after = dt.datetime.now(dt.timezone.utc)
    db.session.expire_all()
    assert before <= db.session.get(Application, application.id).created_at <= after
    assert before <= event.at <= after
    last = db.session.get(BanshiUser, citizen.id).last_login
    assert before.astimezone().replace(tzinfo=None) <= last <= after.astimezone().replace(
        tzinfo=None)
