"""What a refused upload says: the accepted types as the materials page lists them (JPG, JPEG,
PNG, PDF), and the file left out when more are chosen than the material takes, by name."""
from tests.applications_support import api_create, api_upload, clock, gd8, token  # noqa: F401


def _errors(response) -> str:
    body = response.get_json()
    return " ".join(m for ms in (body.get("errors") or {}).values() for m in ms) + \
        str(body.get("message", ""))


def test_a_refused_type_lists_the_types_as_the_page_does(client, gd8):  # noqa: F811
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    refused = api_upload(client, headers, pk, "id_document", b"GIF89a....", "photo.gif")
    assert refused.status_code == 422, refused.get_json()
    assert "支持的类型：JPG, JPEG, PNG, PDF。" in _errors(refused), refused.get_json()


def test_the_file_beyond_the_limit_is_named(client, gd8):  # noqa: F811
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    for name in ("front.png", "back.png"):
        assert api_upload(client, headers, pk, "id_document", name=name).status_code == 201
    third = api_upload(client, headers, pk, "id_document", name="extra.png")
    assert third.status_code == 422
    assert "extra.png未上传：此处最多上传2个文件。" in _errors(third), third.get_json()
