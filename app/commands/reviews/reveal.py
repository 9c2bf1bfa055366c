"""Reveal the full ID number of an application's subject to a permitted reviewer (F1, E5).

    number = RevealIdentityCommand(application, g.user, "核对身份证复印件").run()

Who: the ``can_reveal`` permission on the ``IdentityReveal`` permission view. app.roles grants it
to the Reviewer role only — the people who compare the number with the scanned identity card
before deciding; RegionAdmin manages items and staff and never needs a citizen's full number
(PIPL: the minimum necessary), and Citizens have no business with it. Admin holds every
permission through the database.

What is recorded: an ``identity.reveal`` history event on the application (who, when, region,
request id) with the reason given — never the number itself (only its masked form).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import workflow
from app.audit import record
from app.commands.applications.context import subject_id_number
from app.commands.applications.errors import ApplicationInvalidError, NotAllowedError
from app.commands.notifications import redact
from app.extensions import db
from app.models.application import Application
from app.validators import ValidationError, mask_id_number
from app.validators.text import clean_text

#: The permission view and permission that allow revealing (app.roles grants them).
REVEAL_VIEW, REVEAL_PERMISSION = "IdentityReveal", "can_reveal"
REASON_MAX = 200


def may_reveal(user: Any) -> bool:
    """Tell whether ``user`` holds ``can_reveal`` on ``IdentityReveal``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(current_app.appbuilder.sm._has_view_access(user, REVEAL_PERMISSION,
                                                            REVEAL_VIEW))


@dataclass
class RevealIdentityCommand:
    """Return the subject's full ID number after recording who asked and why."""

    application: Application
    actor: Any
    reason: Any

    def validate(self) -> str:
        if not may_reveal(self.actor):
            raise NotAllowedError(_l("You may not reveal full ID numbers."))
        # Scope again, whoever loaded the application: 404 outside what the actor may see.
        workflow.get_reviewable(getattr(self.application, "id", None), self.actor)
        try:
            reason = clean_text(self.reason, max_length=REASON_MAX)
        except ValidationError as error:
            raise ApplicationInvalidError({"reason": [error.message]}) from None
        if not reason:
            raise ApplicationInvalidError({"reason": [_l("Say why you need the full number.")]})
        self.reason = redact(reason)  # a number typed into the reason is not kept either
        number = subject_id_number(self.application)
        if not number:
            raise NotAllowedError(_l("This application records no ID number."))
        return number

    def run(self) -> str:
        number = self.validate()
        application = self.application
        try:
            record("identity.reveal", "application", application.id, application.region_code,
                   actor_id=self.actor.id, reason=self.reason, subject=mask_id_number(number),
                   step=application.current_step)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return number
