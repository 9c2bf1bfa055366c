"""Reveal an application's identifiers in full to a permitted reviewer (F1, E5).

    kinds = RevealIdentityCommand(application, g.user, "核对联系电话").run()

One reveal shows every masked identifier of the application on one view of the detail page:
the subject's ID number, its id_card, mobile and bank_account answers (repeat rows included) and
those in the changes since a return — a reviewer calls the number they asked to be corrected,
checks an account against its holder. Free text keeps long numbers masked, lists stay masked,
and so does the applications API (``GET /api/v1/applications/<id>``): a reveal is a person's
recorded act with a reason on a page, not something a client fetches and keeps.

Who: the ``can_reveal`` permission on the ``IdentityReveal`` permission view. app.roles grants it
to the Reviewer role only — the people who compare the number with the scanned identity card
before deciding; RegionAdmin manages items and staff and never needs a citizen's full number
(PIPL: the minimum necessary), and Citizens have no business with it. Admin holds every
permission through the database.

What is recorded: one ``identity.reveal`` history event on the application (who, when, region,
request id) with the reason given and the ``kinds`` revealed (``id_number``, ``mobile``,
``bank_account``) — never a number itself (the ID number only in its masked form).
"""
from __future__ import annotations

from collections.abc import Mapping
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
#: Field type → the kind of identifier its answers are, in the order the kinds are named.
KINDS = {"id_card": "id_number", "mobile": "mobile", "bank_account": "bank_account"}
ORDER = ("id_number", "mobile", "bank_account")


def identifier_kinds(application: Application) -> list[str]:
    """Return the kinds of identifier the application holds (what a reveal would show)."""
    found = {"id_number"} if subject_id_number(application) else set()

    def walk(fields, answers):
        for f in fields:
            value = answers.get(f.get("key")) if isinstance(answers, Mapping) else None
            if value in (None, "", []):
                continue
            if f.get("type") in KINDS:
                found.add(KINDS[f["type"]])
            elif f.get("type") == "repeat" and isinstance(value, list):
                for row in value:
                    walk(f.get("fields", ()), row)

    definition = application.version.definition or {}
    fields = [f for page in definition.get("pages", ()) for f in page.get("fields", ())]
    for answers in (application.answers, application.answers_at_return):
        walk(fields, answers or {})
    return [kind for kind in ORDER if kind in found]


def may_reveal(user: Any) -> bool:
    """Tell whether ``user`` holds ``can_reveal`` on ``IdentityReveal``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(current_app.appbuilder.sm._has_view_access(user, REVEAL_PERMISSION,
                                                            REVEAL_VIEW))


@dataclass
class RevealIdentityCommand:
    """Record who revealed the application's identifiers and why; return the kinds shown."""

    application: Application
    actor: Any
    reason: Any

    def validate(self) -> list[str]:
        if not may_reveal(self.actor):
            raise NotAllowedError(_l("You may not reveal full numbers."))
        # Scope again, whoever loaded the application: 404 outside what the actor may see.
        workflow.get_reviewable(getattr(self.application, "id", None), self.actor)
        try:
            reason = clean_text(self.reason, max_length=REASON_MAX)
        except ValidationError as error:
            raise ApplicationInvalidError({"reason": [error.message]}) from None
        if not reason:
            raise ApplicationInvalidError({"reason": [_l("Say why you need the full number.")]})
        self.reason = redact(reason)  # a number typed into the reason is not kept either
        kinds = identifier_kinds(self.application)
        if not kinds:
            raise NotAllowedError(_l("This application records no number to reveal."))
        return kinds

    def run(self) -> list[str]:
        kinds = self.validate()
        application = self.application
        number = subject_id_number(application)
        try:
            record("identity.reveal", "application", application.id, application.region_code,
                   actor_id=self.actor.id, reason=self.reason, kinds=kinds,
                   subject=mask_id_number(number) if number else None,
                   step=application.current_step)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return kinds
