"""Helpers for the application tests: GD-8 published, a verified citizen, answers, files, clock."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from app.validators import id_check_digit, uscc_check_char
from tests.support import PASSWORD, frozen_clock, make_user

FORMDEFS = Path(__file__).resolve().parents[1] / "app" / "formdefs"
GD8 = FORMDEFS / "440000-guangdong" / "maternity_allowance.yaml"
CODE, REGION = "maternity_allowance", "440106"  # 广州市天河区
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST)  # a Friday with an official calendar
USCC = "91440101MA5CX1234" + uscc_check_char("91440101MA5CX1234")


def id_number(body17: str) -> str:
    return body17 + id_check_digit(body17)


ALICE_ID = id_number("44010619900101002")  # female, born 1990-01-01
BOB_ID = id_number("44010619850505003")    # another citizen

GD8_ANSWERS = {
    "mobile": "13800138000",
    "employer_name": "广州某某有限公司", "employer_uscc": USCC,
    "not_advanced_reason": "licence_revoked",
    "leave_type": "maternity", "event_date": "2026-03-01", "parity": 1, "fetus_count": 1,
    "leave_start": "2026-03-01", "leave_end": "2026-07-07",
    "bank_name": "中国银行", "bank_account": "6217 0000 0000 0000 000",
    "_notice": True,
}
GD8_REQUIRED_MATERIALS = ("id_document", "birth_certificate", "employer_status_proof")


def png_bytes(colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
            b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def load_gd8(path: Path = GD8) -> None:
    from app.commands.formdefs import LoadFormdefsCommand

    LoadFormdefsCommand([path], publish=True).run()


def make_person(number: str, name: str, region: str = REGION, sex: str = "2",
                birth=dt.date(1990, 1, 1)):
    from app.extensions import db
    from app.models.person import Person

    person = Person(id_number=number, name=name, sex=sex, birth_date=birth, region_code=region,
                    cert_type="01")
    db.session.add(person)
    db.session.commit()
    return person


def make_citizen(number: str = ALICE_ID, name: str = "林小红", verified: bool = True,
                 mobile: str | None = None, region: str = REGION):
    """Create a verified citizen account and their registry record."""
    from app.extensions import db
    from app.models.base import utcnow

    user = make_user("Citizen", region, name=name, id_number=number, mobile=mobile)
    if verified:
        user.identity_verified_at = utcnow()
        db.session.commit()
    make_person(number, name, region)
    return user


def file_storage(data: bytes, name: str = "id.png", content_type: str = "image/png"):
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(data), filename=name, content_type=content_type)


@pytest.fixture
def clock(app):
    """Freeze the application commands' clock at NOW (or a moment set via ``clock.set``)."""
    with frozen_clock(app, NOW) as frozen:
        yield frozen


@pytest.fixture
def gd8(ctx, clock):
    """GD-8 published and a verified citizen (Alice); yields Alice."""
    load_gd8()
    return make_citizen()


# --- the API ---------------------------------------------------------------------------------

def token(client, username: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/security/login", json={
        "username": username, "password": password, "provider": "db"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def api_create(client, headers, item=CODE, region=REGION, **extra):
    return client.post("/api/v1/applications/", json={"item": item, "region": region, **extra},
                       headers=headers)


def api_upload(client, headers, pk, key, data=None, name="scan.png"):
    return client.post(f"/api/v1/applications/{pk}/materials/{key}", headers=headers,
                       data={"file": (io.BytesIO(data if data is not None else png_bytes()),
                                      name)}, content_type="multipart/form-data")


def api_fill(client, headers, pk, answers=None) -> None:
    """Answer every GD-8 question and attach the required materials."""
    response = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                          json={"answers": answers or GD8_ANSWERS})
    assert response.status_code == 200, response.get_json()
    for key in GD8_REQUIRED_MATERIALS:
        uploaded = api_upload(client, headers, pk, key)
        assert uploaded.status_code == 201, uploaded.get_json()
