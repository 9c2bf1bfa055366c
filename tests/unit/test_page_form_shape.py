"""A page's form class without its values (``initial=False``) draws what the full class draws.

The wizard keeps one such class per page shape and gives each form its values as ``data``
(app.views.citizen.wizard): every field type of the golden definition must come out the same.
"""
import pytest
from flask import Flask
from flask_babel import Babel

from app.engine.answers import page_state
from app.engine.forms import build_page_form, initial_data, page_shape
from tests.unit.engine_helpers import load_golden, make_ctx
from tests.unit.test_field_types import SAMPLES

PERSON = {"person": {"cert_type": "01", "id_number": "440106199001011234", "age": 30}}


@pytest.fixture(scope="module")
def web():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    return app


def answers_of(definition, pick: int) -> dict:
    """Return an answer for every question of every page, the ``pick``-th good sample."""
    answers = {}
    for page in definition["pages"]:
        for field in page["fields"]:
            good = SAMPLES[field["type"]].good
            answers[field["key"]] = good[pick % len(good)][0]
    answers["special"] = "1"  # shows the conditional question
    return answers


def drawn(form) -> list[str]:
    return [f"{field.name}|{field.label.text}|{field()}" for field in form]


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("pick", [None, 0, 1])
def test_the_class_without_values_draws_the_same_form(web, locale, pick):
    definition, ctx = load_golden(), make_ctx(locale)
    answers = {} if pick is None else answers_of(definition, pick)
    with web.test_request_context():
        for page in definition["pages"]:
            key = page["key"]
            state = page_state(definition, key, answers, ctx, PERSON)
            full = build_page_form(definition, key, ctx, answers, variables=PERSON)(
                formdata=None)
            shape = build_page_form(definition, key, ctx, answers, variables=PERSON,
                                    state=state, initial=False)
            made = shape(formdata=None, data=initial_data(definition, key, answers, state))
            assert drawn(made) == drawn(full), key


def test_one_class_serves_other_answers_of_the_same_shape(web):
    definition, ctx = load_golden(), make_ctx()
    first, second = answers_of(definition, 0), answers_of(definition, 1)
    with web.test_request_context():
        for page in definition["pages"]:
            key = page["key"]
            one = page_state(definition, key, first, ctx, PERSON)
            other = page_state(definition, key, second, ctx, PERSON)
            if page_shape(definition, key, one) != page_shape(definition, key, other):
                continue
            shape = build_page_form(definition, key, ctx, state=one, initial=False)
            made = shape(formdata=None, data=initial_data(definition, key, second, other))
            full = build_page_form(definition, key, ctx, second, variables=PERSON)(
                formdata=None)
            assert drawn(made) == drawn(full), key
