"""C3: request-size limits hold before the body is read or buffered.

There are no upload routes yet, so the limits are shown on existing POST routes: the login page
(a form behind CSRF) and the security login API (a FAB REST endpoint, whose ``@safe`` wrapper
used to turn Werkzeug's 413 into a 500).
"""
import io
import logging

import pytest
from werkzeug.test import EnvironBuilder

MB = 1024 * 1024
API_LOGIN = "/api/v1/security/login"


class ZeroBody(io.RawIOBase):
    """A seekable body of ``size`` zero bytes that counts the bytes the app read from it."""

    def __init__(self, size: int):
        self.size, self.position, self.consumed = size, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[
            whence] + offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        count = max(0, min(len(buffer), self.size - self.position))
        buffer[:count] = bytes(count)
        self.position += count
        self.consumed += count
        return count


def call_wsgi(app, environ):
    status = {}

    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])
        status["type"] = dict(headers).get("Content-Type", "")
    body = b"".join(app(environ, start_response))
    return status["code"], status["type"], body


def test_limits_are_configured(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 25 * MB
    assert app.config["MAX_FORM_PARTS"] == 200
    assert app.config["MAX_FORM_MEMORY_SIZE"] == 500_000


def test_a_30_mb_form_post_gets_the_413_page_unread(client):
    body = ZeroBody(30 * MB)
    response = client.post("/login/", input_stream=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response.mimetype == "text/html" and b"413" in response.data
    assert body.consumed == 0


def test_a_30_mb_api_post_gets_413_json_unread_and_logs_no_error(client, caplog):
    body = ZeroBody(30 * MB)
    with caplog.at_level(logging.ERROR):
        response = client.post(API_LOGIN, input_stream=body, content_type="application/json")
    assert response.status_code == 413
    assert response.is_json and response.get_json()["message"]
    assert body.consumed == 0
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_body_at_the_limit_is_not_refused_for_its_size(client):
    response = client.post(API_LOGIN, data=b"{}".ljust(25 * MB), content_type="application/json")
    assert response.status_code != 413


def test_a_streamed_body_is_cut_at_the_limit(app):
    """Without a Content-Length, Werkzeug's LimitedStream stops reading at the limit."""
    body = ZeroBody(40 * MB)
    environ = EnvironBuilder(path="/login/", method="POST").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BufferedReader(body), "wsgi.input_terminated": True,
                    "CONTENT_TYPE": "multipart/form-data; boundary=x",
                    "HTTP_TRANSFER_ENCODING": "chunked"})
    code, _, _ = call_wsgi(app, environ)
    assert code == 413
    assert body.consumed <= 25 * MB + 64 * 1024


@pytest.mark.parametrize("parts, refused", [(1000, True), (201, True), (150, False)])
def test_the_number_of_multipart_parts_is_limited(client, parts, refused):
    fields = {f"field{i}": "v" for i in range(parts)}
    response = client.post("/login/", data=fields, content_type="multipart/form-data")
    assert (response.status_code == 413) is refused


def test_a_large_multipart_text_field_is_refused(client):
    response = client.post("/login/", data={"username": "x" * 600_000},
                           content_type="multipart/form-data")
    assert response.status_code == 413


def test_a_multipart_file_part_may_be_larger_than_a_text_field(client):
    response = client.post("/login/", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bytes(2 * MB)), "scan.pdf")})
    assert response.status_code != 413
