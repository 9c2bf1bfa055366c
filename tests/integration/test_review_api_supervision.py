"""GET /api/v1/reviews/ for a regional administrator, as the pages /review/late serve them: the
late queues of their subtree (supervision); pending and done, the queues of what one decides,
are 403 with a message saying so; deciding stays refused."""
from flask_babel import force_locale

from app.api.reviews.api import DECIDERS_ONLY
from tests.applications_support import token
from tests.integration.test_review_queries import row_ids, signed_in
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import make_user

API = "/api/v1/reviews/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [entry["id"] for entry in response.get_json()["result"]]


def test_a_region_admin_reads_the_late_queues_of_their_subtree(app, client, hb1):
    late, soon = submitted(HB1), submitted(HB1)
    hb1.day(2026, 3, 30)  # both overdue at 路北's 受理
    province, city = make_user("RegionAdmin", "130000"), make_user("RegionAdmin", TANGSHAN)
    elsewhere = make_user("RegionAdmin", "440000")
    for admin in (province, city):
        headers = token(client, admin.username)
        overdue = client.get(f"{API}?state=overdue", headers=headers)
        assert sorted(ids(overdue)) == sorted([late.id, soon.id])
        assert overdue.get_json()["count"] == 2
        assert not any(entry["yours_to_decide"] for entry in overdue.get_json()["result"])
        assert ids(client.get(f"{API}?state=due_soon", headers=headers)) == []
        page = signed_in(app, admin).get("/review/late?state=overdue").get_data(as_text=True)
        assert sorted(row_ids(page)) == sorted(ids(overdue))  # the same as the page
    outside = token(client, elsewhere.username)
    assert ids(client.get(f"{API}?state=overdue", headers=outside)) == []
    hb1.day(2026, 3, 5)  # the deadline day of a 3-day step (2026-03-05): due soon
    headers = token(client, city.username)
    assert sorted(ids(client.get(f"{API}?state=due_soon", headers=headers))) == sorted(
        [late.id, soon.id])


def test_pending_and_done_are_for_reviewers_and_deciding_stays_refused(app, client, hb1):
    application = submitted(HB1)
    admin = token(client, make_user("RegionAdmin", TANGSHAN).username)
    with app.test_request_context("/"), force_locale("zh"):
        zh = str(DECIDERS_ONLY)
    with app.test_request_context("/"), force_locale("en"):
        en = str(DECIDERS_ONLY)
    for query in ("?state=pending", "?state=done", ""):
        response = client.get(f"{API}{query}", headers=admin)
        assert response.status_code == 403 and response.get_json() == {"message": zh}, query
    english = client.get(f"{API}?state=pending&_l_=en", headers=admin)
    assert english.status_code == 403 and english.get_json() == {"message": en}
    assert zh != en and "state=overdue" in zh
    decided = client.post(f"{API}{application.id}/approve", headers=admin,
                          json={"version": fresh(application).lock_version})
    assert decided.status_code == 403
    county = token(client, reviewer(LUBEI).username)  # a reviewer reads every state
    assert ids(client.get(f"{API}?state=pending", headers=county)) == [application.id]
    assert ids(client.get(f"{API}?state=done", headers=county)) == []
    citizen = token(client, make_user("Citizen", LUBEI).username)
    assert client.get(f"{API}?state=overdue", headers=citizen).status_code == 403
