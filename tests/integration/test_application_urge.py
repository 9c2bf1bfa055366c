"""催办: the applicant urges an overdue application, once a working day; the reviewers who may
decide its step get an in-app notice and see the urge; the history says 已催办 on both sides.

HB-1's 受理 (county, 3 working days) starts on Monday 2026-03-02: due Thursday 03-05, overdue
from Friday 03-06.
"""
from html import unescape

from sqlalchemy import select

from app.commands.applications.errors import StateConflictError
from app.commands.applications.urge import UrgeApplicationCommand
from app.commands.notifications import send_pending
from app.extensions import db
from app.models.application import Notification
from app.models.urge import ApplicationUrge
from tests.applications_support import token
from tests.review_support import (HB1, LUBEI, LUNAN, TANGSHAN, citizen, fresh, hb1,  # noqa: F401
                                  history, reviewer, submitted, workday_clock)
from tests.support import login


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def urges(application):
    return list(db.session.scalars(select(ApplicationUrge).where(
        ApplicationUrge.application_id == application.id)))


def notices(application):
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(
        Notification.application_id == application.id, Notification.channel == "inapp")
        .order_by(Notification.id)))


def test_a_citizen_urges_an_overdue_application_once_a_working_day(app, hb1):
    deciders = {reviewer(LUBEI).id, reviewer(LUBEI).id}
    reviewer(LUNAN), reviewer(TANGSHAN)  # another county, the city: not the 受理's
    application = submitted(HB1, LUBEI)
    page_url = f"/my/applications/{application.id}"
    web = signed_in(app, application.applicant)

    hb1.day(2026, 3, 5)  # the deadline itself: not overdue yet
    assert "催办" not in text(web.get(page_url))
    refused = text(web.post(f"{page_url}/urge", follow_redirects=True))
    assert "该申请仍在办理时限内（应于2026年3月5日前办结），过了这一天才能催办。" in refused
    assert urges(application) == []

    hb1.day(2026, 3, 6)
    page = text(web.get(page_url))
    assert "经办机构未在办理时限内办结该申请" in page and ">催办</button>" in page
    done = text(web.post(f"{page_url}/urge", follow_redirects=True))
    assert "已催办，经办机构将尽快办理您的申请。" in done
    assert "已催办" in done, done
    assert "您最近一次催办时间：2026年3月6日 10:00。" in done, done
    assert ">催办</button>" not in done  # once a working day
    again = text(web.post(f"{page_url}/urge", follow_redirects=True))
    assert "您今天已经催办过该申请，下一个工作日可再次催办。" in again
    assert len(urges(application)) == 1
    assert [e.detail["step"] for e in history(application, "application.urged")] == ["accept"]

    # In-app notices to each reviewer who may decide 受理 now, never sent by SMS.
    assert {n.recipient_id for n in notices(application)} == deciders
    assert {n.template for n in notices(application)} == {"application.urged"}
    assert send_pending().sent == 0
    assert all(n.sent_at is None for n in notices(application))

    hb1.day(2026, 3, 7)  # Saturday: counts for Monday, a working day not urged yet
    assert "已催办，经办机构将尽快办理您的申请。" in text(
        web.post(f"{page_url}/urge", follow_redirects=True))
    hb1.day(2026, 3, 9)  # Monday: already urged for it
    assert "您今天已经催办过该申请" in text(web.post(f"{page_url}/urge", follow_redirects=True))
    assert [u.day.isoformat() for u in urges(application)] == ["2026-03-06", "2026-03-09"]


def test_the_reviewer_sees_the_urge_and_reads_the_notice(app, hb1):
    county = reviewer(LUBEI)
    application = submitted(HB1, LUBEI)
    hb1.day(2026, 3, 6)
    UrgeApplicationCommand(application, application.applicant).run()
    assert [n.recipient_id for n in notices(application)] == [county.id]

    page = text(signed_in(app, county).get(f"/review/applications/{application.id}"))
    assert "申请人已催办（已超期）：2026-03-06 10:00。" in page
    assert 'data-action="application.urged"' in page
    assert all(n.sent_at is not None for n in notices(application))  # read on the page
    english = text(signed_in(app, county).get(
        f"/review/applications/{application.id}?_l_=en"))
    assert "The applicant urged this overdue application: 2026-03-06 10:00." in english
    assert "Urged the office to decide" in english


def test_the_urge_api(app, hb1):
    reviewer(LUBEI)
    application = submitted(HB1, LUBEI)
    client = app.test_client()
    mine = token(client, application.applicant.username)
    url = f"/api/v1/applications/{application.id}/urge"

    assert client.post(url, headers=token(client, citizen(LUBEI).username)).status_code == 404
    staff = client.post(url, headers=token(client, reviewer(TANGSHAN).username))
    assert staff.status_code == 403, staff.get_json()
    early = client.post(f"{url}?_l_=en", headers=mine)
    assert early.status_code == 409
    assert early.get_json()["message"] == (
        "This application is still within its time limit (to be decided by March 5, 2026). "
        "You can urge it once that day has passed.")
    detail = f"/api/v1/applications/{application.id}"
    assert client.get(detail, headers=mine).get_json()["may_urge"] is False

    hb1.day(2026, 3, 6)
    assert client.get(detail, headers=mine).get_json()["may_urge"] is True
    unknown = client.post(url, json={"reason": "急"}, headers=mine)
    assert unknown.status_code == 422 and "reason" in unknown.get_json()["errors"]
    urged = client.post(url, headers=mine)
    assert urged.status_code == 200, urged.get_json()
    assert urged.get_json()["step"] == "accept" and urged.get_json()["status"] == "submitted"
    twice = client.post(url, json={}, headers=mine)
    assert twice.status_code == 409
    assert twice.get_json()["message"] == "您今天已经催办过该申请，下一个工作日可再次催办。"
    shown = client.get(detail, headers=mine).get_json()
    assert shown["may_urge"] is False
    assert [row["action_name"] for row in shown["history"]][-1] == "已催办"


def test_only_an_application_waiting_for_the_office_is_urged(app, hb1):
    application = submitted(HB1, LUBEI)
    hb1.day(2026, 3, 6)
    application = fresh(application)
    application.status = "returned"
    db.session.commit()
    try:
        UrgeApplicationCommand(application, application.applicant).run()
    except StateConflictError as error:
        assert str(error) == "Only an application waiting for the office's decision can be urged."
    else:
        raise AssertionError("a returned application was urged")
    assert urges(application) == []


def test_the_unique_day_refuses_a_second_urge_the_lock_did_not_stop(app, hb1, monkeypatch):
    """Without the row lock (SQLite), the unique (application, day) still refuses it: 409."""
    from app.commands.applications import urge as module

    application = submitted(HB1, LUBEI)
    hb1.day(2026, 3, 6)
    UrgeApplicationCommand(application, application.applicant).run()
    monkeypatch.setattr(module, "urged_on", lambda application, day: False)
    try:
        UrgeApplicationCommand(fresh(application), application.applicant).run()
    except StateConflictError as error:
        assert str(error).startswith("You have already urged this application today.")
    else:
        raise AssertionError("urged twice on one working day")
    assert len(urges(application)) == 1
    assert len(history(application, "application.urged")) == 1
