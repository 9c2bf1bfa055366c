"""PUT /applications/<id>/answers says which page each message is for, and the history names
its steps as the current step is named."""
from tests.applications_support import api_create, api_fill, clock, gd8, token  # noqa: F401


def put_answers(client, headers, pk, **body):
    return client.put(f"/api/v1/applications/{pk}/answers", headers=headers, json=body)


def test_a_save_names_the_page_of_each_error_and_warning(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    saved = put_answers(client, alice, pk, answers={"mobile": "12", "nonsense": 1})
    assert saved.status_code == 200
    body = saved.get_json()
    assert {"mobile", "employer_name", "bank_account"} <= set(body["errors"])
    assert body["pages"]["mobile"] == "insured" and body["pages"]["employer_name"] == "employer"
    assert body["pages"]["bank_account"] == "bank"
    # Every error of a question is named by its page; the notice (not a page's) by none.
    assert "_notice" in body["errors"] and "_notice" not in body["pages"]
    assert set(body["errors"]) - {"_notice"} <= set(body["pages"])
    assert "nonsense" in body["warnings"] and "nonsense" not in body["pages"]  # no page

    one_page = put_answers(client, alice, pk, answers={"employer_name": "广州某某有限公司"},
                           page="employer").get_json()
    assert set(one_page["errors"]) == {"employer_uscc", "not_advanced_reason"}
    assert set(one_page["pages"].values()) == {"employer"}


def test_history_entries_carry_their_step_name(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    api_fill(client, alice, pk)
    submitted = client.post(f"/api/v1/applications/{pk}/submit",
                            headers={**alice, "Idempotency-Key": "history-1"})
    assert submitted.status_code == 200, submitted.get_json()
    shown = client.get(f"/api/v1/applications/{pk}?_l_=en", headers=alice).get_json()
    created, *_, last = shown["history"]
    assert created["step"] is None and created["step_name"] is None
    assert (last["step"], last["step_name"]) == ("accept", "Acceptance")
    assert last["step_name"] == shown["step_name"]
    assert client.get(f"/api/v1/applications/{pk}", headers=alice).get_json()[
        "history"][-1]["step_name"] == "受理"


def test_a_value_sent_for_a_computed_field_is_said_to_be_ignored(gd8, client):
    alice = token(client, gd8.username)
    pk = api_create(client, alice).get_json()["id"]
    body = put_answers(client, alice, pk, answers={
        "leave_start": "2026-03-01", "leave_end": "2026-03-10", "leave_days": 500}).get_json()
    assert body["warnings"]["leave_days"] == ["此项由系统填写，发送的值已忽略。"]
    stored = client.get(f"/api/v1/applications/{pk}", headers=alice).get_json()["answers"]
    assert stored.get("leave_days") != 500  # the engine computes it
    for echo in (None, "", stored.get("leave_days")):  # nothing, or what a client read
        echoed = put_answers(client, alice, pk, answers={"leave_days": echo})
        assert "leave_days" not in echoed.get_json().get("warnings", {}), echo
