"""app.engine.people without a database: names compared, signatures stamped, settings linted."""
import datetime as dt

import pytest

from app.engine.fields.base import People, same_name
from app.engine.lint import lint_text
from app.engine.people import people_problems, stamped

CST = dt.timezone(dt.timedelta(hours=8))
MOMENT = dt.datetime(2026, 11, 20, 2, 0, 30, 123456, tzinfo=dt.timezone.utc)
SIGNATURE = {"key": "sign", "type": "signature"}
USERS = {"key": "users", "type": "repeat", "fields": [
    {"key": "name", "type": "text"}, {"key": "id_card", "type": "id_card", "name_field": "name"},
    {"key": "sign", "type": "signature", "signer": "subject"}]}
ITEM = """schema: 1
code: people
region: "320000"
name: 人
filers: [self, agent]
time_limit_days: 3
pages:
  - key: p
    title: 页
    fields:
      - {key: name, type: text, label: 姓名}
      - {key: id_number, type: id_card, label: 证件号码, name_field: NAME_FIELD}
      - {key: sign, type: signature, label: 签名, signer: SIGNER}
      - key: users
        type: repeat
        label: 使用人
        fields:
          - {key: user_name, type: text, label: 姓名}
          - {key: id_card, type: id_card, label: 证件号码, name_field: ROW_NAME}
approval:
  - {key: accept, name: 受理, role: Reviewer, level: county}
"""


def lint(name_field="name", signer="filer", row_name="user_name") -> list[str]:
    text = ITEM.replace("NAME_FIELD", name_field).replace("SIGNER", signer).replace(
        "ROW_NAME", row_name)
    return [str(p) for p in lint_text(text, "x.yaml")]


@pytest.mark.parametrize("typed, name, same", [
    ("张三", "张三", True), (" 张 三 ", "张三", True), ("阿卜杜・热合曼", "阿卜杜·热合曼", True),
    ("ＡＢＣ", "abc", True), ("张三", "李四", False), ("", "", False), ("张三", None, False),
])
def test_names_are_compared_as_a_person_reads_them(typed, name, same):
    assert same_name(typed, name) is same


def test_a_signature_is_stamped_with_the_servers_time_and_keeps_it_while_unchanged():
    now = MOMENT.astimezone(CST).replace(microsecond=0).isoformat()
    sent = {"kind": "typed", "value": "李明", "signed_at": "1999-01-01T00:00:00Z"}
    first = stamped(SIGNATURE, sent, None, MOMENT)
    assert first == {"kind": "typed", "value": "李明", "signed_at": now}
    later = MOMENT + dt.timedelta(days=1)
    assert stamped(SIGNATURE, {"value": " 李明 "}, first, later)["signed_at"] == now
    assert stamped(SIGNATURE, {"kind": "typed", "value": "李强"}, first, later)["signed_at"] \
        != now
    assert stamped(SIGNATURE, {"kind": "typed", "value": ""}, first, later) == {
        "kind": "typed", "value": ""}  # unsigned: no time
    assert stamped(SIGNATURE, None, first, later) is None  # removed
    rows = stamped(USERS, [{"name": "王五", "sign": {"value": "王五", "signed_at": "x"}}], [
        {"sign": first}], later)
    assert rows[0]["sign"]["signed_at"] != "x" and rows[0]["name"] == "王五"


def test_people_problems_name_the_row_as_sent_and_skip_what_the_registry_does_not_know():
    registry = {"130203195008080159": "王五"}
    people = People({"filer": "孙强", "subject": "王五"}.get, registry.get)
    definition = {"pages": [{"key": "p", "fields": [SIGNATURE, USERS]}]}
    raw = {"users": [{}, {"name": "冒名", "id_card": "130203195008080159"},
                     {"name": "李四", "id_card": "110105194912310029",
                      "sign": {"kind": "drawn", "value": "data:image/png;base64,x"}}]}
    answers = {"sign": {"kind": "typed", "value": "张三"},
               "users": [{"name": "冒名", "id_card": "130203195008080159",
                          "sign": {"kind": "typed", "value": "孙强"}},
                         {"name": "李四", "id_card": "110105194912310029",
                          "sign": {"kind": "drawn", "value": "data:image/png;base64,x"}}]}
    assert people_problems(definition, answers, raw, people) == {
        "sign": ["Type the full name of the person who signs: 孙强."],
        "users[1].id_card": ["The name and ID number do not match our records."],
        "users[1].sign": ["Type the full name of the person who signs: 王五."]}


def test_lint_accepts_the_settings_and_names_what_is_wrong_at_its_line():
    assert lint() == [] and lint(signer="subject") == []
    assert lint(name_field="id_number", signer="agent", row_name="name") == [
        'x.yaml:12: name_field "id_number" must name a text field beside this one (on its '
        "page, or in its row of a repeating group)",
        "x.yaml:13: signer must be one of: filer, subject",
        'x.yaml:19: name_field "name" must name a text field beside this one (on its page, or '
        "in its row of a repeating group)"]
    assert lint(name_field="sign") == [
        'x.yaml:12: name_field "sign" must name a text field beside this one (on its page, or '
        "in its row of a repeating group)"]
