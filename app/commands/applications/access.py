"""Finding an application the caller may see, and insisting that the caller owns it."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.applications.errors import (ApplicationNotFoundError, AttachmentNotFoundError,
                                              NotAllowedError)
from app.extensions import db
from app.models.application import Application, Attachment
from app.scoping import current_user, scope_condition

NOT_OWNER = _l("Only the applicant may change this application.")
COUNTER_ENTRY = _l("This application was entered at a service counter: the counter that entered "
                   "it makes any corrections. Please contact that counter.")


def acting_user(user: Any = None) -> Any:
    """Return ``user`` or the request's user; refuse when there is none."""
    user = user if user is not None else current_user()
    if user is None:
        raise NotAllowedError(_l("Please sign in first."))
    return user


def get_application(application_id: Any, user: Any = None, *, for_update: bool = False,
                    options: Sequence = ()) -> Application:
    """Return the application ``user`` may see; ApplicationNotFoundError otherwise (B1).

    ``for_update`` locks the row (PostgreSQL); ``options`` are loader options for what the
    caller reads next (``SUBMIT_LOADS``).
    """
    user = acting_user(user)
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        raise ApplicationNotFoundError() from None
    query = select(Application).where(Application.id == pk, scope_condition(Application, user))
    if for_update:
        query = query.with_for_update(of=Application)
    application = db.session.scalars(query.options(*options)).unique().first()
    if application is None:
        raise ApplicationNotFoundError()
    return application


def get_attachment(application: Application, attachment_id: Any, user: Any = None,
                   material_key: str | None = None) -> Attachment:
    """Return an active attachment of ``application`` in ``user``'s scope, else not found."""
    user = acting_user(user)
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise AttachmentNotFoundError() from None
    query = select(Attachment).where(
        Attachment.id == pk, Attachment.application_id == application.id,
        Attachment.removed_at.is_(None), scope_condition(Attachment, user))
    if material_key is not None:
        query = query.where(Attachment.material_key == material_key)
    attachment = db.session.scalar(query)
    if attachment is None:
        raise AttachmentNotFoundError()
    return attachment


def ensure_owner(application: Application, user: Any = None, *,
                 withdrawing: bool = False) -> Any:
    """Refuse anyone but the applicant account (staff in scope may read, not change).

    A counter (窗口代录) application is changed only by the clerk who entered it, acting as its
    applicant (app.commands.reviews.window.counter_applicant): the citizen it is for, signed in
    themselves, reads it and may withdraw it, but does not correct or resubmit it.
    """
    user = acting_user(user)
    if application.applicant_id != user.id:
        raise NotAllowedError(NOT_OWNER)
    requester = current_user()
    if (application.channel == "window" and not withdrawing and requester is not None
            and requester.id == user.id):
        raise NotAllowedError(COUNTER_ENTRY)
    return user
