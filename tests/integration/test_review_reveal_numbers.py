"""One recorded reveal shows every masked identifier of the application on that one view: the
header ID number, the phone and bank account answers and the changes since a return (the
reviewer calls the number they asked to be corrected); lists and the API stay masked."""
from html import unescape

import pytest
from sqlalchemy import select

from app import workflow
from app.commands.reviews import ReturnCommand
from app.extensions import db
from app.models.audit import AuditEvent
from tests.applications_support import token
from tests.integration.test_review_views import ANSWERS, GD8, SUBJECT_ID, signed_in
from tests.review_support import (NANSHAN, SHENZHEN, fresh, publish, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import make_user

NUMBERS = ("13800138000", "13900139000", "6217000000000000123", SUBJECT_ID)


@pytest.fixture
def corrected(ctx, workday_clock):
    """A GD-8 application returned for its phone number and resubmitted with another one."""
    publish(GD8)
    application = submitted(GD8, NANSHAN, dict(ANSWERS),
                            subject_id_number=SUBJECT_ID)
    ReturnCommand(application.id, reviewer(NANSHAN), "请更正", fresh(application).lock_version,
                  {"fields": {"mobile": "联系电话无法接通，请更正"}}).run()
    application = fresh(application)
    application.answers = {**application.answers, "mobile": "13900139000"}
    workflow.resume(application)
    db.session.commit()
    return application


def test_one_reveal_shows_every_number_on_that_view_and_is_recorded_once(app, corrected):
    county_user = reviewer(NANSHAN)
    county = signed_in(app, county_user)
    url = f"/review/applications/{corrected.id}"
    before = unescape(county.get(url).get_data(as_text=True))
    assert not any(number in before for number in NUMBERS)
    assert "查看完整号码（证件号码、电话号码、银行账号）" in before  # the button says what it shows
    posted = county.post(f"{url}/reveal", data={"reason": "回拨核对更正后的联系电话"})
    assert posted.status_code == 303

    shown = unescape(county.get(url).get_data(as_text=True))
    assert f'<code class="revealed">{SUBJECT_ID}</code>' in shown
    answers = shown[shown.index('class="table table-condensed answers"'):]
    assert "13900139000" in answers and "6217000000000000123" in answers
    diff = shown[shown.index("answer-diff"):]
    diff = diff[:diff.index("</table>")]
    assert "13800138000" in diff and "13900139000" in diff  # the number before and after
    assert "完整号码仅在本次页面显示" in shown

    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "identity.reveal", AuditEvent.object_id == str(corrected.id)))
    assert event.actor_id == county_user.id
    assert event.detail["kinds"] == ["id_number", "mobile", "bank_account"]
    assert not any(number in str(event.detail) for number in NUMBERS)
    history = shown[shown.index('data-action="identity.reveal"'):]
    assert "查看完整号码：证件号码、电话号码、银行账号" in history[:history.index("</tr>")]

    again = unescape(county.get(url).get_data(as_text=True))  # the next view: masked again
    assert not any(number in again for number in NUMBERS)
    assert "139****9000" in again and "************0123" in again
    queue = unescape(county.get("/review/pending").get_data(as_text=True))
    assert not any(number in queue for number in NUMBERS)
    admin = signed_in(app, make_user("RegionAdmin", SHENZHEN))  # the audit log says it too
    logged = unescape(admin.get(f"/auditlog/show/{event.id}").get_data(as_text=True))
    assert "<th>查看的号码</th><td>证件号码、电话号码、银行账号</td>" in logged
    api = app.test_client()
    reply = api.get(f"/api/v1/applications/{corrected.id}",
                    headers=token(api, county_user.username))
    assert reply.status_code == 200
    assert not any(number in reply.get_data(as_text=True) for number in NUMBERS)
