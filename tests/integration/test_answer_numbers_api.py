"""A huge amount saved through the API is the field's message, never a 500 (QA7 finding 1); the
catalogue's schema states the bounds, marks computed fields read-only, and a code sent as a number
is stored as its text (finding 9)."""
import pytest
from jsonschema import Draft202012Validator

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (FORMDEFS, REGION, api_create, clock, gd8,  # noqa: F401
                                        load_gd8, token)

GD6 = FORMDEFS / "440000-guangdong" / "maternity_medical_reimbursement.yaml"
GD6_CODE = "maternity_medical_reimbursement"
TOO_LARGE = {"zh": "金额过大。", "en": "This amount is too large."}


@pytest.fixture
def draft(gd8, client):
    """A GD-6 draft of Alice's: (answers URL, her headers)."""
    load_gd8(GD6)
    alice = token(client, gd8.username)
    created = api_create(client, alice, item=GD6_CODE)
    assert created.status_code == 201, created.get_json()
    return f"/api/v1/applications/{created.get_json()['id']}/answers", alice


@pytest.mark.parametrize("amount", [1e308, 10**40, "99999999999999999999999999999", -1e308])
def test_a_huge_amount_is_the_fields_message_not_a_500(draft, client, amount):
    url, alice = draft
    saved = client.put(url, headers=alice, json={"answers": {
        "total_amount": amount, "parity": "Infinity", "fetus_count": 1e308}})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    errors = saved.get_json()["errors"]
    assert errors["total_amount"] == [TOO_LARGE["zh"]]
    assert errors["parity"] == ["请输入数字。"] and errors["fetus_count"] == ["数值过大。"]
    english = client.put(f"{url}?_l_=en", headers=alice, json={"answers": {}})
    assert english.get_json()["errors"]["total_amount"] == [TOO_LARGE["en"]]
    submitted = client.post(url.replace("/answers", "/submit"),
                            headers={**alice, "Idempotency-Key": "huge"})
    assert submitted.status_code == 422, submitted.get_data(as_text=True)
    assert submitted.get_json()["errors"]["total_amount"] == [TOO_LARGE["zh"]]


def test_the_schema_refuses_what_the_server_refuses(draft, client):
    schema = client.get(f"/api/v1/catalog/{GD6_CODE}?region={REGION}").get_json()[
        "answers_schema"]["properties"]
    amount = Draft202012Validator(schema["total_amount"])
    assert not amount.is_valid(1e308) and not amount.is_valid("-1") and not amount.is_valid("0")
    assert amount.is_valid("12000.00") and amount.is_valid(12000)
    account = Draft202012Validator(schema["bank_account"])
    assert not account.is_valid("1234 5678") and account.is_valid("6217 0000 0000 0000 000")
    assert schema["name"]["readOnly"] is True


def test_a_computed_field_is_read_only_in_the_catalogue(gd8, client):
    schema = client.get(f"/api/v1/catalog/maternity_allowance?region={REGION}").get_json()[
        "answers_schema"]["properties"]
    assert schema["leave_days"]["readOnly"] is True
    assert "readOnly" not in schema["leave_start"]


def test_a_code_sent_as_a_number_is_stored_as_its_text(draft, client):
    url, alice = draft
    saved = client.put(url, headers=alice, json={"answers": {"med_type": 52,
                                                             "hospital": 120}})
    assert saved.status_code == 200
    errors = saved.get_json()["errors"]
    assert "med_type" not in errors and "hospital" not in errors
    assert "admission_date" in errors  # med_type == "52" holds: the inpatient date is asked
    pk = int(url.split("/")[-2])
    db.session.expire_all()
    answers = db.session.get(Application, pk).answers
    assert answers["med_type"] == "52" and answers["hospital"] == "120"
    shown = client.get(f"/api/v1/applications/{pk}", headers=alice).get_json()
    assert shown["answers"]["med_type"] == "52"
