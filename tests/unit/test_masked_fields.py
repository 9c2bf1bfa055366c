"""``masked: true`` (app.engine.masked): which fields may carry it (lint, by line), how their
answers are shown (the staff pages' masks), what the form, the JSON Schema and the API send."""
import re

import pytest
from flask import Flask
from flask_babel import Babel

from app.engine.fields import REGISTRY, EngineContext, get_type
from app.engine.forms import build_page_form, initial_data
from app.engine.answers import page_state
from app.engine.lint import lint_text
from app.engine.masked import mask_answers, masked_value, masking_problem, masks
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
def test_a_masked_answer_is_shown_by_the_staff_pages_mask_on_every_citizen_page(field, value,
                                                                                shown):
    ctx = EngineContext()
    assert masked_value(field, value) == shown
    assert show_value(field, value, ctx) == shown  # the confirmation page, in full otherwise
    assert show_value(field, value, ctx, mask=True) == shown  # 我要查
    unmasked = {k: v for k, v in field.items() if k != "masked"}
    assert masked_value(unmasked, value) is None and show_value(unmasked, value, ctx) == value


def test_api_answers_mask_masked_fields_rows_included_and_nothing_else():
    fields = [ID_FIELD, {"key": "note", "type": "text"},
              {"key": "rows", "type": "repeat", "fields": [{**ID_FIELD, "key": "other"}]}]
    answers = {"id_number": ID, "note": ID, "rows": [{"other": ID}], "_notice": True}
    assert mask_answers(fields, answers) == {"id_number": SHOWN, "note": ID,
                                             "rows": [{"other": SHOWN}], "_notice": True}
    assert masks(fields, answers, ID.upper()) and not masks(fields, answers, "x")
    assert not masks([{**ID_FIELD, "masked": False}], answers, ID)


def test_the_json_schema_describes_the_masked_form_read_only():
    ctx = EngineContext()
    schema = get_type("id_card").json_schema(ID_FIELD, ctx)
    assert schema["readOnly"] is True and "pattern" not in schema
    assert "pattern" in get_type("id_card").json_schema({**ID_FIELD, "masked": False}, ctx)


def test_the_wizard_form_shows_the_masked_form_and_never_the_number(web):
    definition = {"pages": [{"key": "basic", "fields": [ID_FIELD]}]}
    ctx = EngineContext()
    with web.test_request_context():
        form = build_page_form(definition, "basic", ctx, {}, variables=PERSON)()
        state = page_state(definition, "basic", {}, ctx, PERSON)
        assert state.answers["id_number"] == ID  # what is validated and stored is whole
        cached = build_page_form(definition, "basic", ctx, state=state, initial=False)(
            formdata=None, data=initial_data(definition, "basic", {}, state))
        for html in (str(form.id_number()), str(cached.id_number())):
            assert re.search(rf'value="{re.escape(SHOWN)}"', html) and "readonly" in html
            assert ID not in html
