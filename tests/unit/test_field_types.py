"""One contract test run on every field type, and the golden definition that covers them all.

Samples live here, not on the registry entries: they need this test's code tables and regions,
and the registry should carry no test data. ``test_every_type_has_samples`` fails as soon as a
type is added without them, which is the guarantee a ``samples`` attribute would have given.
"""
import datetime as dt
import json
from typing import Any, NamedTuple

import jsonschema
import pytest
from flask import Flask
from flask_appbuilder.forms import DynamicForm
from flask_babel import Babel

from app.engine.cel import KINDS
from app.engine.cel_functions import CST
from app.engine.fields import (COMMON_SETTINGS, REGISTRY, EngineContext, UnknownFieldType,
                               get_type)
from app.engine.forms import build_page_form
from app.validators import ValidationError, message_text
from tests.unit.engine_helpers import bank_account, id_number, load_golden, make_ctx, uscc

PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
       "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
SIGNED = "2024-06-15T10:30:00+08:00"
OPTIONS = [{"value": "a", "label": {"zh": "甲", "en": "A"}},
           {"value": "b", "label": {"zh": "乙", "en": None}},
           {"value": "c", "label": {"zh": "丙", "en": "C"}}]


class Sample(NamedTuple):
    settings: dict
    good: list  # (raw, canonical) pairs
    bad: list   # raw values the type refuses


SAMPLES: dict[str, Sample] = {
    "text": Sample({"max_length": 10, "pattern": "[^0-9]+"},
                   [(" 张三 ", "张三"), ("ＡＢ", "AB")], ["张三3", "x" * 11, 5]),
    "textarea": Sample({}, [("第一行\r\n第二行", "第一行\n第二行")], ["x" * 2001, "\x00"]),
    "number": Sample({"min": 0, "max": 100},
                     [("12", 12), ("2.5", 2.5), (7, 7), ("1,0", 10)], ["abc", "-1", "101", True]),
    "money": Sample({"max": 100000},
                    [("12000", "12000.00"), (12000, "12000.00"), ("1,234.5", "1234.50"),
                     (0.1, "0.10")], ["12.345", "-5", "1e3", "200000", "¥12"]),
    "date": Sample({"min": "2000-01-01", "max": "today"},
                   [(" 2024-02-29 ", "2024-02-29")], ["2023-02-29", "2024/01/01", "1999-12-31",
                                                       "2024-06-16", 20240101]),
    "daterange": Sample({}, [({"start": "2024-01-01", "end": "2024-01-31"},
                              {"start": "2024-01-01", "end": "2024-01-31"})],
                        [{"start": "2024-02-01", "end": "2024-01-31"}, {"start": "2024-01-01"},
                         "2024-01-01"]),
    "select": Sample({"options": OPTIONS}, [("b", "b")], ["z", ["a"], True]),
    "radio": Sample({"options": OPTIONS}, [("a", "a")], ["d", 1]),
    "checkboxes": Sample({"options": OPTIONS, "max_selections": 2},
                         [(["c", "a", "a"], ["a", "c"]), (["b"], ["b"])],
                         [["a", "b", "c"], ["z"], "a"]),
    "yesno": Sample({}, [("1", True), ("0", False), (True, True), ("false", False)],
                    ["maybe", 2]),
    "dictionary": Sample({"dictionary": "relationship", "only": ["02", "03", "99"]},
                         [("02", "02"), (" 99 ", "99")], ["2", "77", 2, "01", "04"]),
    "region": Sample({"within": "440000", "level": "county"},
                     [("440106", "440106"), (440305, "440305"), ("44010600101", "44010600101")],
                     ["110101", "440100", "449999", "44"]),
    "id_card": Sample({}, [(id_number(seq="118").lower(), id_number(seq="118")),
                           ("440106900101123", id_number(birth="19900101", seq="123"))],
                      ["440106199001011234", "12345", "990106199001011235"]),
    "mobile": Sample({}, [("+86 138-0013-8000", "13800138000")], ["010-12345678", "1380013800"]),
    "postcode": Sample({}, [(" 510000 ", "510000")], ["51000", "ABCDEF"]),
    "bank_account": Sample({}, [("6222 0202 0011 2233 440", "6222020200112233440"),
                                (bank_account(), bank_account())], ["1234", "6222-abcd-0011"]),
    "uscc": Sample({}, [(uscc().lower(), uscc())], [uscc()[:-1] + "0", "91440101"]),
    "email": Sample({}, [(" someone@EXAMPLE.cn ", "someone@example.cn")],
                    ["someone@", "a b@example.cn"]),
    "acknowledge": Sample({"text": {"zh": "我承诺", "en": "I declare"}},
                          [("y", True), (True, True)], ["maybe"]),
    "signature": Sample({}, [({"kind": "typed", "value": " 张三 ", "signed_at": SIGNED},
                              {"kind": "typed", "value": "张三", "signed_at": SIGNED}),
                             ({"kind": "drawn", "value": PNG, "signed_at": SIGNED},
                              {"kind": "drawn", "value": PNG, "signed_at": SIGNED})],
                        [{"kind": "drawn", "value": "data:image/png;base64,AAAA"},
                         {"kind": "stamped", "value": "张三"},
                         {"kind": "typed", "value": "张三", "signed_at": "2999-01-01T00:00:00+08:00"},
                         "张三"]),
    "repeat": Sample({"max_items": 2, "add_label": {"zh": "增加使用人", "en": None}, "fields": [
                        {"key": "name", "type": "text", "label": {"zh": "姓名", "en": "Name"},
                         "required": True},
                        {"key": "relationship", "type": "dictionary", "dictionary": "relationship",
                         "label": {"zh": "关系", "en": None}}]},
                     [([{"name": " 李四 ", "relationship": "02"}, {"name": "王五"}],
                       [{"name": "李四", "relationship": "02"}, {"name": "王五"}])],
                     [[{"name": "a"}, {"name": "b"}, {"name": "c"}], [{"relationship": "02"}],
                      {"name": "a"}]),
    "display": Sample({"text": {"zh": "请如实填写。", "en": "Answer truthfully."}},
                      [(None, None), ("", None)], ["anything"]),
    "enrollments": Sample({"columns": ["insutype", "status", "region"]},
                          [([{"insutype": "390", "status": "1", "region": "511702",
                              "start_date": dt.datetime(2023, 9, 1, tzinfo=CST),
                              "account_month": None}],
                            [{"insutype": "390", "status": "1", "region": "511702",
                              "start_date": "2023-09-01"}])],
                          ["anything", [{"insutype": "390"}],
                           [{"insutype": 390, "status": "1", "region": "511702"}],
                           [{"insutype": "390", "status": "1", "region": "511702",
                             "start_date": "2023-02-30"}]]),
}


@pytest.fixture(scope="module")
def web():
    """A minimal Flask app with Babel, enough to instantiate and render FAB forms."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    return app


def _field(name: str, **settings: Any) -> dict:
    return {"key": "answer", "type": name, "label": {"zh": "问题", "en": "Question"},
            "help": {"zh": "说明", "en": None}, **settings}


def test_every_type_has_samples():
    assert set(SAMPLES) == set(REGISTRY)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_type_contract(name, web):
    ftype, sample, ctx = get_type(name), SAMPLES[name], make_ctx()
    field = _field(name, required=True, **sample.settings)
    assert ftype.name == name
    assert ftype.required_settings <= ftype.settings
    assert not ftype.settings & COMMON_SETTINGS
    assert set(sample.settings) <= ftype.accepted_settings
    assert (ftype.cel_kind in KINDS) == ftype.has_answer

    with web.test_request_context():
        form = type("ContractForm", (DynamicForm,), {"answer": ftype.form_field(field, ctx)})()
        html = str(form.answer())
        assert html.strip()
        # acknowledge shows its statement (``text``) beside the box instead of the label
        assert form.answer.label.text in ("问题", ctx.text(field.get("text")))
        assert form.answer.description == "说明"

    schema = ftype.json_schema(field, ctx)
    assert schema["title"] == "问题"
    for raw, expected in sample.good:
        canonical = ftype.parse(raw, field, ctx)
        assert canonical == expected
        assert ftype.parse(canonical, field, ctx) == canonical
        assert json.loads(json.dumps(canonical)) == canonical
        jsonschema.validate(canonical, schema, format_checker=jsonschema.FormatChecker())
    for raw in sample.bad:
        with pytest.raises(ValidationError) as refused:
            ftype.parse(raw, field, ctx)
        assert message_text(refused.value).strip(), (name, raw)


@pytest.mark.parametrize("name", [n for n in REGISTRY if get_type(n).has_answer])
def test_required_type_refuses_an_empty_answer(name):
    field = _field(name, required=True, **SAMPLES[name].settings)
    with pytest.raises(ValidationError) as refused:
        get_type(name).parse(None, field, make_ctx())
    assert refused.value.code == "required"


def test_labels_follow_the_locale_and_fall_back_to_chinese(web):
    ftype = get_type("select")
    field = _field("select", options=OPTIONS)
    with web.test_request_context():
        form = type("F", (DynamicForm,), {"answer": ftype.form_field(field, make_ctx("en"))})()
        html = str(form.answer())
    assert form.answer.label.text == "Question"
    assert form.answer.description == "说明"  # no English help: Chinese
    assert ">A<" in html and ">乙<" in html


def test_golden_definition_covers_the_whole_registry():
    used = set()

    def collect(fields):
        for field in fields:
            used.add(field["type"])
            collect(field.get("fields", ()))

    for page in load_golden()["pages"]:
        collect(page["fields"])
    assert used == set(REGISTRY)


def test_golden_definition_uses_only_known_settings():
    def check(fields):
        for field in fields:
            ftype = get_type(field["type"])
            assert set(field) <= ftype.accepted_settings, field["key"]
            assert ftype.required_settings <= set(field), field["key"]
            check(field.get("fields", ()))

    for page in load_golden()["pages"]:
        check(page["fields"])


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_golden_pages_build_and_render(web, locale):
    definition = load_golden()
    with web.test_request_context():
        for page in definition["pages"]:
            form = build_page_form(definition, page["key"], make_ctx(locale))()
            html = "".join(str(field()) for field in form)
            assert html


def test_unknown_type_names_it_and_lists_the_valid_ones():
    with pytest.raises(UnknownFieldType) as unknown:
        get_type("nope")
    message = str(unknown.value)
    assert "'nope'" in message
    assert all(name in message for name in REGISTRY)
    assert isinstance(unknown.value, LookupError)


def test_context_reads_entries_of_any_shape():
    class Row:
        code, name_zh, name_en, parent_code, active = "9", "其他", "Other", None, True

    ctx = EngineContext(dictionary=lambda code: [Row(), {"code": "1", "name": "男"},
                                                 {"code": "0", "name": "x", "active": False}])
    entries = ctx.entries("gend")
    assert list(entries) == ["9", "1"]
    assert entries["9"].label == {"zh": "其他", "en": "Other"}
    assert EngineContext().entries("gend") is None


def test_repeat_add_button_reads_add_label(web):
    field = _field("repeat", **SAMPLES["repeat"].settings)
    with web.test_request_context():
        form = type("F", (DynamicForm,), {"answer": get_type("repeat").form_field(field,
                                                                                 make_ctx())})()
    assert form.answer.type == "FieldList" and form.answer.add_label == "增加使用人"
    del field["add_label"]
    with web.test_request_context():
        form = type("F", (DynamicForm,), {"answer": get_type("repeat").form_field(field,
                                                                                 make_ctx())})()
    assert form.answer.add_label == ""
