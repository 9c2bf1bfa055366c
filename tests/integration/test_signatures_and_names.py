"""Answers that name people (app.engine.people), through the applications API on JS-1 家庭共济:
the signing time is the server's, a typed signature is its signer's name, and an account
user's name and ID number must be the registry's person."""
import datetime as dt
import html
import re

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models.application import Application
from tests.applications_support import (CST, NOW, api_create, clock, id_number,  # noqa: F401
                                        make_person, token)
from tests.wizard_support import (JIANGSU_ID, JS1, JS1_CODE, NANJING, PARENT_ID, SPOUSE_ID,
                                  acknowledge_notice, citizen, post_step, publish, signed_in,
                                  start)

WANG_ID = id_number("32010219500808015")  # 王五 in the registry, without an account
ANSWERS = "/api/v1/applications/{}/answers"
USER = {"name": "王芳", "id_card": SPOUSE_ID, "relationship": "02"}
SIGNED = {"kind": "typed", "value": "李明"}


@pytest.fixture
def js1(ctx, clock, client):
    """JS-1 published, 李明 verified in 玄武区, 王五 in the registry; a JS-1 draft of 李明's."""
    publish(JS1)
    user = citizen(JIANGSU_ID, "李明", NANJING, birth=dt.date(1985, 8, 8))
    make_person(WANG_ID, "王五", NANJING, sex="1", birth=dt.date(1950, 8, 8))
    headers = token(client, user.username)
    created = api_create(client, headers, item=JS1_CODE, region=NANJING)
    assert created.status_code == 201, created.get_json()
    return client, headers, created.get_json()["id"]


def save(js1, answers: dict, lang="zh"):
    client, headers, pk = js1
    response = client.put(ANSWERS.format(pk) + f"?_l_={lang}", json={"answers": answers},
                          headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def submit(js1, key: str):
    client, headers, pk = js1
    return client.post(f"/api/v1/applications/{pk}/submit",
                       headers={**headers, "Idempotency-Key": key})


def stored(js1, key: str):
    db.session.expire_all()
    return db.session.get(Application, js1[2]).answers.get(key)


def complete(js1, **changes) -> dict:
    answers = {"_notice": True, "mobile": "13800138000", "users": [USER], "pledge_read": True,
               "signature": SIGNED, **changes}
    return save(js1, answers)


def test_the_signing_time_is_the_servers_never_the_clients(js1, clock):
    save(js1, {"signature": {**SIGNED, "signed_at": "1999-01-01T00:00:00Z"}})
    assert stored(js1, "signature") == {**SIGNED, "signed_at": NOW.isoformat()}
    clock.set(NOW + dt.timedelta(hours=2))
    later = (NOW + dt.timedelta(hours=2)).isoformat()
    # The same signature again (as GET returned it, or with another time): its time stays.
    save(js1, {"signature": {**SIGNED, "signed_at": "2030-01-01T00:00:00+08:00"}})
    assert stored(js1, "signature")["signed_at"] == NOW.isoformat()
    save(js1, {"signature": {"kind": "typed", "value": " 李明 "}})
    assert stored(js1, "signature")["signed_at"] == NOW.isoformat()  # the name as typed
    save(js1, {"signature": {"kind": "typed", "value": "李 明", "signed_at": NOW.isoformat()}})
    assert stored(js1, "signature")["signed_at"] == later  # changed: signed again, now
    complete(js1, signature={**SIGNED, "signed_at": "1999-01-01T00:00:00Z"})
    assert submit(js1, "k1").status_code == 200
    client, headers, pk = js1
    shown = client.get(f"/api/v1/applications/{pk}", headers=headers).get_json()
    assert shown["answers"]["signature"]["signed_at"] == (
        NOW + dt.timedelta(hours=2)).astimezone(CST).isoformat()
    assert "1999" not in str(shown)


def test_a_typed_signature_must_be_the_signers_name(js1):
    result = complete(js1, signature={"kind": "typed", "value": "张三"})
    message = "签名须为签署人本人的姓名：李明。"
    assert result["errors"] == {"signature": [message]}
    refused = submit(js1, "k1")
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"signature": [message]}
    english = save(js1, {"signature": {"kind": "typed", "value": "张三"}}, lang="en")
    assert english["errors"] == {
        "signature": ["Type the full name of the person who signs: 李明."]}
    # Full-width letters, spaces and the kind of middle dot aside, the name is the name.
    assert complete(js1, signature={"kind": "typed", "value": "李 明"})["errors"] == {}
    assert submit(js1, "k2").status_code == 200


def test_a_family_members_name_must_be_the_registrys_for_that_id_number(js1):
    impostor = {"name": "冒名", "id_card": WANG_ID, "relationship": "04"}
    unknown = {"name": "李建华", "id_card": PARENT_ID, "relationship": "04"}  # not in the registry
    result = complete(js1, users=[unknown, {}, impostor])  # a blank row keeps its place
    assert result["errors"] == {"users[2].id_card": ["姓名与证件号码不一致。"]}
    refused = submit(js1, "k1")
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"users[2].id_card": ["姓名与证件号码不一致。"]}
    assert complete(js1, users=[unknown, {**impostor, "name": "王五"}])["errors"] == {}
    assert submit(js1, "k2").status_code == 200
    assert [u["name"] for u in stored(js1, "users")] == ["李建华", "王五"]


# --- the web wizard: the same checks on a save, none on a live update ---------------------------

def person_lookups(send, number: str) -> list[str]:
    """Return the registry look-ups of ``number`` that ``send()`` runs."""
    seen = []

    def record(_conn, _cursor, statement, parameters, *_args):
        if "FROM person" in statement and number in str(parameters):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        send()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_the_wizard_names_the_row_and_the_signature_and_live_updates_ask_nobody(app, ctx,
                                                                                clock):
    publish(JS1)
    make_person(WANG_ID, "王五", NANJING, sex="1", birth=dt.date(1950, 8, 8))
    client = signed_in(app, citizen(JIANGSU_ID, "李明", NANJING, birth=dt.date(1985, 8, 8)))
    pk = start(client, JS1_CODE, NANJING)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/pages/authoriser",
                     {"mobile": "13800138000"}).status_code == 302
    url = f"/applications/{pk}/pages/account_users"
    impostor = {"users-0-name": "冒名", "users-0-id_card": WANG_ID,
                "users-0-relationship": "04"}
    drawn = []
    live = person_lookups(lambda: drawn.append(client.post(f"{url}/fields", data=impostor)),
                          WANG_ID)
    assert drawn[0].status_code == 200 and live == []  # the live update asks the registry nothing about the user
    assert len(person_lookups(lambda: post_step(client, url, impostor, "update"),
                              WANG_ID)) == 1  # a save asks once
    refused = post_step(client, url, impostor)
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    assert re.search(r'id="users-0-id_card-err">姓名与证件号码不一致。', page)
    assert post_step(client, url, {**impostor, "users-0-name": "王五"}).status_code == 302
    pledge = f"/applications/{pk}/pages/pledge"
    wrong = post_step(client, pledge, {"pledge_read": "y", "signature-value": "张三"})
    assert wrong.status_code == 422
    assert "签名须为签署人本人的姓名：李明。" in html.unescape(wrong.get_data(as_text=True))
    assert post_step(client, pledge, {"pledge_read": "y",
                                      "signature-value": "李明"}).status_code == 302


SIGNERS_ITEM = """schema: 1
code: signers
region: "440000"
name: 签名人
category: 测试
filers: [self, agent]
time_limit_days: 5
pages:
  - key: sign
    title: 签名
    fields:
      - {key: by_filer, type: signature, label: 办理人签名}
      - {key: by_subject, type: signature, label: 当事人签名, signer: subject}
approval:
  - {key: accept, name: 受理, role: Reviewer, level: county}
"""


def test_who_signs_is_the_agent_filing_or_the_subject_as_the_item_says(ctx, clock, client,
                                                                       tmp_path):
    from tests.applications_support import BOB_ID, REGION, make_citizen

    path = tmp_path / "signers.yaml"
    path.write_text(SIGNERS_ITEM, "utf-8")
    publish([path])
    alice = make_citizen()  # 林小红
    make_person(BOB_ID, "王大明", sex="1")
    headers = token(client, alice.username)
    created = api_create(client, headers, item="signers", region=REGION, filer="agent",
                         subject={"name": "王大明", "id_number": BOB_ID},
                         agent={"relationship": "04", "address": "广州市天河区天河路1号"})
    assert created.status_code == 201, created.get_json()
    agent = (client, headers, created.get_json()["id"])
    wrong = save(agent, {"by_filer": {"kind": "typed", "value": "王大明"},
                         "by_subject": {"kind": "typed", "value": "林小红"}})
    assert wrong["errors"] == {"by_filer": ["签名须为签署人本人的姓名：林小红。"],
                               "by_subject": ["签名须为签署人本人的姓名：王大明。"]}
    right = save(agent, {"by_filer": {"kind": "typed", "value": "林小红"},
                         "by_subject": {"kind": "typed", "value": "王大明"}})
    assert right["errors"] == {}
