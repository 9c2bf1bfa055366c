"""无人可办 where people see it: /review/unstaffed, GET /api/v1/reviews/?state=unstaffed and
`flask applications unstaffed` — scoped, masked, for administrators only."""
import html as markup
import re

import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import Role
from flask_babel import force_locale

from app.api.reviews.api import STAFF_MANAGERS_ONLY
from app.extensions import db
from tests.applications_support import token
from tests.integration.test_review_queries import row_ids, signed_in
from tests.review_support import (HB1, LUBEI, TANGSHAN, citizen, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import make_user

API = "/api/v1/reviews/"
NUMBER = "13020319800101003X"


def test_a_region_admin_sees_the_list_of_their_subtree_and_the_staff_link(app, hb1):
    waiting = submitted(HB1, LUBEI)
    waiting.subject_name, waiting.subject_id_number = "王小明", NUMBER
    db.session.commit()
    elsewhere = submitted(HB1, "130102")
    page = signed_in(app, make_user("RegionAdmin", TANGSHAN)).get("/review/unstaffed/?_l_=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert row_ids(html) == [waiting.id]
    assert "王**" in html and "王小明" not in html and NUMBER not in html  # masked
    assert "Lubei District (130203)" in html and "No active account holds this role" in html
    link = markup.unescape(re.search(r'class="staff-link" href="([^"]+)"', html).group(1))
    role = db.session.scalar(sa.select(Role.id).where(Role.name == "Reviewer"))
    assert link == f"/users/list/?_flt_0_region=130203&_flt_0_roles={role}"
    assert f'/review/applications/{waiting.id}?queue=unstaffed' in html
    assert elsewhere.id not in row_ids(signed_in(app, make_user("RegionAdmin", "130300")).get(
        "/review/unstaffed/").get_data(as_text=True))
    admin = signed_in(app, make_user("Admin"))
    assert sorted(row_ids(admin.get("/review/unstaffed/").get_data(as_text=True))) == sorted(
        [waiting.id, elsewhere.id])
    reviewer(LUBEI)
    assert row_ids(admin.get("/review/unstaffed/").get_data(as_text=True)) == [elsewhere.id]


def test_the_staff_link_lists_the_accounts_of_that_region(app, hb1):
    submitted(HB1, LUBEI)
    there = make_user("Reviewer", LUBEI, username="lubei_but_off")
    there.active = False
    make_user("Reviewer", "130202", username="lunan_reviewer")
    make_user("Citizen", LUBEI, username="lubei_citizen")
    db.session.commit()
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    html = client.get("/review/unstaffed/").get_data(as_text=True)
    link = markup.unescape(re.search(r'class="staff-link" href="([^"]+)"', html).group(1))
    accounts = client.get(link)
    assert accounts.status_code == 200
    text = accounts.get_data(as_text=True)
    assert "lubei_but_off" in text and "lunan_reviewer" not in text
    assert "lubei_citizen" not in text  # only those who could staff the step


def test_reviewers_and_citizens_have_no_access(app, hb1):
    submitted(HB1, LUBEI)
    assert signed_in(app, reviewer(LUBEI)).get("/review/unstaffed/").status_code == 403
    assert signed_in(app, citizen()).get("/review/unstaffed/").status_code == 403
    bad = signed_in(app, make_user("RegionAdmin", TANGSHAN)).get("/review/unstaffed/?x=1&_l_=en")
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)  # the queues' own words for a bad filter, by its key
    assert re.search(r"Some filters are not valid:\s*<strong>x</strong>: This is not one of "
                     r"this page(?:'|&#39;)s filters\.", page), page


def test_the_api_state_is_scoped_masked_and_refused_to_reviewers(app, client, hb1):
    waiting = submitted(HB1, LUBEI)
    waiting.subject_name, waiting.subject_id_number = "王小明", NUMBER
    db.session.commit()
    submitted(HB1, "130102")
    headers = token(client, make_user("RegionAdmin", TANGSHAN).username)
    response = client.get(f"{API}?state=unstaffed", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["count"], body["count_exact"], body["next"]) == (1, True, None)
    [entry] = body["result"]
    assert (entry["id"], entry["subject"], entry["current_step"], entry["step_region"]) == (
        waiting.id, "王**", "accept", LUBEI)
    assert (entry["step_role"], entry["unstaffed_reason"]) == ("Reviewer", "nobody")
    assert entry["waiting_since"] and entry["yours_to_decide"] is False
    assert NUMBER not in response.get_data(as_text=True)
    with app.test_request_context("/"), force_locale("zh"):
        zh = str(STAFF_MANAGERS_ONLY)
    refused = client.get(f"{API}?state=unstaffed", headers=token(client, reviewer(LUBEI).username))
    assert refused.status_code == 403 and refused.get_json() == {"message": zh}
    spec = client.get("/api/v1/_openapi").get_json()
    [state] = [p for p in spec["paths"]["/api/v1/reviews/"]["get"]["parameters"] if p["name"] == "state"]
    assert "unstaffed" in state["schema"]["enum"]


def test_the_cli_exits_1_while_any_wait_for_nobody(app, ctx, runner, hb1):
    waiting = submitted(HB1, LUBEI)
    result = runner.invoke(args=["applications", "unstaffed"])
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if waiting.serial in line]
    assert "130203" in line and "nobody holds the role there" in line
    assert "1 applications wait at a step nobody can decide." in result.output
    assert runner.invoke(args=["applications", "unstaffed", "--region", "130100"]).exit_code == 0
    assert runner.invoke(args=["applications", "unstaffed", "--region", "1302"]).exit_code == 2
    reviewer(LUBEI)
    fine = runner.invoke(args=["applications", "unstaffed", "--region", TANGSHAN])
    assert fine.exit_code == 0, fine.output
    assert "Every waiting application has someone who may decide it." in fine.output


def edit_form(user, region, role="Reviewer", active=True):
    from tests.integration.test_admin_staff_accounts import role_id

    form = {"first_name": user.first_name or "某人", "region": region,
            "roles": [str(role_id(role))], "mobile": ""}
    return {**form, "active": "y"} if active else form


def test_disabling_or_moving_the_last_reviewer_says_how_many_are_left(app, hb1):
    from app.models.user import BanshiUser

    for _ in range(2):
        submitted(HB1, LUBEI)
    only, spare = reviewer(LUBEI, name="路北一"), reviewer("130202", name="路南一")
    client = signed_in(app, make_user("RegionAdmin", TANGSHAN))

    def edit(user, **kw):
        response = client.post(f"/users/edit/{user.id}?_l_=en", data=edit_form(user, **kw),
                               follow_redirects=True)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "have nobody who may decide them" not in edit(spare, region="130202", active=False)
    html = edit(only, region=LUBEI, active=False)
    assert ("After this change, 2 waiting applications in Lubei District (130203) or the "
            "regions under it have nobody who may decide them") in html
    assert not db.session.get(BanshiUser, only.id).active
    assert "have nobody" not in edit(only, region=LUBEI)  # active again: nothing left
    assert "After this change, 2 waiting" in edit(only, region="130202")  # moved away
    assert "have nobody" not in edit(only, region=LUBEI)  # back
    assert "After this change, 2 waiting" in edit(only, region=LUBEI, role="RegionAdmin")
