"""Validate and clean the answers of a definition, page by page (CONTRACT.md §3).

    answers, errors, warnings = validate_page(definition, "patient", raw, ctx, variables)
    answers, errors, warnings = validate_all(definition, raw, ctx, variables)

``variables`` are the CEL variables besides the fields: ``filer``, ``person`` (a dict; dates may be
``datetime.date``), ``region``, ``today``. Errors and warnings are ``{key: [message, …]}`` with
``"users[0].id_number"`` keys inside repeating groups; messages are rendered in the current locale
(the definition's own rule messages in ``ctx.locale``). Warnings never block (a bank account that
fails the Luhn test).

Per group of fields (a page, or one row of a ``repeat``):

1. each field's input: ``compute`` fields ignore it (their CEL value is parsed instead);
   ``prefill`` (``person.cert_type``) fills an empty answer, and a ``readonly`` field never
   takes the input: its prefill, else its ``default``, else nothing (a required one is then
   unanswered); an editable identity prefill must be the subject's (app.engine.subject_identity);
   an agent's editable answers take only the declared identity, and registry values show masked;
   an agent is not offered the values of an ``among`` built from the registry
   (app.engine.answer_choices), though the answer is held to them;
2. ``visible_when`` and ``compute`` are evaluated with those values until they settle (a field
   hidden by another hidden field is hidden too; a hidden field counts as null). A field that is
   not visible is neither required nor validated nor stored, whatever was sent;
3. ``required`` or ``required_when``; the type's ``parse`` gives the canonical answer;
4. ``rules`` run on fields that have a valid answer, seeing the group's answers plus those of
   earlier pages (later pages are null). A field with an error is left out of the answers, and so
   is an empty optional one.

An expression that fails counts as :mod:`app.engine.cel_failures` says (a rule as failed, a
condition that can never work as true), and is logged there with the item and its version.
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from flask_babel import lazy_gettext as _l

from app.engine import cel_failures
from app.engine.answer_results import PageState, Validation
from app.engine.answer_choices import NOT_ON_RECORD, evaluate_choices, registry_keys
from app.engine.answer_values import from_cel, kind_of, lookup, may_read, reads_no_answer
from app.engine.cel import Scope, bind_answers, to_cel
from app.engine.cel_functions import as_date
from app.engine.fields import EngineContext, cel_kinds, get_type, is_blank
from app.engine.fields.repeat import numbered_rows, row_list
from app.engine.answer_rules import RULE_FAILED, run_rules
from app.engine.masked import answers_for_agent
from app.engine.registry_refusals import check_inputs
from app.engine.subject_identity import AGENT_FILING, DECLARED, declared_fact, not_the_subject
from app.validators import ValidationError, message_text

log = logging.getLogger(__name__)
NOT_AMONG = _l("Choose one of the options offered.")
NOT_KNOWN = _l("This is filled in from the insured-person registry or your verified identity, "
               "and neither gives it: verify your identity or ask the agency.")


def takes_no_input(field: Mapping) -> bool:
    """Tell whether a field's answer never comes from input (computed, read-only, registry)."""
    return bool(field.get("compute") or field.get("readonly") or get_type(field["type"]).source)


class _Run:
    """One validation pass: converted variables, the kinds of every field, earlier answers."""

    def __init__(self, definition: Mapping, ctx: EngineContext, variables: Mapping | None):
        self.raw_variables = dict(variables or {})
        self.declared = self.raw_variables.pop(DECLARED, None) or {}  # not a CEL variable
        self.agent = self.declared.get(AGENT_FILING) is True
        today = self.raw_variables.pop("today", None)
        if ctx.today is None and today is not None:
            ctx = dataclasses.replace(ctx, today=as_date(today))
        self.ctx, self.today = ctx, ctx.current_date()
        # The one place answers and variables become CEL values.
        self.variables = {name: to_cel(value, kind_of(value))
                          for name, value in self.raw_variables.items()}
        self.definition, self.pages = definition, list(definition.get("pages", ()))
        self.kinds = cel_kinds(f for page in self.pages for f in page.get("fields", ()))
        self.places: dict[str, list[int]] = {}  # a repeat's rows' places in what was sent
        self.registry = registry_keys(definition) if self.agent else frozenset()
        #: An agent's answers the registry refused, each with what the check read
        #: (app.engine.registry_refusals): counted per account, so that no one walks a
        #: stranger's record by trying answers.
        self.refusals: list[tuple[str, Any]] = []

    def page_index(self, page_key: str) -> int:
        for index, page in enumerate(self.pages):
            if page.get("key") == page_key:
                return index
        raise LookupError(f"the definition has no page {page_key!r}")

    def scope(self, values: Mapping, kinds: Mapping) -> Scope:
        return Scope({**bind_answers(values, kinds), **self.variables}, today=self.today,
                     kinds=kinds)

    def _evaluate(self, source: str, scope: Scope, what: str, fallback: Any, boolean=True) -> Any:
        return cel_failures.evaluate(self.definition, source, scope, what, fallback, boolean)

    def _input(self, field: Mapping, raw: Mapping) -> Any:
        source = get_type(field["type"]).source
        if source is not None:  # the registry's, whatever was sent (app.engine.fields.person)
            return lookup(self.raw_variables, source)
        source = lookup(self.raw_variables, field["prefill"]) if field.get("prefill") and (
            field.get("readonly") or not self.agent) else None  # an agent's: declared only
        if field.get("readonly"):
            # Never what was typed: a read-only name or ID number with nothing to fill it
            # stays empty (and a required one says so), rather than take someone else's.
            return field.get("default") if is_blank(source) else source
        given = raw.get(field["key"]) if isinstance(raw, Mapping) else None
        if is_blank(source):  # the subject the application names (app.engine.subject_identity)
            source = declared_fact(field, self.declared)
        return given if is_blank(source) or not is_blank(given) else source

    def _lenient(self, field: Mapping, value: Any) -> Any:
        """Return the canonical value when it parses, else None (for conditions only)."""
        ftype = get_type(field["type"])
        if ftype.is_empty(value):
            return None
        try:
            if ftype.nested:
                rows = row_list(value, {})
                return [{f["key"]: self._lenient(f, row.get(f["key"])) for f in field["fields"]
                         if get_type(f["type"]).has_answer} for row in rows]
            return ftype.parse(value, field, self.ctx)
        except ValidationError:
            return None

    def _computed(self, field: Mapping, seen: Mapping, kinds: Mapping) -> Any:
        if reads_no_answer(field["compute"], seen, kinds):  # none yet, rather than a 0
            return None
        value = self._evaluate(field["compute"], self.scope(seen, kinds),
                               f"compute of {field['key']}", None, False)
        ftype = get_type(field["type"])
        if value is None:
            return None
        try:
            return ftype.parse((ftype.from_cel or from_cel)(value), field, self.ctx)
        except ValidationError as error:
            log.info("compute of %s gave %r: %s", field["key"], value, error)
            return None

    def _settle(self, fields: list, raw: Mapping, outer: Mapping,
                kinds: Mapping) -> tuple[dict, set]:
        """Return the visible fields' tentative values (computed ones included) and their keys.

        Hiding a field can hide or show another, or change a computed value: repeat until
        nothing changes (at most once per field).
        """
        answering = [f for f in fields if get_type(f["type"]).has_answer]
        given = {f["key"]: self._lenient(f, self._input(f, raw))
                 for f in answering if not f.get("compute")}
        conditions = [f["visible_when"] for f in fields if f.get("visible_when")]
        computing = any(f.get("compute") for f in answering)
        visible = {f["key"] for f in fields}
        for _ in range(len(fields) + 1):
            values = {k: v for k, v in given.items() if k in visible}
            for field in (f for f in answering if f.get("compute") and f["key"] in visible):
                values[field["key"]] = self._computed(field, {**outer, **values}, kinds)
            if not conditions:
                break
            scope = self.scope({**outer, **values}, kinds)
            now = {f["key"] for f in fields if not f.get("visible_when") or self._evaluate(
                f["visible_when"], scope, f"visible_when of {f['key']}", False)}
            if now == visible:
                break
            if not computing and not may_read(conditions, now ^ visible):
                # Another round would differ only in the fields shown or hidden now, which no
                # condition reads: it would decide the same.
                visible = now
                values = {k: v for k, v in given.items() if k in visible}
                break
            visible = now
        return values, visible

    def group(self, fields: list, raw: Mapping, outer: Mapping, outer_kinds: Mapping,
              prefix: str = "") -> PageState:
        """Validate one page or one row; ``outer`` holds the answers it may see besides its own."""
        kinds = {**outer_kinds, **cel_kinds(fields)}
        answering = [f for f in fields if get_type(f["type"]).has_answer]
        tentative, visible = self._settle(fields, raw, outer, kinds)
        seen = {**outer, **tentative}
        # Values are converted for CEL (a large part of the cost) only when a condition reads them.
        scope = self.scope(seen, kinds) if any(f.get("required_when") for f in answering) \
            else None
        required = {f["key"] for f in answering if f["key"] in visible and (
            f.get("required") or (f.get("required_when") and self._evaluate(
                f["required_when"], scope, f"required_when of {f['key']}", False)))}
        choices, withheld = evaluate_choices(self, answering, visible, seen, kinds)
        clean, errors, warnings, rows = {}, {}, {}, {}
        for field in (f for f in answering if f["key"] in visible):
            key, ftype = field["key"], get_type(field["type"])
            effective = {**field, "required": key in required}
            if field.get("compute"):
                if tentative.get(key) is not None:
                    clean[key] = tentative[key]
                continue
            value = self._input(field, raw)
            if ftype.is_empty(value):
                if key in required:
                    errors[prefix + key] = [message_text(
                        NOT_KNOWN if field.get("readonly") else ftype.required_message)]
                continue
            try:
                if ftype.nested:
                    clean[key] = rows[key] = self._rows(effective, value, seen, kinds,
                                                        prefix + key, errors, warnings)
                else:
                    clean[key] = ftype.parse(value, effective, self.ctx)
            except ValidationError as error:
                errors[prefix + key] = [message_text(error)]
                continue
            if key in choices and clean[key] not in choices[key]:
                errors[prefix + key] = [message_text(NOT_ON_RECORD if key in withheld
                                                     else NOT_AMONG)]
                if key in withheld:
                    self.refusals.append((prefix + key, check_inputs(
                        field["among"], {**seen, key: clean[key]}, key)))
                continue
            if problem := (not_the_subject(field, clean[key], self.raw_variables, self.ctx,
                                           fields, self.declared)
                           or ftype.check_related(clean[key], field, self.ctx, seen)):
                errors[prefix + key] = [problem]
            if notes := ftype.warnings(clean[key], field, self.ctx):
                warnings[prefix + key] = notes
        run_rules(self, answering, clean, outer, kinds, prefix, errors)
        fixed = {f["key"]: clean.get(f["key"], tentative.get(f["key"])) for f in answering
                 if f["key"] in visible and takes_no_input(f)}
        fixed = answers_for_agent(answering, fixed) if self.agent else fixed  # shown only
        for key in [k for k in clean if prefix + k in errors
                    or any(e.startswith(f"{prefix}{k}[") for e in errors)]:
            del clean[key]
        offered = {k: v for k, v in choices.items() if k not in withheld}  # for the widgets
        return PageState(clean, errors, warnings, frozenset(visible), frozenset(required),
                         MappingProxyType(offered), MappingProxyType(fixed),
                         MappingProxyType(rows))

    def _rows(self, field: Mapping, value: Any, outer: Mapping, kinds: Mapping, key: str,
              errors: dict, warnings: dict) -> list[dict]:
        rows, self.places[key] = [], [index for index, _row in numbered_rows(value, field)]
        for index, row in numbered_rows(value, field):
            state = self.group(field["fields"], row, outer, kinds, f"{key}[{index}].")
            rows.append(state.answers)
            errors.update(state.errors)
            warnings.update(state.warnings)
        return rows

    def page(self, index: int, raw: Mapping, outer: Mapping) -> PageState:
        return self.group(list(self.pages[index].get("fields", ())), raw, outer, self.kinds)


def page_state(definition: Mapping, page_key: str, raw_answers: Mapping, ctx: EngineContext,
               variables: Mapping | None = None) -> PageState:
    """Validate one page, seeing earlier pages' valid answers; say what is visible and required."""
    return _page_state(_Run(definition, ctx, variables), page_key, raw_answers)


def _page_state(run: _Run, page_key: str, raw_answers: Mapping) -> PageState:
    target, earlier = run.page_index(page_key), {}
    for index in range(target):
        earlier.update(run.page(index, raw_answers, earlier).answers)
    return run.page(target, raw_answers, earlier)


def page_states(definition: Mapping, raw_answers: Mapping, ctx: EngineContext,
                variables: Mapping | None = None, until: str | None = None
                ) -> dict[str, PageState]:
    """Return the :func:`page_state` of every page (up to page ``until``) by key, in one pass."""
    run, states, earlier = _Run(definition, ctx, variables), {}, {}
    for index, page in enumerate(run.pages):
        states[page.get("key")] = state = run.page(index, raw_answers, earlier)
        if page.get("key") == until:
            break
        earlier.update(state.answers)
    return states


def validate_page(definition: Mapping, page_key: str, raw_answers: Mapping, ctx: EngineContext,
                  variables: Mapping | None = None) -> Validation:
    """Return the clean answers, errors and warnings of one page."""
    run = _Run(definition, ctx, variables)
    state = _page_state(run, page_key, raw_answers)
    return Validation(*state[:3], state.rows, run.refusals)


def validate_all(definition: Mapping, raw_answers: Mapping, ctx: EngineContext,
                 variables: Mapping | None = None) -> Validation:
    """Return the clean answers, errors and warnings of every page, in page order."""
    run = _Run(definition, ctx, variables)
    answers, errors, warnings, rows = {}, {}, {}, {}
    for index in range(len(run.pages)):
        state = run.page(index, raw_answers, answers)
        answers.update(state.answers)
        errors.update(state.errors)
        warnings.update(state.warnings)
        rows.update(state.rows)
    return Validation(answers, errors, warnings, rows, run.refusals)
