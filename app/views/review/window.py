"""Window entry (窗口代录): a clerk files an application for a walk-in citizen.

1. ``/review/window/`` — the item (in effect in the clerk's region), the county it is filed in,
   the citizen's name and ID number (canonicalised; the person registry and any account
   holding the number are shown on "Look up"), and "identity checked at the counter" (required):
   :class:`app.commands.reviews.window.WindowEntryCommand` creates the draft (channel
   ``window``, ``entered_by`` the clerk, owned by the citizen's account — see that module).
2. ``/review/window/<id>/pages/<page>`` — the item's generated pages (``app.engine.forms``), one
   per screen, read, saved and drawn by the citizen wizard's own code
   (app.views.review.window_pages): a question an answer makes visible appears at once (htmx,
   the server deciding); without JavaScript "update" saves and draws the page again, and
   "save and continue" stops on a newly visible required question.
3. ``/review/window/<id>/materials`` — scanned materials (``AttachMaterialCommand``), pledges,
   the notice read to the citizen, and submit (``SubmitApplicationCommand``); the application
   then follows the same chain as any other, and the clerk prints the acknowledgement of
   receipt (受理回执, ``/review/window/<id>/receipt``, app.views.review.window_receipt).
4. ``/review/window/<id>/discard`` — the clerk discards a draft never submitted, with its files
   (app.views.review.window_discard). Every page names whom it is for, masked.

The citizen-side commands accept only the applicant account, so the view passes
``user=application.applicant`` after checking the clerk: a window application (``channel
window``) still open, entered by this very clerk, in their writable subtree (a colleague gets
404: the draft is not theirs to see). History records the clerk as actor.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands import CommandError
from app.commands.applications.context import engine_context
from app.commands.applications.errors import (ApplicationError, ApplicationInvalidError,
                                              material_error_key)
from app.commands.applications.materials import (AttachMaterialCommand, RemoveAttachmentCommand,
                                                 ensure_applies, single_upload)
from app.commands.applications.requirements import material_settings
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import SubmitApplicationCommand
from app.commands.reviews.window import WindowEntryCommand, counter_applicant, lookup_identity
from app.engine.variants import versions_in_effect
from app.extensions import db
from app.models.application import Application
from app.models.region import Region, region_label, with_code
from app.scoping import region_path
from app.uploads import UploadRejected
from app.views.review import ReviewBaseView
from app.counter_access import COUNTER_REFUSED, files_at_counter
from app.views.review.window_entered import entered
from app.views.review.window_discard import DiscardsWindowDrafts, discardable
from app.views.review.window_pages import WindowPagesMixin
from app.views.review.window_receipt import WindowReceiptMixin
from app.views.review.window_support import material_requirements, problem_rows, served
from app.window_limit import LimitsWindowLookups

WINDOW = "WindowEntry"
OPEN = ("draft", "returned")


def counties(user) -> list[tuple[str, str]]:
    """Return the county-level regions a clerk files in, as (code, name with its code in the
    current locale): their own, or those below them."""
    region = user.region
    if region is None:
        return []
    if region.level in ("county", "grassroots"):
        return [(region.code, repr(region))]
    rows = db.session.execute(select(Region.code, Region.name, Region.name_en).where(
        Region.path.startswith(region_path(region.code), autoescape=True),
        Region.level == "county", Region.valid_to.is_(None)).order_by(Region.code).limit(500))
    return [(code, with_code(region_label(name, name_en), code)) for code, name, name_en in rows]


class WindowEntryView(WindowPagesMixin, WindowReceiptMixin, DiscardsWindowDrafts,
                      LimitsWindowLookups, ReviewBaseView):
    """The counter's pages; permission ``WindowEntry`` / ``can_enter``. Its first page's POSTs
    (查询 and starting an application: both consult the registry) are limited per clerk
    (app.window_limit)."""

    window_lookup_endpoints = ("start",)

    route_base = "/review/window"
    class_permission_name = WINDOW
    default_view = "start"
    method_permission_name = {"start": "enter", "page_form": "enter", "fields": "enter",
                              "materials": "enter", "submit": "enter", "discard": "enter",
                              "receipt": "enter", "receipt_pdf": "enter"}

    def create_blueprint(self, appbuilder, *args, **kwargs):
        """Refuse every counter page, 查询 included, to an account that does not file at the
        counter (app.counter_access), before it can consult the registry."""
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.before_request(self.refuse_non_clerks)
        return blueprint

    def refuse_non_clerks(self):
        user = g.get("user")
        if user is None or not user.is_authenticated or files_at_counter(user):
            return None  # has_access answers those signed out
        return self.message(COUNTER_REFUSED, 403, title=_l("Window entry"))

    def window_application(self, pk) -> Application:
        """A window application still open, which this clerk entered and may write
        (:func:`counter_applicant`); 404 otherwise."""
        application = self.reviewable(pk)
        if counter_applicant(application, g.user) is None:
            abort(404)
        return application

    @expose("/", methods=["GET", "POST"])
    @has_access
    def start(self):
        user, form = g.user, request.form
        choices = counties(user)
        items = versions_in_effect(user.region_code) if files_at_counter(user) else []
        context = {"counties": choices, "items": items, "errors": {}, "check": None,
                   "posted": form, "title": _l("Window entry")}
        status = 200
        if request.method == "POST":
            region = form.get("region") or (choices[0][0] if len(choices) == 1 else "")
            if form.get("action") == "check":
                context["check"] = lookup_identity(user, form.get("name"), form.get("id_number"))
                context["errors"] = context["check"].errors
            else:
                try:
                    application = WindowEntryCommand(
                        user, form.get("item"), region, form.get("name"), form.get("id_number"),
                        identity_checked=form.get("identity_checked") == "y").run()
                except ApplicationInvalidError as error:
                    context["errors"], status = error.errors, 422
                except ApplicationError as error:
                    context["errors"], status = {"_": [str(error.message)]}, error.status_code
                else:
                    first = self.pages(application)
                    if not first:
                        return redirect(url_for(".materials", pk=application.id), 303)
                    return redirect(url_for(".page_form", pk=application.id,
                                            page=first[0]["key"]), 303)
        context["drafts"] = list(db.session.scalars(select(Application).where(
            Application.entered_by_id == user.id, Application.channel == "window",
            Application.status.in_(OPEN)).order_by(Application.id.desc()).limit(20)))
        context["served"] = {a.id: served(a) for a in context["drafts"]}
        context["entered"] = entered(user)
        return self.page("window_start.html", status, **context)

    @expose("/<int:pk>/materials", methods=["GET", "POST"])
    @has_access
    def materials(self, pk: int):
        application = self.window_application(pk)
        form, status, errors = request.form, 200, {}
        if request.method == "POST":
            try:
                self._material_action(application, form)
            except (ApplicationError, UploadRejected, CommandError) as error:
                db.session.rollback()
                # "file" (none chosen) is said of the material it was for
                where = material_error_key(form.get("material", ""))
                errors = {where if key == "file" else key: messages for key, messages in (
                    getattr(error, "errors", None) or {where: [str(error.message)]}).items()}
                status = getattr(error, "status_code", None) or getattr(error, "status", 422)
            else:
                return redirect(url_for(".materials", pk=pk), 303)
        return self._materials_page(application, status, errors)

    def _material_action(self, application, form) -> None:
        applicant, key = application.applicant, form.get("material", "")
        action = form.get("action")
        if action == "pledge":  # an upload is refused by AttachMaterialCommand alike
            ensure_applies(application, key)  # the wizard's rules: 无需提供 takes nothing
        if action == "upload":
            attachment = AttachMaterialCommand(application, key, single_upload(request.files),
                                               user=applicant).run()
            attachment.uploaded_by_id = g.user.id  # the clerk scanned it at the counter
            db.session.commit()
        elif action == "remove":
            RemoveAttachmentCommand(application, form.get("file_id"), user=applicant,
                                    material_key=key).run()
        elif action == "pledge":
            SaveAnswersCommand(application, {"_pledges": {key: form.get("pledged") == "y"}},
                               user=applicant).run()
        else:
            abort(400)

    def _materials_page(self, application, status: int, errors: dict):
        definition = application.version.definition
        ctx = engine_context(application, str(get_locale() or "zh"))
        files: dict[str, list] = {}
        needs = material_requirements(application)
        for attachment in application.attachments:
            if attachment.removed_at is None:
                files.setdefault(attachment.material_key, []).append(attachment)
        rows = [{"key": m["key"], "label": ctx.text(m.get("label")) or m["key"],
                 "help": ctx.text(m.get("help")), "pledge": bool(m.get("pledge")),
                 "pledged": bool(((application.answers or {}).get("_pledges") or {})
                                 .get(m["key"])),
                 "accept": ", ".join(material_settings(m)["accept"]),
                 "needed": needs.get(m["key"]) != "not_needed",
                 "files": files.get(m["key"], [])} for m in definition.get("materials", ())]
        return self.page("window_materials.html", status, application=application,
                         rows=rows, errors=errors, pages=self.pages(application), ctx=ctx,
                         problems=problem_rows(application, ctx, errors),
                         notice=definition.get("notice"), title=_l("Window entry"),
                         served=served(application), discardable=discardable(application))

    @expose("/<int:pk>/submit", methods=["POST"])
    @has_access
    def submit(self, pk: int):
        application = self.window_application(pk)
        applicant = application.applicant
        try:
            if request.form.get("notice_read") == "y":
                SaveAnswersCommand(application, {"_notice": True}, user=applicant).run()
            result = SubmitApplicationCommand(application, user=applicant).run()
        except ApplicationError as error:
            db.session.rollback()
            errors = getattr(error, "errors", None) or {"_": [str(error.message)]}
            return self._materials_page(self.window_application(pk), error.status_code, errors)
        flash(str(_l("Submitted as %(serial)s. It now follows the ordinary review chain.",
                     serial=result.body.get("serial"))), "success")
        return redirect(url_for(".receipt", pk=pk), 303)  # 受理回执, for the citizen to keep
