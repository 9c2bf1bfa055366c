"""What a client reads is what the server requires: the catalogue's answers_schema (conditions
and the notice included), a save's informative errors (the notice included), and a draft's
version as ETag / If-Match (E2)."""
import jsonschema
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from app.models.person import Person
from tests.applications_support import (ALICE_ID, CODE, GD8_ANSWERS, GD8_REQUIRED_MATERIALS, REGION,
                                        api_create, api_upload, clock, gd8,  # noqa: F401
                                        load_gd8, make_citizen, token)
from tests.integration.test_applications_api import submit


def announced(schema: dict, answers: dict) -> set:
    """Return the keys the schema's if/then rules require of ``answers``."""
    return {key for rule in schema.get("allOf", ())
            if jsonschema.Draft202012Validator(rule["if"]).is_valid(answers)
            for key in rule["then"]["required"]}


def test_a_body_the_schema_accepts_with_what_it_announces_is_submitted(ctx, clock, client):
    load_gd8()
    alice = make_citizen()
    # The registry gives her mobile (prefilled): the schema does not ask the client for it.
    db.session.scalars(select(Person).where(Person.id_number == ALICE_ID)).one().mobile = \
        "13800138000"
    db.session.commit()
    schema = client.get(f"/api/v1/catalog/{CODE}?region={REGION}").get_json()["answers_schema"]
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    assert "_notice" in schema["required"] and "mobile" not in schema["required"]
    body = {key: GD8_ANSWERS[key] for key in schema["required"]}
    # Maternity leave asks for the parity and the number of babies: the schema says so.
    assert announced(schema, body) == {"parity", "fetus_count"}
    assert schema["properties"]["parity"]["x-required-when"] == 'leave_type == "maternity"'
    assert not validator.is_valid(body)
    body |= {key: GD8_ANSWERS[key] for key in announced(schema, body)}
    assert validator.is_valid(body), [e.message for e in validator.iter_errors(body)]
    assert schema["x-required-when-unexpressed"] == []
    headers = token(client, alice.username)
    pk = api_create(client, headers).get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": body})
    assert saved.status_code == 200 and saved.get_json()["errors"] == {}
    for key in GD8_REQUIRED_MATERIALS:
        assert api_upload(client, headers, pk, key).status_code == 201
    submitted = submit(client, headers, pk)
    assert submitted.status_code == 200, submitted.get_json()
    # The other leave type asks for neither.
    other = {**body, "leave_type": "family_planning"}
    assert announced(schema, other) == set()
    other.pop("parity"), other.pop("fetus_count")
    assert validator.is_valid(other)


def test_a_save_reports_the_notice_submitting_would_refuse(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    answers = {k: v for k, v in GD8_ANSWERS.items() if k != "_notice"}
    saved = client.put(url, headers=alice, json={"answers": answers}).get_json()
    assert list(saved["errors"]) == ["_notice"]
    refused = submit(client, alice, pk)
    assert refused.status_code == 422 and "_notice" in refused.get_json()["errors"]
    assert saved["errors"]["_notice"] == refused.get_json()["errors"]["_notice"]
    # A page's save (the web wizard's) is about that page alone.
    page = client.put(url, headers=alice, json={"answers": {}, "page": "employer"}).get_json()
    assert page["errors"] == {}
    acknowledged = client.put(url, headers=alice, json={"answers": {"_notice": True}})
    assert acknowledged.get_json()["errors"] == {}


def test_a_draft_read_carries_its_version_as_etag_and_a_save_honours_if_match(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    read = client.get(f"/api/v1/applications/{pk}", headers=alice)
    version = read.get_json()["lock_version"]
    assert read.headers["ETag"] == f'"{version}"'
    saved = client.put(url, headers={**alice, "If-Match": read.headers["ETag"]},
                       json={"answers": {"mobile": "13900139000"}})
    assert saved.status_code == 200 and saved.get_json()["version"] == version + 1
    assert saved.headers["ETag"] == f'"{version + 1}"'
    # The ETag read before that save is stale now: 409, as a stale body version, nothing saved.
    stale_body = client.put(url, headers=alice, json={"answers": {"mobile": "13700137000"},
                                                      "version": version})
    for header in (read.headers["ETag"], str(version), f'W/"{version}"'):
        stale = client.put(url, headers={**alice, "If-Match": header},
                           json={"answers": {"mobile": "13700137000"}})
        assert (stale.status_code, stale.get_json()) == (409, stale_body.get_json())
    # Both given: they must agree.
    both = client.put(url, headers={**alice, "If-Match": f'"{version + 1}"'},
                      json={"answers": {"mobile": "13700137000"}, "version": version})
    assert both.status_code == 409
    assert db.session.get(Application, pk).answers["mobile"] == "13900139000"
    bad = client.put(url, headers={**alice, "If-Match": '"six"'}, json={"answers": {}})
    assert bad.status_code == 400 and "If-Match" in bad.get_json()["message"]
    # Without either the answers are merged; the reply says which version was saved.
    merged = client.put(url, headers={**alice, "If-Match": "*"},
                        json={"answers": {"mobile": "13600136000"}})
    assert merged.status_code == 200 and merged.get_json()["version"] == version + 2
    assert client.get(f"/api/v1/applications/{pk}", headers=alice).headers["ETag"] == \
        f'"{version + 2}"'
