"""What one account's uploads can make the server do is bounded: each image decodes to at most
the pixel budget (25 million by default, ``UPLOAD_MAX_PIXELS``), and an account's uploads are
counted, stored or refused alike (``UPLOAD_RATE_LIMIT``), with a translated 429 past the limit."""
import io

import pytest
from PIL import Image, PngImagePlugin

from app.uploads import UploadRejected, check_upload
from tests.applications_support import (ALICE_ID, BOB_ID, api_create, api_upload,  # noqa: F401
                                        clock, load_gd8, make_citizen, token)
from tests.fixtures.uploads import samples

IMAGES = ["jpg", "png"]


def check(data: bytes, name: str):
    return check_upload(io.BytesIO(data), name, IMAGES, 5 * 1024 * 1024)


def test_a_png_of_forty_million_pixels_is_refused_undecoded(app, monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels decoded")
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_decoding)
    with pytest.raises(UploadRejected) as refused:
        check(samples.png_bomb(6300, 6300), "scan.png")  # 39.7 million: under the former 40
    assert refused.value.code == "content"
    assert "6300 × 6300" in str(refused.value) and "25 million" in str(refused.value)
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert "scan.png" in str(refused.value) and "6300" in str(refused.value)


def test_the_pixel_budget_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_PIXELS", 1000)
    with app.app_context():
        with pytest.raises(UploadRejected) as refused:
            check(samples.png(size=(64, 48)), "big.png")  # 3072 pixels
        assert "0.001 million" in str(refused.value)
        checked = check(samples.jpeg(size=(64, 48)), "big.jpg")  # decoded at half scale
        assert Image.open(io.BytesIO(checked.data)).size == (32, 24)


def test_uploads_are_counted_per_account_refused_or_not(limited):
    limited.config["UPLOAD_RATE_LIMIT"] = "3 per hour"
    with limited.app_context():
        load_gd8()
        alice_name = make_citizen().username
        bob_name = make_citizen(BOB_ID, "王小明").username
    client = limited.test_client()
    alice, bob = token(client, alice_name), token(client, bob_name)
    pk = api_create(client, alice).get_json()["id"]
    assert api_upload(client, alice, pk, "id_document").status_code == 201
    assert api_upload(client, alice, pk, "id_document", b"x", "a.exe").status_code == 422
    assert api_upload(client, alice, pk, "id_document").status_code == 201
    refused = api_upload(client, alice, pk, "employer_status_proof", name="proof.png")
    assert refused.status_code == 429 and 3500 < int(refused.headers["Retry-After"]) <= 3600
    body = refused.get_json()
    assert "proof.png" in body["message"] and "过多" in body["message"]
    assert body["errors"] == {"materials.employer_status_proof": [body["message"]]}
    english = client.post(f"/api/v1/applications/{pk}/materials/employer_status_proof?_l_=en",
                          headers=alice, data={"file": (io.BytesIO(b"x"), "proof.png")},
                          content_type="multipart/form-data")
    assert english.status_code == 429
    assert english.get_json()["message"].startswith(
        "proof.png was not accepted: too many files were sent from this account. Try again in")
    other = api_create(client, bob).get_json()["id"]  # another account is counted apart
    assert api_upload(client, bob, other, "id_document").status_code == 201


def test_the_wizard_says_so_next_to_the_material(limited):
    from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                      publish, signed_in, start, upload)

    limited.config["UPLOAD_RATE_LIMIT"] = "1 per hour"
    with limited.app_context():
        publish(HB1)
        client = signed_in(limited, citizen())
        pk = start(client, HB1_CODE, TANGSHAN)
        acknowledge_notice(client, pk)
        assert upload(client, pk, "diagnosis", b"x", "a.exe").status_code == 422
        refused = upload(client, pk, "diagnosis", samples.pdf(), "report.pdf")
    assert refused.status_code == 429 and 3500 < int(refused.headers["Retry-After"]) <= 3600
    page = refused.get_data(as_text=True)
    assert 'id="material-diagnosis-err"' in page and "report.pdf" in page and "过多" in page
