"""SECURITY_TESTS F1 on the applications API: staff reading an application get an ID or bank
account number typed into a free-text answer masked, by the function the reviewers' pages use
(app.views.review.display.Formatter); the owner reads their own answers in full.
"""
from app.commands.applications.context import engine_context
from app.extensions import db
from app.models.application import Application
from app.views.review.display import Formatter
from tests.applications_support import (ALICE_ID, BOB_ID, GD8_ANSWERS, api_create,  # noqa: F401
                                        api_fill, clock, gd8, token)
from tests.support import make_user

ACCOUNT = "6217000000000000000"  # 19 digits
DETAIL = f"单位已注销。联系人王大明(身份证{BOB_ID}),工资卡{ACCOUNT},电话见上。"  # as stored (NFKC)
MASKED = "单位已注销。联系人王大明(身份证4401**********0030),工资卡***************0000,电话见上。"
ANSWERS = {**GD8_ANSWERS, "not_advanced_reason": "other_objective", "reason_detail": DETAIL,
           "employer_name": f"广州某某有限公司(账号{ACCOUNT})"}


def submitted(client, alice) -> int:
    headers = token(client, alice.username)
    pk = api_create(client, headers).get_json()["id"]
    api_fill(client, headers, pk, ANSWERS)
    response = client.post(f"/api/v1/applications/{pk}/submit",
                           headers={**headers, "Idempotency-Key": "f1"})
    assert response.status_code == 200, response.get_json()
    return pk


def test_staff_get_numbers_in_free_text_masked_as_reviewers_do(app, client, gd8):
    pk = submitted(client, gd8)
    staff = token(client, make_user("Reviewer", "440100").username)
    shown = client.get(f"/api/v1/applications/{pk}", headers=staff).get_json()
    answers = shown["answers"]
    assert answers["reason_detail"] == MASKED
    assert answers["employer_name"] == "广州某某有限公司(账号***************0000)"
    assert answers["id_number"] == "4401**********0021"  # typed fields keep their own masks
    assert answers["bank_account"] == "***************0000"
    for secret in (BOB_ID, ACCOUNT, ALICE_ID, "6217000000000000000"):
        assert secret not in str(shown)
    assert answers["not_advanced_reason"] == "other_objective" and answers["parity"] == 1
    # Exactly what the reviewers' page shows for these answers.
    application = db.session.get(Application, pk)
    definition = application.version.definition
    fields = {f["key"]: f for page in definition["pages"] for f in page["fields"]}
    with app.test_request_context("/"):
        show = Formatter(definition, engine_context(application, "zh"), application.answers)
        for key in ("reason_detail", "employer_name", "bank_account", "id_number"):
            assert answers[key] == show(fields[key], application.answers[key]), key


def test_the_owner_reads_their_own_answers_in_full(client, gd8):
    pk = submitted(client, gd8)
    alice = token(client, gd8.username)
    answers = client.get(f"/api/v1/applications/{pk}", headers=alice).get_json()["answers"]
    assert answers["reason_detail"] == DETAIL
    assert answers["employer_name"] == ANSWERS["employer_name"]
    assert answers["id_number"] == ALICE_ID and answers["bank_account"] == ACCOUNT
