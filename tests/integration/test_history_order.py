"""An application's history reads in the order things happened, with a label for every event:
a submission comes before the decision an ``auto`` step makes at once, on the applicant's
timeline (我要查) and on the reviewers' 办理记录, and no raw event key (application.filer_set)
reaches the reviewers' page in either language."""
from app.audit import record
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import SubmitApplicationCommand
from app.commands.applications.timeline import timeline
from app.extensions import db
from tests.applications_support import clock, load_gd8, make_citizen  # noqa: F401
from tests.integration.test_applications_commands import INFO_CHANGE, attach_rows, new_draft
from tests.review_support import (NANSHAN, history, publish, reviewer, submitted,  # noqa: F401
                                  workday_clock)
from tests.support import login

GD8 = "maternity_allowance"


def test_a_submission_is_recorded_before_the_auto_decision_it_sets_off(app, ctx, clock):
    load_gd8(INFO_CHANGE)
    alice = make_citizen()
    application = new_draft(alice, "resident_info_change")
    SaveAnswersCommand(application, {"change_items": ["mobile"], "new_mobile": "13900139000",
                                     "_notice": True}, user=alice).run()
    attach_rows(application, ["id_document"])
    SubmitApplicationCommand(application, user=alice).run()
    assert application.status == "approved"  # the mobile-only change is decided by rule
    assert [e.action for e in history(application)] == [
        "application.created", "application.submitted", "application.decide"]
    assert [entry.action for entry in timeline(application)] == ["created", "submitted",
                                                                 "decide"]
    [submission] = history(application, "application.submitted")
    assert submission.detail["serial"] == application.serial
    assert submission.detail["step"] is None  # closed: no current step left
    client = app.test_client()
    login(client, reviewer(application.region_code).username)
    page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert page.index('data-action="application.submitted"') < page.index(
        'data-action="application.decide"')


def test_the_reviewers_history_labels_every_event_in_both_languages(app, ctx, workday_clock):
    publish(GD8)
    application = submitted(GD8, NANSHAN)
    record("application.filer_set", "application", application.id, application.region_code,
           actor_id=application.applicant_id, filer="agent")
    db.session.commit()
    client = app.test_client()
    login(client, reviewer(NANSHAN).username)
    page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "已登记申报人" in page and "application.filer_set</td>" not in page
    client.get("/lang/en")
    page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "Who applies was recorded" in page and "application.filer_set</td>" not in page
