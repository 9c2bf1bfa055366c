"""The applicant's API history (GET /api/v1/applications/<id>) lists the same process events as
their web page (我要查): staff opening the application (application.files_shown) adds nothing,
and each entry carries ``action_name``, the page's sentence in the request's language. Staff
still get every event, named as the audit log names it."""
from flask_babel import force_locale, gettext

from tests.applications_support import (GD8_ANSWERS, api_create, api_fill, clock,  # noqa: F401
                                        gd8, token)
from tests.support import login, make_user


def test_staff_looking_adds_nothing_to_the_applicants_history(app, client, gd8):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    api_fill(client, headers, pk, GD8_ANSWERS)
    submitted = client.post(f"/api/v1/applications/{pk}/submit",
                            headers={**headers, "Idempotency-Key": "h1"})
    assert submitted.status_code == 200, submitted.get_json()
    before = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()["history"]

    reviewer = make_user("Reviewer", "440100")
    web = app.test_client()
    assert login(web, reviewer.username).status_code == 302
    for _ in range(2):  # each page view with previews records application.files_shown
        assert web.get(f"/review/applications/{pk}").status_code == 200
    staff = token(client, reviewer.username)
    everything = client.get(f"/api/v1/applications/{pk}", headers=staff).get_json()["history"]
    assert [row["action"] for row in everything].count("application.files_shown") == 2
    shown = next(row for row in everything if row["action"] == "application.files_shown")
    with app.test_request_context("/"), force_locale("zh"):
        assert shown["action_name"] == gettext("Material files previewed on the review page")

    after = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()["history"]
    assert after == before
    assert [row["action"] for row in after] == [
        "application.created", "application.submitted"]
    with app.test_request_context("/"), force_locale("zh"):
        expected = [gettext("Application started"), gettext("Submitted")]
    assert [row["action_name"] for row in after] == expected
    english = client.get(f"/api/v1/applications/{pk}?_l_=en", headers=headers).get_json()
    assert [row["action_name"] for row in english["history"]] == [
        "Application started", "Submitted"]


def test_the_openapi_document_describes_action_name(client):
    spec = client.get("/api/v1/_openapi").get_json()
    entry = spec["components"]["schemas"]["HistoryEntrySchema"]["properties"]
    assert entry["action_name"]["type"] == "string"
