"""Reading one wizard page as sent, and what its questions need to be drawn: shared by the
citizen's wizard (app.views.citizen.wizard) and the counter (窗口代录, app.views.review.window),
so that both read answers, and show the questions those answers make visible, alike.

The engine is the only evaluator: the live update (htmx) and the "update" button without
JavaScript ask the server to draw the page's questions again from the answers as typed.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import request
from wtforms import Form

from app.engine.answers import page_state, takes_no_input
from app.engine.cel import compile_expression
from app.engine.fields import get_type
from app.engine.forms import build_page_form, form_answers, hold_fixed, initial_data, page_shape
from app.reference_cache import cached
from app.views.citizen.answer_display import shown_answers
from app.views.citizen.wizard_support import Wizard

CONDITIONS = ("visible_when", "required_when", "compute")


def live_keys(page: dict) -> set[str]:
    """Return the page's fields that other fields' conditions read (their change redraws).

    A question that takes no input (read-only, computed, from the registry) never changes on
    the page: it has no live update, and no "update" button without JavaScript.
    """
    keys = {f["key"] for f in page.get("fields", ()) if not takes_no_input(f)}
    read = set()
    for field in page.get("fields", ()):
        for setting in CONDITIONS:
            if field.get(setting):
                read |= compile_expression(field[setting]).references
    return keys & read


def carried(page: dict, form) -> list[tuple[str, str]]:
    """Return what was sent for the page's questions its answers now hide, as (name, value).

    The page carries them as hidden inputs, so that showing a question again brings back what
    was typed into it (with or without JavaScript). Saving never keeps them: a question that is
    not shown is not stored, and only the questions shown are read from a POST.
    """
    if request.method != "POST":
        return []
    hidden = {f["key"] for f in page.get("fields", ()) if f["key"] not in form
              and get_type(f["type"]).has_answer and not takes_no_input(f)}
    return [(name, value) for name, values in request.form.lists() for value in values
            if value != "" and name.split("-", 1)[0] in hidden]


def headings(fields: list, ctx) -> dict[str, str]:
    """Return the name of each statement to tick (承诺书) whose text is shown as its box's label."""
    return {f["key"]: ctx.text(f.get("label")) for f in fields
            if f.get("type") == "acknowledge" and f.get("text") and f.get("label")}


def saved_form(wizard: Wizard, page: dict) -> Form:
    """Return the page's form showing the saved answers (their page state is the wizard's).

    The form class depends on the version, the page, the context and the page's shape,
    not on the answers: it is built once and kept with the reference data.
    """
    key, ctx, answers = page["key"], wizard.ctx, wizard.application.answers or {}
    state, version = wizard.state(key), wizard.application.version_id

    def build():
        return build_page_form(wizard.definition, key, ctx, state=state, initial=False)

    shape = (version, key, ctx.lang, ctx.region, ctx.current_date(),
             *page_shape(wizard.definition, key, state))
    form_class = cached("page_form", shape, build) if version is not None else build()
    return form_class(formdata=None, data=initial_data(wizard.definition, key, answers, state))


def posted_form(wizard: Wizard, page: dict) -> tuple[Form, dict]:
    """Return the page's form holding the POSTed input and its raw answers.

    Built twice: the first pass reads the input with the questions visible under the flat
    values sent, the second with those the typed answers make visible — so a question an
    answer on this very page makes visible is drawn, and judged, at once.
    """
    stored = wizard.application.answers or {}
    # Only what may change is read: a display paragraph, or (when correcting a return) a
    # question neither flagged nor brought in by a flagged answer, is never an answer here.
    keys = wizard.correctable("fields") if wizard.correcting else {
        f["key"] for f in page.get("fields", ()) if get_type(f["type"]).has_answer}

    def given(values) -> dict:
        return {k: v for k, v in values.items() if k in keys}

    def build(answers: dict, state=None):
        return build_page_form(wizard.definition, page["key"], wizard.ctx, answers,
                               variables=wizard.variables, state=state)

    typed = given(request.form.to_dict())
    answers = {**stored, **given(form_answers(build({**stored, **typed})()))}
    state = page_state(wizard.definition, page["key"], answers, wizard.ctx, wizard.variables)
    form = build(answers, state)()
    hold_fixed(form, wizard.definition, page["key"], state)
    return form, given(form_answers(form))


def fields_page(wizard: Wizard, page: dict, form, url: str, live_url: str,
                editable: bool) -> SimpleNamespace:
    """Return what the page's questions are drawn with (citizen/partials/page_fields.html):
    which are live, read-only (when correcting a return: neither flagged nor brought in by a
    flagged answer, app.commands.applications.correctable) or flagged, with why. A paragraph of
    text (display) has no answer: it is shown as it is, correcting or not."""
    fields, may = list(page.get("fields", ())), wizard.correctable("fields")
    readonly = {f["key"] for f in fields if f["key"] not in may
                and get_type(f["type"]).has_answer} if wizard.correcting else set()
    answers = wizard.shown(wizard.application.answers or {})
    return SimpleNamespace(
        definitions={f["key"]: f for f in fields}, readonly=readonly,
        headings=headings(fields, wizard.ctx),
        shown=shown_answers([f for f in fields if f["key"] in readonly], answers, wizard.ctx),
        reasons=wizard.reasons("fields"), live=live_keys(page), can_edit=editable,
        carried=carried(page, form), url=url, live_url=live_url)
