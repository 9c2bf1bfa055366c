"""Build the WTForms form of one page of a definition.

    Form = build_page_form(definition, "patient", ctx, answers, variables=variables)
    form = Form()                                   # shows the answers given (or prefill/default)
    state = page_state(definition, "patient", answers, ctx, variables)
    Shape = build_page_form(definition, "patient", ctx, initial=False, state=state)
    form = Shape(formdata=None, data=initial_data(definition, "patient", answers, state))
                                                    # as Form(formdata=None); Shape is reusable
    raw = form_answers(form)                        # after a POST: the page's raw answers
    answers, errors, warnings = validate_page(definition, "patient", {**draft, **raw}, ctx,
                                              variables)
    apply_errors(form, errors)                      # put the messages on the fields

The form renders and collects; :mod:`app.engine.answers` checks (one place for every rule, CEL
included), so ``form.validate()`` only checks CSRF. Fields hidden by ``visible_when`` at build time
are left out of the class; the htmx live update builds the class again with the new answers.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_appbuilder.forms import DynamicForm
from wtforms import FieldList, FormField
from wtforms.fields import HiddenField

from app.engine.answer_results import PageState
from app.engine.answers import page_state, takes_no_input
from app.engine.fields import EngineContext, FieldType, get_type

#: Field keys a form class cannot carry (its own attributes; WTForms ignores "_" names).
RESERVED_KEYS = frozenset(
    name for name in dir(DynamicForm) if not name.startswith("_")) | {"csrf_token", "meta"}
_ERROR_KEY = re.compile(r"(\w+)(?:\[(\d+)\]\.(\w+))?")


def _initial(field: Mapping, ftype: FieldType, answers: Mapping, state: PageState) -> Any:
    key = field["key"]
    if takes_no_input(field):
        # The engine's value, even when a rule refuses it; never what was stored or typed.
        return state.fixed.get(key)
    if not ftype.is_empty(answers.get(key)):
        return answers[key]  # as typed, so a mistake can be corrected
    return state.answers.get(key, field.get("default"))


def _page(definition: Mapping, page_key: str) -> Mapping:
    return next(p for p in definition["pages"] if p.get("key") == page_key)


def build_page_form(definition: Mapping, page_key: str, ctx: EngineContext,
                    answers: Mapping | None = None, *, variables: Mapping | None = None,
                    state: PageState | None = None, initial: bool = True) -> type[DynamicForm]:
    """Return a form class of the page's fields visible under ``answers``, in ctx.locale.

    :param state: the page's :func:`page_state` under these answers, when the caller has it.
    :param initial: False leaves the values shown out of the class: make the form with
        ``formdata=None, data=initial_data(…)``. The class then depends only on the context
        and on :func:`page_shape`, so one class can serve every such form of that shape.
    """
    answers = answers or {}
    if state is None:
        state = page_state(definition, page_key, answers, ctx, variables)
    members = {}
    for field in _page(definition, page_key).get("fields", ()):
        key = field["key"]
        if key not in state.visible:
            continue
        if key in RESERVED_KEYS or key.startswith("_"):
            raise ValueError(f"field key {key!r} cannot be a form field")
        ftype = get_type(field["type"])
        shown = {**field, "required": key in state.required}
        if key in state.choices:
            shown["among"] = list(state.choices[key])  # the values, for the widget to offer
        shown["default"] = _initial(field, ftype, answers, state) \
            if ftype.has_answer and initial else None
        members[key] = ftype.form_field(shown, ctx)
    name = "".join(part.title() for part in re.split(r"[^0-9A-Za-z]+", page_key)) or "Page"
    return type(f"{name}PageForm", (DynamicForm,), members)


def page_shape(definition: Mapping, page_key: str, state: PageState) -> tuple:
    """Return what a page's form class holds besides the context and the values shown.

    The visible questions, the required ones and the values ``among`` offers. A read-only
    question stays read-only whatever its value and errors (it never takes input).
    """
    return state.visible, state.required, tuple(sorted(state.choices.items()))


def initial_data(definition: Mapping, page_key: str, answers: Mapping,
                 state: PageState) -> dict[str, Any]:
    """Return the values the page's form shows first (``data=`` of a class built with
    ``initial=False``): what ``build_page_form`` puts in its class otherwise."""
    data = {}
    for field in _page(definition, page_key).get("fields", ()):
        ftype = get_type(field["type"])
        if field["key"] in state.visible and ftype.has_answer:
            value = _initial(field, ftype, answers, state)
            if value is not None:
                data[field["key"]] = value
    return data


def hold_fixed(form: DynamicForm, definition: Mapping, page_key: str, state: PageState) -> None:
    """Show the engine's values in the fields that take no input (computed, read-only,
    registry), whatever was posted for them: a form bound to a POST shows what was sent."""
    for field in _page(definition, page_key).get("fields", ()):
        if field["key"] in form and takes_no_input(field):
            value = _initial(field, get_type(field["type"]), {}, state)
            form[field["key"]].process(None, value)


def form_answers(form: DynamicForm) -> dict[str, Any]:
    """Return the raw answers a submitted page form holds."""
    return {key: value for key, value in form.data.items() if key not in ("csrf_token",)}


def _target(form: DynamicForm, key: str) -> Any:
    found = _ERROR_KEY.fullmatch(key)
    if not found or found[1] not in form:
        return None
    target = form[found[1]]
    if found[2] is not None:
        if not isinstance(target, FieldList) or int(found[2]) >= len(target.entries):
            return None
        row = target.entries[int(found[2])]
        target = row.form[found[3]] if found[3] in row.form else None
    if isinstance(target, FormField):  # a group's message goes on its last visible member
        members = [f for f in target.form if not isinstance(f, HiddenField)]
        target = members[-1] if members else None
    return target


def apply_errors(form: DynamicForm, errors: Mapping[str, list[str]]) -> None:
    """Show validation messages on the fields they concern (the form's own list otherwise)."""
    for key, messages in errors.items():
        target = _target(form, key)
        if target is None:
            form.form_errors.extend(messages)
        else:
            target.errors = [*target.errors, *messages]
