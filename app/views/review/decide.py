"""The decision forms of the detail page: approve, return for correction, refuse.

Plain POST routes (not FAB ``@action``): each runs the command of ``app.commands.reviews``
with the ``lock_version`` and step the reviewer saw, and maps its typed errors —
ApplicationNotFoundError → 404 (outside the scope, existence never confirmed),
NotAllowedError → 403 page with the reason (not the current step, closed, someone else's step,
own application), StaleApplicationError → 409 "someone else has acted" page with a reload
link (or, when the newest decision is this account's own — two tabs —, "you already decided
this application in another tab or window" with what was decided), ApplicationInvalidError → the detail page again (422) with the messages next to the
inputs and the input kept — through a redirect to the detail page (``drafts``), so that a
reload never posts again.

Approve, return and refuse are confirmed first: the form's POST checks everything (the
command's ``validate``, rolled back) and answers with a confirmation page, which changes nothing
and may be reloaded; its button posts again, with what was typed (a return's ticked items and
reasons too) and ``confirmed=1``, which decides. No JavaScript needed.

A return (一次性告知) names every field and material to correct at once: the form offers a
checklist of what the applicant was asked for with a reason per ticked item; a reason typed
without the tick counts as ticked (shown on the confirmation page, never dropped).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import workflow
from app.commands.applications.context import engine_context
from app.commands.applications.errors import (ApplicationInvalidError, ApplicationNotFoundError,
                                              NotAllowedError, StaleApplicationError)
from app.commands.reviews import COMMANDS
from app.extensions import db
from app.views.review import ReviewBaseView, drafts
from app.views.review.detail import detail_context
from app.views.review.refusal import approval_words, refusal_words
from app.views.review.display import field_labels, material_labels

# Approving and refusing read by the step (app.views.review.refusal).
DONE = {
    "cosigned": _l("Co-signed %(approvals)d of %(approvers)d: the step waits for the other "
                   "reviewers to co-sign."),
    "completed": _l("Approved. The application is completed."),
    "return": _l("Returned to the applicant with everything to correct."),
}
RETURN_TITLE = _l("Return this application for correction?")
STALE_TITLE = _l("Someone else has acted on this application")
ALREADY_DECIDED = _l("You already decided this application in another tab or window")
KINDS = ("fields", "materials")
CONFIRMED = ("approve", "return", "refuse")  # asked about once more before they are made


def missing_from_form(form) -> dict:
    """Return ``{"fields": {key: reason}, "materials": {key: reason}}`` of the ticked items
    and of those with a reason typed but left unticked: a typed reason says the item is to be
    corrected, and is never dropped unseen (the confirmation page lists it)."""
    missing: dict = {}
    for kind in KINDS:
        prefix = f"reason_{kind}_"
        typed = [name[len(prefix):] for name, value in form.items()
                 if name.startswith(prefix) and value.strip()]
        keys = dict.fromkeys([*form.getlist(f"return_{kind}"), *typed])
        missing[kind] = {key: form.get(prefix + key, "") for key in keys}
    return missing


def own_decision(pk: int, user) -> dict | None:
    """Return what ``user`` decided, when the decision that got there first — the newest on
    the application — was this very account's (two tabs, not two reviewers): its step, what
    was decided, when and the comment; None otherwise."""
    from app.models.application import Application, StepDecision
    from app.views.review import local_time

    latest = db.session.scalar(select(StepDecision).where(StepDecision.application_id == pk)
                               .order_by(StepDecision.id.desc()).limit(1))
    if latest is None or latest.actor_id != user.id:
        return None
    step = workflow.step_of(db.session.get(Application, pk).version, latest.step_key)
    return {"decision": latest.decision, "at": local_time(latest.at), "comment": latest.comment,
            "step": workflow.step_label(step) or latest.step_key}


class ReviewDecisionView(ReviewBaseView):
    """``POST /review/applications/<id>/approve|return|refuse``."""

    route_base = "/review/applications"
    method_permission_name = {"approve": "decide", "return_": "decide", "refuse": "decide"}

    @expose("/<int:pk>/approve", methods=["POST"])
    @has_access
    def approve(self, pk: int):
        return self._decide("approve", pk)

    @expose("/<int:pk>/return", methods=["POST"])
    @has_access
    def return_(self, pk: int):
        return self._decide("return", pk)

    @expose("/<int:pk>/refuse", methods=["POST"])
    @has_access
    def refuse(self, pk: int):
        return self._decide("refuse", pk)

    def _decide(self, verb: str, pk: int):
        form = request.form
        try:
            version = int(form.get("version", ""))
        except ValueError:
            abort(400)  # the page always sends the version it showed
        arguments = dict(comment=form.get("comment"), expected_version=version,
                         step=form.get("step") or None)
        if verb == "return":
            arguments["missing"] = missing_from_form(form)
        command = COMMANDS[verb](pk, g.user, **arguments)
        try:
            if verb in CONFIRMED and form.get("confirmed") != "1":
                return self._confirm(verb, pk, command)
            application = command.run()
        except ApplicationNotFoundError:
            abort(404)
        except StaleApplicationError:
            db.session.rollback()
            own = own_decision(pk, g.user)
            return self.page("stale.html", 409, application_id=pk, own=own,
                             title=ALREADY_DECIDED if own else STALE_TITLE)
        except NotAllowedError as error:
            return self.message(error.message, error.status_code, self.reviewable(pk))
        except ApplicationInvalidError as error:
            if drafts.keep(pk, verb, form, error.errors):
                return redirect(url_for("ReviewDetailView.show", pk=pk, _anchor="decision"), 303)
            application = self.reviewable(pk)  # too much typed for the session: answer here
            return self.page("detail.html", 422, **detail_context(
                application, errors=error.errors, posted=form, open_form=verb))
        drafts.take(pk)  # what was typed before a confirmation is spent now
        done = "completed" if verb == "approve" and application.status == "approved" else verb
        words = refusal_words(application.version, application.current_step)
        approved = approval_words(application.version, (command.step or {}).get("key"))
        pending = getattr(command, "cosign_pending", None)  # 会签: signed, the step not passed
        flash(str(words["done"] if verb == "refuse" else DONE["cosigned"] % pending if pending
                  else approved["done"] if done == "approve" else DONE[done]), "success")
        try:
            workflow.get_reviewable(application.id, g.user)
        except ApplicationNotFoundError:  # a cross-agency step moved on: out of sight now
            return redirect(url_for("ReviewQueueView.pending"), 303)
        return redirect(url_for("ReviewDetailView.show", pk=application.id), 303)

    def _confirm(self, verb: str, pk: int, command):
        """Check the decision without making it; answer with the page that asks to confirm."""
        try:
            command.validate()
            comment = command.comment
        finally:
            db.session.rollback()  # the row lock and nothing else
        drafts.keep(pk, verb, request.form, {})  # "Back" finds the form as it was typed
        application = self.reviewable(pk)
        ctx = engine_context(application, str(get_locale() or "zh"))
        definition = application.version.definition or {}
        refusal = refusal_words(application.version, application.current_step)
        approval = approval_words(application.version, application.current_step)
        labels = {"fields": field_labels(definition, ctx, application.answers or {}),
                  "materials": material_labels(definition, ctx)}
        return self.page("confirm.html", 200, application=application, verb=verb,
                         comment=comment, typed=request.form.get("comment", ""),
                         # a return: what the applicant will be asked, and the form carried on
                         missing=[(labels[kind].get(key, key), reason) for kind in KINDS
                                  for key, reason in getattr(command, "clean", {}).get(
                                      kind, {}).items()],
                         carried=[(name, value) for name, values in request.form.lists()
                                  if name.startswith(("return_", "reason_"))
                                  for value in values if value.strip()],
                         step_name=workflow.step_label(workflow.current_step(application)),
                         item_name=ctx.text(definition.get("name")), refusal=refusal,
                         approval=approval,
                         title={"approve": approval["confirm"], "refuse": refusal["confirm"],
                                "return": RETURN_TITLE}[verb])
