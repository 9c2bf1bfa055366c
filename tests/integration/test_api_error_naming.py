"""Errors name what is at fault: a body's wrong type is a 422 with per-field ``errors`` on every
API (as a missing or unknown key already was), a control character too, at its key; a missing
file says the file, not the application; a malformed ``?region=`` is a 400 naming the argument,
an unknown one a 404 naming the code."""
from flask_babel import force_locale

from app.commands.applications.errors import (ApplicationNotFoundError,
                                              AttachmentNotFoundError)
from app.errors import MESSAGES
from tests.applications_support import (REGION, api_create, api_upload, clock,  # noqa: F401
                                        gd8, token)


def text(app, message) -> str:
    with app.test_request_context("/"), force_locale("zh"):
        return str(message)


def test_a_wrong_type_or_a_control_character_is_a_422_at_its_key(app, gd8, client):
    headers = token(client, gd8.username)
    created = api_create(client, headers, region=int(REGION))
    assert created.status_code == 422 and list(created.get_json()["errors"]) == ["region"]
    pk = api_create(client, headers).get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    typed = client.put(url, headers=headers, json={"answers": {}, "version": "2"})
    assert typed.status_code == 422, typed.get_json()
    assert typed.get_json() == {"message": text(app, MESSAGES[422]),
                                "errors": {"version": ["此处应为整数。"]}}
    nul = client.put(url, headers=headers, json={"answers": {"employer_name": "a\u0000"}})
    assert nul.status_code == 422
    assert nul.get_json()["errors"] == {"answers": {"employer_name": [nul.get_json()["message"]]}}
    listed = client.get("/api/v1/applications/?page=many", headers=headers)
    assert listed.status_code == 400 and "page" in listed.get_json()["errors"]  # a query: 400


def test_a_missing_file_is_named_as_a_file(app, gd8, client):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    file_id = api_upload(client, headers, pk, "id_document").get_json()["file_id"]
    gone = f"/api/v1/applications/{pk}/materials/id_document/{file_id}"
    assert client.delete(gone, headers=headers).status_code == 200
    for response in (client.delete(gone, headers=headers),
                     client.get(f"/api/v1/applications/{pk}/files/{file_id}", headers=headers),
                     client.get(f"/api/v1/applications/{pk}/files/{10 ** 6}", headers=headers)):
        assert response.status_code == 404
        assert response.get_json() == {
            "message": text(app, AttachmentNotFoundError.default_message)}
    other = client.get(f"/api/v1/applications/{10 ** 6}/files/{file_id}", headers=headers)
    assert other.get_json() == {"message": text(app, ApplicationNotFoundError.default_message)}


def test_a_malformed_region_is_a_400_naming_the_argument(app, client, gd8):
    for path in ("/api/v1/catalog/", "/api/v1/catalog/maternity_allowance"):
        for code in ("abc", "44010６", "44010", "1" * 13, "-440106"):
            malformed = client.get(f"{path}?region={code}")
            assert malformed.status_code == 400, (path, code)
            assert list(malformed.get_json()["errors"]) == ["region"]
        absent = client.get(path)
        assert absent.status_code == 400 and list(absent.get_json()["errors"]) == ["region"]
        unknown = client.get(f"{path}?region=999999")
        assert unknown.status_code == 404 and "999999" in unknown.get_json()["message"]
        assert client.get(f"{path}?region={REGION}").status_code == 200
