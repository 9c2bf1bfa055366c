"""The catalogue's answers_schema says what the engine requires, conditions included: a simple
condition as if/then (checked against app.engine.answers on every combination of answers), any
other as x-required-when and listed as unexpressed."""
import jsonschema
import pytest
from flask import Flask
from flask_babel import Babel
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.catalog.schema import answers_schema
from app.engine.answers import validate_all
from app.engine.cel_json_schema import Readable, condition_schema
from tests.unit.engine_helpers import make_ctx, normalise, variables

ABC = ["a", "b", "c"]
FIELDS = [
    {"key": "kind", "type": "radio", "options": ABC, "required": True},
    {"key": "flag", "type": "yesno"},
    {"key": "tags", "type": "checkboxes", "options": ["x", "y"]},
    {"key": "sub", "type": "select", "options": ["p", "q"], "visible_when": 'kind == "b"'},
    {"key": "f1", "type": "text", "visible_when": 'kind == "a"', "required": True},
    {"key": "f2", "type": "text", "required_when": 'kind in ["b", "c"] && flag == true'},
    {"key": "f3", "type": "text", "visible_when": '!(kind == "a") || "x" in tags',
     "required": True},
    {"key": "f4", "type": "text", "required_when": "tags != null && flag != false"},
    {"key": "f5", "type": "text", "visible_when": "'p' == sub", "required": True},
    {"key": "f6", "type": "text", "visible_when": "flag == null", "required_when": 'sub != "q"'},
    {"key": "f7", "type": "text", "required_when": 'late == "z"'},       # a later page: null
    {"key": "f8", "type": "text", "required_when": 'filer == "agent"'},  # not an answer
    {"key": "f9", "type": "text", "required_when": "!flag"},             # fails on null
    {"key": "f10", "type": "text", "required_when": 'f1 == "a"'},       # free text
    {"key": "members", "type": "repeat", "fields": [
        {"key": "role", "type": "select", "options": ["o", "n"]},
        {"key": "detail", "type": "text", "visible_when": 'role == "o"', "required": True},
        {"key": "other", "type": "text", "required_when": 'kind == "a"'},  # the outer answer
    ]},
]
LATE = [{"key": "late", "type": "radio", "options": ["z", "w"]}]
UNEXPRESSED = ["f7", "f8", "f9", "f10", "members[].other"]
TEXTS = [f["key"] for f in FIELDS if f["type"] == "text"]


@pytest.fixture(scope="module")
def babel_app():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield app


def definition(notice=None):
    return normalise({"pages": [{"key": "one", "title": "one", "fields": FIELDS},
                                {"key": "two", "title": "two", "fields": LATE}],
                      **({"notice": notice} if notice else {})})


def announced(schema: dict, answers: dict) -> set:
    """Return the keys the schema requires of these answers (required, then the if/thens)."""
    keys = set(schema["required"])
    for rule in schema.get("allOf", ()):
        if jsonschema.Draft202012Validator(rule["if"]).is_valid(answers):
            keys |= set(rule["then"]["required"])
    return keys


def test_the_schema_is_draft_2020_12_and_lists_what_it_cannot_express(babel_app):
    schema = answers_schema(definition(), make_ctx())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["kind"]
    assert schema["x-required-when-unexpressed"] == UNEXPRESSED
    properties = schema["properties"]
    assert properties["f8"]["x-required-when"] == 'filer == "agent"'
    assert properties["f6"]["x-required-when"] == '(flag == null) && (sub != "q")'
    assert properties["members"]["items"]["properties"]["other"]["x-required-when"] == \
        'kind == "a"'
    assert "x-required-when" not in properties["flag"]
    assert properties["members"]["items"]["allOf"] == [{
        "if": {"required": ["role"], "properties": {"role": {"const": "o"}}},
        "then": {"required": ["detail"]}}]
    # A compared answer that may be hidden counts as null while it is: its own condition too.
    [f5] = [rule["if"] for rule in schema["allOf"] if rule["then"] == {"required": ["f5"]}]
    assert f5 == {"allOf": [{"required": ["sub"], "properties": {"sub": {"const": "p"}}},
                            {"required": ["kind"], "properties": {"kind": {"const": "b"}}}]}
    # The notice to acknowledge is required once the item has one to acknowledge.
    with_notice = answers_schema(definition({"title": "t", "body": "b", "acknowledge": "ok"}),
                                 make_ctx())
    assert with_notice["required"] == ["kind", "_notice"]


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from([None, *ABC]), flag=st.sampled_from([None, True, False]),
       tags=st.sampled_from([None, [], ["x"], ["y"], ["x", "y"]]),
       sub=st.sampled_from([None, "p", "q"]), late=st.sampled_from([None, "z", "w"]),
       roles=st.lists(st.sampled_from([None, "o", "n"]), max_size=3))
def test_the_schema_requires_exactly_what_the_engine_requires(babel_app, kind, flag, tags, sub,
                                                              late, roles):
    schema = answers_schema(definition(), make_ctx())
    chosen = {"kind": kind, "flag": flag, "tags": tags, "sub": sub, "late": late,
              "members": [{"role": role} if role else {} for role in roles] or None}
    answers = {k: v for k, v in chosen.items() if v is not None}
    errors = validate_all(definition(), answers, make_ctx(), variables()).errors
    expressed = {k for k in [*TEXTS, "kind"] if k not in UNEXPRESSED}
    assert (announced(schema, answers) - set(answers)) & expressed == set(errors) & expressed
    row_schema = schema["properties"]["members"]["items"]
    for index, row in enumerate(answers.get("members", ())):
        row_required = {k for k in ("detail",) if f"members[{index}].{k}" in errors}
        assert announced(row_schema, row) & {"detail"} == row_required
    # What the schema announces, answered, leaves nothing required unanswered.
    filled = {**answers, **{k: "text" for k in announced(schema, answers) if k in TEXTS}}
    left = validate_all(definition(), filled, make_ctx(), variables()).errors
    assert not set(left) & (expressed - {"kind"})


@pytest.mark.parametrize("source", [
    'kind == "a" && flag', "!kind", '!kind == "a"', "kind == 1", 'person.sex == "2"',
    'kind == "a" ||', 'kind in ["a", 1]', 'kind == "a\\"b"', 'size(tags) > 0', "kind == kind",
    'true in tags', 'flag == "a"', 'kind == true', '"a" in kind', "kind != ''"])
def test_what_is_not_a_simple_comparison_of_answers_is_not_translated(babel_app, source):
    fields = {f["key"]: f for f in definition()["pages"][0]["fields"]}
    schema = answers_schema(definition(), make_ctx())["properties"]
    readable = {k: Readable(fields[k], 0, schema[k]) for k in ("kind", "flag", "tags")}
    assert condition_schema(source, 0, readable, make_ctx()) is None


def test_a_condition_on_an_answer_that_shows_itself_in_a_cycle_is_not_translated(babel_app):
    loop = [{"key": "a", "type": "radio", "options": ["1"], "visible_when": 'b == "1"'},
            {"key": "b", "type": "radio", "options": ["1"], "visible_when": 'a == "1"'},
            {"key": "c", "type": "text", "required_when": 'a == "1"'}]
    schema = answers_schema(normalise({"pages": [{"key": "p", "title": "p", "fields": loop}]}),
                            make_ctx())
    assert schema["x-required-when-unexpressed"] == ["c"]
