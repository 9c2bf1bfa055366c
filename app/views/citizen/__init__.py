"""Citizen-facing views (account, identity, home) and the helpers they share."""
import functools

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from app.scoping import current_user
from app.views.preferences import page_to_return_to


def requires_verified_identity(view):
    """Send a signed-in citizen without a verified identity to /identity/verify first.

    Put it below ``@has_access`` so that anonymous visitors are sent to sign in by FAB.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        user = current_user()
        if user is None:
            return redirect(url_for("BanshiAuthDBView.login", next=_back_here()))
        if user.identity_verified_at is None:
            flash(str(_l("Verify your identity before you continue.")), "warning")
            return redirect(url_for("IdentityView.verify", next=_back_here()))
        return view(*args, **kwargs)

    return wrapper


def _back_here():
    """Return the page to come back to: this one for a GET, else the page the form was on.

    A form's POST (开始申请 is ``POST /apply/<code>/start``) cannot be replayed by a redirect,
    so the citizen returns to the page that sent it (the item, its region kept in the query).
    """
    if request.method != "GET":
        return page_to_return_to(request.referrer) or page_to_return_to(request.path)
    query = request.query_string.decode("utf-8", "replace")
    return f"{request.path}?{query}" if query else request.path


def show_error(form, error) -> None:
    """Show a command's error on its field, or above the form when it names none."""
    field = getattr(form, getattr(error, "field", None) or "", None)
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def validate_fields(form, *names: str) -> bool:
    """Validate only the named fields (and the CSRF token when enabled); tell if all passed."""
    fields = [getattr(form, name) for name in ("csrf_token", *names) if hasattr(form, name)]
    return all([field.validate(form) for field in fields])
