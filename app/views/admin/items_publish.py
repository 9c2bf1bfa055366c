"""Preview a draft as a citizen (nothing stored) and publish it (lint, diff, in-flight count)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale, lazy_gettext as _l
from sqlalchemy import func, select

from app.commands import CommandError
from app.commands.formdef_errors import (DefinitionInvalidError, EffectiveDateInPastError,
                                         StaleDraftError, SupersedeUnconfirmedError)
from app.commands.item_create import PublishDraftCommand
from app.commands.item_edit import Editing
from app.commands.parent_pin import ParentVersionError, choices, pins_for
from app.commands.publish import db_lint_context
from app.commands.schedule import (check_effective_date, effective_date_problem,
                                   version_states)
from app.engine.diff import definition_diff
from app.engine.export import export
from app.engine.lint import check_text
from app.engine.orphans import stale_overrides
from app.engine.variants import starts_on, today
from app.extensions import db
from app.models.application import OPEN_STATUSES, Application
from app.models.item import ItemVersion
from app.views.admin.item_inputs import SETTING_LABELS
from app.views.admin.items import ItemViewBase, _problems
from app.views.admin.items_actions import pinned, variant_warnings
from app.views.admin.items_editor import KIND_LABELS
from app.views.admin.definition_parts import part_at_line, part_name
from app.views.admin.lint_words import LintWords
from app.views.admin.publish_dates import date_shown, dates
from app.views.citizen.wizard import apply_row_change, live_keys, row_change
from app.workflow.routing import step_label
from app.workflow.staffing import gap_text, publish_gaps

PREVIEW_PERSON = {"name": "张三", "sex": "1", "birth_date": dt.date(1990, 1, 1),
                  "cert_type": "01", "id_number": "11010519491231002X"}


def _staffing(definition, region: str) -> list[tuple]:
    """Return the steps that would have nobody to decide them in some region (a warning: staff
    can be added after publishing), as the page lists lint's warnings."""
    if not definition:
        return []
    return [(SimpleNamespace(message=gap_text(gap)), ("step", gap.step.get("key")),
             step_label(gap.step)) for gap in publish_gaps(definition, region)]


class ItemPublishView(ItemViewBase):
    method_permission_name = {"publish": "publish", "preview": "list"}

    def _review(self, item, parent_version=None):
        """What the page shows of the draft, a variant built on parent version
        ``parent_version`` (None, or one it cannot be built on: the newest)."""
        text = item.draft_text or export(item.draft)
        where = f"{item.code}@{item.region_code}"
        checked = check_text(text, where, db_lint_context())
        bases = choices(checked.parent)
        try:
            pins = pins_for(checked.parent, parent_version)
        except ParentVersionError:
            pins = {}
        if pins:
            checked = check_text(text, where, db_lint_context(pins))
        definition = checked.definition or checked.source or item.draft
        words = LintWords(definition)  # settings and parts by label, not by key
        problems, warnings = ([(words.problem(p, where), where, part_name(definition, text, p))
                               for p in found for where in [part_at_line(text, p.line)]]
                              for found in (checked.problems, checked.warnings))
        warnings += _staffing(checked.definition, item.region_code)
        timing = dates(item, checked.parent.version_id if checked.parent else None)
        current = timing["current"]
        warnings += variant_warnings(item, current, checked.definition)
        stale = stale_overrides(checked.parent.definition, item.draft, pinned(item)) \
            if checked.parent and checked.parent.effective else []
        changes = definition_diff(current.definition if current else None,
                                  checked.definition) if checked.definition else []
        open_by_version = dict(db.session.execute(
            select(ItemVersion.number, func.count(Application.id))
            .join(Application, Application.version_id == ItemVersion.id)
            .where(ItemVersion.item_id == item.id, Application.status.in_(OPEN_STATUSES))
            .group_by(ItemVersion.number)).all())
        return dict(problems=problems, warnings=warnings, changes=changes, stale=stale,
                    open_by_version=open_by_version, in_flight=sum(open_by_version.values()),
                    bases=bases, newest_starts=starts_on(bases[0]) if bases else None, **timing)

    @expose("/<int:item_id>/publish", methods=["GET", "POST"])
    @has_access
    def publish(self, item_id: int):
        item = self.item(item_id, write=True)
        status, effective = 200, request.form.get("effective_from", "").strip()
        date_error, unconfirmed, review, base_error = None, [], None, None
        parent_version = request.values.get("parent_version", type=int)
        if request.method == "GET":  # the draft's date, said at once when it has passed
            review = self._review(item, parent_version)
            effective = date_shown(item, review["earliest"])
            try:
                check_effective_date(dt.date.fromisoformat(effective) if effective else None)
            except EffectiveDateInPastError as error:
                date_error = str(error)
        else:
            try:
                day = dt.date.fromisoformat(effective) if effective else None
                command = PublishDraftCommand(item, int(request.form.get("revision") or 0), day,
                                              supersede=_numbers(request.form.getlist("supersede")),
                                              parent_version=parent_version)
                version = command.run()
            except ParentVersionError as error:
                base_error, status = str(error), 422
            except ValueError:
                date_error, status = effective_date_problem(effective), 422
            except EffectiveDateInPastError as error:
                date_error, status = str(error), 422
            except SupersedeUnconfirmedError as error:
                unconfirmed, status = error.versions, 422
            except StaleDraftError as error:
                return self.page("stale.html", 409, item=item, message=str(error))
            except DefinitionInvalidError:
                status = 422
            except CommandError as error:
                flash(_problems(error), "danger")
                status = 422
            else:
                flash(str(_l("Published version %(number)s.", number=version.number)), "success")
                for old in command.superseded:
                    flash(str(_l("Version %(number)s, scheduled from %(day)s, is superseded: it "
                                 "will never take effect.", number=old.number,
                                 day=old.effective_from.isoformat())), "info")
                for warning, _where, _name in _staffing(version.definition, item.region_code):
                    flash(warning.message, "warning")
                return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        return self.page("publish.html", status, item=item, effective=effective,
                         kinds=KIND_LABELS, setting_labels=SETTING_LABELS, title=_l("Publish"),
                         date_error=date_error, unconfirmed=unconfirmed, today=today(),
                         base_error=base_error,
                         scheduled=[s.version for s in version_states(item)
                                    if s.state == "scheduled"],
                         **(review or self._review(item, parent_version)))

    @expose("/<int:item_id>/preview", methods=["GET", "POST"])
    @has_access
    def preview(self, item_id: int):
        """The citizen's wizard pages drawn from the draft, as citizens get them (live
        conditions, rows added and removed); answers travel in the page, nothing is stored."""
        from app.commands.applications.context import engine_context
        from app.engine.answers import validate_page
        from app.engine.forms import apply_errors

        item = self.item(item_id)
        try:
            definition = Editing.of(item).definition
        except CommandError as error:
            return self._preview_page(item, None, problem=str(error))
        pages = [p["key"] for p in definition.get("pages", [])]
        answers = _answers(request.form.get("_answers"))
        page = request.values.get("page") or (pages[0] if pages else None)
        if page not in pages:
            page = pages[0] if pages else None
        wizard = _Preview(definition, engine_context(item.region_code, str(get_locale() or "zh")),
                          {"filer": request.values.get("filer", "self"),
                           "region": item.region_code,
                           "person": dict(PREVIEW_PERSON, region=item.region_code)})
        errors, done, shown = {}, False, answers
        try:
            if request.method == "POST" and page is not None:
                raw = wizard.posted(page, answers)
                if request.args.get("fields"):  # the live update (htmx): the questions again
                    return render_template(
                        "citizen/partials/page_fields.html", fields_page=wizard.fields_page(
                            item, page), form=wizard.form(page, {**answers, **raw}))
                shown = {**answers, **raw}
                if row_change() is not None or request.form.get("_action") == "update":
                    apply_row_change(wizard.page(page), shown)
                else:
                    clean, errors, _warnings = validate_page(definition, page, shown, wizard.ctx,
                                                             wizard.variables)
                    index = pages.index(page)
                    if not errors:
                        answers.update(clean)
                        shown = answers
                        if request.form.get("_go") == "back":
                            page = pages[max(index - 1, 0)]
                        else:
                            done = index == len(pages) - 1
                            page = page if done else pages[index + 1]
            form = wizard.form(page, shown) if page is not None else None
        except Exception as error:  # noqa: BLE001 - a draft lint would refuse: say why
            return self._preview_page(item, definition, problem=str(error))
        if form is not None and errors:
            apply_errors(form, errors)
        return self._preview_page(
            item, definition, page=page, pages=pages, form=form, done=done,
            fields_page=wizard.fields_page(item, page) if page is not None else None,
            answers=json.dumps(answers, ensure_ascii=False, default=str),
            filer=wizard.variables["filer"])

    def _preview_page(self, item, definition, **context):
        return render_template("admin/items/preview.html", item=item, d=definition,
                               title=_l("Preview"), **context)


@dataclass
class _Preview:
    """The draft's wizard without an application: forms and the live update's page state."""

    definition: dict
    ctx: object
    variables: dict

    def page(self, key: str) -> dict:
        return next(p for p in self.definition["pages"] if p["key"] == key)

    def form(self, key: str, answers: dict):
        """Return the page's form showing ``answers`` (unbound: nothing read from the request)."""
        from app.engine.forms import build_page_form

        return build_page_form(self.definition, key, self.ctx, answers,
                               variables=self.variables)(formdata=None)

    def posted(self, key: str, answers: dict) -> dict:
        """Return the page's answers as typed, read the way the wizard reads them: once with
        the questions visible under the flat values sent, then with those they make visible."""
        from app.engine.fields import get_type
        from app.engine.forms import build_page_form, form_answers

        keys = {f["key"] for f in self.page(key).get("fields", ())
                if get_type(f["type"]).has_answer}

        def given(values) -> dict:
            return {k: v for k, v in values.items() if k in keys}

        def read(values) -> dict:
            return given(form_answers(build_page_form(
                self.definition, key, self.ctx, {**answers, **values},
                variables=self.variables)()))

        return read(read(given(request.form.to_dict())))

    def fields_page(self, item, key: str) -> SimpleNamespace:
        page = self.page(key)
        return SimpleNamespace(
            definitions={f["key"]: f for f in page.get("fields", ())}, readonly=set(), shown={},
            reasons={}, live=live_keys(page), can_edit=True,
            live_url=url_for("ItemPublishView.preview", item_id=item.id, fields=1))


def _numbers(values) -> frozenset[int]:
    """Return the version numbers a form confirms (anything else is not a confirmation)."""
    return frozenset(int(v) for v in values if v.isascii() and v.isdigit())


def _answers(text):
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
