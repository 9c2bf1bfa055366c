"""Helpers for the account-closing tests (注销账号): a verified citizen of 石家庄 with a mobile,
an approved application, a draft with a file, and an application still in review."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.commands.reviews import ApproveCommand
from app.extensions import db
from app.models.application import Application, Notification
from app.models.audit import AuditEvent
from app.models.base import utcnow
from app.models.user import BanshiUser
from tests.applications_support import id_number
from tests.retention_support import KEPT, attach, on, publish_items
from tests.review_support import CHANG_AN, fresh, reviewer, submitted
from tests.support import make_user

MOBILE = "13912345678"
ID_NUMBER = id_number("13010219850505002")
NAME = "赵小明"


def make_account(mobile: str = MOBILE, number: str = ID_NUMBER, name: str = NAME):
    """Create a verified citizen of 石家庄 长安区 with a name, ID number and mobile."""
    user = make_user("Citizen", CHANG_AN, username=mobile, name=name, id_number=number,
                     mobile=mobile)
    user.identity_verified_at, user.identity_method = utcnow(), "ec_password"
    db.session.commit()
    return user


def draft_of(user, code: str = KEPT) -> Application:
    """Return a draft of ``code`` by ``user`` with one file."""
    from app.engine.variants import effective_version

    version = effective_version(code, CHANG_AN, dt.date(2026, 3, 2))
    application = Application(item_id=version.item_id, version_id=version.id,
                              region_code=CHANG_AN, applicant_id=user.id, status="draft",
                              answers={"note": f"{NAME}的草稿"})
    db.session.add(application)
    db.session.commit()
    attach(application)
    return fresh(application)


def approved_of(user, clock) -> Application:
    """Return an application of ``user`` submitted and approved (a notification each)."""
    application = submitted(KEPT, CHANG_AN, answers={"note": f"{NAME}的说明"}, applicant=user,
                            at=on(2026, 3, 2), subject_id_number=user.id_number)
    db.session.add(Notification(application_id=application.id, recipient_id=user.id,
                                region_code=CHANG_AN, template="application.submitted",
                                params={"serial": application.serial, "item": "保存期限测试"},
                                sent_at=utcnow()))
    db.session.commit()
    clock.set(on(2026, 3, 3))
    ApproveCommand(application.id, reviewer(CHANG_AN), "核对无误").run()
    return fresh(application)


@pytest.fixture
def account(ctx, workday_clock, tmp_path):
    """The citizen with an approved application and a draft with a file; yields the user."""
    publish_items(tmp_path / "formdefs")
    user = make_account()
    user.approved = approved_of(user, workday_clock)
    user.draft = draft_of(user)
    user.clock = workday_clock
    return user


def reload(user) -> BanshiUser:
    db.session.expire_all()
    return db.session.get(BanshiUser, user.id)


def account_events(user, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.object_type == "user",
                                     AuditEvent.object_id == str(user.id))
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def assert_anonymised(user) -> None:
    """The account row keeps nothing that names the person and cannot sign in."""
    row = reload(user)
    assert row.anonymised_at is not None and row.active is False and row.password is None
    assert (row.first_name, row.last_name, row.id_number, row.mobile) == ("", "", None, None)
    assert row.username.startswith("closed-") and row.email.endswith("@closed.invalid")
    assert MOBILE not in row.username and NAME not in row.username
    assert row.identity_verified_at is None and row.identity_method is None
