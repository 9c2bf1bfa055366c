"""A repeating group's rows are judged in one pass: one row's own error (a wrong check digit)
does not hide another row whose name is not the registry's for its ID number (姓名与证件号码
不一致). Before, the second error showed only after the first was corrected."""
import datetime as dt
import html

from tests.applications_support import (api_create, clock, id_number,  # noqa: F401
                                        make_person, token)
from tests.wizard_support import (JIANGSU_ID, JS1, JS1_CODE, NANJING, acknowledge_notice,
                                  citizen, post_step, publish, signed_in, start)
from tests.integration.test_wizard_row_errors import summary

WANG_ID = id_number("32010219500808015")  # 王五 in the registry
BAD_ID = WANG_ID[:-1] + ("0" if WANG_ID[-1] != "0" else "1")  # a wrong check digit
MISMATCH = "姓名与证件号码不一致。"


def test_the_api_reports_a_rows_type_error_and_another_rows_mismatch_together(ctx, clock,
                                                                             client):
    publish(JS1)
    user = citizen(JIANGSU_ID, "李明", NANJING, birth=dt.date(1985, 8, 8))
    make_person(WANG_ID, "王五", NANJING, sex="1", birth=dt.date(1950, 8, 8))
    headers = token(client, user.username)
    pk = api_create(client, headers, item=JS1_CODE, region=NANJING).get_json()["id"]
    users = [{"name": "李建华", "id_card": BAD_ID, "relationship": "04"},
             {"name": "冒名", "id_card": WANG_ID, "relationship": "04"}]
    saved = client.put(f"/api/v1/applications/{pk}/answers?_l_=zh", headers=headers, json={
        "answers": {"_notice": True, "mobile": "13800138000", "users": users,
                    "pledge_read": True, "signature": {"kind": "typed", "value": "李明"}}})
    assert saved.status_code == 200, saved.get_json()
    errors = saved.get_json()["errors"]
    assert "users[0].id_card" in errors and errors["users[1].id_card"] == [MISMATCH]
    refused = client.post(f"/api/v1/applications/{pk}/submit",
                          headers={**headers, "Idempotency-Key": "k1"})
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"users[0].id_card", "users[1].id_card"}
    assert refused.get_json()["errors"]["users[1].id_card"] == [MISMATCH]


def test_the_wizard_lists_both_in_one_error_summary(app, ctx, clock):  # noqa: F811
    publish(JS1)
    make_person(WANG_ID, "王五", NANJING, sex="1", birth=dt.date(1950, 8, 8))
    client = signed_in(app, citizen(JIANGSU_ID, "李明", NANJING, birth=dt.date(1985, 8, 8)))
    pk = start(client, JS1_CODE, NANJING)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/pages/authoriser",
                     {"mobile": "13800138000"}).status_code == 302
    response = post_step(client, f"/applications/{pk}/pages/account_users", {
        "users-0-name": "李建华", "users-0-id_card": BAD_ID, "users-0-relationship": "04",
        "users-1-name": "冒名", "users-1-id_card": WANG_ID, "users-1-relationship": "04"})
    assert response.status_code == 422
    listed = summary(html.unescape(response.get_data(as_text=True)))
    assert ("users-0-id_card", "第1项 证件号码：身份证号码校验位错误。") in listed
    assert ("users-1-id_card", "第2项 证件号码：" + MISMATCH) in listed
