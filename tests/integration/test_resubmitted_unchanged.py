"""A resubmission that leaves what the return asked for as it was: the submit API warns as the
web confirmation page does, and the reviewer's detail page says which items were left."""
import uuid

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (api_create, api_fill, api_upload, clock,  # noqa: F401
                                        gd8, png_bytes, token)
from tests.review_support import fresh, reviewer
from tests.support import login

REVIEWS = "/api/v1/reviews/"
MISSING = {"fields": {"mobile": "号码无法接通"},
           "materials": {"birth_certificate": "不清晰", "employer_status_proof": "缺盖章"}}


def submit(client, headers, pk, query=""):
    return client.post(f"/api/v1/applications/{pk}/submit{query}",
                       headers={**headers, "Idempotency-Key": uuid.uuid4().hex})


def returned_application(client, alice):
    """GD-8 submitted by Alice and returned by the county asking for MISSING."""
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)
    first = submit(client, alice, pk)
    assert first.status_code == 200 and "warnings" not in first.get_json()  # not a correction
    application = db.session.get(Application, pk)
    county = reviewer("440106")
    returned = client.post(f"{REVIEWS}{pk}/return", headers=token(client, county.username),
                           json={"version": fresh(application).lock_version, "missing": MISSING})
    assert returned.status_code == 200, returned.get_json()
    return pk, county


def test_resubmitting_unchanged_items_warns_the_citizen_and_tells_the_reviewer(app, gd8,
                                                                                client):
    alice = token(client, gd8.username)
    pk, county = returned_application(client, alice)
    # One material replaced; the mobile number and the birth certificate left as returned (a
    # copy of the file it had is no replacement).
    assert api_upload(client, alice, pk, "employer_status_proof",
                      png_bytes((30, 200, 30))).status_code == 201
    assert api_upload(client, alice, pk, "birth_certificate").status_code == 201
    again = submit(client, alice, pk)
    assert again.status_code == 200, again.get_json()
    body = again.get_json()
    assert body["status"] == "submitted"
    assert body["warnings"] == [
        {"key": "mobile", "message": "您尚未修改退回的问题“联系电话”。"},
        {"key": "materials.birth_certificate", "message": "您尚未修改退回的材料“出生医学证明”。"}]

    browser = app.test_client()
    assert login(browser, county.username).status_code == 302
    page = browser.get(f"/review/applications/{pk}").get_data(as_text=True)
    assert "退回后修改的内容" in page and "要求补正但按原样重新提交" in page
    assert "联系电话 未修改" in page and "出生医学证明 未更换" in page
    assert "缺盖章" in page and "用人单位被吊销、关闭、撤销的证明或未垫付情况说明 未更换" not in page
    english = browser.get(f"/review/applications/{pk}?_l_=en").get_data(as_text=True)
    assert "Contact mobile number: not changed" in english
    assert "Birth certificate: not replaced" in english


def test_a_resubmission_changing_everything_asked_for_has_no_warnings(app, gd8, client):
    alice = token(client, gd8.username)
    pk, county = returned_application(client, alice)
    changed = client.put(f"/api/v1/applications/{pk}/answers", headers=alice,
                         json={"answers": {"mobile": "13900139000"}})
    assert changed.status_code == 200, changed.get_json()
    for key in ("birth_certificate", "employer_status_proof"):
        assert api_upload(client, alice, pk, key, png_bytes((30, 30, 200))).status_code == 201
    again = submit(client, alice, pk, "?_l_=en")
    assert again.status_code == 200 and again.get_json()["warnings"] == []
    browser = app.test_client()
    assert login(browser, county.username).status_code == 302
    page = browser.get(f"/review/applications/{pk}").get_data(as_text=True)
    assert "退回后修改的内容" in page and "要求补正但按原样重新提交" not in page
