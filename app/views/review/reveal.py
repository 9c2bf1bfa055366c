"""Reveal an application's identifiers in full on the detail page: permission, reason, history.

``POST /review/applications/<id>/reveal`` with a ``reason``: the ``IdentityReveal`` /
``can_reveal`` permission (checked by FAB here and again by the command), the application in
the user's scope (404 otherwise), a reason (the form again with a message without one). Then a
redirect (303) to the detail page, which shows every ID number, phone number and bank account
of the application on that one view (``app.commands.reviews.reveal``): the session notes only
which application was revealed, never a number, and a reload shows them masked again without
another entry in the history.
"""
from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access

from app.commands.applications.errors import (ApplicationInvalidError, ApplicationNotFoundError,
                                              NotAllowedError)
from app.commands.reviews.reveal import REVEAL_VIEW, RevealIdentityCommand
from app.views.review import ReviewBaseView, drafts
from app.views.review.detail import detail_context


class RevealView(ReviewBaseView):
    """The reveal form's target; its own permission view (``IdentityReveal``)."""

    route_base = "/review/applications"
    class_permission_name = REVEAL_VIEW
    method_permission_name = {"reveal": "reveal"}

    @expose("/<int:pk>/reveal", methods=["POST"])
    @has_access
    def reveal(self, pk: int):
        application = self.reviewable(pk)
        try:
            RevealIdentityCommand(application, g.user, request.form.get("reason")).run()
        except ApplicationNotFoundError:
            abort(404)
        except NotAllowedError as error:
            return self.message(error.message, 403, application)
        except ApplicationInvalidError as error:
            errors = {f"reveal.{k}": v for k, v in error.errors.items()}
            if not drafts.keep(pk, "reveal", request.form, errors):
                return self.page("detail.html", 422, **detail_context(
                    application, errors=errors, posted=request.form, open_form="reveal"))
        else:
            drafts.revealed(application.id)
        return redirect(url_for("ReviewDetailView.show", pk=application.id), 303)
