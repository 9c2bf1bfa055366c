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


# --- SC-2 城乡居民暂停参保 (四川, with 达州's variant) and the demo registry -----------------------

SC2 = [FORMDEFS / "510000-sichuan" / "resident_enrollment_suspend.yaml",
       FORMDEFS / "511700-dazhou" / "resident_enrollment_suspend.yaml"]
SC2_CODE, TONGCHUAN = "resident_enrollment_suspend", "511702"  # 达州市通川区
# The demo registry's 王芳 (app/data/demo_persons.csv): insured (390) in 通川区 only, since
# 2023-09-01, and her mobile there.
WANG_FANG, WANG_FANG_MOBILE = "511702200506180247", "15808180234"
SC2_AGENT = {"relationship": "99", "address": "成都市锦江区某某路1号"}  # the agent's answers
SC2_SUSPENSION = {"suspend_reason": "01", "suspend_date": "2026-11-20", "remark": "在户籍地参保",
                  "nonlocal_student": "0", "graduating": "0"}  # 暂停信息 but its region


def verified_citizen(number: str, name: str, region: str):
    """Create an identity-verified citizen account (no registry record of its own)."""
    from app.extensions import db
    from app.models.base import utcnow

    user = make_user("Citizen", region, name=name, id_number=number)
    user.identity_verified_at = utcnow()
    db.session.commit()
    return user


def publish_sc2() -> None:
    """Publish SC-2 with 达州's variant and import the demo registry (王芳 among its persons)."""
    from app.cli import DEMO_PERSONS
    from app.commands.formdefs import LoadFormdefsCommand
    from app.commands.persons import ImportPersonsCommand

    LoadFormdefsCommand(SC2, publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()


def wang_fang():
    """王芳's own account: a verified citizen of 通川区 whom the demo registry knows."""
    return verified_citizen(WANG_FANG, "王芳", TONGCHUAN)


@pytest.fixture
def sc2_agent(ctx, clock):
    """SC-2 published with the demo registry; yields 吴刚, a verified citizen of 成都 and a
    stranger to 王芳, who files for her as an agent."""
    publish_sc2()
    return verified_citizen(id_number("51010419800101001"), "吴刚", "510104")


def sc2_web_draft(app, user, as_agent: bool = False) -> tuple:
    """Sign ``user`` in, start SC-2 in 通川区 in the wizard, acknowledge its notice and say who
    files: an agent for 王芳, or the user for themself. Return (client, application id)."""
    from tests.wizard_support import acknowledge_notice, post_step, signed_in, start

    client = signed_in(app, user)
    pk = start(client, SC2_CODE, TONGCHUAN)
    acknowledge_notice(client, pk)
    filer = ({"filer": "agent", "subject_name": "王芳", "subject_id_number": WANG_FANG,
              **SC2_AGENT} if as_agent else {"filer": "self"})
    assert post_step(client, f"/applications/{pk}/filer", filer).status_code == 302
    return client, pk


def sc2_api_draft(client, user, as_agent: bool = False) -> tuple[dict, int]:
    """Create an SC-2 draft in 通川区 through the API, by an agent for 王芳 or by the user for
    themself. Return (the user's headers, application id)."""
    headers = token(client, user.username)
    body = {"filer": "agent" if as_agent else "self"}
    if as_agent:
        body.update(subject={"name": "王芳", "id_number": WANG_FANG}, agent=SC2_AGENT)
    created = api_create(client, headers, item=SC2_CODE, region=TONGCHUAN, **body)
    assert created.status_code == 201, created.get_json()
    return headers, created.get_json()["id"]
