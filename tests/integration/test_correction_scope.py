"""A returned application changes only what the reviewer asked about: any other change is bad
input (422), named by its label in the message and by its key in the per-field errors
(app.commands.applications.save); the wizard's pages offer only those questions."""
import html

from app.commands.reviews.return_ import ReturnCommand
from app.extensions import db
from app.models.application import Application
from tests.applications_support import (REGION, api_create, api_fill, clock, gd8,  # noqa: F401
                                        token)
from tests.support import make_user
from tests.wizard_support import HB1_BASIC, post_step

NOT_ASKED_ZH = "审核人员未要求修改此项，修改未保存。"


def returned_gd8(client, citizen) -> tuple[dict, int]:
    headers = token(client, citizen.username)
    pk = api_create(client, headers).get_json()["id"]
    api_fill(client, headers, pk)
    sent = client.post(f"/api/v1/applications/{pk}/submit",
                       headers={**headers, "Idempotency-Key": f"k-{pk}"})
    assert sent.status_code == 200, sent.get_json()
    ReturnCommand(pk, make_user("Reviewer", REGION), comment="请补正",
                  missing={"fields": {"mobile": "号码有误"}, "materials": {}}).run()
    return headers, pk


def test_the_api_names_an_unasked_change_by_its_label_with_422(gd8, client):
    headers, pk = returned_gd8(client, gd8)
    url = f"/api/v1/applications/{pk}/answers"
    refused = client.put(url, headers=headers, json={"answers": {"bank_name": "工商银行"}})
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json() == {
        "message": "只能修改审核人员要求补正的内容，不能修改：开户银行",
        "errors": {"bank_name": [NOT_ASKED_ZH]}}
    english = client.put(f"{url}?_l_=en", headers=headers, json={"answers": {
        "bank_name": "工商银行", "employer_name": "另一家公司"}})
    assert english.status_code == 422
    body = english.get_json()
    assert body["message"] == ("Only what the reviewer asked about may be changed; not: Bank, "
                               "Employer name"), body
    assert set(body["errors"]) == {"bank_name", "employer_name"}
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["bank_name"] == "中国银行"
    asked = client.put(url, headers=headers, json={"answers": {"mobile": "13900139000",
                                                               "bank_name": "中国银行"}})
    assert asked.status_code == 200, asked.get_json()  # asked, and unasked sent unchanged


def test_the_wizard_page_shows_unasked_questions_read_only_and_keeps_them(
        app, ctx, clock):  # noqa: F811
    """The page never offers the change: a question not asked about is shown, not an input,
    and a value posted for it anyway is not read."""
    from tests.integration.test_wizard_correction_notes import returned_hb1

    client, pk = returned_hb1(app)
    url = f"/applications/{pk}/pages/basic"
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert 'name="mobile"' in page and 'name="employer_name"' not in page
    sent = post_step(client, url, {**HB1_BASIC, "employer_name": "另一家公司"})
    assert sent.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, pk).answers["employer_name"] == "唐山某某公司"
