"""Each field type's JSON-Schema fragment against its parser, on edge values.

What the fragment accepts the parser accepts, except for the listed values only a computation
can judge (check digits, a region's existence): a client that validates against the catalogue's
``answers_schema`` is not refused for the form of an answer. The parser may take more than the
fragment describes (a code sent as a number, separators, full-width digits): ``tolerated``.
"""
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings, strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from app.engine.fields import get_type
from app.validators import ValidationError, message_text
from tests.unit.engine_helpers import bank_account, id_number, make_ctx, uscc

YES_NO_CODES = [{"value": "1", "label": "是"}, {"value": "0", "label": "否"}]
TOO_LARGE = [1e308, -1e308, 10**40, -(10**40), "9" * 29, "99999999999999999999999999999.99"]


class Edges(NamedTuple):
    name: str
    settings: dict
    both: list          # the fragment and the parser accept
    neither: list       # both refuse
    tolerated: list = []  # the parser accepts a form the fragment does not describe
    beyond: list = []     # the fragment accepts; the parser refuses on what no pattern says


EDGES = [
    Edges("money", {}, ["0", "0.5", "12000.00", "9999999999999.99", 0, 12000, 0.07,
                        9999999999999.99],
          ["-1", "-0.01", -1, -0.01, "10000000000000", 1e13, 1e20, "12.345", "1e5", "abc",
           "NaN", "Infinity", "-Infinity", True, *TOO_LARGE],
          tolerated=["1,234.5", " 12 ", ".5", "-0"], beyond=[0.001, 12.345]),
    Edges("money", {"min": 0.01, "max": 100000}, ["0.01", "100000", 0.01, 100000],
          ["0", "0.00", "000.0", 0, 0.0, 100000.01, "-5", *TOO_LARGE],
          beyond=["100000.01", "200000"]),
    Edges("money", {"min": -100}, ["-100", "-0.5", "5", -100],
          [-100.01, *TOO_LARGE], beyond=["-100.01", "-200"]),
    Edges("number", {}, [0, -5, 2.5, 999999999999999, -999999999999999],
          [1e15, -1e15, True, "NaN", "Infinity", *TOO_LARGE], tolerated=["12", "1,000"]),
    Edges("number", {"integer": True, "min": 1, "max": 20}, [1, 20, 1.0],
          [0, 21, 1.5, 10**40, 1e308]),
    Edges("bank_account", {}, [bank_account(), "6222 0202 0011 2233 440",
                               "6222-0202-0011-2233", "123456789012"],
          ["1234 5678", "12345678901", "12345678901234567890", "6222-abcd-0011", 5],
          tolerated=["６２２２０２０２００１１２２３３４４０", 6222020200112233440]),
    Edges("mobile", {}, ["13800138000", "+86 138-0013-8000", "+8613800138000", "199 0000 0000"],
          ["1380013800", "138001380001", "010-12345678", "12345678901", "abc"],
          tolerated=[13800138000], beyond=["14000000000"]),
    Edges("uscc", {}, [uscc(), uscc().lower()], ["91440101", "91440101MA5CIIII1X"],
          beyond=[uscc()[:-1] + ("0" if uscc()[-1] != "0" else "1")]),
    Edges("id_card", {}, [id_number(), "440106900101123"], ["12345", "4401061990010112"],
          beyond=["440106199001011234" if id_number()[-1] != "4" else "440106199001011235",
                  "990106199001011235"]),
    Edges("postcode", {}, ["510000", " 510000 "], ["51000", "ABCDEF", 51000],
          tolerated=[510000]),
    Edges("select", {"options": YES_NO_CODES}, ["1", "0"], ["2", 2, True, 1.0, ["1"]],
          tolerated=[1, 0, " 1 "]),
    Edges("radio", {"options": YES_NO_CODES}, ["1"], ["2", 2, False, 0.0], tolerated=[1]),
    Edges("checkboxes", {"options": YES_NO_CODES}, [["1"], ["1", "0"]], [["2"], [2], "1"],
          tolerated=[[1], [1, "0"], ["1", "1"]]),
    Edges("dictionary", {"dictionary": "gend"}, ["1", "2"], ["3", 3, True, 1.5],
          tolerated=[1, 2]),
    Edges("region", {}, ["440106", "44010600101"], ["44", "abc", True],
          tolerated=[440106], beyond=["449999"]),
    Edges("text", {"max_length": 10}, ["张三", "x" * 10, "a\tb"],
          ["x" * 11, 12.5, ["a"], "a\x00b", "a\x85b", "a\u202eb"], tolerated=[5, 10**9]),
    Edges("text", {"pattern": "[0-9]{4}"}, ["2024"], ["202", "20245", "2024\x1f"],
          tolerated=["２０２４"]),
    Edges("textarea", {}, ["第一行\n第二行", "a\r\nb"], ["\x00", "\u2066x", "x" * 2001]),
]


def _field(name: str, **settings: Any) -> dict:
    return {"key": "answer", "type": name, "label": {"zh": "问题", "en": "Question"}, **settings}


def accepts(name: str, field: dict, value: Any) -> bool:
    try:
        get_type(name).parse(value, field, make_ctx())
    except ValidationError as refused:
        assert message_text(refused).strip(), (name, value)
        return False
    return True


@pytest.mark.parametrize("edges", EDGES, ids=lambda e: f"{e.name}-{sorted(e.settings)}")
def test_the_fragment_and_the_parser_agree_on_edge_values(edges):
    field = _field(edges.name, **edges.settings)
    schema = Draft202012Validator(get_type(edges.name).json_schema(field, make_ctx()),
                                  format_checker=FormatChecker())
    for value in edges.both:
        assert schema.is_valid(value) and accepts(edges.name, field, value), value
    for value in edges.neither:
        assert not schema.is_valid(value), value
        assert not accepts(edges.name, field, value), value
    for value in edges.tolerated:
        assert not schema.is_valid(value) and accepts(edges.name, field, value), value
    for value in edges.beyond:
        assert schema.is_valid(value) and not accepts(edges.name, field, value), value


@pytest.mark.parametrize("raw", [*TOO_LARGE, "1e308", "NaN", "Infinity", "-inf", "9" * 41,
                                 Decimal("1e400"), float("inf"), float("nan")])
@pytest.mark.parametrize("name", ["money", "number"])
def test_a_huge_or_malformed_number_is_a_message_not_a_crash(name, raw):
    with pytest.raises(ValidationError) as refused:
        get_type(name).parse(raw, _field(name), make_ctx())
    assert refused.value.code in ("too_large", "format", "too_long")
    assert message_text(refused.value).strip()


def test_the_fragments_state_the_bounds_the_server_keeps():
    ctx = make_ctx()
    money = get_type("money").json_schema(_field("money"), ctx)["anyOf"]
    assert money[1]["minimum"] == 0 and money[1]["maximum"] == 9999999999999.99
    assert money[0]["pattern"] == r"^[0-9]{1,13}(\.[0-9]{1,2})?$"
    bounded = get_type("money").json_schema(_field("money", min=0.01, max=100000), ctx)
    assert bounded["anyOf"][1]["minimum"] == 0.01 and bounded["anyOf"][1]["maximum"] == 100000
    number = get_type("number").json_schema(_field("number"), ctx)
    assert number["exclusiveMaximum"] == 10**15 and number["exclusiveMinimum"] == -(10**15)
    assert "exclusiveMaximum" not in get_type("number").json_schema(_field("number", max=5), ctx)


def _places(value: Any) -> int:
    exponent = Decimal(repr(value) if isinstance(value, float) else str(value)).as_tuple()
    return -exponent.exponent if isinstance(exponent.exponent, int) else 99


MONEY_RAW = st.one_of(
    st.integers(min_value=-(10**45), max_value=10**45),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.text(alphabet="0123456789.-+e,", max_size=40),
)


@settings(max_examples=400, deadline=None)
@given(raw=MONEY_RAW, low=st.sampled_from([None, 0, 0.01]))
def test_money_refuses_with_a_message_and_takes_whatever_its_fragment_takes(raw, low):
    field = _field("money", **({} if low is None else {"min": low}))
    schema = Draft202012Validator(get_type("money").json_schema(field, make_ctx()))
    try:
        answer = get_type("money").parse(raw, field, make_ctx())
    except ValidationError as refused:
        assert message_text(refused).strip()
        answer = None
    except (InvalidOperation, ArithmeticError, ValueError) as crash:  # the 500 of QA finding 1
        pytest.fail(f"{raw!r}: {crash!r}")
    if schema.is_valid(raw) and (isinstance(raw, str) or _places(raw) <= 2):
        assert answer is not None, raw
    if answer is not None:
        assert schema.is_valid(answer), (raw, answer)


@pytest.mark.parametrize("setting", [{"readonly": True}, {"compute": "1 + 1"}])
def test_a_field_that_takes_no_input_is_read_only_in_its_fragment(setting):
    ctx = make_ctx()
    assert get_type("number").json_schema(_field("number", **setting), ctx)["readOnly"] is True
    assert get_type("text").json_schema(_field("text", **setting), ctx)["readOnly"] is True
    assert "readOnly" not in get_type("number").json_schema(_field("number"), ctx)
    assert get_type("enrollments").json_schema(_field("enrollments"), ctx)["readOnly"] is True


@pytest.mark.parametrize("name, settings, raw, canonical", [
    ("select", {"options": YES_NO_CODES}, 1, "1"),
    ("radio", {"options": YES_NO_CODES}, 0, "0"),
    ("dictionary", {"dictionary": "gend"}, 2, "2"),
    ("checkboxes", {"options": YES_NO_CODES}, [0, 1], ["1", "0"]),
    ("region", {}, 440106, "440106"),
    ("text", {}, 42, "42"),
    ("postcode", {}, 510000, "510000"),
])
def test_a_code_sent_as_a_number_is_read_and_stored_as_its_text(name, settings, raw, canonical):
    ftype, field = get_type(name), _field(name, **settings)
    assert ftype.parse(raw, field, make_ctx()) == canonical
    stored = ftype.stamp(raw, None, None)
    assert stored == [str(v) for v in raw] if isinstance(raw, list) else stored == str(raw)


@pytest.mark.parametrize("name, settings", [
    ("select", {"options": YES_NO_CODES}), ("radio", {"options": YES_NO_CODES}),
    ("checkboxes", {"options": YES_NO_CODES}), ("dictionary", {"dictionary": "gend"}),
    ("text", {}), ("region", {})])
def test_a_boolean_or_a_fraction_is_never_read_as_a_code(name, settings):
    field = _field(name, **settings)
    for raw in (True, 1.0, 2.5):
        value = [raw] if name == "checkboxes" else raw
        with pytest.raises(ValidationError):
            get_type(name).parse(value, field, make_ctx())
        assert get_type(name).stamp(value, None, None) == value
