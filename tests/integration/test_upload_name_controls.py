"""A file name with CR/LF or a tab is stored, shown and downloaded with a space in its place,
through the web wizard and the API alike (any other control character is 400, escaped or not:
test_upload_parts_and_controls).

A multipart header cannot carry a raw line break: browsers (the HTML standard) send CR and LF
in a file name as %0D and %0A (a quote as %22, which werkzeug turns back), urllib3 every C0
control as %XX, and RFC 5987 clients percent-encode the whole name in ``filename*``. These
tests send the bytes those clients send.
"""
import html
from urllib.parse import quote

import pytest

from app.extensions import db
from app.models.application import Attachment
from tests.applications_support import api_create, clock, gd8, png_bytes, token  # noqa: F401
from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                  jpeg_bytes, publish, signed_in, start)

BOUNDARY = "----banshi-test-boundary"
#: As a browser sends 病历 "a"<CR><LF>X-Inj: 1.jpg (the quote werkzeug decodes, not the rest).
BROWSER_NAME = '病历 %22a%22%0D%0AX-Inj: 1'
SHOWN = '病历 "a" X-Inj: 1'


def multipart(disposition: str, data: bytes) -> bytes:
    """Return a multipart body of one part ``file`` with the given Content-Disposition params."""
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; {disposition}\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + (
        f"\r\n--{BOUNDARY}--\r\n").encode()


def post_file(client, url: str, disposition: str, data: bytes, headers=None):
    return client.post(url, data=multipart(disposition, data), headers=headers or {},
                       content_type=f"multipart/form-data; boundary={BOUNDARY}")


def stored_names(pk) -> list[str]:
    db.session.expire_all()
    return [a.original_name for a in db.session.query(Attachment).filter_by(
        application_id=pk, removed_at=None).order_by(Attachment.id)]


def assert_safe_disposition(response, name: str) -> None:
    disposition = response.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert not any(c in disposition for c in "\r\n\t") and "%0D" not in disposition.upper()


def test_the_web_upload_stores_shows_and_sends_a_space(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    sent = post_file(client, f"/applications/{pk}/materials/diagnosis",
                     f'filename="{BROWSER_NAME}.jpg"', jpeg_bytes())
    assert sent.status_code == 303
    assert stored_names(pk) == [f"{SHOWN}.jpg"]
    raw = client.get(f"/applications/{pk}/materials").get_data(as_text=True)
    assert f"{SHOWN}.jpg" in html.unescape(raw) and "%0D" not in raw
    attachment_id = db.session.query(Attachment.id).filter_by(application_id=pk).scalar()
    assert_safe_disposition(client.get(f"/my/files/{attachment_id}"), f"{SHOWN}.jpg")


@pytest.mark.parametrize("disposition, shown", [
    (f'filename="{BROWSER_NAME}.png"', f"{SHOWN}.png"),  # a browser, a web view
    ("filename=\"scan%09%0Aone.png\"", "scan one.png"),  # urllib3: tab and LF as %XX
    ("filename*=UTF-8''" + quote('病历 "a"\r\n\r\nX-Inj: 1.png', safe=""), f"{SHOWN}.png"),
])
def test_the_api_upload_stores_shows_and_sends_a_space(gd8, client, disposition, shown):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    sent = post_file(client, f"/api/v1/applications/{pk}/materials/id_document", disposition,
                     png_bytes(), headers)
    assert sent.status_code == 201, sent.get_json()
    assert stored_names(pk) == [shown]
    detail = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert [f["name"] for f in detail["materials"]] == [shown]
    download = client.get(f"/api/v1/applications/{pk}/files/{sent.get_json()['file_id']}",
                          headers=headers)
    assert download.status_code == 200
    assert_safe_disposition(download, shown)
