"""Schemathesis over the OpenAPI document (SECURITY_TESTS D3): as a citizen with a draft of
their own, and as a reviewer with an application waiting for them, every operation answers what
its document says — no 5xx, a documented status code, a documented content type, a body of the
documented shape — for valid and for invalid input.

Deterministic and bounded: derandomized, a few examples per operation and mode, no shrinking,
no example database. The operations that end the draft or the account run last (closing the
account is left out: every later call would be 401).
"""
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from tests.applications_support import (CODE, REGION, api_create, api_fill, api_upload,
                                        clock, gd8, token)  # noqa: F401
from tests.support import make_user

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 6
LEFT_OUT = {("POST", "/api/v1/me/close")}
LAST = {("DELETE", "/api/v1/applications/{pk}"), ("POST", "/api/v1/applications/{pk}/withdraw"),
        ("POST", "/api/v1/applications/{pk}/submit")}
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app)
    found = [result.ok() for result in schema.get_all_operations()]
    found = [op for op in found if (op.method.upper(), op.path) not in LEFT_OUT]
    return sorted(found, key=lambda op: (op.method.upper(), op.path) in LAST)


def test_the_api_answers_as_its_document_says_for_a_citizen(app, gd8, client):
    headers = token(client, gd8.username)
    pk = api_create(client, headers, filer="self").get_json()["id"]
    file_id = api_upload(client, headers, pk, "id_document").get_json()["file_id"]
    fuzz(app, headers, {"pk": pk, "file_id": file_id, "key": "id_document"})


def test_the_api_answers_as_its_document_says_for_a_reviewer(app, gd8, client):
    """A reviewer of the county where a submitted application waits at its first step."""
    citizen = token(client, gd8.username)
    pk = api_create(client, citizen, filer="self").get_json()["id"]
    api_fill(client, citizen, pk)
    submitted = client.post(f"/api/v1/applications/{pk}/submit",
                            headers={**citizen, "Idempotency-Key": "fuzz-1"})
    assert submitted.status_code == 200, submitted.get_json()
    reviewer = token(client, make_user("Reviewer", REGION).username)
    fuzz(app, reviewer, {"pk": pk, "file_id": 1, "key": "id_document"})


def fuzz(app, headers: dict, known: dict) -> None:
    """Run every operation's valid and invalid cases with the caller's token and known ids."""
    known = {"code": CODE, "version": "v1", **known}
    tested, without_invalid = 0, []
    for operation in operations(app):
        names = {parameter.name for parameter in operation.path_parameters}
        fixed = {name: value for name, value in known.items() if name in names}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(mode, path_parameters=fixed or None)

            @FUZZ
            @given(case=strategy)
            def answers_as_documented(case):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                answers_as_documented()
            except Unsatisfiable:
                # Nothing of the operation can be made invalid (GET /me/: no parameter, no body).
                assert mode is GenerationMode.NEGATIVE, operation.label
                without_invalid.append(operation.label)
        tested += 1
    assert tested >= 20 and len(without_invalid) < tested / 2, without_invalid
