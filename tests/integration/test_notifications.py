"""The notification outbox: delivery, retries, masking (F1), the sender's safety, the CLI."""
from pathlib import Path

import pytest
from sqlalchemy import select

from app import ConfigurationError
from app.commands.notifications import (DevelopmentNotificationSender, NotificationSender,
                                        SmsNotificationSender, get_sender, redact, render,
                                        send_pending)
from app.commands.reviews import ApproveCommand, RefuseCommand
from app.extensions import db
from app.models.application import Notification
from app.models.verification import DevSmsMessage
from tests.accounts_support import valid_id
from tests.review_support import (HB1, LUBEI, citizen, fresh, hb1, notifications,  # noqa: F401
                                  reviewer, submitted, workday_clock)

ZH_CATALOG = Path(__file__).resolve().parents[2] / "translations/zh/LC_MESSAGES/messages.mo"
SUBJECT = valid_id("13020319900101002")
MOBILE = "13800138000"


class FailingSender(NotificationSender):
    def send(self, notification, recipient, text):
        raise RuntimeError(f"gateway down while sending about {SUBJECT}")


def texts():
    return list(db.session.scalars(select(DevSmsMessage.text).order_by(DevSmsMessage.id)))


def decided(applicant):
    application = submitted(HB1, applicant=applicant, subject_id_number=SUBJECT)
    RefuseCommand(application.id, reviewer(LUBEI), f"证件 {SUBJECT} 已过期",
                  application.lock_version).run()
    return application


def test_development_sender_delivers_masked_texts(hb1):
    application = decided(citizen(mobile=MOBILE))
    [queued] = notifications(application)
    assert queued.template == "review.refused" and queued.sent_at is None
    # A parameter that somehow holds a full ID number is masked when the text is rendered.
    db.session.add(Notification(application_id=application.id,
                                recipient_id=application.applicant_id, template="review.advanced",
                                params={"serial": application.serial, "item": SUBJECT,
                                        "step": "受理"}))
    db.session.commit()
    result = send_pending(DevelopmentNotificationSender())
    assert (result.sent, result.failed) == (2, 0)
    sent = texts()
    assert len(sent) == 2 and all(application.serial in text for text in sent)
    assert all(SUBJECT not in text and SUBJECT[6:14] not in text for text in sent)
    assert f"{SUBJECT[:4]}{'*' * 10}{SUBJECT[-4:]}" in sent[1]
    for notification in notifications(application):
        assert notification.sent_at is not None and notification.attempts == 1
    assert send_pending(DevelopmentNotificationSender()).sent == 0  # nothing twice


def test_texts_are_in_the_default_locale_and_never_show_the_comment(hb1):
    application = decided(citizen(mobile=MOBILE))
    [notification] = notifications(application)
    text = render(notification)
    assert "已过期" not in text and application.serial in text
    assert "测试" not in text  # the subject's name is not in a text message either
    assert render(notification, "en").startswith("Your application")
    if ZH_CATALOG.exists():  # compiled by `make compile-messages` (`make test` does it)
        assert render(notification).startswith("您的申请")
    notification.template = "something.new"
    assert application.serial in render(notification)


def test_failures_are_counted_redacted_and_retried_up_to_the_limit(hb1, app):
    application = decided(citizen(mobile=MOBILE))
    app.config["NOTIFICATION_MAX_ATTEMPTS"] = 2
    try:
        assert send_pending(FailingSender()).failed == 1
        [notification] = notifications(fresh(application))
        assert notification.attempts == 1 and notification.sent_at is None
        assert "gateway down" in notification.last_error
        assert SUBJECT not in notification.last_error
        assert send_pending(FailingSender()).failed == 1
        assert send_pending(FailingSender()).failed == 0  # given up after two tries
        assert notifications(fresh(application))[0].attempts == 2
    finally:
        app.config["NOTIFICATION_MAX_ATTEMPTS"] = 5


def test_a_recipient_without_a_mobile_is_a_failure_not_a_crash(hb1):
    application = decided(citizen())
    result = send_pending(DevelopmentNotificationSender())
    assert (result.sent, result.failed) == (0, 1)
    assert "no mobile" in notifications(fresh(application))[0].last_error
    assert texts() == []


def test_sms_sender_goes_through_the_sms_backend(hb1):
    decided(citizen(mobile=MOBILE))
    sender = SmsNotificationSender.from_config(None)
    assert send_pending(sender).sent == 1 and len(texts()) == 1


def test_production_refuses_the_development_sender(app, ctx):
    assert isinstance(get_sender(), DevelopmentNotificationSender)
    app.config.update(PRODUCTION=True, ALLOW_DEVELOPMENT_BACKENDS=False)
    try:
        with pytest.raises(ConfigurationError, match="development backend"):
            get_sender()
        app.config["ALLOW_DEVELOPMENT_BACKENDS"] = True  # a staging deployment
        assert isinstance(get_sender(), DevelopmentNotificationSender)
    finally:
        app.config.update(PRODUCTION=False, ALLOW_DEVELOPMENT_BACKENDS=False)


def test_cli_sends_pending_notifications(hb1, runner):
    application = submitted(HB1, applicant=citizen(mobile=MOBILE))
    ApproveCommand(application.id, reviewer(LUBEI), None, application.lock_version).run()
    result = runner.invoke(args=["notifications", "send", "--limit", "10"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed" in result.output
    assert fresh(application) and notifications(application)[0].sent_at is not None


def test_redact_masks_id_account_and_mobile_numbers():
    assert redact(f"号码{SUBJECT}。") == f"号码{SUBJECT[:4]}{'*' * 10}{SUBJECT[-4:]}。"
    assert "6217000011112222" not in redact("卡号 6217000011112222")
    assert redact("电话 13800138000") == "电话 138****8000"  # a mobile number too
    assert redact("座机 0311-12345678") == "座机 0311-12345678"  # not a mobile
