"""The generated wizard (/applications/<id>/…): notice, who applies, the definition's pages.

Every page is saved when it is sent (SaveAnswersCommand, with the lock version the page was
drawn with: a stale tab gets the 409 page, never a silent overwrite). The engine is the only
evaluator: the live update (htmx) and the "update" button without JavaScript both ask the
server to draw the page's questions again from the answers as typed.
"""
from __future__ import annotations

from types import MappingProxyType, SimpleNamespace

from flask import abort, redirect, render_template, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField

from app.commands.applications.errors import (ApplicationInvalidError, NotAllowedError,
                                              StaleApplicationError)
from app.commands.applications.save import SaveAnswersCommand
from app.engine.forms import apply_errors
from app.engine.limits import max_items
from app.extensions import db
from app.views.citizen import requires_verified_identity
from app.views.citizen.answer_display import shown_answers
from app.views.citizen.wizard_entry import WizardEntryMixin
from app.views.citizen.wizard_support import (STALE, CitizenView, Wizard, apply_permission,
                                              command_errors, load)
from app.views.citizen.wizard_read import (carried, fields_page, headings,  # noqa: F401
                                           live_keys, posted_form, saved_form)

#: What an error summary links to: the input of a field drawn as one (its id is the field's),
#: the first option of a choice, else the question.
SIMPLE = frozenset(("StringField", "TextAreaField", "SelectField", "BooleanField"))
OPTIONS = frozenset(("RadioField", "SelectMultipleField"))


def _first_error(field) -> str | None:
    """Return the first message on a field or, for a group, on one of its parts."""
    if isinstance(field, FormField):  # its errors are its form's, by member name
        return next(filter(None, map(_first_error, field)), None)
    own = [error for error in field.errors or () if isinstance(error, str)]
    return own[0] if own else None


def _target(field) -> str:
    """Return the id an error summary links to for a field in error."""
    if field.type in OPTIONS:
        return f"{field.id}-0"
    return field.id if field.type in SIMPLE else f"q-{field.name}"


def _row_errors(field: FieldList) -> list[tuple[str, str, str]]:
    """Return (row and question, its first message, its input's id) for each question in
    error in the rows of a repeating group, row by row ("No. 3 ID number")."""
    return [(str(_l("%(row)s %(question)s", row=_l("No. %(number)d", number=number),
                    question=member.label.text)), message, _target(member))
            for number, entry in enumerate(field.entries, 1) for member in entry
            if (message := _first_error(member)) is not None]


def error_summary(form, names=MappingProxyType({})) -> list[tuple[str, str, str]]:
    """Return (question — a pledge by its name in ``names`` —, first message, id to link to) for
    each question in error; a repeating group's own message, then each row's, named by row."""
    summary = []
    for field in form:
        if isinstance(field, FieldList):  # each rule across its rows, then its rows
            summary += [(field.label.text, message, _target(field)) for message in field.errors
                        if isinstance(message, str)] + _row_errors(field)
        elif (message := _first_error(field)) is not None:
            summary.append((names.get(field.name) or field.label.text, message, _target(field)))
    return summary


def row_change() -> tuple[str, str, int] | None:
    """Return ("add"|"remove", repeat key, row) when an add/remove row button was pressed."""
    if request.form.get("add_row"):
        return "add", request.form["add_row"], -1
    for name, value in request.form.items():
        if name.startswith("remove_row_") and name[11:].isdigit():
            return "remove", value, int(name[11:])
    return None


def apply_row_change(page: dict, raw: dict) -> None:
    """Add or remove a row of a repeating group as the pressed button asks (works without JS)."""
    change = row_change()
    fields = {f["key"]: f for f in page.get("fields", ()) if f.get("type") == "repeat"}
    if change is None or change[1] not in fields or not isinstance(raw.get(change[1]), list):
        return
    verb, key, index = change
    rows = list(raw[key])
    if verb == "add" and len(rows) < max_items(fields[key]):
        rows.append({})
    elif verb == "remove" and 0 <= index < len(rows):
        del rows[index]
    raw[key] = rows


class WizardView(WizardEntryMixin, CitizenView):
    """/applications/<id>/: resume, notice, filer, pages and their live update."""

    route_base = "/applications"
    default_view = "resume"
    method_permission_name = apply_permission("resume", "notice", "filer", "page", "fields")

    def saved(self, wizard: Wizard, page: dict):
        return saved_form(wizard, page)

    def posted(self, wizard: Wizard, page: dict):
        return posted_form(wizard, page)

    def fields_page(self, wizard: Wizard, page: dict, form) -> SimpleNamespace:
        pk, key = wizard.application.id, page["key"]
        return fields_page(wizard, page, form, url_for("WizardView.page", pk=pk, page_key=key),
                           url_for("WizardView.fields", pk=pk, page_key=key), wizard.editable)

    def show(self, wizard: Wizard, page: dict, form, status: int = 200, **extra):
        return self.render_template(
            "citizen/wizard_page.html", page=page, form=form,
            fields_page=self.fields_page(wizard, page, form),
            **wizard.context(page["key"], **extra)), status

    @expose("/<int:pk>/pages/<page_key>", methods=["GET", "POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def page(self, pk, page_key):
        """Show one page of the definition; save it on every POST."""
        wizard = Wizard(load(pk))
        if not wizard.editable:
            return redirect(url_for("MyApplicationsView.detail", pk=pk))
        page = wizard.page(page_key)
        if wizard.index(page_key) < 0:  # hidden by the answers, or not to correct
            return redirect(wizard.resume_url())
        if request.method == "POST":
            return self.save(wizard, page)
        return self.show(wizard, page, self.saved(wizard, page))

    def save(self, wizard: Wizard, page: dict):
        application = wizard.application
        form, raw = self.posted(wizard, page)
        apply_row_change(page, raw)
        try:
            version = int(request.form.get("_version", ""))
        except ValueError:
            abort(400)
        action = request.form.get("_action", "update")
        try:
            result = SaveAnswersCommand(application, raw, version, page["key"]).run()
        except StaleApplicationError:
            db.session.rollback()
            return self.stale(wizard, page, form)
        except (NotAllowedError, ApplicationInvalidError) as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
            return self.show(wizard, page, form, error.status_code)
        wizard = Wizard(application)  # the answers may show or hide later pages
        if "_goto" in request.form:  # a step of the progress bar: saved, then gone, as "back"
            return redirect(wizard.goto(request.form["_goto"]))
        previous, following = wizard.neighbours(page["key"])
        if action == "back" and previous is not None:
            return redirect(previous.url)
        if action == "next" and not result.errors:
            return redirect(following.url if following else wizard.resume_url())
        form = self.saved(wizard, page)
        if action != "next":
            return self.show(wizard, page, form)
        apply_errors(form, result.errors)
        problems = error_summary(form, headings(page.get("fields", ()), wizard.ctx))
        return self.show(wizard, page, form, 422, problems=problems)

    def stale(self, wizard: Wizard, page: dict, form):
        """Answer 409: the newer saved answers (the questions their own conditions show, not
        this tab's), and this tab's input kept in the form."""
        application = wizard.application
        db.session.refresh(application)
        visible = Wizard(application).state(page["key"]).visible
        fields = [f for f in page.get("fields", ()) if f["key"] in visible]
        saved = shown_answers(fields, wizard.shown(application.answers or {}), wizard.ctx)
        form.form_errors.append(str(STALE))
        return self.show(wizard, page, form, 409, saved=[
            (wizard.ctx.text(f.get("label")) or f["key"], saved.get(f["key"]))
            for f in fields if f.get("type") != "display"])

    @expose("/<int:pk>/pages/<page_key>/fields", methods=["POST"])
    @has_access
    @command_errors
    def fields(self, pk, page_key):
        """Draw the page's questions again from the input as typed (htmx; nothing saved)."""
        wizard = Wizard(load(pk))
        page = wizard.page(page_key)
        if not wizard.editable:
            abort(409)
        form, _raw = self.posted(wizard, page)
        return render_template("citizen/partials/page_fields.html", form=form,
                               fields_page=self.fields_page(wizard, page, form))

    @expose("/<int:pk>/", methods=["GET"])
    @has_access
    @requires_verified_identity
    @command_errors
    def resume(self, pk):
        """Go on where the application needs something (or to its page when not editable)."""
        wizard = Wizard(load(pk))
        if not wizard.editable:
            return redirect(url_for("MyApplicationsView.detail", pk=pk))
        return redirect(wizard.resume_url())

