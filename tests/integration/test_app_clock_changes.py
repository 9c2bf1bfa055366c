"""When a row last changed, when a review decision was taken and an SMS code's times follow the
application's clock (``BANSHI_CLOCK``), as its creation and its history do: a test or a demo
holding the clock at a day sees that day on every row the day's actions wrote."""
import datetime as dt

import pytest
import sqlalchemy as sa

from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import SubmitApplicationCommand
from app.commands.calendar import SetCalendarYearCommand
from app.commands.drafts import SaveDraftCommand
from app.commands.reviews import ApproveCommand
from app.commands.sms_codes import (CheckSmsCodeCommand, SendSmsCodeCommand, SmsCodeError,
                                    SmsThrottledError)
from app.extensions import db
from app.models.calendar import CalendarYear
from app.models.item import Item
from app.models.person import Person
from app.models.verification import SmsChallenge
from tests.accounts_support import sms_code
from tests.applications_support import (ALICE_ID, NOW, REGION, clock, gd8,  # noqa: F401
                                        make_person)
from tests.calendar_support import schedule_rows
from tests.integration.test_applications_submit import filled
from tests.review_support import decisions, fresh, history, reviewer

LATER = NOW + dt.timedelta(days=3, hours=2)  # NOW is days before the machine's today
MOBILE = "13800138123"


def test_submission_decision_and_updates_carry_the_app_clock(gd8, clock):
    application = filled(gd8)
    SubmitApplicationCommand(application, user=gd8).run()
    application = fresh(application)
    assert application.updated_at == NOW
    [submitted] = history(application, "application.submitted")
    assert submitted.at == NOW

    clock.set(LATER)
    ApproveCommand(application.id, reviewer(REGION), None, application.lock_version).run()
    application = fresh(application)
    [decision] = decisions(application)
    assert (decision.decision, decision.at) == ("approve", LATER)
    assert application.updated_at == LATER and application.step_started_at == LATER


def test_a_saved_draft_and_an_edited_item_carry_the_app_clock(gd8, clock):
    application = filled(gd8)
    clock.set(LATER)
    SaveAnswersCommand(fresh(application), {"employer_name": "广州某某股份有限公司"},
                       user=gd8).run()
    assert fresh(application).updated_at == LATER
    item = db.session.scalar(sa.select(Item).where(Item.id == application.item_id))
    assert item.changed_at == NOW  # loaded at NOW
    SaveDraftCommand(item, dict(item.draft, time_limit_days=11), item.revision).run()
    db.session.expire_all()
    assert db.session.get(Item, application.item_id).changed_at == LATER


def test_a_person_and_a_calendar_year_carry_the_app_clock(ctx, clock):
    clock.set(LATER)
    make_person(ALICE_ID, "林小红")
    SetCalendarYearCommand(2027, *schedule_rows()).run()
    db.session.expire_all()
    assert db.session.scalar(sa.select(Person.updated_at).where(
        Person.id_number == ALICE_ID)) == LATER
    assert db.session.get(CalendarYear, 2027).updated_at == LATER


def test_sms_codes_are_sent_throttled_and_expire_by_the_app_clock(app, ctx, clock):
    ttl = dt.timedelta(seconds=app.config["SMS_CODE_TTL_SECONDS"])
    SendSmsCodeCommand(MOBILE, "register").run()
    [challenge] = db.session.scalars(sa.select(SmsChallenge)).all()
    assert (challenge.created_at, challenge.expires_at) == (NOW, NOW + ttl)
    clock.set(NOW + dt.timedelta(seconds=20))
    with pytest.raises(SmsThrottledError) as throttled:
        SendSmsCodeCommand(MOBILE, "register").run()
    assert throttled.value.seconds == 40
    clock.set(NOW + ttl)  # the code sent at NOW has just expired
    with pytest.raises(SmsCodeError, match="过期|expired"):
        CheckSmsCodeCommand(MOBILE, "register", sms_code(app, MOBILE)).run()
    SendSmsCodeCommand(MOBILE, "register").run()  # a minute has passed on the app's clock
    CheckSmsCodeCommand(MOBILE, "register", sms_code(app, MOBILE)).run()
    db.session.commit()
    latest = db.session.scalars(sa.select(SmsChallenge).order_by(SmsChallenge.id)).all()[-1]
    assert (latest.created_at, latest.used_at) == (NOW + ttl, NOW + ttl)
