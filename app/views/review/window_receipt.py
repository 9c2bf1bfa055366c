"""The acknowledgement of receipt (受理回执) a clerk prints for the walk-in citizen once a counter
entry is submitted: ``/review/window/<id>/receipt`` (a page with a print stylesheet) and
``…/receipt.pdf`` (the same facts as an A4 PDF, app.views.review.window_receipt_pdf).

It says the serial number, the item, the applicant (name and ID number masked), the materials
received (files counted, or the pledge made instead), the statutory deadline, the counter (its
region and clerk), the date and the service hotline (``SUBJECT_NOTICE_PHONE``, 12393 by
default). Only the clerk who entered the application, still able to write its region, gets it
(404 otherwise, as for the counter's drafts)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app, g
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.applications.context import engine_context
from app.commands.applications.subject_notice import DEFAULT_PHONE
from app.extensions import db
from app.models.application import Application
from app.scoping import can_write_region
from app.views.citizen.answer_display import local_date
from app.views.review import local_time
from app.views.review.window_support import served

TITLE = _l("Acknowledgement of receipt")


@dataclass
class Receipt:
    """What the receipt says, in the request's language: (label, value) rows and materials."""

    application: Application
    title: str
    facts: list[tuple[str, str]]
    materials: list[tuple[str, str]] = field(default_factory=list)
    phone: str = DEFAULT_PHONE


def _materials(application: Application, ctx) -> list[tuple[str, str]]:
    """Return (material, what was received) for each material with files or a pledge."""
    counts: dict[str, int] = {}
    for attachment in application.attachments:
        if attachment.removed_at is None:
            counts[attachment.material_key] = counts.get(attachment.material_key, 0) + 1
    pledged = ((application.answers or {}).get("_pledges") or {})
    rows = []
    for material in (application.version.definition or {}).get("materials", ()):
        label = ctx.text(material.get("label")) or material["key"]
        if counts.get(material["key"]):
            rows.append((label, _("%(count)d file(s)", count=counts[material["key"]])))
        elif pledged.get(material["key"]):
            rows.append((label, _("Pledged instead of the material")))
    return rows


def receipt(application: Application) -> Receipt:
    """Return the receipt of a submitted counter entry."""
    from flask_babel import get_locale

    ctx = engine_context(application, str(get_locale() or "zh"))
    who = served(application)
    clerk = db.session.get(type(application.applicant), application.entered_by_id)
    deadline = local_date(application.deadline) if application.deadline else _("None set")
    if application.deadline and application.deadline_provisional:
        deadline = _("%(date)s (provisional)", date=deadline)
    facts = [
        (_("Serial number"), application.serial or ""),
        (_("Service item"), ctx.text((application.version.definition or {}).get("name"))
         or application.item.code),
        (_("Applicant"), who["name"]), (_("ID number"), who["id_number"]),
        (_("Received"), local_time(application.submitted_at)),
        (_("Statutory deadline"), deadline),
        (_("Counter"), repr(application.region) if application.region else ""),
        (_("Clerk"), getattr(clerk, "first_name", "") or ""),
    ]
    phone = str(current_app.config.get("SUBJECT_NOTICE_PHONE") or DEFAULT_PHONE)
    return Receipt(application, str(TITLE), facts, _materials(application, ctx), phone)


class WindowReceiptMixin:
    """``receipt`` and ``receipt_pdf`` for WindowEntryView."""

    def submitted_entry(self, pk: int) -> Application:
        """A submitted window application this clerk entered and may still write; else 404."""
        application = db.session.get(Application, pk)
        if (application is None or application.channel != "window"
                or application.entered_by_id != g.user.id or application.submitted_at is None
                or not can_write_region(application.region_code, g.user)):
            abort(404)
        return application

    @expose("/<int:pk>/receipt", methods=["GET"])
    @has_access
    def receipt(self, pk: int):
        return self.page("window_receipt.html", receipt=receipt(self.submitted_entry(pk)),
                         title=TITLE)

    @expose("/<int:pk>/receipt.pdf", methods=["GET"])
    @has_access
    def receipt_pdf(self, pk: int):
        from app.views.review.window_receipt_pdf import receipt_response

        return receipt_response(receipt(self.submitted_entry(pk)))
