"""The JSON API's error replies (CONTRACT.md §4: "a message and, for validation, per-field
messages"): refused tokens, the token login, the reply's language and marshmallow's and FAB's
own messages in it."""
import datetime as dt

import jwt
import pytest
from flask_babel import force_locale
from flask_jwt_extended import create_access_token

from app.api.security import NOT_JSON
from app.api.shape_messages import REQUIRED
from app.errors import MESSAGES
from app.security import SIGN_IN_FIRST, TOKEN_ENDED, TOKEN_EXPIRED, TOKEN_INVALID
from tests.applications_support import token
from tests.browser.helpers import has_chinese
from tests.support import PASSWORD, make_user

LOGIN = "/api/v1/security/login"
APPLICATIONS = "/api/v1/applications/"
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def text(app, message, locale="zh") -> str:
    """Return a lazy message as the app words it in ``locale``."""
    with app.test_request_context("/"), force_locale(locale):
        return str(message)


def bearer(value: str) -> dict:
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def citizen(ctx):
    return make_user("Citizen", "130203")


# ---- refused tokens: 401 {message}, never flask-jwt-extended's {msg} nor its 422 ----------

def refused_tokens(app, user) -> dict:
    with app.test_request_context("/"):
        expired = create_access_token(identity=str(user.id),
                                      expires_delta=dt.timedelta(seconds=-60))
    claims = {"sub": str(user.id), "type": "access", "fresh": False, "jti": "x",
              "epoch": user.session_epoch or 0}
    forged = jwt.encode(claims, "not-the-secret-key-of-this-banshi-server", algorithm="HS256")
    return {"none": ({}, SIGN_IN_FIRST),
            "not bearer": ({"Authorization": "Token abc"}, SIGN_IN_FIRST),
            "garbled": (bearer("xyz"), TOKEN_INVALID),
            "wrongly signed": (bearer(forged), TOKEN_INVALID),
            "expired": (bearer(expired), TOKEN_EXPIRED)}


def test_a_refused_token_is_a_401_with_a_translated_message(app, client, citizen):
    for name, (headers, message) in refused_tokens(app, citizen).items():
        response = client.get(APPLICATIONS, headers=headers)
        assert response.status_code == 401, (name, response.get_json())
        assert response.get_json() == {"message": text(app, message)}, name
        assert has_chinese(response.get_json()["message"]), name
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), name
        english = client.get(APPLICATIONS, headers={**headers, **EN})
        assert english.status_code == 401, name
        assert english.get_json() == {"message": text(app, message, "en")}, name
        assert not has_chinese(english.get_json()["message"]), name


def test_a_token_of_an_ended_sign_in_is_a_401_with_a_message(app, client, citizen):
    headers = token(client, citizen.username)
    assert client.get(APPLICATIONS, headers=headers).status_code == 200
    app.appbuilder.sm.end_sessions(citizen)  # as signing out or a password change does
    response = client.get(f"{APPLICATIONS}?_l_=en", headers=headers)
    assert response.status_code == 401
    assert response.get_json() == {"message": text(app, TOKEN_ENDED, "en")}
    refresh = client.post("/api/v1/security/refresh", headers=headers)  # an access token
    assert refresh.status_code == 401 and set(refresh.get_json()) == {"message"}


# ---- the token login ------------------------------------------------------------------------

def test_login_without_provider_is_a_422_naming_the_field(app, client, citizen):
    response = client.post(LOGIN, json={"username": citizen.username, "password": PASSWORD})
    assert response.status_code == 422
    body = response.get_json()
    assert body == {"message": text(app, MESSAGES[422]),
                    "errors": {"provider": [text(app, REQUIRED)]}}
    assert has_chinese(body["errors"]["provider"][0])
    english = client.post(LOGIN, json={"username": citizen.username, "password": PASSWORD},
                          headers=EN).get_json()
    assert english["errors"] == {"provider": ["This field is required."]}


def test_login_errors_are_translated_and_their_message_is_a_text(app, client, citizen):
    name = citizen.username
    attempts = {
        "wrong password": (dict(json={"username": name, "password": "Wrong2026x",
                                      "provider": "db"}), 401, None),
        "no password": (dict(json={"username": name, "provider": "db"}), 422, {"password"}),
        "empty name": (dict(json={"username": "", "password": "x", "provider": "db"}), 422,
                       {"username"}),
        "other provider": (dict(json={"username": name, "password": PASSWORD,
                                      "provider": "ldap"}), 422, {"provider"}),
        "not JSON": (dict(data="x", content_type="text/plain"), 400, None),
        "not an object": (dict(json=[name, PASSWORD]), 400, None),
        "truncated JSON": (dict(data='{"username": "x"', content_type="application/json"), 400,
                           None),
    }
    for case, (request, status, fields) in attempts.items():
        for headers, chinese in (({}, True), (EN, False)):
            response = client.post(LOGIN, headers=headers, **request)
            body = response.get_json()
            assert response.status_code == status, (case, body)
            assert isinstance(body["message"], str), case
            assert has_chinese(body["message"]) is chinese, (case, body)
            assert set(body.get("errors", {})) == (fields or set()), (case, body)
            for messages in body.get("errors", {}).values():
                assert all(has_chinese(m) is chinese for m in messages), (case, body)
    assert client.post(LOGIN, json="x").get_json() == {  # no fields read: none named
        "message": text(app, NOT_JSON)}
    wrong = client.post(LOGIN, **attempts["wrong password"][0]).get_json()
    assert wrong == {"message": "账号或密码错误。"}  # the sign-in form's words
    assert "access_token" in client.post(LOGIN, json={"username": name, "password": PASSWORD,
                                                      "provider": "db"}).get_json()


def test_login_answers_invalid_fields_as_the_rest_of_the_api_does(app, client, citizen):
    """A well-formed body with a field missing: 422 and errors per field, on the sign-in as on
    the applications API (the sign-in answered 400)."""
    signed_in = token(client, citizen.username)
    created = client.post(APPLICATIONS, json={"region": "130203"}, headers=signed_in)
    login = client.post(LOGIN, json={"password": PASSWORD, "provider": "db"})
    assert (created.status_code, login.status_code) == (422, 422)
    assert created.get_json()["message"] == login.get_json()["message"] == text(app, MESSAGES[422])
    assert login.get_json()["errors"] == {"username": [text(app, REQUIRED)]}
    assert set(created.get_json()["errors"]) == {"item"}


def test_the_openapi_document_gives_the_login_its_422(client):
    document = client.get("/api/v1/_openapi").get_json()
    responses = document["paths"][LOGIN]["post"]["responses"]
    assert responses["422"] == {"$ref": "#/components/responses/422"}
    assert responses["400"] == {"$ref": "#/components/responses/400"}
    described = document["components"]["responses"]["400"]["content"]["application/json"]
    assert "sign-in" not in described["schema"]["properties"]["errors"]["description"]


# ---- the reply's language ------------------------------------------------------------------

def test_the_api_answers_in_the_accept_language_unless_l_says_otherwise(client):
    """API replies follow ?_l_=, else Accept-Language; web pages do not."""
    catalog = "/api/v1/catalog/"  # without ?region=: a 400 with a message
    cases = [({"Accept-Language": "en"}, "", False),
             ({"Accept-Language": "en-US,en;q=0.9,zh;q=0.5"}, "", False),
             ({"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, "", True),
             ({"Accept-Language": "fr-FR,fr"}, "", True),  # neither: the default, zh
             ({}, "", True),
             ({"Accept-Language": "en"}, "?_l_=zh", True),
             ({}, "?_l_=en", False)]
    for headers, query, chinese in cases:
        response = client.get(f"{catalog}{query}", headers=headers)
        assert response.status_code == 400
        assert has_chinese(response.get_json()["message"]) is chinese, (headers, query)
    # Web pages keep their own choice (?_l_=, then the session, default zh).
    page = client.get("/login/", headers={"Accept-Language": "en"})
    assert '<html lang="zh-CN"' in page.get_data(as_text=True)
    assert any(c.startswith("session=") for c in page.headers.getlist("Set-Cookie"))
    client.get("/prefs/lang/en")
    assert '<html lang="en"' in client.get("/login/").get_data(as_text=True)


def test_api_replies_set_no_session_cookie(app, client, citizen):
    headers = token(client, citizen.username)
    replies = [client.post(LOGIN, json={"username": citizen.username, "password": PASSWORD,
                                        "provider": "db"}, headers=EN),
               client.get("/api/v1/catalog/?region=130203", headers=EN),
               client.get(APPLICATIONS, headers={**headers, **EN}),
               client.get(APPLICATIONS, headers=EN),
               client.get("/api/v1/_openapi?_l_=en"),
               client.get("/api/v1/no-such-thing", headers=EN)]
    for response in replies:
        assert response.headers.getlist("Set-Cookie") == [], response.request.path
    assert client.get(APPLICATIONS, headers=EN).get_json()["message"] == text(
        app, SIGN_IN_FIRST, "en")


# ---- marshmallow's and FAB's messages in the reply's language ------------------------------

def test_marshmallow_messages_are_translated(app, client, citizen):
    headers = token(client, citizen.username)
    replies = {
        "required, one of": client.post(APPLICATIONS, json={"filer": "robot"}, headers=headers),
        "range, one of": client.get(f"{APPLICATIONS}?page=0&status=bogus", headers=headers),
        "not an integer": client.get(f"{APPLICATIONS}?page_size=many", headers=headers),
    }
    for case, response in replies.items():
        body = response.get_json()
        # A body's missing keys are a validation error (422); a query's, a bad request (400).
        assert response.status_code == (422 if case == "required, one of" else 400), (case, body)
        assert has_chinese(body["message"]), case
        for key, messages in body["errors"].items():
            assert all(has_chinese(m) for m in messages), (case, key, messages)
    errors = replies["required, one of"].get_json()["errors"]
    # An unknown filer is the command's 422 (test_api_draft_withdraw_and_filer.py): here only
    # the missing item is the schema's.
    assert errors == {"item": ["此项为必填项。"], "region": ["此项为必填项。"]}
    assert replies["range, one of"].get_json()["errors"]["page"] == ["须在1到100000之间（含）。"]
    english = client.get(f"{APPLICATIONS}?page=0&_l_=en", headers=headers).get_json()
    assert english["errors"] == {"page": ["Must be from 1 to 100000."]}


def test_fab_refusals_are_translated(app, ctx, client):
    region_admin = make_user("RegionAdmin", "130200")
    headers = token(client, region_admin.username)
    for response in (client.post("/api/v1/reviews/1/approve", json={"version": 1},
                                 headers=headers),
                     client.post(APPLICATIONS, json={}, headers=headers)):
        assert response.status_code == 403
        assert response.get_json() == {"message": text(app, MESSAGES[403])}
    english = client.post("/api/v1/me/identity", json={}, headers={**headers, **EN})  # staff
    assert english.get_json() == {"message": text(app, MESSAGES[403], "en")}


def test_each_marshmallow_message_has_a_translation(app):
    """Real messages of every field type and validator banshi's schemas use (a marshmallow
    upgrade that rewords one fails here, not in a client)."""
    from marshmallow import RAISE, Schema, ValidationError, fields, validate

    from app.api.shape_messages import translate_messages

    class Probe(Schema):
        class Meta:
            unknown = RAISE

        required = fields.String(required=True)
        null = fields.String(allow_none=False)
        text, integer, number = fields.String(), fields.Integer(strict=True), fields.Float()
        decimal, boolean = fields.Decimal(), fields.Boolean()
        date, moment, time = fields.Date(), fields.DateTime(), fields.Time()
        mapping, items = fields.Dict(), fields.List(fields.String())
        nested = fields.Nested(Schema.from_dict({"x": fields.String()}))
        email, url, uuid = fields.Email(), fields.URL(), fields.UUID()
        one_of = fields.String(validate=validate.OneOf(["a", "b"]))
        between = fields.Integer(validate=validate.Range(1, 5))
        above = fields.Integer(validate=validate.Range(min=1, min_inclusive=False))
        below = fields.Integer(validate=validate.Range(max=5))
        short = fields.String(validate=validate.Length(min=2))
        long = fields.String(validate=validate.Length(max=2))
        sized = fields.String(validate=validate.Length(2, 3))
        exact = fields.String(validate=validate.Length(equal=2))
        pattern = fields.String(validate=validate.Regexp(r"^\d+$"))
        equal = fields.String(validate=validate.Equal("x"))
        none_of = fields.String(validate=validate.NoneOf(["x"]))
        only = fields.List(fields.String(), validate=validate.ContainsOnly(["a"]))

    bad = {"null": None, "text": 1, "integer": "1", "number": "x", "decimal": "x",
           "boolean": "x", "date": "x", "moment": "x", "time": "x", "mapping": [], "items": {},
           "nested": 1, "email": "x", "url": "x", "uuid": "x", "one_of": "c", "between": 9,
           "above": 1, "below": 9, "short": "x", "long": "xyz", "sized": "x", "exact": "x",
           "pattern": "x", "equal": "y", "none_of": "x", "only": ["b"], "unknown": 1}
    try:
        Probe().load(bad)
    except ValidationError as error:
        messages = error.messages
    assert set(messages) == {*bad, "required"}  # every probe failed
    with app.test_request_context("/"), force_locale("zh"):
        translated = translate_messages(messages)
    for key, texts in translated.items():
        texts = texts["_schema"] if key == "nested" else texts
        assert all(has_chinese(t) for t in texts), (key, messages[key], texts)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_json_has_not_are_a_malformed_body(app, client, citizen, number):
    """Python's parser takes NaN, Infinity and 1e400 (→ inf); stored, they made the application's
    own JSON unreadable to its client (RFC 8259 has no such numbers)."""
    headers = token(client, citizen.username)
    body = '{"item": "maternity_allowance", "region": "440106", "filer": "self", "x": %s}'
    response = client.post("/api/v1/applications/", data=body % number, headers=headers,
                           content_type="application/json")
    assert response.status_code == 400 and response.is_json
    text = response.get_data(as_text=True)
    assert "NaN" not in text and "Infinity" not in text
