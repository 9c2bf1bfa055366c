"""The return (一次性告知) checklist offers only what the applicant was asked for: the fields the
wizard showed under their answers (answered or required) and the materials required of them or
given; the materials section says which ones were not needed."""
import re

import pytest

from app.commands.applications.errors import ApplicationInvalidError
from app.commands.reviews import ReturnCommand, returnable_keys
from tests.accounts_support import valid_id
from tests.review_support import (LUBEI, fresh, publish, reviewer, submitted,  # noqa: F401
                                  workday_clock)
from tests.support import login

FILING = "cross_province_medical_filing"
LONG_TERM = {
    "_notice": True, "filing_type": "long_term", "long_term_kind": "posted_worker",
    "_pledges": {"work_proof": True}, "name": "张三", "cert_type": "01",
    "id_number": valid_id("13020319900101002"), "mobile": "13800138000",
    "destination": "440100", "start_date": "2026-12-01", "contact_name": "李四",
    "contact_mobile": "13912345678",
}
ASKED = ["filing_type", "long_term_kind", "mobile",
         "destination", "start_date", "contact_name", "contact_mobile"]
#: Shown, but read-only from the registration: the applicant cannot change them.
FIXED = ["name", "cert_type", "id_number"]


@pytest.fixture
def filing(ctx, workday_clock):
    publish(FILING)
    # The subject verified, as every submitted application's is: its identity fills the
    # read-only fields (name, ID number) that the answers cannot.
    return submitted(FILING, LUBEI, dict(LONG_TERM), subject_id_number=LONG_TERM["id_number"])


def test_only_what_the_applicant_was_asked_for_can_be_returned(filing):
    asked = returnable_keys(fresh(filing))
    assert asked == {"fields": set(ASKED), "fixed": set(FIXED), "materials": {"work_proof"}}
    county = reviewer(LUBEI)
    for kind, key in (("fields", "hospital"), ("fields", "end_date"),
                      ("fields", "cert_number"), ("materials", "residence_proof")):
        with pytest.raises(ApplicationInvalidError) as error:
            ReturnCommand(filing.id, county, None, filing.lock_version,
                          {kind: {key: "请补充"}}).run()
        assert f"missing.{kind}.{key}" in error.value.errors
    ReturnCommand(filing.id, county, None, filing.lock_version,
                  {"materials": {"work_proof": "请上传派驻证明原件"}}).run()
    assert fresh(filing).status == "returned"


def test_the_page_offers_the_asked_items_and_marks_materials_not_needed(app, filing):
    client = app.test_client()
    assert login(client, reviewer(LUBEI).username).status_code == 302
    html = client.get(f"/review/applications/{filing.id}").get_data(as_text=True)
    checklist = re.findall(r'name="return_(fields|materials)" value="([a-z_]+)"', html)
    assert [key for kind, key in checklist if kind == "fields"] == ASKED
    assert [key for kind, key in checklist if kind == "materials"] == ["work_proof"]
    # What the applicant cannot change is shown greyed with why, with nothing to tick.
    fixed = re.findall(r'<tr class="text-muted return-fixed" data-kind="fields" '
                       r'data-key="([a-z_]+)">(.*?)</tr>', html, re.S)
    assert [key for key, _row in fixed] == FIXED
    for _key, row in fixed:
        assert "disabled" in row and "name=" not in row and "参保地" in row
    assert "未填写" not in html  # no "证件号码 · not answered" twin
    # Materials that do not apply are one line naming them, not a block each.
    line = html.split('class="text-muted materials-not-needed">', 1)[1].split("</p>", 1)[0]
    assert line == ("不适用的材料：异地居住证明（居住证、房产证明等）、异地安置认定材料（户口簿首页及本人页"
                    "等）、转诊转院证明")
    for key in ("residence_proof", "resettlement_proof", "referral_proof"):
        assert f'data-material="{key}"' not in html, key
    pledged = html.split('data-material="work_proof"', 1)[1].split('class="material"', 1)[0]
    assert "无需提供" not in pledged


def test_a_field_the_applicant_cannot_change_is_refused_by_name(app, filing):
    from tests.applications_support import token

    county = reviewer(LUBEI)
    with pytest.raises(ApplicationInvalidError) as error:
        ReturnCommand(filing.id, county, None, filing.lock_version,
                      {"fields": {"name": "姓名有误", "mobile": "请核对"}}).run()
    assert set(error.value.errors) == {"missing.fields.name"}
    assert "Name" in error.value.errors["missing.fields.name"][0]  # commands speak CLI_LOCALE
    client = app.test_client()
    refused = client.post(f"/api/v1/reviews/{filing.id}/return",
                          headers=token(client, county.username),
                          json={"version": filing.lock_version,
                                "missing": {"fields": {"id_number": "号码有误"}}})
    assert refused.status_code == 422
    body = refused.get_json()
    assert list(body["errors"]) == ["missing.fields.id_number"]
    assert "证件号码" in body["errors"]["missing.fields.id_number"][0]
    assert fresh(filing).status == "submitted"
