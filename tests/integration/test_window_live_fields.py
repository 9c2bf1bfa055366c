"""Window entry reads a page as the citizen wizard does: a required question that an answer on
the same page makes visible (HB-2: 跨省异地长期居住 → 长期居住人员类别) is drawn at once by the
live update, and without JavaScript "save and continue" stops on it with its error."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from tests.applications_support import clock, id_number, make_person  # noqa: F401
from tests.browser.helpers import say
from tests.review_support import LUBEI, publish
from tests.support import login, make_user

FILING = "cross_province_medical_filing"
LI_SI = id_number("13020319580315031")


@pytest.fixture
def clerk(ctx, clock):  # noqa: F811
    publish(FILING)
    make_person(LI_SI, "李四", region=LUBEI, sex="1")
    client = ctx.test_client()
    assert login(client, make_user("Reviewer", LUBEI).username).status_code == 302
    created = client.post("/review/window/", data={
        "item": FILING, "region": LUBEI, "name": "李四", "id_number": LI_SI,
        "identity_checked": "y", "action": "create"})
    assert created.status_code == 303 and created.headers["Location"].endswith("/type_choice")
    return client


def pk() -> int:
    return db.session.scalar(select(Application.id))


def test_save_stops_on_the_required_question_the_answer_makes_visible(clerk, app):
    url = f"/review/window/{pk()}/pages/type_choice"
    response = clerk.post(url, data={"filing_type": "long_term", "_go": "next"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[-2000:]
    assert 'name="long_term_kind"' in page and "长期居住人员类别" in page
    assert re.search(r'id="long_term_kind-err"|long_term_kind[^>]*aria-invalid', page) or \
        say(app, "This field is required.") in page
    db.session.expire_all()
    assert db.session.get(Application, pk()).answers["filing_type"] == "long_term"
    done = clerk.post(url, data={"filing_type": "long_term", "long_term_kind": "posted_worker",
                                 "_go": "next"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/pages/filing")


def test_the_live_update_draws_the_question_without_saving(clerk):
    url = f"/review/window/{pk()}/pages/type_choice/fields"
    response = clerk.post(url, data={"filing_type": "long_term"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="long_term_kind"' in fragment
    assert 'name="temporary_kind"' not in fragment and "<html" not in fragment
    db.session.expire_all()
    assert "filing_type" not in (db.session.get(Application, pk()).answers or {})


def test_without_javascript_the_page_offers_update_for_a_question_others_depend_on(clerk, app):
    page = clerk.get(f"/review/window/{pk()}/pages/type_choice").get_data(as_text=True)
    assert 'hx-post="/review/window/' in page and 'name="_action" value="update"' in page
    updated = clerk.post(f"/review/window/{pk()}/pages/type_choice",
                         data={"filing_type": "temporary", "_action": "update"})
    assert updated.status_code == 303 and updated.headers["Location"].endswith("/type_choice")
    drawn = clerk.get(updated.headers["Location"]).get_data(as_text=True)
    assert 'name="temporary_kind"' in drawn and 'name="long_term_kind"' not in drawn
    assert say(app, "This field is required.") not in drawn  # nothing judged before "next"


def test_submit_refuses_the_missing_question_the_pages_did_not_ask(clerk, app):
    from app.commands.applications.save import SaveAnswersCommand

    application = db.session.get(Application, pk())
    SaveAnswersCommand(application, {"filing_type": "long_term", "_notice": True},
                       user=application.applicant).run()  # as an older counter page left it
    refused = clerk.post(f"/review/window/{pk()}/submit", data={"notice_read": "y"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "长期居住人员类别" in page
    assert f"/review/window/{pk()}/pages/type_choice#long_term_kind" in page
    db.session.expire_all()
    assert db.session.get(Application, pk()).status == "draft"
