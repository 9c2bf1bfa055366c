"""One application for staff: answers, materials (previewed inline), timeline, decision forms.

``/review/applications/<id>`` answers 404 outside what the user may see as staff
(``app.workflow.get_reviewable``), never confirming that the application exists. Personal
identifiers are masked (``display``); shown in full only on the one view after a recorded
``reveal`` (ID numbers, phone numbers and bank accounts alike).

The document the applicant received (an item's ``result_document``, once approved: the state in
which 我要查 links it) is linked from the page and shown printable at
``/review/applications/<id>/document``, scoped the same way. Opening it is not recorded, as
opening this page is not (only a file's view is, E5): it shows nothing the page does not, its
answers masked as here (ID numbers, mobiles, bank accounts).

Files: ``/review/applications/<id>/files/<file_id>`` (scoped the same way; a file opened is
recorded as ``application.file_viewed``, the page's previews once per page view:
``app.views.review.previews``). Images and PDFs go out ``inline`` for the page's <img> and
<object>, with the type chosen at upload, ``nosniff``, a ``sandbox`` Content-Security-Policy
and framing allowed from this site only; every other type is an attachment (C2).
"""
from __future__ import annotations

from flask import abort, current_app, g, request
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import workflow
from app.api.applications.files import attachment_response, content_disposition
from app.audit import record
from app.commands.applications.context import engine_context, subject_id_number
from app.commands.applications.errors import ApplicationNotFoundError
from app.commands.applications.unchanged import unchanged as left_unchanged
from app.commands.applications.urge import mark_read, urges_waiting
from app.commands.reviews.return_ import fixed_reason, returnable_keys
from app.commands.reviews.reveal import identifier_kinds, may_reveal
from app.extensions import db
from app.models.application import Application, Attachment
from app.models.user import BanshiUser
from app.validators import mask_id_number
from app.views.outcomes import status_name
from app.views.result_document import result_document
from app.workflow.chain import scope_for
from app.workflow.document_facts import document_gaps
from app.views.result_document_pdf import pdf_response
from app.views.review import ReviewBaseView, deadline_state, drafts, local_time
from app.views.review.materials import INLINE_TYPES, materials, not_needed
from app.views.review.previews import is_recorded_preview, record_previews
from app.views.review.refusal import approval_words, refusal_words
from app.views.review.reveal_words import reveal_button
from app.views.review.display import (answer_diff, answer_sections, field_labels,
                                      material_labels)
from app.views.review.queue import queue_link
from app.views.review.timeline import last_return, timeline
from app.workflow import deadlines
from app.workflow.cosign import progress

FILE_CSP = ("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'self'")


#: The permission the decision routes check (app.roles.DECIDE_PERMISSIONS), as FAB names it.
DECIDE_ON_DESK = ("can_decide", "ReviewDesk")
CLOSED = ("approved", "refused", "withdrawn")
READ_ONLY = _l("Your account may read applications here but not decide them.")


def detail_context(application: Application, **extra) -> dict:
    """Everything the detail page shows; ``extra``: errors, posted, open_form, and
    ``revealed`` (True: every identifier in full, on this one view after a recorded reveal)."""
    revealed = bool(extra.get("revealed"))
    ctx = engine_context(application, str(get_locale() or "zh"))
    definition = application.version.definition or {}
    step = workflow.current_step(application)
    verdict = workflow.can_decide(g.user, application, step)
    if verdict.allowed and not current_app.appbuilder.sm.has_access(*DECIDE_ON_DESK):
        # The step names a role this account holds but the desk lets it read only (an older
        # version naming RegionAdmin): no buttons the decision would refuse (403).
        verdict = workflow.Verdict(False, READ_ONLY)
    history, returned_at = timeline(application, ctx), last_return(application)
    today = deadlines.today()
    request = application.return_request or {}
    labels = {"fields": field_labels(definition, ctx, application.answers or {}),
              "materials": material_labels(definition, ctx)}
    asked = returnable_keys(application)
    refusal = refusal_words(application.version, application.current_step)
    shown = materials(application, ctx, returned_at, asked["materials"])
    kinds = identifier_kinds(application)
    context = {
        "application": application, "item_name": ctx.text(definition.get("name")),
        "status_name": status_name(definition, application.status, ctx) or (
            refusal["status"] if application.status == "refused" else None),
        "refusal": refusal,
        # A closed application is at no step: "—", whether approved, refused or withdrawn.
        "step_name": None if application.status in CLOSED else workflow.step_label(step),
        "approval": approval_words(application.version, application.current_step),
        "cosign": progress(application, step),  # None: one person decides
        "step_state": deadline_state(application.step_deadline, today,
                                     deadlines.due_soon_cutoff(today),
                                     application.step_due_soon_from)
        if application.status == "submitted" else None,
        "step_provisional": application.status == "submitted"
        and deadlines.step_deadline_provisional(application),
        "statutory_state": deadline_state(application.deadline, today,
                                          deadlines.due_soon_cutoff(today))
        if application.status == "submitted" else None,
        "submitted_at": local_time(application.submitted_at),
        # In full, as in the answers below: the reviewer deciding needs them (lists mask it;
        # the ID number stays masked here too, revealed only with a recorded reason).
        "subject_name": application.subject_name,
        "subject_id": (subject_id_number(application) if revealed
                       else mask_id_number(subject_id_number(application))) or "—",
        "entered_by": db.session.get(BanshiUser, application.entered_by_id)
        if application.entered_by_id else None,
        "sections": answer_sections(application, ctx, reveal=revealed),
        "materials": shown,
        "not_needed": not_needed(shown),
        "timeline": history, "can_decide": verdict.allowed, "why_not": verdict.reason,
        "urges": [local_time(urge.at) for urge in urges_waiting(application)],  # 催办
        "labels": labels,
        # The return checklist: only what the applicant was asked for (一次性告知).
        # Shown fields the applicant cannot change (registry, read-only, computed) are listed
        # greyed with why, never offered to tick.
        "choices": {"fields": field_labels(definition, ctx, application.answers or {},
                                           only=asked["fields"] | asked["fixed"]),
                    "materials": {k: v for k, v in labels["materials"].items()
                                  if k in asked["materials"]}},
        "fixed": {key: fixed_reason(application, key) for key in asked["fixed"]},
        "return_request": [(labels[kind].get(key, key), reason)
                           for kind in ("fields", "materials")
                           for key, reason in (request.get(kind) or {}).items()],
        "return_comment": request.get("comment"),
        "diff": answer_diff(application, ctx, reveal=revealed)
        if application.status != "returned" else [],
        # Asked for at the last return but resubmitted as it was (what the citizen was warned of).
        "unchanged": left_unchanged(application, definition, ctx)
        if application.status != "returned" else [],
        "document": result_document(application, ctx),  # None until the applicant has it
        # Its registry facts would print empty: said before the reviewer approves.
        "document_gaps": document_gaps(application, lambda: scope_for(application))
        if verdict.allowed else [],
        "may_reveal": may_reveal(g.user) and bool(kinds),
        "reveal_button": reveal_button(kinds),
        "errors": {}, "posted": {}, "revealed": False, "open_form": None,
        "back": queue_link(None),
        "title": _l("Application %(serial)s", serial=application.serial or application.id),
    }
    context.update(extra)
    return context


class ReviewDetailView(ReviewBaseView):
    """``/review/applications/<id>``, its files and the document it delivered."""

    route_base = "/review/applications"
    method_permission_name = {"show": "read", "file": "read", "document": "read",
                              "document_pdf": "read"}

    def render_detail(self, application: Application, status: int = 200, **extra):
        return self.page("detail.html", status, **detail_context(application, **extra))

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int):
        application = self.reviewable(pk)
        extra = drafts.take(pk)  # a form that came back with errors, as it was typed
        extra["back"] = queue_link(request.args.get("queue"))  # the queue it was opened from
        if drafts.take_revealed(pk) and may_reveal(g.user):  # shown once, recorded once
            extra["revealed"] = True
        context = detail_context(application, **extra)
        if mark_read(application, g.user):  # the reader's in-app notices (催办): read now
            db.session.commit()
        record_previews(application, context["materials"])  # one event for the page's previews
        return self.page("detail.html", 200, **context)

    @expose("/<int:pk>/document")
    @has_access
    def document(self, pk: int):
        """Show the document the applicant received, printable, as they see it; 404 outside
        the staff scope, before approval, or when the item issues none."""
        application, document = self.issued(pk)
        return self.page("result_document.html", application=application, document=document,
                         title=document.title)

    @expose("/<int:pk>/document.pdf")
    @has_access
    def document_pdf(self, pk: int):
        """Send that document as the applicant's PDF file; 404 as the page."""
        return pdf_response(self.issued(pk)[1])

    def issued(self, pk: int):
        """Return (application, its issued document); 404 outside the scope or without one."""
        application = self.reviewable(pk)
        document = result_document(application, engine_context(
            application, str(get_locale() or "zh")))
        if document is None:
            abort(404)
        return application, document

    @expose("/<int:pk>/files/<int:file_id>")
    @has_access
    def file(self, pk: int, file_id: int):
        application = self.reviewable(pk)
        attachment = db.session.scalar(select(Attachment).where(
            Attachment.id == file_id, Attachment.application_id == application.id,
            Attachment.removed_at.is_(None)))
        if attachment is None:
            abort(404)
        if application.applicant_id != g.user.id and not is_recorded_preview(pk, attachment.id):
            # a view of personal data by staff (E5); the page's previews: app.views.review.previews
            record("application.file_viewed", "application", application.id,
                   application.region_code, file_id=attachment.id,
                   material=attachment.material_key)
            db.session.commit()
        try:
            response = attachment_response(attachment)
        except ApplicationNotFoundError:  # the stored file is gone: reconcile lists it
            abort(404)
        if attachment.content_type in INLINE_TYPES:
            extension = attachment.original_name.rsplit(".", 1)[-1] \
                if "." in attachment.original_name else ""
            response.headers["Content-Disposition"] = "inline" + content_disposition(
                attachment.original_name, extension if extension.isalnum() else "")[
                len("attachment"):]
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = FILE_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        return response
