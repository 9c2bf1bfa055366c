"""The reviews API as CONTRACT.md §4 words it: 403 outside the reviewer's scope (checked before
a stale version's 409 where reloading would not help), bodies that clients may extend, and
FAB's ``_l_`` with translated messages on the queue."""
from flask_babel import force_locale

from app.api.reviews.api import NOT_A_CURSOR, OUT_OF_SCOPE
from app.workflow.routing import OTHER_REGION
from tests.applications_support import token
from tests.browser.helpers import has_chinese
from tests.review_support import (HB1, LUBEI, LUNAN, SHIJIAZHUANG, TANGSHAN, fresh,  # noqa: F401
                                  hb1, reviewer, submitted, workday_clock)

API = "/api/v1/reviews/"


def text(app, message, locale="zh") -> str:
    with app.test_request_context("/"), force_locale(locale):
        return str(message)


def act(client, user, application, verb, version=None, query="", **body):
    version = fresh(application).lock_version if version is None else version
    return client.post(f"{API}{application.id}/{verb}{query}",
                       headers=token(client, user.username), json={"version": version, **body})


def test_outside_the_reviewers_scope_is_403_whatever_the_version(app, hb1, client):
    application = submitted(HB1)
    stale = application.lock_version - 1
    for region in (LUNAN, SHIJIAZHUANG):
        outsider = reviewer(region)
        for version in (None, stale):
            response = act(client, outsider, application, "approve", version=version)
            assert response.status_code == 403, (region, version, response.get_json())
            assert response.get_json() == {"message": text(app, OUT_OF_SCOPE)}
        english = act(client, outsider, application, "refuse", query="?_l_=en", comment="x")
        assert english.get_json() == {"message": text(app, OUT_OF_SCOPE, "en")}
    missing = client.post(f"{API}{10 ** 9}/approve", headers=token(client, reviewer(LUNAN)
                                                                    .username),
                          json={"version": 1})
    assert missing.status_code == 403  # no such application: told as outside, not confirmed
    assert missing.get_json() == {"message": text(app, OUT_OF_SCOPE)}


def test_a_step_that_is_not_yours_is_403_before_a_stale_version(app, hb1, client):
    application = submitted(HB1)
    stale = application.lock_version - 1
    city = reviewer(TANGSHAN)  # sees the county's 受理 step but may not decide it
    named = act(client, city, application, "approve", version=stale, step="accept")
    assert named.status_code == 403
    assert named.get_json()["message"] == text(app, OTHER_REGION)
    for version in (stale, 1, fresh(application).lock_version):  # no step named: the same
        unnamed = act(client, city, application, "approve", version=version)
        assert unnamed.status_code == 403, (version, unnamed.get_json())
        assert unnamed.get_json()["message"] == text(app, OTHER_REGION)
    # The step the county reviewer read has moved on since: reload (409), as E1 requires.
    county = reviewer(LUBEI)
    read = fresh(application).lock_version
    assert act(client, county, application, "approve", comment="齐全").status_code == 200
    moved = act(client, reviewer(LUBEI), application, "approve", version=read, step="accept")
    assert moved.status_code == 409
    unnamed = act(client, reviewer(LUBEI), application, "approve", version=read)
    assert unnamed.status_code == 409


def test_unknown_keys_in_a_decision_body_are_ignored(hb1, client):
    application = submitted(HB1)
    county = reviewer(LUBEI)
    returned = act(client, county, application, "return", comment="请补正", status="approved",
                   client_ref="A-17", _l_="en",
                   missing={"fields": {"mobile": "号码无法接通"}, "note": "extension"})
    assert returned.status_code == 200, returned.get_json()
    assert returned.get_json()["status"] == "returned"


def test_the_queue_takes_l_and_answers_in_its_language(app, hb1, client):
    submitted(HB1)
    headers = token(client, reviewer(LUBEI).username)
    assert client.get(f"{API}?_l_=en", headers=headers).status_code == 200
    assert client.get(f"{API}?state=pending&_l_=zh", headers=headers).status_code == 200
    for locale, chinese in (("zh", True), ("en", False)):
        for query in ("state=bogus", "limit=0", "colour=red"):
            response = client.get(f"{API}?{query}&_l_={locale}", headers=headers)
            body = response.get_json()
            assert response.status_code == 400, (query, body)
            assert has_chinese(body["message"]) is chinese, (query, body)
            assert all(has_chinese(m) is chinese for messages in body["errors"].values()
                       for m in messages), (query, body)
        cursor = client.get(f"{API}?after=nonsense&_l_={locale}", headers=headers).get_json()
        assert cursor["errors"] == {"after": [text(app, NOT_A_CURSOR, locale)]}
