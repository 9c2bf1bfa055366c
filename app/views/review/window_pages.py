"""The counter's item pages (/review/window/<id>/pages/<page>): read, saved and drawn as the
citizen's wizard does (app.views.citizen.wizard_read) — the posted answers are read twice, so
a question an answer on the page makes visible is judged at once; the live update (htmx,
``…/fields``) draws the questions again from the answers as typed, nothing saved, and without
JavaScript an "update" button saves and draws the page again. "Save and continue" stops on the
page while a question shown needs an answer (422, the message at the question)."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app.commands.applications.errors import ApplicationError
from app.commands.applications.save import SaveAnswersCommand
from app.engine.forms import apply_errors
from app.extensions import db
from app.views.citizen.wizard import apply_row_change, error_summary
from app.views.citizen.wizard_read import fields_page, headings, posted_form, saved_form
from app.views.citizen.wizard_support import Wizard
from app.views.review.window_support import served


class WindowPagesMixin:
    """``page_form`` and its live update ``fields``, for WindowEntryView."""

    def pages(self, application) -> list[dict]:
        """Return the pages that show a field under the answers so far, as the citizen wizard
        does (:meth:`Wizard.page_visible`): a page whose every field is hidden is skipped."""
        wizard = Wizard(application)
        return [p for p in application.version.definition.get("pages", ())
                if wizard.page_visible(p)]

    def _neighbour(self, application, page: str, back: bool = False) -> str:
        """Return the URL of the shown page after (``back``: before) ``page``, else materials."""
        every = [p["key"] for p in application.version.definition.get("pages", ())]
        shown = {p["key"] for p in self.pages(application)}
        index = every.index(page)
        order = reversed(every[:index]) if back else every[index + 1:]
        following = next((key for key in order if key in shown), None)
        if following is not None:
            return url_for(".page_form", pk=application.id, page=following)
        if back:
            return url_for(".page_form", pk=application.id, page=page)
        return url_for(".materials", pk=application.id)

    def _fields_page(self, wizard: Wizard, page: dict, form):
        pk, key = wizard.application.id, page["key"]
        return fields_page(wizard, page, form, url_for(".page_form", pk=pk, page=key),
                           url_for(".fields", pk=pk, page=key), editable=True)

    @expose("/<int:pk>/pages/<page>", methods=["GET", "POST"])
    @has_access
    def page_form(self, pk: int, page: str):
        application = self.window_application(pk)
        if page not in [p["key"] for p in self.pages(application)]:
            if not any(p.get("key") == page for p in application.version.definition.get(
                    "pages", ())):
                abort(404)
            # Nothing on it shows under the answers so far: on to the next page that does.
            return redirect(self._neighbour(application, page), 303)
        wizard = Wizard(application)
        if request.method == "POST":
            return self._save(wizard, wizard.page(page))
        return self._show(wizard, wizard.page(page), saved_form(wizard, wizard.page(page)))

    def _save(self, wizard: Wizard, page: dict):
        application, key = wizard.application, page["key"]
        form, raw = posted_form(wizard, page)
        apply_row_change(page, raw)
        try:
            result = SaveAnswersCommand(application, raw, page=key,
                                        user=application.applicant).run()
        except ApplicationError as error:
            db.session.rollback()
            apply_errors(form, getattr(error, "errors", None) or {})
            form.form_errors.append(str(error.message))
            return self._show(wizard, page, form, error.status_code)
        wizard = Wizard(application)  # the answers just saved decide the questions and pages
        going = request.form.get("_go")
        if going == "back":
            return redirect(self._neighbour(application, key, back=True), 303)
        if going != "next":  # "update" (a region picker's, a live question's), a row button
            return redirect(url_for(".page_form", pk=application.id, page=key), 303)
        if not result.errors:
            return redirect(self._neighbour(application, key), 303)
        form = saved_form(wizard, page)
        apply_errors(form, result.errors)
        problems = error_summary(form, headings(page.get("fields", ()), wizard.ctx))
        return self._show(wizard, page, form, 422, problems=problems)

    def _show(self, wizard: Wizard, page: dict, form, status: int = 200, **extra):
        application = wizard.application
        return self.page("window_page.html", status, application=application, form=form,
                         page=page["key"], pages=self.pages(application), ctx=wizard.ctx,
                         page_title=wizard.ctx.text(page.get("title")) or page["key"],
                         fields_page=self._fields_page(wizard, page, form),
                         served=served(application), title=_l("Window entry"), **extra)

    @expose("/<int:pk>/pages/<page>/fields", methods=["POST"])
    @has_access
    def fields(self, pk: int, page: str):
        """Draw the page's questions again from the input as typed (htmx; nothing saved)."""
        wizard = Wizard(self.window_application(pk))
        form, _raw = posted_form(wizard, wizard.page(page))
        return render_template("citizen/partials/page_fields.html", form=form,
                               fields_page=self._fields_page(wizard, wizard.page(page), form))
