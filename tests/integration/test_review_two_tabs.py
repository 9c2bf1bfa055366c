"""The 409 of a decision that came too late names who got there first: the same reviewer in
another tab is told so, with what they decided; another reviewer's decision keeps the page
"someone else has acted"."""
import pytest

from tests.browser.helpers import say
from tests.integration.test_review_views import ANSWERS, GD8, SUBJECT_ID, says, signed_in
from tests.review_support import (NANSHAN, fresh, publish, reviewer, submitted,  # noqa: F401
                                  workday_clock)


@pytest.fixture
def opened(ctx, workday_clock):  # noqa: F811
    """GD-8 at its first step, and the form as a tab drew it (version and step)."""
    publish(GD8)
    application = submitted(GD8, NANSHAN, dict(ANSWERS), subject_id_number=SUBJECT_ID)
    return application, {"version": str(application.lock_version),
                         "step": application.current_step, "confirmed": "1"}


def test_the_same_reviewer_in_a_second_tab_is_told_they_decided_already(app, opened):
    application, form = opened
    clerk = signed_in(app, reviewer(NANSHAN))
    url = f"/review/applications/{application.id}"
    first = clerk.post(f"{url}/approve", data={**form, "comment": "材料齐全"})
    assert first.status_code == 303
    second = clerk.post(f"{url}/approve", data=form)
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert says(app, "You already decided this application in another tab or window") in page
    assert says(app, "Someone else has acted on this application") not in page
    assert say(app, "Approved") in page and "材料齐全" in page and "受理" in page
    assert says(app, "Reload the application") in page


def test_another_reviewers_decision_keeps_someone_else_has_acted(app, opened):
    application, form = opened
    first, second = signed_in(app, reviewer(NANSHAN)), signed_in(app, reviewer(NANSHAN))
    url = f"/review/applications/{application.id}"
    assert first.post(f"{url}/approve", data=form).status_code == 303
    late = second.post(f"{url}/approve", data=form)
    page = late.get_data(as_text=True)
    assert late.status_code == 409
    assert says(app, "Someone else has acted on this application") in page
    assert says(app, "You already decided this application in another tab or window") not in page
    assert fresh(application).lock_version != int(form["version"])
