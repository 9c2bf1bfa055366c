"""Helpers for the review tests: published items, submitted applications, reviewers, a clock.

Applications are made directly through the models plus ``workflow.start()`` (the citizen side
has its own tests); one end-to-end test goes through the submit command.
"""
from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.support import frozen_clock, make_user

FORMDEFS = Path(__file__).resolve().parents[1] / "app" / "formdefs"
ITEMS = {
    "chronic_disease_outpatient": "130000-hebei/chronic_disease_outpatient.yaml",    # HB-1
    "cross_province_medical_filing": "130000-hebei/cross_province_medical_filing.yaml",
    "maternity_allowance": "440000-guangdong/maternity_allowance.yaml",              # GD-8
    "resident_info_change": "440000-guangdong/resident_info_change.yaml",            # GD-2
    "transfer_in_cross_province": "440000-guangdong/transfer_in_cross_province.yaml",  # GD-3
}
CST = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CST)  # a working Monday, official calendar year

# 河北 唐山: 路北区 (county) and its sibling 路南区, the city, and another city's district.
LUBEI, LUNAN, TANGSHAN, SHIJIAZHUANG, CHANG_AN = "130203", "130202", "130200", "130100", "130102"
# 广东 深圳: 南山区 and its sibling 福田区.
NANSHAN, FUTIAN, SHENZHEN = "440305", "440304", "440300"
HB1 = "chronic_disease_outpatient"

_serials = itertools.count(1)


def publish(*codes: str) -> None:
    """Load and publish the named items from app/formdefs (CONTRACT.md §3 files)."""
    from app.commands.formdefs import LoadFormdefsCommand

    LoadFormdefsCommand([FORMDEFS / ITEMS[code] for code in codes], publish=True).run()


def reviewer(region: str, role: str = "Reviewer", **kw):
    return make_user(role, region, **kw)


def citizen(region: str = LUBEI, **kw):
    return make_user("Citizen", region, **kw)


def submitted(code: str, region: str = LUBEI, answers: dict | None = None, applicant=None,
              at: dt.datetime = MONDAY, subject_id_number: str | None = None):
    """Create a submitted application of item ``code`` and start its review at ``at``."""
    from app import workflow
    from app.engine.variants import effective_version
    from app.extensions import db
    from app.models.application import Application
    from app.workdays import add_working_days

    version = effective_version(code, region, at.date())
    assert version is not None, f"{code} is not published for {region}"
    applicant = applicant or citizen(region)
    application = Application(
        item_id=version.item_id, version_id=version.id, region_code=region,
        applicant_id=applicant.id, filer="self", answers=answers or {}, status="submitted",
        serial=f"R{at:%Y%m%d}{next(_serials):05d}", submitted_at=at,
        subject_name="测试人", subject_id_number=subject_id_number,
        subject_verified_at=at if subject_id_number else None)
    db.session.add(application)
    db.session.flush()
    limit = version.definition.get("time_limit_days")
    if limit:
        application.deadline = add_working_days(at.astimezone(CST).date(), limit).date
    workflow.start(application, at)
    db.session.commit()
    return application


def fresh(application):
    """Return the application as the database has it now."""
    from app.extensions import db
    from app.models.application import Application

    db.session.expire_all()
    return db.session.get(Application, application.id)


def history(application, action: str | None = None):
    from app.extensions import db
    from app.models.audit import AuditEvent

    query = select(AuditEvent).where(AuditEvent.object_type == "application",
                                     AuditEvent.object_id == str(application.id))
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def decisions(application):
    from app.extensions import db
    from app.models.application import StepDecision

    return list(db.session.scalars(select(StepDecision).where(
        StepDecision.application_id == application.id).order_by(StepDecision.id)))


def notifications(application):
    from app.extensions import db
    from app.models.application import Notification

    return list(db.session.scalars(select(Notification).where(
        Notification.application_id == application.id).order_by(Notification.id)))


@pytest.fixture
def workday_clock(app):
    """Set the commands' clock (``BANSHI_CLOCK``) to MONDAY; ``.set(moment)`` or
    ``.day(y, m, d)`` moves it."""
    with frozen_clock(app, MONDAY) as frozen:
        yield frozen


@pytest.fixture
def hb1(ctx, workday_clock):
    """HB-1 (county 受理 → city 会签 assessment → city review) published."""
    publish(HB1)
    return workday_clock
