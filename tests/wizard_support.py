"""Helpers for the citizen wizard tests (HTTP and browser): items, citizens, page posts.

HB-1 门诊慢特病申报 (河北, citizen in 唐山 路北区), SC-1 城乡居民参保登记 with 达州's variant
(citizen in 通川区) and JS-1 家庭共济 (江苏, citizen in 南京 玄武区), each published through
app.commands.formdefs as an administrator would load them.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from tests.applications_support import FORMDEFS, id_number, make_person
from tests.support import login, make_user

HB1 = [FORMDEFS / "130000-hebei" / "chronic_disease_outpatient.yaml"]
SC1 = [FORMDEFS / "510000-sichuan" / "resident_enrollment.yaml",
       FORMDEFS / "511700-dazhou" / "resident_enrollment.yaml"]
JS1 = [FORMDEFS / "320000-jiangsu" / "family_mutual_aid.yaml"]
HB1_CODE, SC1_CODE, JS1_CODE = ("chronic_disease_outpatient", "resident_enrollment",
                                "family_mutual_aid")
TANGSHAN, DAZHOU, NANJING = "130203", "511702", "320102"

CITIZEN_ID = id_number("13020319800101001")   # 路北区, born 1980, male
SUBJECT_ID = id_number("13020319500303002")   # the parent an agent applies for
OTHER_ID = id_number("13020319820202003")     # another citizen of the same district
STUDENT_ID = id_number("51172220050505004")   # 达州 宣汉县, born 2005
JIANGSU_ID = id_number("32010219850808005")   # 玄武区, born 1985
SPOUSE_ID = id_number("32010219860909006")
PARENT_ID = id_number("32010219600101007")

VERSION = re.compile(r'name="_version" value="(\d+)"')
TOKEN = re.compile(r'name="submit_token" value="([^"]+)"')

HB1_BASIC = {"insutype": "310", "mobile": "13800138000", "employer_name": "唐山某某公司"}
# An agent is offered nothing from the subject's registry record but the declared identity.
HB1_AGENT_BASIC = {**HB1_BASIC, "insured_region": ["130200", TANGSHAN]}
HB1_RECOGNITION = {"disease": "高血压", "hospital": "唐山中心医院", "department": "心内科"}


def publish(paths) -> None:
    from app.commands.formdefs import LoadFormdefsCommand

    LoadFormdefsCommand(list(paths), publish=True).run()


def citizen(number: str = CITIZEN_ID, name: str = "王建国", region: str = TANGSHAN,
            sex: str = "1", birth: dt.date = dt.date(1980, 1, 1), verified: bool = True):
    """Create an identity-verified citizen with an account region and a registry record."""
    from app.extensions import db
    from app.models.base import utcnow

    user = make_user("Citizen", region, name=name, id_number=number)
    if verified:
        user.identity_verified_at = utcnow()
        db.session.commit()
    make_person(number, name, region, sex=sex, birth=birth)
    return user


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def start(client, code: str, region: str) -> int:
    """Press "start" on the item page; return the new application's id."""
    response = client.post(f"/apply/{code}/start", data={"region": region})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(re.search(r"/applications/(\d+)/", response.headers["Location"]).group(1))


def version_on(html: str) -> str:
    match = VERSION.search(html)
    assert match, "no _version on the page"
    return match.group(1)


def post_step(client, url: str, data: dict, action: str | None = "next", version=None):
    """POST a wizard step with the lock version read from its page (unless given)."""
    if version is None:
        version = version_on(client.get(url).get_data(as_text=True))
    body = {"_version": str(version), **data}
    if action is not None:
        body["_action"] = action
    return client.post(url, data=body)


def acknowledge_notice(client, pk: int):
    response = post_step(client, f"/applications/{pk}/notice", {"acknowledge": "y"})
    assert response.status_code == 302, response.status_code
    return response


def jpeg_bytes(colour=(40, 120, 200)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(client, pk: int, key: str, data: bytes | None = None, name: str = "scan.jpg"):
    return client.post(f"/applications/{pk}/materials/{key}", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(jpeg_bytes() if data is None else data), name)})


def submit_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no submit token on the confirmation page"
    return match.group(1)


def fill_hb1_self(client, pk: int, special: dict | None = None) -> None:
    """Answer HB-1 for oneself up to the materials (special: the 特殊人员 page's answers)."""
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    for page, data in (("kind", {"disease_kind": "chronic"}), ("basic", HB1_BASIC),
                       ("special_person", special or {"special": "0"}),
                       ("recognition", HB1_RECOGNITION)):
        response = post_step(client, f"/applications/{pk}/pages/{page}", data)
        assert response.status_code == 302, (page, response.get_data(as_text=True)[:2000])
