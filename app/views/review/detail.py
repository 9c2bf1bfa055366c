"""One application for staff: answers, materials (previewed inline), timeline, decision forms.

``/review/applications/<id>`` answers 404 outside what the user may see as staff
(``app.workflow.get_reviewable``), never confirming that the application exists. Personal
identifiers are masked (``display``); the full ID number only through ``reveal``.

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

from typing import Any, Optional

from flask import abort, current_app, g, request
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import workflow
from app.api.applications.files import attachment_response, content_disposition
from app.audit import record
from app.commands.applications.context import engine_context, subject_id_number
from app.commands.applications.errors import ApplicationNotFoundError
from app.commands.applications.unchanged import unchanged as left_unchanged
from app.commands.reviews.return_ import fixed_reason, returnable_keys
from app.commands.reviews.reveal import may_reveal
from app.extensions import db
from app.models.application import Application, Attachment, StepDecision
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from app.validators import mask_id_number
from app.views.outcomes import status_name
from app.views.result_document import result_document
from app.views.result_document_pdf import pdf_response
from app.views.review import ReviewBaseView, deadline_state, drafts, local_time
from app.views.review.previews import is_recorded_preview, record_previews
from app.views.review.refusal import refusal_words
from app.views.review.display import (answer_diff, answer_sections, field_labels,
                                      material_labels)
from app.views.review.queue import queue_link
from app.workflow import deadlines
from app.workflow.cosign import progress

INLINE_TYPES = {"image/png": "image", "image/jpeg": "image", "application/pdf": "pdf"}
FILE_CSP = ("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'self'")
ACTIONS = {
    "application.created": _l("Application started"),
    "application.filer_set": _l("Who applies was recorded"),
    "application.window_entry": _l("Entered at the window, identity card checked"),
    "application.submitted": _l("Submitted"),
    "application.resubmitted": _l("Resubmitted after correction"),
    "application.approve": _l("Approved"),
    "application.return": _l("Returned for correction"),
    "application.refuse": _l("Refused"),
    "application.decide": _l("Approved by rule"),
    "application.rule_referred": _l("Referred to a reviewer by rule"),
    "application.material_added": _l("Material added"),
    "application.material_removed": _l("Material removed"),
    "application.withdrawn": _l("Withdrawn"),
    "application.subject_notified": _l("The person applied for was told by SMS"),
    "application.anonymised": _l("Personal data removed after the retention period"),
    "application.deleted": _l("Draft deleted"),
    "identity.reveal": _l("Full ID number revealed"),
}
# Recorded for audit, not part of the timeline.
HIDDEN_ACTIONS = {"application.file_viewed", "application.files_shown"}
# Every action recorded on an application is in one of the two (tests/unit/test_history_labels.py).


def _last_return(application: Application) -> Optional[Any]:
    """Return when the application was last returned (the commands' clock), or None."""
    return db.session.scalar(select(func.max(StepDecision.at)).where(
        StepDecision.application_id == application.id, StepDecision.decision == "return"))


def _timeline(application: Application, ctx) -> list[dict]:
    """Return the history rows, oldest first."""
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "application", AuditEvent.object_id == str(application.id))
        .order_by(AuditEvent.at, AuditEvent.id)))
    actors = {e.actor_id for e in events if e.actor_id is not None}
    names = dict(db.session.execute(select(BanshiUser.id, BanshiUser.first_name).where(
        BanshiUser.id.in_(sorted(actors)))).all()) if actors else {}
    definition, rows = application.version.definition, []
    labels = {"fields": field_labels(definition, ctx, application.answers or {}),
              "materials": material_labels(definition, ctx)}
    for event in events:
        if event.action in HIDDEN_ACTIONS:
            continue
        detail = event.detail or {}
        if event.actor_id is None:
            by = _l("System")
        elif event.actor_id == application.applicant_id:
            by = _l("Applicant")
        else:
            by = names.get(event.actor_id) or _l("Staff")
        missing = detail.get("missing") or {}
        rows.append({
            "at": local_time(event.at),
            "action": refusal_words(application.version, detail.get("step"))["history"]
            if event.action == "application.refuse" else ACTIONS.get(event.action, event.action),
            "code": event.action, "by": by,
            "step": workflow.step_label(workflow.step_of(application.version,
                                                         detail.get("step"))),
            "comment": detail.get("comment"), "reason": detail.get("reason"),
            "flagged": [labels[kind].get(key, key) for kind in ("fields", "materials")
                        for key in missing.get(kind, ())],
        })
    return rows


def _materials(application: Application, ctx, since, asked: set[str]) -> list[dict]:
    """Return each material with its files; ``applicable``: required of the applicant under
    their answers, or given anyway; else ``optional`` (never required: the applicant chose not
    to give it) or not needed under these answers (its ``required_when`` is false)."""
    definition = application.version.definition
    files: dict[str, list] = {}
    for attachment in application.attachments:
        if attachment.removed_at is not None:
            continue
        files.setdefault(attachment.material_key, []).append({
            "id": attachment.id, "name": attachment.original_name, "size": attachment.size,
            "kind": INLINE_TYPES.get(attachment.content_type, "other"),
            "new": since is not None and attachment.uploaded_at > since,
        })
    pledges = (application.answers or {}).get("_pledges") or {}
    return [{"key": m["key"], "label": ctx.text(m.get("label")) or m["key"],
             "files": files.get(m["key"], []), "pledged": bool(pledges.get(m["key"])),
             # an optional material not given reads as such, though a return may ask for it
             "applicable": m["key"] in asked and bool(
                 m.get("required") or m.get("required_when") or files.get(m["key"])
                 or pledges.get(m["key"])),
             "optional": not m.get("required_when")}
            for m in definition.get("materials", ())]


#: The permission the decision routes check (app.roles.DECIDE_PERMISSIONS), as FAB names it.
DECIDE_ON_DESK = ("can_decide", "ReviewDesk")
READ_ONLY = _l("Your account may read applications here but not decide them.")


def detail_context(application: Application, **extra) -> dict:
    """Everything the detail page shows; ``extra``: errors, posted, revealed, open_form."""
    ctx = engine_context(application, str(get_locale() or "zh"))
    definition = application.version.definition or {}
    step = workflow.current_step(application)
    verdict = workflow.can_decide(g.user, application, step)
    if verdict.allowed and not current_app.appbuilder.sm.has_access(*DECIDE_ON_DESK):
        # The step names a role this account holds but the desk lets it read only (an older
        # version naming RegionAdmin): no buttons the decision would refuse (403).
        verdict = workflow.Verdict(False, READ_ONLY)
    timeline, last_return = _timeline(application, ctx), _last_return(application)
    today = deadlines.today()
    request = application.return_request or {}
    labels = {"fields": field_labels(definition, ctx, application.answers or {}),
              "materials": material_labels(definition, ctx)}
    asked = returnable_keys(application)
    refusal = refusal_words(application.version, application.current_step)
    context = {
        "application": application, "item_name": ctx.text(definition.get("name")),
        "status_name": status_name(definition, application.status, ctx) or (
            refusal["status"] if application.status == "refused" else None),
        "refusal": refusal,
        "step_name": workflow.step_label(step),
        "cosign": progress(application, step),  # None: one person decides
        "step_state": deadline_state(application.step_deadline, today,
                                     deadlines.due_soon_cutoff(today))
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
        "subject_id": mask_id_number(subject_id_number(application)) or "—",
        "entered_by": db.session.get(BanshiUser, application.entered_by_id)
        if application.entered_by_id else None,
        "sections": answer_sections(application, ctx),
        "materials": _materials(application, ctx, last_return, asked["materials"]),
        "timeline": timeline, "can_decide": verdict.allowed, "why_not": verdict.reason,
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
        "diff": answer_diff(application, ctx) if application.status != "returned" else [],
        # Asked for at the last return but resubmitted as it was (what the citizen was warned of).
        "unchanged": left_unchanged(application, definition, ctx)
        if application.status != "returned" else [],
        "document": result_document(application, ctx),  # None until the applicant has it
        "may_reveal": may_reveal(g.user) and bool(subject_id_number(application)),
        "errors": {}, "posted": {}, "revealed": None, "open_form": None,
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
            extra["revealed"] = subject_id_number(application)
        context = detail_context(application, **extra)
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
