"""Discarding a counter draft (窗口代录): the clerk who entered it deletes it, with its files.

A citizen at the counter may change their mind, or the clerk may have started the wrong item;
the draft is the clerk's alone until it is submitted (the citizen cannot see it), and while
it is open the citizen cannot close their account. So the clerk who entered it discards it:
``/review/window/<id>/discard`` asks to confirm (a page of its own, no JavaScript needed), then
runs the citizen's own ``DeleteDraftCommand`` as the citizen, as the other counter pages do
(recorded as ``application.deleted`` with the clerk as actor; the files go after the commit).
Only a draft never submitted; a returned application is withdrawn by the citizen instead.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.commands.applications.context import engine_context
from app.commands.applications.delete import DeleteDraftCommand
from app.commands.applications.errors import ApplicationError
from app.extensions import db
from app.models.application import Application
from app.views.review.window_support import served


def discardable(application: Application) -> bool:
    """Tell whether the counter may discard ``application``: a draft never submitted."""
    return application.status == "draft" and application.submitted_at is None


class DiscardsWindowDrafts:
    """Mixin of WindowEntryView (FAB registers what ``dir()`` finds): the discard action."""

    @expose("/<int:pk>/discard", methods=["GET", "POST"])
    @has_access
    def discard(self, pk: int):
        """Ask to confirm, then delete the counter draft with its files."""
        application = self.window_application(pk)
        back = url_for(".materials", pk=pk)
        if not discardable(application):
            flash(str(_l("Only a draft that was never submitted can be discarded.")), "warning")
            return redirect(back, 303)
        who = served(application)
        if request.method == "GET" or request.form.get("confirmed") != "1":
            ctx = engine_context(application, str(get_locale() or "zh"))
            return self.page("window_discard.html", application=application, served=who,
                             ctx=ctx, title=_l("Discard this counter draft"))
        try:
            DeleteDraftCommand(application, user=application.applicant).run()
        except ApplicationError as error:  # submitted meanwhile (another tab): say so
            db.session.rollback()
            flash(str(error.message), "danger")
            return redirect(back, 303)
        flash(str(_l("The counter draft for %(name)s was discarded with its files.",
                     name=who["name"])), "success")
        return redirect(url_for(".start"), 303)
