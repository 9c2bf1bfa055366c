"""The retention purge deletes an anonymised application's notifications (the outbox rows,
sent or not: their params name the serial, the item and whatever a step passed on), and
leaves those of applications it keeps."""
import pytest
from sqlalchemy import select

from app.commands.notifications import queue_notification, send_pending
from app.extensions import db
from app.models.application import Notification
from tests.retention_support import KEPT, closed, on, publish_items, purge
from tests.review_support import (CHANG_AN, fresh, history, notifications, submitted,  # noqa: F401
                                  workday_clock)


@pytest.fixture
def items(ctx, workday_clock, tmp_path):
    publish_items(tmp_path / "formdefs")
    return workday_clock


def test_an_anonymised_applications_notifications_are_deleted(items, runner):
    application = closed(items, KEPT, CHANG_AN, "approve", on(2026, 3, 2), on(2026, 3, 4))
    application.applicant.mobile = "13700000001"
    db.session.commit()
    send_pending()  # some sent, then one left unsent naming the person
    queue_notification(application, "review.returned", step="受理（张三 13800138000）")
    items.set(on(2026, 3, 5))
    still_open = submitted(KEPT, CHANG_AN, at=on(2026, 3, 5))
    queue_notification(still_open, "review.advanced", step="受理")
    db.session.commit()
    sent = [n for n in notifications(application) if n.sent_at is not None]
    assert sent and len(notifications(application)) > len(sent)
    count = len(notifications(application))
    kept = [n.id for n in notifications(still_open)]

    assert "approved applications anonymised: 0" in purge(runner, "--today", "2029-03-03").output
    assert len(notifications(application)) == count  # not before its day

    result = purge(runner, "--today", "2029-03-04")
    assert "approved applications anonymised: 1" in result.output
    assert notifications(fresh(application)) == []
    assert [n.id for n in notifications(still_open)] == kept
    assert db.session.scalar(select(Notification.id).where(
        Notification.params.is_not(None), Notification.application_id == application.id)) is None
    assert history(application, "application.anonymised")[0].detail["notifications"] == count
