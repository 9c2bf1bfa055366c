"""A counter draft belongs to the clerk who started it: colleagues neither see it (pages, detail,
API: 404) nor finish or submit it, so the clerk who entered an application is the one who
submitted it, and ``entered_by`` keeps them from deciding any step of it."""
import io

from sqlalchemy import select

from app import workflow
from app.extensions import db
from app.models.application import Application
from tests.applications_support import (ALICE_ID, GD8_ANSWERS, REGION, clock,  # noqa: F401
                                        png_bytes, token)
from tests.integration.test_review_window import (PAGES, counter, fill_and_submit,  # noqa: F401
                                                  signed_in, start)
from tests.support import make_user


def test_a_colleague_cannot_see_finish_or_submit_a_clerks_counter_draft(app, counter):
    clerk = signed_in(app, counter)
    assert start(clerk).status_code == 303
    pk = db.session.scalar(select(Application.id))
    colleague_user = make_user("Reviewer", REGION, name="受理员二")
    colleague = signed_in(app, colleague_user)
    for url in (f"/review/window/{pk}/pages/insured", f"/review/window/{pk}/materials",
                f"/review/applications/{pk}"):
        assert colleague.get(url).status_code == 404, url
    answers = {key: str({**GD8_ANSWERS}[key]) for key in PAGES["insured"]}
    assert colleague.post(f"/review/window/{pk}/pages/insured",
                          data=answers).status_code == 404
    assert colleague.post(f"/review/window/{pk}/materials", data={
        "action": "upload", "material": "id_card", "file": (io.BytesIO(png_bytes()), "a.png")},
        content_type="multipart/form-data").status_code == 404
    assert colleague.post(f"/review/window/{pk}/submit",
                          data={"notice_read": "y"}).status_code == 404
    api = app.test_client()
    headers = token(api, colleague_user.username)
    assert api.get(f"/api/v1/applications/{pk}", headers=headers).status_code == 404
    listed = api.get("/api/v1/applications/?status=draft", headers=headers).get_json()
    assert pk not in [row["id"] for row in listed["result"]]
    assert api.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                   json={"answers": {"mobile": "13800138000"}}).status_code == 404
    assert api.post(f"/api/v1/applications/{pk}/submit",
                    headers={**headers, "Idempotency-Key": "k1"}).status_code == 404
    # The clerk who started it still sees and finishes it.
    assert clerk.get(f"/review/applications/{pk}").status_code == 200
    assert api.get(f"/api/v1/applications/{pk}",
                   headers=token(api, counter.username)).status_code == 200
    assert fill_and_submit(clerk, pk).status_code == 303
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert application.status == "submitted"
    # Submitted: the colleague reviews it; the clerk who entered (and submitted) it may not.
    assert colleague.get(f"/review/applications/{pk}").status_code == 200
    step = workflow.current_step(application)
    assert workflow.can_decide(colleague_user, application, step).allowed
    assert not workflow.can_decide(counter, application, step).allowed
    clerk_api = token(api, counter.username)
    rows = api.get("/api/v1/reviews/?state=pending", headers=clerk_api).get_json()["result"]
    assert pk not in [row["id"] for row in rows]
    refused = api.post(f"/api/v1/reviews/{pk}/approve", headers=clerk_api,
                       json={"version": application.lock_version})
    assert refused.status_code == 403


def test_a_returned_counter_application_is_corrected_by_its_clerk_only(app, counter):
    clerk = signed_in(app, counter)
    start(clerk)
    pk = db.session.scalar(select(Application.id))
    fill_and_submit(clerk, pk)
    colleague_user = make_user("Reviewer", REGION)
    colleague = signed_in(app, colleague_user)
    application = db.session.get(Application, pk)
    returned = colleague.post(f"/review/applications/{pk}/return", data={
        "version": application.lock_version, "step": application.current_step,
        "return_fields": "mobile", "reason_fields_mobile": "号码有误", "confirmed": "1"})
    assert returned.status_code == 303, returned.get_data(as_text=True)[-2000:]
    assert colleague.get(f"/review/window/{pk}/pages/insured").status_code == 404
    assert colleague.post(f"/review/window/{pk}/submit").status_code == 404
    assert clerk.get(f"/review/window/{pk}/pages/insured").status_code == 200
