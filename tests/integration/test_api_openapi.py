"""The OpenAPI document: readable by anyone (it documents the public contract), and its error
replies as the API sends them."""
import runpy
from pathlib import Path

from tests.applications_support import token
from tests.support import make_user

OPENAPI = "/api/v1/_openapi"
CONFIG = Path(__file__).resolve().parents[2] / "config.py"


def schema_of(document: dict, code: str) -> dict:
    return document["components"]["responses"][code]["content"]["application/json"]["schema"]


def test_anyone_may_read_the_openapi_document(ctx, client):
    anonymous = client.get(OPENAPI)
    assert anonymous.status_code == 200
    for role in ("Citizen", "Reviewer"):
        signed_in = client.get(OPENAPI, headers=token(client, make_user(role, "130203").username))
        assert signed_in.status_code == 200
        assert signed_in.get_json()["paths"] == anonymous.get_json()["paths"]
    assert client.get("/api/v9/_openapi").status_code == 404
    document = anonymous.get_json()
    assert document["paths"]["/api/{version}/_openapi"]["get"]["security"] == []
    # Built once, but each reply names the server it was asked on.
    elsewhere = client.get(OPENAPI, base_url="http://banshi.example.cn").get_json()
    assert elsewhere["servers"] == [{"url": "http://banshi.example.cn/"}]
    assert anonymous.get_json()["servers"] == [{"url": "http://localhost/"}]


def test_the_document_holds_no_secret(app, client):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for secret in (app.config["SECRET_KEY"], app.config["SQLALCHEMY_DATABASE_URI"],
                   app.config.get("JWT_SECRET_KEY") or app.config["SECRET_KEY"]):
        assert secret not in text


def test_error_replies_are_documented_as_sent(client):
    document = client.get(OPENAPI).get_json()
    for code in ("401", "403", "404", "409", "413", "429", "500"):
        reply = schema_of(document, code)
        assert reply["properties"]["message"]["type"] == "string", code
        assert reply["required"] == ["message"], code
    assert set(schema_of(document, "401")["properties"]) == {"message"}
    assert set(schema_of(document, "400")["properties"]) == {"message", "errors"}
    assert schema_of(document, "400")["required"] == ["message"]
    assert schema_of(document, "422")["required"] == ["message", "errors"]


def test_every_endpoint_needing_a_token_documents_its_401(client):
    document = client.get(OPENAPI).get_json()
    assert "api_key" not in document["components"]["securitySchemes"]  # API keys are off
    checked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not operation.get("security"):
                continue
            assert "401" in operation["responses"], (method, path)
            assert all("api_key" not in scheme for scheme in operation["security"]), path
            checked += 1
    assert checked >= 15
    post = document["paths"]["/api/v1/applications/"]["post"]
    assert post["responses"]["401"] == {"$ref": "#/components/responses/401"}
    login = document["paths"]["/api/v1/security/login"]["post"]
    assert login["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LoginPostSchema"}
    assert "provider" in document["components"]["schemas"]["LoginPostSchema"]["required"]


def test_the_writing_endpoints_document_the_shape_of_their_success(client):
    """A code generator gets a schema for every success reply, not only a description."""
    document = client.get(OPENAPI).get_json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    base = "/api/v1/applications/{pk}"
    for path, method, code, shape in (
            (f"{base}/submit", "post", "200", "SubmittedSchema"),
            (f"{base}/materials/{{key}}", "post", "201", "UploadedSchema"),
            (f"{base}/withdraw", "post", "200", "WithdrawnSchema"),
            (f"{base}/urge", "post", "200", "UrgedSchema"),
            (base, "delete", "200", "DeletedSchema"),
            (f"{base}/materials/{{key}}/{{file_id}}", "delete", "200", "RemovedSchema"),
            (f"{base}/form", "get", "200", "ItemDefinitionSchema")):
        content = paths[path][method]["responses"][code]["content"]
        assert content["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{shape}"}, (method, path)
        assert shape in schemas
    assert set(schemas["SubmittedSchema"]["properties"]) == {"id", "status", "serial", "warnings"}
    assert set(schemas["UploadedSchema"]["properties"]) == {"file_id", "sha256"}
    assert set(schemas["UrgedSchema"]["properties"]) == {"id", "status", "urged_at", "step"}
    assert "409" in paths[f"{base}/urge"]["post"]["responses"]
    assert "may_urge" in schemas["ApplicationDetailSchema"]["properties"]
    download = paths[f"{base}/files/{{file_id}}"]["get"]["responses"]["200"]["content"]
    assert download["*/*"]["schema"]["format"] == "binary"
    submit = paths[f"{base}/submit"]["post"]
    assert submit["summary"] and {"428", "409"} <= set(submit["responses"])
    assert "same key" in submit["description"] and "another application" in submit[
        "description"]
    upload = paths[f"{base}/materials/{{key}}"]["post"]
    assert upload["summary"] and "UPLOAD_RATE_LIMIT" in upload["description"]
    assert paths[base]["delete"]["summary"]
    assert "429" in upload["responses"]
    checked = schemas["ApplicationPostSchema"]["properties"]["identity_checked"]
    assert "counter" in checked["description"]


def test_the_public_address_behind_a_proxy_is_set_from_the_environment(app, client,
                                                                        monkeypatch):
    public = "https://banshi.example.gov.cn/"
    monkeypatch.setenv("OPENAPI_SERVER_URL", public)
    servers = runpy.run_path(str(CONFIG))["FAB_OPENAPI_SERVERS"]
    monkeypatch.setitem(app.config, "FAB_OPENAPI_SERVERS", servers)
    assert client.get(OPENAPI).get_json()["servers"] == [{"url": public}]
    monkeypatch.delenv("OPENAPI_SERVER_URL")
    assert "FAB_OPENAPI_SERVERS" not in runpy.run_path(str(CONFIG))  # the request's address
