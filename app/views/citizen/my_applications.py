"""我要查 (/my/applications/): the citizen's applications, one application's progress, files.

Tabs filter on the server: 全部 (every application, drafts too), 受理中 (submitted or returned
for correction), 已完成 (approved, refused or withdrawn). Lists come from the scoped query
(app.scoping) restricted to the caller's own account; a file is downloaded by its attachment id
through the same scoped lookups and response as the API's (C2, C5). Rows mask ID numbers and
mobiles; the detail page shows them as the API's detail does
(app.commands.applications.identifiers).
"""
from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.applications.files import attachment_response
from app.api.applications.history import citizen_action_name
from app.commands.applications.access import get_attachment
from app.commands.applications.context import engine_context
from app.commands.applications.delete import DeleteDraftCommand
from app.commands.applications.errors import ApplicationNotFoundError, NotAllowedError
from app.commands.applications.filer import describe_agent
from app.commands.applications.identifiers import identifiers_in_full
from app.commands.applications.save import EDITABLE
from app.commands.applications.timeline import timeline
from app.commands.applications.urge import (UrgeApplicationCommand, urgeable, urged_today,
                                            urges)
from app.commands.applications.withdraw import WithdrawApplicationCommand, withdrawable
from app.engine.answers import validate_all
from app.extensions import db
from app.models.application import CLOSED_STATUSES, Application, Attachment
from app.scoping import current_user, scope_condition
from app.validators import mask_id_number, mask_name
from app.views.citizen.answer_display import sections
from app.views.citizen.wizard_confirm import files_by_material, not_needed
from app.views.citizen.wizard_support import (CitizenView, Wizard, apply_permission,
                                              command_errors, load)
from app.views.outcomes import status_text, summary_rows, visible_answers
from app.views.result_document import result_document
from app.views.result_document_pdf import pdf_response

PAGE_SIZE = 30
# 我要查's tabs as SERVICE_ITEMS.md names them: 全部 / 受理中 / 已完成; a submitted row's status
# says the same word as its tab ("Being processed": 受理中, in English "In progress").
TABS = {"all": (_l("All"), None), "open": (_l("Being processed"), ("submitted", "returned")),
        "done": (_l("Completed"), CLOSED_STATUSES)}
STATUS_WORDS = {
    "draft": _l("Draft — not submitted"), "submitted": _l("Being processed"),
    "returned": _l("Returned for correction"), "approved": _l("Approved"),
    "refused": _l("Refused"), "withdrawn": _l("Withdrawn"),
}


def can_withdraw(application: Application) -> bool:
    """Tell whether the withdraw button is offered: the command's rule (:func:`withdrawable`),
    which it checks again on POST. A draft is deleted instead (:func:`can_delete`)."""
    return withdrawable(application)


def can_delete(application: Application) -> bool:
    """Tell whether the delete button is offered: a draft never submitted."""
    return application.status == "draft" and application.submitted_at is None


def listed_summary(application: Application) -> list:
    """Return the summary a row of the list shows: an agent's application names the person
    applied for masked there, as its 办理对象 does (a name field given from ``person.name``, or
    any answer that is their name)."""
    definition = application.version.definition
    rows = summary_rows(definition, visible_answers(application), engine_context(application))
    name = application.subject_name
    if application.filer != "agent" or not name:
        return rows
    named = {f["key"] for page in definition.get("pages", ()) for f in page.get("fields", ())
             if "person.name" in (f.get("prefill"), f.get("source"))}
    return [replace(row, value=mask_name(row.value)) if row.key in named or row.value == name
            else row for row in rows]


def issued(pk: int):
    """Return (the caller's application, the document it delivers); 404 without one."""
    application = load(pk)
    document = result_document(application, engine_context(application))
    if document is None:
        abort(404)
    return application, document


class MyApplicationsView(CitizenView):
    """/my/applications/, /my/applications/<id>, its withdrawal, /my/files/<file id>."""

    route_base = "/my"
    default_view = "index"
    method_permission_name = apply_permission("index", "detail", "document", "document_pdf",
                                                "withdraw", "delete", "download", "urge")

    @expose("/applications/")
    @has_access
    def index(self):
        """List the caller's applications under one tab, newest first (keyset pages)."""
        tab = request.args.get("tab", "all")
        if tab not in TABS:
            tab = "all"
        user = current_user()
        query = (select(Application)
                 .where(Application.applicant_id == user.id, scope_condition(Application, user))
                 .options(selectinload(Application.version))
                 .order_by(Application.id.desc()).limit(PAGE_SIZE + 1))
        statuses = TABS[tab][1]
        if statuses:
            query = query.where(Application.status.in_(statuses))
        after = request.args.get("after", "")
        if after.isdigit():
            query = query.where(Application.id < int(after))
        rows = list(db.session.scalars(query))
        more = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
        ctx = engine_context(None)
        return self.render_template(
            "citizen/applications.html", title=_l("My applications"), tabs=TABS, tab=tab,
            rows=[(a, ctx.text(a.version.definition.get("name")), self.step_name(a),
                   status_text(a, STATUS_WORDS, ctx),
                   listed_summary(a))
                  for a in rows[:PAGE_SIZE]], more=more)

    @staticmethod
    def step_name(application: Application) -> str:
        """Return the review step (in progress), the wizard step to go on at (a draft), or ""."""
        from app import workflow

        if application.status == "draft":  # tells two drafts of one item apart
            wizard = Wizard(application)
            url = wizard.resume_url()
            return next((step.label for step in wizard.steps() if step.url == url), "")
        if application.status not in ("submitted", "returned"):
            return ""
        return workflow.step_label(workflow.step_of(application.version,
                                                    application.current_step))

    @expose("/applications/<int:pk>")
    @has_access
    @command_errors
    def detail(self, pk):
        """Show one application: status, agent, timeline, what to correct, answers, files."""
        application = load(pk)
        wizard = Wizard(application)
        answers = application.answers or {}
        if application.status in EDITABLE:  # raw as typed: show what a submission would keep
            answers = validate_all(wizard.definition, answers, wizard.ctx,
                                   wizard.variables).answers
        answers = wizard.shown(answers)  # an agent: the subject's registry record masked
        in_full = identifiers_in_full(application)  # one rule with the API's detail
        return self.render_template(
            "citizen/application.html", wizard=wizard, application=application,
            title=wizard.name, status=status_text(application, STATUS_WORDS, wizard.ctx),
            step_name=self.step_name(application),
            timeline=[(entry, citizen_action_name(entry)) for entry in timeline(application)],
            can_withdraw=can_withdraw(application),
            can_urge=urgeable(application), urged_today=urged_today(application),
            urges=urges(application),
            can_delete=can_delete(application),
            sections=sections(wizard.definition, answers, wizard.ctx, mask=not in_full),
            materials=wizard.definition.get("materials", ()),
            files=files_by_material(application), not_needed=not_needed(wizard),
            pledges=(application.answers or {}).get("_pledges") or {},
            agent=describe_agent(application, wizard.ctx),  # the caller filed: in full
            subject_id=application.subject_id_number if in_full
            else mask_id_number(application.subject_id_number),
            field_labels=self.labels(wizard),
            document=result_document(application, wizard.ctx))

    @expose("/applications/<int:pk>/document")
    @has_access
    @command_errors
    def document(self, pk):
        """Show the document an approved application delivers, as a printable page; 404 when
        the application is not the caller's, not approved, or its item issues none."""
        application, document = issued(pk)
        return self.render_template("citizen/result_document.html", application=application,
                                    document=document, title=document.title)

    @expose("/applications/<int:pk>/document.pdf")
    @has_access
    @command_errors
    def document_pdf(self, pk):
        """Send that document as a PDF file (app.views.result_document_pdf); 404 as the page."""
        return pdf_response(issued(pk)[1])

    @staticmethod
    def labels(wizard: Wizard) -> dict:
        """Return the labels of the questions and materials a return may name, by key."""
        labels = {f["key"]: wizard.ctx.text(f.get("label")) or f["key"]
                  for page in wizard.definition.get("pages", ()) for f in page.get("fields", ())}
        labels.update({f"materials.{m['key']}": wizard.ctx.text(m.get("label")) or m["key"]
                       for m in wizard.definition.get("materials", ())})
        return labels

    @expose("/applications/<int:pk>/withdraw", methods=["GET", "POST"])
    @has_access
    @command_errors
    def withdraw(self, pk):
        """Ask to confirm, then withdraw the application (before any decision; the command decides).

        The confirmation is a page of its own (no JavaScript needed); a POST without its
        ``confirmed`` field shows that page instead of withdrawing.
        """
        application = load(pk)
        if request.method == "GET" or request.form.get("confirmed") != "1":
            return self._confirm(application, "withdraw", can_withdraw(application))
        try:
            WithdrawApplicationCommand(application,
                                       reason=request.form.get("reason") or None).run()
        except NotAllowedError as error:  # decided meanwhile: say so on the application
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            flash(str(_l("The application was withdrawn.")), "success")
        return redirect(url_for("MyApplicationsView.detail", pk=pk), 303)

    @expose("/applications/<int:pk>/urge", methods=["POST"])
    @has_access
    @command_errors
    def urge(self, pk):
        """Urge the office to decide an overdue application (催办): no confirmation needed,
        it changes nothing of the application and is allowed once a working day."""
        application = load(pk)
        try:
            UrgeApplicationCommand(application).run()
        except NotAllowedError as error:  # decided, urged or no longer overdue meanwhile
            flash(str(error.message), "danger")
        else:
            flash(str(_l("The office was urged to decide your application.")), "success")
        return redirect(url_for("MyApplicationsView.detail", pk=pk), 303)

    @expose("/applications/<int:pk>/delete", methods=["GET", "POST"])
    @has_access
    @command_errors
    def delete(self, pk):
        """Ask to confirm, then delete a draft never submitted, with its files."""
        application = load(pk)
        if request.method == "GET" or request.form.get("confirmed") != "1":
            return self._confirm(application, "delete", can_delete(application))
        try:
            DeleteDraftCommand(application).run()
        except NotAllowedError as error:  # submitted meanwhile (another tab): say so
            db.session.rollback()
            flash(str(error.message), "danger")
            return redirect(url_for("MyApplicationsView.detail", pk=pk), 303)
        flash(str(_l("The draft was deleted.")), "success")
        return redirect(url_for("MyApplicationsView.index"), 303)

    def _confirm(self, application: Application, action: str, allowed: bool):
        """Show the confirmation page of ``action``, or the application when it is not offered."""
        if not allowed:
            return redirect(url_for("MyApplicationsView.detail", pk=application.id), 303)
        ctx = engine_context(None)
        return self.render_template(
            "citizen/application_action.html", application=application, action=action,
            name=ctx.text(application.version.definition.get("name")),
            title=_l("Withdraw this application") if action == "withdraw"
            else _l("Delete this draft"), status=status_text(application, STATUS_WORDS, ctx))

    @expose("/files/<int:file_id>")
    @has_access
    @command_errors
    def download(self, file_id):
        """Download one of the caller's own files (attachment, server-chosen type, nosniff)."""
        application_id = db.session.scalar(
            select(Attachment.application_id).where(Attachment.id == file_id))
        if application_id is None:
            abort(404)
        application = load(application_id)
        try:
            attachment = get_attachment(application, file_id)
        except ApplicationNotFoundError:
            abort(404)
        return attachment_response(attachment)
