"""The person an agent filed for is told by SMS when the application is submitted.

Anyone who knows a name and an ID number may file as an agent. On the first submission of an
agent's application the subject gets a text at the registry's mobile: the item, the serial
number, the agent's name masked and the service phone to call if they did not authorise it.
It goes through the outbox (a failed SMS never loses the submission), once: not again on a
retry with the same Idempotency-Key, not for a self filing or a counter entry; it is audited
and logged with the mobile masked.
"""
import logging

from sqlalchemy import select

from app.commands.notifications import (SUBJECT_NOTICE, DevelopmentNotificationSender, render,
                                        send_pending)
from app.commands.reviews import ReturnCommand
from app.extensions import db
from app.models.application import Application, Notification
from app.models.audit import AuditEvent
from app.models.person import Person
from app.models.verification import DevSmsMessage
from app.services.sms import SmsGateway
from tests.applications_support import (ALICE_ID, SC2_SUSPENSION, TONGCHUAN,  # noqa: F401
                                        WANG_FANG, WANG_FANG_MOBILE as MOBILE, api_upload, clock,
                                        sc2_agent, sc2_api_draft, wang_fang)
from tests.integration.test_review_window import counter, fill_and_submit  # noqa: F401
from tests.integration.test_review_window import signed_in, start as window_start
from tests.support import make_user

ANSWERS = {"_notice": True, **SC2_SUSPENSION, "suspend_region": TONGCHUAN}


def submit(client, user, as_agent: bool = True, key: str = "k-1"):
    """File SC-2 for 王芳 (as an agent, or as 王芳 herself) and submit it."""
    headers, pk = sc2_api_draft(client, user, as_agent)
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": ANSWERS})
    assert saved.status_code == 200 and not saved.get_json()["errors"], saved.get_json()
    for material in ("id_document", "agent_id") if as_agent else ("id_document",):
        assert api_upload(client, headers, pk, material).status_code == 201
    submitted = client.post(f"/api/v1/applications/{pk}/submit", json=None,
                            headers={**headers, "Idempotency-Key": key})
    assert submitted.status_code == 200, submitted.get_json()
    return headers, pk, submitted


def notices() -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.template == SUBJECT_NOTICE).order_by(Notification.id)))


def texts_to(mobile: str) -> list[str]:
    return list(db.session.scalars(select(DevSmsMessage.text).where(
        DevSmsMessage.mobile == mobile).order_by(DevSmsMessage.id)))


def test_the_subject_is_told_once_with_the_agent_masked(client, sc2_agent, caplog):
    submit(client, wang_fang(), as_agent=False, key="own")
    assert notices() == []  # filing for herself, she is not told
    headers, pk, first = submit(client, sc2_agent)
    again = client.post(f"/api/v1/applications/{pk}/submit", json=None,
                        headers={**headers, "Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.get_json() == first.get_json()  # replayed
    [notice] = notices()
    assert notice.recipient_id is None and notice.application_id == pk
    with caplog.at_level(logging.DEBUG):
        send_pending(DevelopmentNotificationSender())  # the agent's own has no mobile to go to
    assert notice.sent_at is not None and notice.last_error is None
    [text] = texts_to(MOBILE)
    serial = db.session.get(Application, pk).serial
    assert serial in text and "城乡居民暂停参保" in text and "12393" in text
    assert "吴*" in text and "吴刚" not in text
    assert text.startswith("吴*已代您提交")  # the default locale's
    assert render(notice, "en").startswith("吴* submitted the application")
    assert MOBILE not in caplog.text and "158****0234" in caplog.text
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "application.subject_notified"))
    assert event.object_id == str(pk) and event.detail == {"notification": notice.id,
                                                           "mobile": "158****0234"}
    send_pending(DevelopmentNotificationSender())
    assert len(texts_to(MOBILE)) == 1  # sent once

    # Returned and corrected: the same application, already announced.
    ReturnCommand(pk, make_user("Reviewer", TONGCHUAN), comment="请补正",
                  missing={"fields": {"remark": "请写明原因"}, "materials": {}}).run()
    assert client.put(f"/api/v1/applications/{pk}/answers", headers=headers, json={
        "answers": {"remark": "在户籍地参保，已在学籍地办理"}}).status_code == 200
    again = client.post(f"/api/v1/applications/{pk}/submit", json=None,
                        headers={**headers, "Idempotency-Key": "k-2"})
    assert again.status_code == 200 and again.get_json()["status"] == "submitted"
    assert len(notices()) == 1


def test_a_counter_entry_sends_none_an_agents_filing_does(app, client, sc2_agent,  # noqa
                                                           counter):
    """The clerk checked 林小红's identity card in person: she is not told; 王芳 is, when the
    registry has her mobile."""
    db.session.scalar(select(Person).where(Person.id_number == ALICE_ID)).mobile = "13900001111"
    db.session.commit()
    clerk = signed_in(app, counter)
    assert window_start(clerk).status_code == 303
    entry = db.session.scalar(select(Application.id).where(Application.channel == "window"))
    assert fill_and_submit(clerk, entry).status_code == 303
    assert db.session.get(Application, entry).status == "submitted" and notices() == []
    wang_fang = db.session.scalar(select(Person).where(Person.id_number == WANG_FANG))
    wang_fang.mobile = None
    db.session.commit()
    submit(client, sc2_agent, key="no-mobile")
    assert notices() == []  # the registry gives no number to tell her at
    wang_fang.mobile = MOBILE
    db.session.commit()
    _headers, pk, _ = submit(client, sc2_agent, key="k-2")
    assert [n.application_id for n in notices()] == [pk]


class DownGateway(SmsGateway):
    def send(self, mobile, text):
        raise ConnectionError(f"gateway refused {mobile}")


def test_a_failed_sms_keeps_the_submission_and_is_tried_again(client, sc2_agent, app, caplog):
    app.config.update(SMS_BACKEND=f"{__name__}.DownGateway", SUBJECT_NOTICE_PHONE="028-96166")
    try:
        _headers, pk, _ = submit(client, sc2_agent)
        with caplog.at_level(logging.DEBUG):
            assert send_pending(DevelopmentNotificationSender()).failed >= 1
        [notice] = notices()
        assert notice.sent_at is None and notice.attempts == 1
        assert MOBILE not in notice.last_error and MOBILE not in caplog.text
        assert db.session.get(Application, pk).status == "submitted"
        assert "028-96166" in render(notice)
    finally:
        app.config.update(SMS_BACKEND="app.services.sms.DevelopmentSmsGateway")
        app.config.pop("SUBJECT_NOTICE_PHONE")
    send_pending(DevelopmentNotificationSender())
    assert len(texts_to(MOBILE)) == 1 and notices()[0].sent_at is not None
