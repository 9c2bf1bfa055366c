"""Personal identifiers (app.engine.masked): which fields may carry ``masked: true`` (lint, by
line), which answers are identifiers (their type, a prefill from ``person.id_number``, the
setting), how they are masked where the policy masks them (the staff pages' masks) and that the
filer's own form and JSON Schema show them whole, as every item does."""
import re

import pytest
from flask import Flask
from flask_babel import Babel

from app.engine.fields import REGISTRY, EngineContext, get_type
from app.engine.forms import build_page_form, initial_data
from app.engine.answers import page_state
from app.engine.lint import lint_text
from app.engine.masked import identifier_mask, mask_answers, masked_answer, masking_problem
from app.views.citizen.answer_display import show_value

ID = "511702200506180247"
SHOWN = "5117**********0247"
ID_FIELD = {"key": "id_number", "type": "id_card", "label": {"zh": "证件号码", "en": None},
            "prefill": "person.id_number", "readonly": True, "masked": True}
PERSON = {"person": {"id_number": ID, "name": "王芳", "mobile": "13800138000"}}

ITEM = """schema: 1
code: masked_demo
region: '510000'
name: 遮蔽显示
category: 测试
time_limit_days: 5
pages:
  - key: p1
    title: 页
    fields:
      - {key: id_number, type: id_card, label: 证件号码, prefill: person.id_number, readonly: true, masked: true}
      - {key: cert_number, type: text, label: 证件号码, prefill: person.id_number, readonly: true, masked: true}
      - {key: mobile, type: mobile, label: 手机, prefill: person.mobile, readonly: true, masked: true}
      - {key: typed, type: id_card, label: 他人证件号码, masked: true}
      - {key: prefilled, type: id_card, label: 可改证件号码, prefill: person.id_number, masked: true}
      - {key: fixed, type: text, label: 固定, readonly: true, masked: true}
      - {key: born, type: date, label: 出生日期, prefill: person.birth_date, readonly: true, masked: true}
      - {key: odd, type: text, label: 其他, prefill: person.name, readonly: true, masked: "yes"}
      - {key: shown, type: text, label: 姓名, prefill: person.name, readonly: true, masked: false}
approval:
  - {key: accept, name: 受理, role: Reviewer, level: county}
"""


@pytest.fixture(scope="module")
def web():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    return app


def test_lint_allows_masked_only_on_read_only_prefilled_fields_of_the_masked_types():
    problems = [(p.line, p.message) for p in lint_text(ITEM, "x.yaml")]
    assert problems == [
        (14, 'field "typed": masked is only for a read-only field filled from the person '
             "(readonly: true and a prefill)"),
        (15, 'field "prefilled": masked is only for a read-only field filled from the person '
             "(readonly: true and a prefill)"),
        (16, 'field "fixed": masked is only for a read-only field filled from the person '
             "(readonly: true and a prefill)"),
        (17, 'field "born": masked is only for fields of type text, id_card, mobile'),
        (18, "masked: must be true or false"),
    ]


def test_every_type_that_can_be_masked_offers_the_setting_and_no_other_does():
    for name, ftype in REGISTRY.items():
        assert ("masked" in ftype.settings) == (ftype.mask is not None), name
    assert [n for n, t in REGISTRY.items() if t.mask] == ["text", "id_card", "mobile"]
    assert masking_problem({"key": "x", "type": "textarea", "readonly": True,
                            "prefill": "person.name", "masked": True}) is not None


@pytest.mark.parametrize("field, value, shown", [
    (ID_FIELD, ID, SHOWN),
    ({**ID_FIELD, "type": "text"}, "E12345678", "E12******"),  # a passport number
    ({**ID_FIELD, "type": "mobile"}, "13800138000", "138****8000"),
])
def test_a_masked_answer_is_masked_where_identifiers_are_and_whole_on_the_filers_pages(
        field, value, shown):
    ctx = EngineContext()
    assert masked_answer(field, value) == shown
    assert show_value(field, value, ctx) == value  # the confirmation, the filer's own detail
    assert show_value(field, value, ctx, mask=True) == shown  # lists, an agent once submitted


@pytest.mark.parametrize("field, identifier", [
    ({"key": "a", "type": "id_card"}, True),  # whatever its prefill or setting
    ({"key": "a", "type": "mobile"}, True),
    ({"key": "a", "type": "bank_account"}, True),
    ({"key": "a", "type": "text", "prefill": "person.id_number"}, True),  # a document number
    ({"key": "a", "type": "text", "prefill": " person.id_number ", "masked": False}, True),
    ({"key": "a", "type": "text", "prefill": "person.name", "readonly": True, "masked": True},
     True),
    ({"key": "a", "type": "text", "prefill": "person.name"}, False),
    ({"key": "a", "type": "textarea", "prefill": "person.id_number"}, False),  # no mask
    ({"key": "a", "type": "date", "prefill": "person.birth_date"}, False),
    ({"key": "a"}, False),
])
def test_which_answers_are_identifiers_is_read_from_the_definition(field, identifier):
    assert (identifier_mask(field) is not None) is identifier
    assert (masked_answer(field, "E12345678") is not None) is identifier
    assert masked_answer(field, "") is None and masked_answer(field, None) is None


def test_an_unmasked_document_number_prefilled_from_the_person_is_masked_in_lists():
    field = {"key": "cert_number", "type": "text", "prefill": "person.id_number",
             "readonly": True}  # HB-1's 证件号码 for other document types: no setting needed
    ctx = EngineContext()
    assert show_value(field, "E12345678", ctx, mask=True) == "E12******"
    assert show_value(field, "E12345678", ctx) == "E12345678"


def test_api_answers_mask_identifiers_rows_included_and_nothing_else():
    fields = [ID_FIELD, {"key": "note", "type": "text"}, {"key": "phone", "type": "mobile"},
              {"key": "rows", "type": "repeat", "fields": [{**ID_FIELD, "key": "other"}]}]
    answers = {"id_number": ID, "note": ID, "phone": "13800138000", "rows": [{"other": ID}],
               "_notice": True}
    assert mask_answers(fields, answers) == {"id_number": SHOWN, "note": ID,
                                             "phone": "138****8000",
                                             "rows": [{"other": SHOWN}], "_notice": True}


def test_the_json_schema_of_a_masked_field_keeps_its_pattern_and_is_read_only():
    ctx = EngineContext()
    schema = get_type("id_card").json_schema(ID_FIELD, ctx)
    assert schema["readOnly"] is True and "pattern" in schema  # the number is sent whole
    assert get_type("id_card").json_schema({**ID_FIELD, "masked": False}, ctx) == schema


def test_the_wizard_form_shows_the_filer_the_number_whole(web):
    definition = {"pages": [{"key": "basic", "fields": [ID_FIELD]}]}
    ctx = EngineContext()
    with web.test_request_context():
        form = build_page_form(definition, "basic", ctx, {}, variables=PERSON)()
        state = page_state(definition, "basic", {}, ctx, PERSON)
        assert state.answers["id_number"] == ID  # what is validated and stored is whole
        cached = build_page_form(definition, "basic", ctx, state=state, initial=False)(
            formdata=None, data=initial_data(definition, "basic", {}, state))
        for html in (str(form.id_number()), str(cached.id_number())):
            assert re.search(rf'value="{re.escape(ID)}"', html) and "readonly" in html
            assert SHOWN not in html
