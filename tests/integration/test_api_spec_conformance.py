"""What fuzzing the API against its OpenAPI document found: replies and document agree."""
from tests.applications_support import token
from tests.support import make_user

OPENAPI = "/api/v1/_openapi"


def test_a_405_names_the_methods_the_url_takes(client):
    """RFC 9110 §15.5.6: a 405 carries ``Allow`` (the JSON error handler dropped it)."""
    api = client.open("/api/v1/catalog/", method="TRACE")
    assert api.status_code == 405
    assert api.is_json and api.get_json()["message"]
    assert set(api.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    post_only = client.get("/api/v1/security/login")
    assert post_only.status_code == 405
    assert set(post_only.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    page = client.delete("/login/")
    assert page.status_code == 405
    assert "GET" in page.headers["Allow"].split(", ")
    assert "Allow" not in client.get("/api/v1/catalog/nonexistent_item").headers


def test_a_nullable_nested_payload_is_that_payload_or_null(client):
    """``subject`` and ``agent`` are documented as their schema or null, not as any object."""
    schemas = client.get(OPENAPI).get_json()["components"]["schemas"]
    for schema, key, ref in (("ApplicationPostSchema", "subject", "Subject"),
                             ("ApplicationPostSchema", "agent", "AgentPost"),
                             ("ApplicationDetailSchema", "agent", "AgentSchema")):
        branches = schemas[schema]["properties"][key]["anyOf"]
        assert {"$ref": f"#/components/schemas/{ref}"} in branches, (schema, key)
        others = [branch for branch in branches if "$ref" not in branch]
        assert others and all(branch.get("enum") == [None] for branch in others), (schema, key)
    assert schemas["Subject"]["required"] == ["id_number", "name"]


def test_a_subject_without_its_keys_is_refused_as_documented(ctx, client):
    """The reply the document now predicts: a subject object lacking name and ID number."""
    headers = token(client, make_user("Citizen", "130203").username)
    response = client.post("/api/v1/applications/", headers=headers, json={
        "item": "maternity_allowance", "region": "130203", "subject": {"x": 1}})
    assert response.status_code in (400, 422)
    assert set(response.get_json()["errors"]["subject"]) >= {"id_number", "name"}


def test_the_login_provider_is_documented_as_the_one_taken(client):
    provider = client.get(OPENAPI).get_json()["components"]["schemas"]["LoginPostSchema"][
        "properties"]["provider"]
    assert provider["enum"] == ["db"]
    refused = client.post("/api/v1/security/login", json={
        "username": "nobody", "password": "x", "provider": ""})
    assert refused.status_code == 422
    assert "provider" in refused.get_json()["errors"]


def query_schema(document: dict, path: str, name: str) -> dict:
    parameters = document["paths"][path]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name and p["in"] == "query")


def test_query_arguments_are_documented_as_the_server_reads_them(client):
    """An argument the document allowed (an empty item, any status) was a 400."""
    from app.models.application import STATUSES
    from app.workflow.queue.rows import MAX_LIMIT

    document = client.get(OPENAPI).get_json()
    listing = "/api/v1/applications/"
    assert query_schema(document, listing, "status")["enum"] == list(STATUSES)
    assert query_schema(document, listing, "page")["maximum"] == 100000
    queue = "/api/v1/reviews/"
    for name, longest in (("item", 60), ("step", 60), ("after", 40)):
        assert query_schema(document, queue, name)["minLength"] == 1, name
        assert query_schema(document, queue, name)["maxLength"] == longest, name
    assert query_schema(document, queue, "region")["pattern"] == "^[0-9]{6}([0-9]{5})?$"
    assert query_schema(document, queue, "limit")["maximum"] == MAX_LIMIT


def test_the_refusals_the_document_now_predicts(ctx, client):
    citizen = token(client, make_user("Citizen", "130203").username)
    assert client.get("/api/v1/applications/?status=", headers=citizen).status_code == 400
    assert client.get("/api/v1/applications/?page=100001", headers=citizen).status_code == 400
    reviewer = token(client, make_user("Reviewer", "130203").username)
    for query in ("item=", "after=", "step=", "region=1302"):
        assert client.get(f"/api/v1/reviews/?{query}", headers=reviewer).status_code == 400, query


def test_an_upload_documents_its_file_part_as_required(client):
    document = client.get(OPENAPI).get_json()
    body = document["paths"]["/api/v1/applications/{pk}/materials/{key}"]["post"]["requestBody"]
    assert body["content"]["multipart/form-data"]["schema"]["required"] == ["file"]


def test_every_operation_documents_the_400_a_control_character_gets(ctx, client):
    """app.request_guard answers 400 before any view, wherever the character is; GET /me/ and
    the upload documented no 400."""
    document = client.get(OPENAPI).get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], (method, path)
    assert document["paths"]["/api/v1/me/"]["get"]["responses"]["400"] == {
        "$ref": "#/components/responses/400"}
    headers = token(client, make_user("Citizen", "130203").username)
    refused = client.get("/api/v1/me/?a%01b=1", headers=headers)
    assert refused.status_code == 400 and refused.get_json()["message"]
