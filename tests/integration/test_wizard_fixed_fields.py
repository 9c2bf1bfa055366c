"""Fields that take no input (read-only, computed) in the wizard over HTTP.

SC-1's 险种类型 (``insutype``: default 390, read-only, locked) stays read-only with its value when
its 一人一保 rule refuses it, and no value sent for it is kept or submitted; GD-8's 休假天数
(``leave_days``: computed from the two dates) is computed again from the dates as typed, in the
live update and in the no-JavaScript "update".
"""
import datetime as dt
import html
import re

import pytest

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (CODE, GD8, GD8_ANSWERS, REGION, clock,  # noqa: F401
                                        make_citizen)
from tests.wizard_support import (DAZHOU, SC1, SC1_CODE, STUDENT_ID, acknowledge_notice,
                                  citizen, post_step, publish, signed_in, start)

ALREADY_ENROLLED = "参保人已在本地正常参加城乡居民基本医疗保险，无需重复办理参保登记。"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_locked_390(page: str) -> None:
    """险种类型 shown as read-only text (a read-only choice sends nothing), never a select."""
    assert '<select id="insutype"' not in page and 'name="insutype"' not in page
    assert re.search(r'<output id="insutype" class="readonly-value">城乡居民基本医疗保险</output>',
                     page), page[page.find('id="q-insutype"'):][:600]


@pytest.fixture
def enrolled(app, ctx, clock):  # noqa: F811
    """A 达州 student already enrolled in 390 in 通川区, at SC-1's 参保信息 page."""
    from app.models.person import Enrollment

    publish(SC1)
    user = citizen(STUDENT_ID, "张小川", DAZHOU)
    person = user_person(STUDENT_ID)
    db.session.add(Enrollment(person_id=person.id, insutype="390", status="1",
                              region_code=DAZHOU, start_date=dt.date(2024, 1, 1)))
    db.session.commit()
    client = signed_in(app, user)
    pk = start(client, SC1_CODE, DAZHOU)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    return client, pk, f"/applications/{pk}/pages/insurance"


def user_person(number: str):
    from app.models.person import Person

    return db.session.scalar(db.select(Person).where(Person.id_number == number))


INSURANCE = {"psn_type": "1403", "enroll_date": "2026-12-01", "pay_year": "2027"}


def test_a_read_only_field_refused_by_its_rule_stays_read_only_with_its_value(enrolled):
    client, pk, url = enrolled
    refused = post_step(client, url, {**INSURANCE, "insutype": "310"})
    page = text(refused)
    assert refused.status_code == 422 and ALREADY_ENROLLED in page
    assert_locked_390(page)
    assert "insutype" not in db.session.get(Application, pk).answers  # 310 never kept
    assert_locked_390(text(client.get(url)))
    live = text(client.post(f"{url}/fields", data={**INSURANCE, "insutype": "310"}))
    assert_locked_390(live)
    updated = post_step(client, url, {**INSURANCE, "insutype": "310"}, action="update")
    assert updated.status_code == 200 and "insutype" not in db.session.get(
        Application, pk).answers
    assert_locked_390(text(updated))


def test_a_value_kept_for_a_read_only_field_by_an_older_draft_is_neither_shown_nor_submitted(
        app, ctx, clock):  # noqa: F811
    from app.commands.applications.context import engine_context, variables
    from app.commands.applications.save import SaveAnswersCommand
    from app.engine.answers import validate_all

    publish(SC1)
    client = signed_in(app, citizen(STUDENT_ID, "张小川", DAZHOU))
    pk = start(client, SC1_CODE, DAZHOU)
    application = db.session.get(Application, pk)
    application.answers = {**(application.answers or {}), "insutype": "310"}  # as kept before
    db.session.commit()
    acknowledge_notice(client, pk)
    post_step(client, f"/applications/{pk}/filer", {"filer": "self"})
    url = f"/applications/{pk}/pages/insurance"
    assert_locked_390(text(client.get(url)))
    result = SaveAnswersCommand(application, {"insutype": "310", "pay_year": "2027"},
                                user=application.applicant).run()
    assert "insutype" not in result.errors
    assert "insutype" not in application.answers and application.answers["pay_year"] == "2027"
    clean = validate_all(application.version.definition, {"insutype": "310"},
                         engine_context(application), variables(application)).answers
    assert clean["insutype"] == "390"  # what submission stores, whatever was sent


@pytest.fixture
def leave_page(app, ctx, clock):  # noqa: F811
    from app.commands.formdefs import LoadFormdefsCommand

    LoadFormdefsCommand([GD8], publish=True).run()
    client = signed_in(app, make_citizen())
    pk = start(client, CODE, REGION)
    acknowledge_notice(client, pk)
    return client, pk, f"/applications/{pk}/pages/leave"


def leave_days(page: str) -> str:
    found = re.search(r'<input[^>]*id="leave_days"[^>]*>', page)
    assert found, "no leave_days input"
    return re.search(r'value="([^"]*)"', found.group(0)).group(1)


LEAVE = {key: GD8_ANSWERS[key] for key in ("leave_type", "event_date", "parity", "fetus_count")}


def test_the_computed_field_is_computed_from_the_dates_as_typed(leave_page):
    client, pk, url = leave_page
    page = text(client.get(url))
    assert leave_days(page) == ""  # neither date given yet: nothing computed, not a 0
    fresh = {**LEAVE, "leave_start": "2026-09-28", "leave_end": "2027-02-10", "leave_days": "0"}
    assert leave_days(text(client.post(f"{url}/fields", data=fresh))) == "136"
    post_step(client, url, {**fresh, "leave_days": "0"}, action="update")
    assert leave_days(text(client.get(url))) == "136"
    later = {**fresh, "leave_end": "2027-03-10", "leave_days": "136"}  # the value shown before
    assert leave_days(text(client.post(f"{url}/fields", data=later))) == "164"
    updated = post_step(client, url, later, action="update")  # without JavaScript
    assert updated.status_code == 200 and leave_days(text(updated)) == "164"
    assert "leave_days" not in db.session.get(Application, pk).answers  # computed, not kept
