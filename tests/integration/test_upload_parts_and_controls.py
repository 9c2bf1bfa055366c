"""A file name holding a control character is 400 however it is sent (DEL, a C1 control, a NUL
escaped as %00), on the API, the wizard and the counter; an upload holding two ``file`` parts is
422 at ``file`` rather than the first stored and the second dropped; a lone surrogate in a JSON
body is refused at its key as a NUL is, nothing saved (PostgreSQL cannot store one)."""
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (ALICE_ID, CODE, REGION, api_create, clock,  # noqa: F401
                                        gd8, load_gd8, make_person, png_bytes, token)
from tests.integration.test_upload_name_controls import post_file, stored_names
from tests.support import login, make_user
from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                  jpeg_bytes, publish, signed_in, start)

CONTROL_400 = "The request contains a control character (such as NUL) in 'file'."
TWO_FILES = {"en": "Send one file per upload: this one held 2 files named “file”.",
             "zh": "每次上传只能发送一个文件：本次上传包含 2 个名为“file”的文件。"}


def raw_disposition(name: str) -> str:
    """The Content-Disposition parameter a client such as curl sends, the name as typed."""
    return f'filename="{name}"'


@pytest.mark.parametrize("name", ["a\x7fb.png", "a\u0085b.png", "a\u009fb.png", "a%00b.png",
                                  "a%1Bb.png", "a\x1bb.png"])
def test_the_api_refuses_a_control_character_in_a_file_name(gd8, client, name):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    sent = post_file(client, f"/api/v1/applications/{pk}/materials/id_document",
                     raw_disposition(name), png_bytes(), {**headers, "Accept-Language": "en"})
    assert sent.status_code == 400, sent.get_json()
    assert sent.get_json()["message"].startswith(CONTROL_400)
    assert stored_names(pk) == []


def test_a_line_break_a_browser_escapes_is_still_a_space(gd8, client):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    sent = post_file(client, f"/api/v1/applications/{pk}/materials/id_document",
                     raw_disposition("scan%09one%0D%0A.png"), png_bytes(), headers)
    assert sent.status_code == 201, sent.get_json()
    assert stored_names(pk) == ["scan one .png"]


@pytest.mark.parametrize("name", ["a%00b.jpg", "a\u0085b.jpg", "a\x7fb.jpg"])
def test_the_wizard_refuses_it_too(app, ctx, clock, name):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    sent = post_file(client, f"/applications/{pk}/materials/diagnosis", raw_disposition(name),
                     jpeg_bytes())
    assert sent.status_code == 400
    assert stored_names(pk) == []


def two_files() -> dict:
    return {"file": [(io.BytesIO(png_bytes()), "one.png"),
                     (io.BytesIO(png_bytes((0, 0, 255))), "two.png")]}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_two_file_parts_are_422_at_file(gd8, client, language):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    sent = client.post(f"/api/v1/applications/{pk}/materials/id_document", data=two_files(),
                       headers={**headers, "Accept-Language": language},
                       content_type="multipart/form-data")
    assert sent.status_code == 422, sent.get_json()
    assert sent.get_json()["errors"] == {"file": [TWO_FILES[language]]}
    assert stored_names(pk) == []


def test_the_counter_refuses_two_file_parts(app, ctx, clock):  # noqa: F811
    load_gd8()
    make_person(ALICE_ID, "林小红")
    clerk = app.test_client()
    assert login(clerk, make_user("Reviewer", REGION, name="窗口张").username).status_code == 302
    clerk.post("/review/window/", data={"item": CODE, "region": REGION, "name": "林小红",
                                        "id_number": ALICE_ID, "identity_checked": "y",
                                        "action": "create"})
    pk = db.session.scalar(select(Application.id))
    sent = clerk.post(f"/review/window/{pk}/materials",
                      data={"action": "upload", "material": "id_document", **two_files()},
                      content_type="multipart/form-data")
    assert sent.status_code == 422
    assert "每次上传只能发送一个文件" in sent.get_data(as_text=True)
    assert stored_names(pk) == []


def test_a_lone_surrogate_in_an_answer_is_422_and_nothing_is_saved(gd8, client):
    headers = token(client, gd8.username)
    pk = api_create(client, headers).get_json()["id"]
    url = f"/api/v1/applications/{pk}/answers"
    assert client.put(url, json={"answers": {"employer_name": "广州某某"}},
                      headers=headers).status_code == 200
    sent = client.put(url, data='{"answers": {"employer_name": "\\ud800x"}}',
                      content_type="application/json", headers=headers)
    assert sent.status_code == 422, sent.get_json()
    assert list(sent.get_json()["errors"]) == ["answers"]
    assert list(sent.get_json()["errors"]["answers"]) == ["employer_name"]
    detail = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert detail["answers"]["employer_name"] == "广州某某"
