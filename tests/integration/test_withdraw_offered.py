"""Withdrawing is offered exactly when it would work: once a step is approved the application
stays ``submitted`` but can no longer be withdrawn, and the API's detail (``may_withdraw``) and
the citizen's page (its withdraw button) say so, from the rule the withdraw command checks."""
from flask_babel import force_locale

from app.commands.applications.withdraw import STEP_DECIDED
from tests.applications_support import token
from tests.review_support import (HB1, LUBEI, citizen, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.wizard_support import signed_in

API = "/api/v1/applications/"
BUTTON = "/withdraw\""  # the withdraw button's link on the detail page


def detail(client, headers, application):
    answer = client.get(f"{API}{application.id}", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_may_withdraw_follows_the_rule_the_command_checks(app, hb1, client):
    owner = citizen(LUBEI)
    application = submitted(HB1, applicant=owner)
    mine, county = token(client, owner.username), token(client, reviewer(LUBEI).username)
    page = signed_in(app, owner)
    assert detail(client, mine, application)["may_withdraw"] is True
    assert BUTTON in page.get(f"/my/applications/{application.id}").get_data(as_text=True)
    assert detail(client, county, application)["may_withdraw"] is False  # staff never
    approved = client.post(f"/api/v1/reviews/{application.id}/approve", headers=county,
                           json={"version": fresh(application).lock_version, "comment": "齐全"})
    assert approved.status_code == 200 and approved.get_json()["status"] == "submitted"
    shown = detail(client, mine, application)
    assert shown["status"] == "submitted" and shown["may_withdraw"] is False
    assert BUTTON not in page.get(f"/my/applications/{application.id}").get_data(as_text=True)
    refused = client.post(f"{API}{application.id}/withdraw", headers=mine)
    assert refused.status_code == 409
    with app.test_request_context("/"), force_locale("zh"):
        assert refused.get_json()["message"] == str(STEP_DECIDED)
    assert fresh(application).status == "submitted"


def test_a_returned_application_may_be_withdrawn(app, hb1, client):
    owner = citizen(LUBEI)
    application = submitted(HB1, applicant=owner)
    county = token(client, reviewer(LUBEI).username)
    returned = client.post(f"/api/v1/reviews/{application.id}/return", headers=county, json={
        "version": fresh(application).lock_version, "comment": "请补正",
        "missing": {"fields": {"hospital": "请填写"}}})
    assert returned.status_code == 200, returned.get_json()
    mine = token(client, owner.username)
    assert detail(client, mine, application)["may_withdraw"] is True
    assert client.post(f"{API}{application.id}/withdraw", headers=mine).status_code == 200
    assert detail(client, mine, application)["may_withdraw"] is False
