"""A JSON body that is not a JSON object, or not sent as application/json, is told as such
(400, one translated message, no per-field errors) by every JSON endpoint of the applications,
me and reviews APIs: they read the body through app.api.base.json_object."""
import json

import pytest
from flask_babel import force_locale

from app.api.base import NOT_AN_OBJECT, NOT_JSON_TYPE
from tests.applications_support import (ALICE_ID, BOB_ID, CODE, REGION, api_create,  # noqa: F401
                                        clock, gd8, load_gd8, make_citizen, token)
from tests.browser.helpers import has_chinese
from tests.review_support import HB1, LUBEI, hb1, reviewer, submitted  # noqa: F401
from tests.review_support import workday_clock  # noqa: F401

JSON = "application/json"
VALID = json.dumps({"item": CODE, "region": REGION})
#: (body, Content-Type) → the message expected
NOT_OBJECTS = {
    "truncated": (VALID[:-1], JSON, NOT_AN_OBJECT),
    "a list": ("[1, 2]", JSON, NOT_AN_OBJECT),
    "a text": ('"str"', JSON, NOT_AN_OBJECT),
    "null": ("null", JSON, NOT_AN_OBJECT),
    "a number": ("7", JSON, NOT_AN_OBJECT),
    "text/plain": (VALID, "text/plain", NOT_JSON_TYPE),
    "a form": ("item=x&region=y", "application/x-www-form-urlencoded", NOT_JSON_TYPE),
}


def text(app, message, locale="zh") -> str:
    with app.test_request_context("/"), force_locale(locale):
        return str(message)


def assert_refused(app, response, message, locale="zh"):
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json() == {"message": text(app, message, locale)}


def send(client, method, url, headers, body, kind, **extra):
    return client.open(url, method=method, data=body.encode(),
                       headers={**headers, "Content-Type": kind, **extra})


def test_create_says_the_body_is_not_a_json_object(app, client, gd8):
    headers = token(client, gd8.username)
    for name, (body, kind, message) in NOT_OBJECTS.items():
        response = send(client, "POST", "/api/v1/applications/", headers, body, kind)
        assert_refused(app, response, message)
        assert has_chinese(response.get_json()["message"]), name
    english = send(client, "POST", "/api/v1/applications/", headers, "[1]", JSON,
                   **{"Accept-Language": "en"})
    assert_refused(app, english, NOT_AN_OBJECT, "en")
    assert "JSON object" in english.get_json()["message"]
    # the same object as application/json is taken; a charset parameter is fine
    assert send(client, "POST", "/api/v1/applications/", headers, VALID,
                "application/json; charset=utf-8").status_code == 201


def test_answers_and_withdraw_say_it_too_and_withdraw_still_takes_no_body(app, client, gd8):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    for method, url in (("PUT", f"/api/v1/applications/{pk}/answers"),
                        ("POST", f"/api/v1/applications/{pk}/withdraw")):
        for name, (body, kind, message) in NOT_OBJECTS.items():
            assert_refused(app, send(client, method, url, headers, body, kind), message)
    # no body at all: the schema names what is required, or an optional body is optional
    empty = client.put(f"/api/v1/applications/{pk}/answers", headers=headers)
    assert empty.status_code == 422 and set(empty.get_json()["errors"]) >= {"answers"}


def test_identity_says_it_too(app, client, ctx, clock):
    load_gd8()
    user = make_citizen(verified=False)
    headers = token(client, user.username)
    for name, (body, kind, message) in NOT_OBJECTS.items():
        assert_refused(app, send(client, "POST", "/api/v1/me/identity", headers, body, kind),
                       message)


def test_decisions_say_it_too(app, client, hb1):
    application = submitted(HB1)
    headers = token(client, reviewer(LUBEI).username)
    for verb in ("approve", "return", "refuse"):
        url = f"/api/v1/reviews/{application.id}/{verb}"
        for name, (body, kind, message) in NOT_OBJECTS.items():
            assert_refused(app, send(client, "POST", url, headers, body, kind), message)


@pytest.mark.parametrize("path", ["/api/v1/applications/{pk}/answers",
                                  "/api/v1/reviews/{pk}/approve", "/api/v1/me/identity"])
def test_the_openapi_documents_the_400(app, client, path):
    spec = client.get("/api/v1/_openapi").get_json()
    operations = spec["paths"][path]
    assert any("400" in operation["responses"] for operation in operations.values())
    described = spec["components"]["responses"]["400"]["description"]
    assert "application/json" in described and "JSON object" in described


def test_an_empty_form_body_counts_as_no_body(app, client, gd8):
    """A form body is read by the request guard before the view; an empty one is still none."""
    headers = token(client, gd8.username)
    form = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    pk = api_create(client, headers).get_json()["id"]
    submitted_as_is(pk)  # a draft is deleted, not withdrawn
    url = f"/api/v1/applications/{pk}/withdraw"
    assert_refused(app, client.post(url, data=b"reason=x", headers=form), NOT_JSON_TYPE)
    withdrawn = client.post(url, data=b"", headers=form)
    assert withdrawn.status_code == 200, withdrawn.get_data(as_text=True)


def submitted_as_is(pk: int) -> None:
    """Mark an API draft submitted, untouched by any decision (it may be withdrawn)."""
    from app.extensions import db
    from app.models.application import Application

    application = db.session.get(Application, pk)
    application.status, application.submitted_at = "submitted", application.created_at
    db.session.commit()
