"""The materials step over HTTP: uploads good and bad (413/422 on the page), removal, hostile
names shown as text (C6), downloads with a safe Content-Disposition (C2, C5); the page as one
form (every button sends the files chosen), materials the answers make unnecessary."""
import html
import io
import re

import pytest

from app.extensions import db
from app.models.application import Application, Attachment
from tests.applications_support import clock  # noqa: F401
from tests.fixtures.uploads import samples
from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                  fill_hb1_self, jpeg_bytes, publish, signed_in, start, upload,
                                  version_on)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def draft(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    return client, pk


def files(pk, key=None):
    db.session.expire_all()
    query = db.session.query(Attachment).filter_by(application_id=pk, removed_at=None)
    return query.filter_by(material_key=key).all() if key else query.all()


def test_materials_page_shows_limits_and_requirements(draft):
    client, pk = draft
    page = text(client.get(f"/applications/{pk}/materials"))
    assert 'id="material-diagnosis"' in page and "诊断证明" in page
    assert "JPG, JPEG, PNG, PDF" in page and 'accept=".jpg,.jpeg,.png,.pdf"' in page
    assert 'enctype="multipart/form-data"' in page and 'for="file-diagnosis"' in page


def test_good_uploads_are_listed_and_can_be_removed(draft):
    client, pk = draft
    response = client.post(f"/applications/{pk}/materials/diagnosis",
                           content_type="multipart/form-data",
                           data={"file": [(io.BytesIO(jpeg_bytes()), "诊断证明.jpg"),
                                          (io.BytesIO(samples.pdf()), "report.pdf")]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/applications/{pk}/materials#material-diagnosis")
    stored = files(pk, "diagnosis")
    assert sorted(a.original_name for a in stored) == ["report.pdf", "诊断证明.jpg"]
    page = text(client.get(f"/applications/{pk}/materials"))
    assert "诊断证明.jpg" in page and f"/my/files/{stored[0].id}" in page
    removed = client.post(f"/applications/{pk}/materials/diagnosis/{stored[0].id}/remove")
    assert removed.status_code == 303 and len(files(pk, "diagnosis")) == 1


def test_refused_files_are_explained_next_to_their_material(draft):
    client, pk = draft
    wrong = upload(client, pk, "diagnosis", b"#!/bin/sh\necho hi\n", "evil.jpg")
    assert wrong.status_code == 422
    page = text(wrong)
    assert 'id="material-diagnosis-err"' in page and "evil.jpg" in page and "<h1>422" not in page
    big = upload(client, pk, "diagnosis", b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10))
    assert big.status_code == 413 and 'id="material-diagnosis-err"' in text(big)
    svg = upload(client, pk, "test_reports", b"<svg onload=alert(1)/>", "x.png")
    assert svg.status_code == 422
    assert files(pk) == []
    assert upload(client, pk, "no_such_material").status_code == 404


def test_a_body_over_the_server_limit_comes_back_to_the_page(app, draft):
    client, pk = draft
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = upload(client, pk, "diagnosis", jpeg_bytes() + b"\0" * 2048)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/applications/{pk}/materials")


def test_hostile_names_are_data_and_downloads_are_attachments(draft):  # C2, C6
    client, pk = draft
    name = "<img src=x onerror=alert(1)>\u202egpj.jpg"
    assert upload(client, pk, "diagnosis", name=name).status_code == 303
    raw = client.get(f"/applications/{pk}/materials").get_data(as_text=True)
    assert "<img src=x" not in raw and "&lt;img src=x onerror=alert(1)&gt;" in raw
    attachment = files(pk, "diagnosis")[0]
    download = client.get(f"/my/files/{attachment.id}")
    assert download.status_code == 200 and download.data[:2] == b"\xff\xd8"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    assert "<" not in disposition and "\u202e" not in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Type"] == "image/jpeg"
    assert "no-store" in download.headers["Cache-Control"]
    assert client.get("/my/files/999999").status_code == 404


def page_post(client, pk, files: dict, **data):
    """POST the materials page's one form: ``files`` {material key: [(bytes, name)]}."""
    body = {"_version": version_on(text(client.get(f"/applications/{pk}/materials"))), **data}
    for key, chosen in files.items():
        body[f"file-{key}"] = [(io.BytesIO(content), name) for content, name in chosen]
    return client.post(f"/applications/{pk}/materials", content_type="multipart/form-data",
                       data=body)


def test_next_uploads_the_files_chosen_for_every_material(draft):
    client, pk = draft
    page = text(client.get(f"/applications/{pk}/materials"))
    assert len(re.findall(r"<form\b", page.split('id="materials-form"')[1])) == 0  # one form
    assert 'name="file-diagnosis"' in page  # inside it, not tied to it from elsewhere
    assert not re.search(r'<input[^>]*form="materials-form"', page)
    response = page_post(client, pk, {"diagnosis": [(jpeg_bytes(), "诊断.jpg")],
                                      "medical_records": [(samples.pdf(), "病历.pdf"),
                                                          (jpeg_bytes(), "病历2.jpg")]},
                         _action="next")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/applications/{pk}/confirm")
    assert sorted(a.original_name for a in files(pk)) == ["病历.pdf", "病历2.jpg", "诊断.jpg"]
    assert "已上传3个文件。" in text(client.get(f"/applications/{pk}/confirm"))


def test_a_refused_file_keeps_the_page_and_says_so_per_material(draft):
    client, pk = draft
    response = page_post(client, pk, {"diagnosis": [(jpeg_bytes(), "good.jpg")],
                                      "medical_records": [(b"#!/bin/sh\n", "evil.jpg")]},
                         _action="next")
    assert response.status_code == 422
    page = text(response)
    assert 'id="refused-title"' in page and 'href="#material-medical_records"' in page
    assert 'id="material-medical_records-err"' in page and "evil.jpg" in page
    assert "已上传1个文件。" in page  # the good one is kept, and said so
    assert [a.original_name for a in files(pk)] == ["good.jpg"]


def test_upload_and_remove_buttons_of_the_page_form(draft):
    client, pk = draft
    response = page_post(client, pk, {"test_reports": [(jpeg_bytes(), "a.jpg")]},
                         _upload="test_reports")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/materials#material-test_reports")
    [stored] = files(pk)
    removed = page_post(client, pk, {"diagnosis": [(jpeg_bytes(), "b.jpg")]},
                        _remove=str(stored.id))
    assert removed.headers["Location"].endswith("/materials#material-test_reports")
    assert [a.original_name for a in files(pk)] == ["b.jpg"]  # removed one, kept the chosen
    assert page_post(client, pk, {}, _remove="999999").status_code == 404


def test_uploaded_counts_read_in_both_languages(draft):
    client, pk = draft
    page_post(client, pk, {"test_reports": [(jpeg_bytes(), "a.jpg")]}, _upload="test_reports")
    assert "已上传1个文件。" in text(client.get(f"/applications/{pk}/materials"))
    client.get("/lang/en")
    page_post(client, pk, {"test_reports": [(jpeg_bytes(), "b.jpg")]}, _upload="test_reports")
    assert "1 file uploaded." in text(client.get(f"/applications/{pk}/materials"))
    page_post(client, pk, {"test_reports": [(jpeg_bytes(), "c.jpg"), (jpeg_bytes(), "d.jpg")]},
              _upload="test_reports")
    assert "2 files uploaded." in text(client.get(f"/applications/{pk}/materials"))


def test_a_material_not_needed_offers_no_upload_nor_shows_as_missing(app, ctx,
                                                                     clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk)
    section = text(client.get(f"/applications/{pk}/materials")).split(
        'id="material-agent_id"')[1].split("</section>")[0]
    assert "本次无需提供" in section and "根据您的填报内容，本次无需提供此材料。" in section
    assert 'type="file"' not in section and 'name="pledge"' not in section
    for url in (f"/applications/{pk}/confirm", f"/my/applications/{pk}"):
        item = text(client.get(url)).split("代办人身份证")[1].split("</li>")[0]
        assert "本次无需提供" in item and "未上传文件" not in item, url


def test_confirmation_separators_and_the_subject_id_as_typed(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk)
    page = text(client.get(f"/applications/{pk}/confirm"))
    assert re.search(r"诊断证明</a>：请上传此材料", page)  # full-width in Chinese
    number = db.session.get(Application, pk).subject_id_number
    assert f"（{number}）" in page and "*" * 4 not in page  # in full, as the answers below
    client.get("/lang/en")
    english = text(client.get(f"/applications/{pk}/confirm"))
    assert re.search(r"Medical diagnosis</a>: Upload", english)
