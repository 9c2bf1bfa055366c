"""The review pages for a regional administrator, as the reviews API serves them: they supervise
(due soon, overdue) and do not decide, so 待办 and 已办 are neither offered in the menu nor in
the tabs, and a direct visit is a 403 page saying those queues are for reviewers, with links to
the queues they read. Reviewers and the platform administrator keep every queue."""
import re

import pytest

from tests.applications_support import token
from tests.browser.helpers import say
from tests.integration.test_review_queries import row_ids, signed_in
from tests.review_support import (HB1, LUBEI, TANGSHAN, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import make_user

PENDING, DONE = "/review/pending", "/review/done"
DUE_SOON, OVERDUE = "/review/late?state=due_soon", "/review/late?state=overdue"
MESSAGE = ("The To do and Done queues are for reviewers, who decide applications. You "
           "supervise: you may read the late queues, due soon and overdue.")


def tabs(html: str) -> list[str]:
    """The review desk's tab links, in order."""
    found = re.search(r'<ul class="nav nav-tabs review-tabs">(.*?)</ul>', html, re.S)
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', found.group(1))]


def queue_links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(
        r'class="btn btn-link queue-link" href="([^"]+)"', html)]


def offers_decision_queues(html: str) -> bool:
    return bool(re.search(r'href="/review/(pending|done)\b', html))


@pytest.fixture
def supervisor(app, hb1):
    return signed_in(app, make_user("RegionAdmin", TANGSHAN))


def test_a_region_admin_is_not_offered_to_do_and_done(app, supervisor):
    application = submitted(HB1)
    for url in (OVERDUE, DUE_SOON, "/"):
        page = supervisor.get(url)
        assert page.status_code == 200, url
        assert not offers_decision_queues(page.get_data(as_text=True)), url
    late = supervisor.get(OVERDUE).get_data(as_text=True)
    assert tabs(late) == [DUE_SOON, OVERDUE]
    assert 'href="/review/late"' in late  # the menu's 临期/超时
    detail = supervisor.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert not offers_decision_queues(detail)  # its way back is a late queue
    assert 'href="/review/late?state=overdue"' in detail


@pytest.mark.parametrize("url", [PENDING, DONE, PENDING + "?item=x", DONE + "?bad=1"])
def test_a_direct_visit_is_403_saying_these_queues_are_for_reviewers(app, supervisor, url):
    response = supervisor.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert say(app, MESSAGE) in html and MESSAGE not in html  # Chinese by default
    assert queue_links(html) == [DUE_SOON, OVERDUE]
    assert not offers_decision_queues(html) and 'class="queue-row' not in html
    supervisor.get("/lang/en")
    english = supervisor.get(url)
    assert english.status_code == 403 and MESSAGE in english.get_data(as_text=True)
    assert "Due soon</a>" in english.get_data(as_text=True)


def test_reviewers_and_the_platform_administrator_keep_every_queue(app, hb1):
    application = submitted(HB1)
    county = reviewer(LUBEI)
    for user in (county, make_user("Admin")):
        client = signed_in(app, user)
        page = client.get(PENDING)
        assert page.status_code == 200, user.username
        html = page.get_data(as_text=True)
        assert tabs(html) == [PENDING, DONE, DUE_SOON, OVERDUE]
        # The menu's 待办 only for who decides (app.counter_access); the page's tabs stay.
        menu = html.split("review-tabs", 1)[0]
        assert ('href="/review/pending"' in menu) == (user is county), user.username
        assert client.get(DONE).status_code == 200
    assert row_ids(signed_in(app, county).get(PENDING).get_data(as_text=True)) == [
        application.id]


@pytest.mark.parametrize("state", ["pending", "done", "overdue", "due_soon"])
def test_the_pages_and_the_api_agree_for_every_role(app, client, hb1, state):
    page = {"pending": PENDING, "done": DONE}.get(state, f"/review/late?state={state}")
    for role, region in (("RegionAdmin", TANGSHAN), ("Reviewer", LUBEI), ("Admin", None)):
        user = make_user(role, region)
        api = client.get(f"/api/v1/reviews/?state={state}",
                         headers=token(client, user.username)).status_code
        assert signed_in(app, user).get(page).status_code == api, (role, state)
