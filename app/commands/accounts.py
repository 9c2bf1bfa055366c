"""Close a citizen's account (注销账号) and anonymise accounts left unused (PIPL art. 47).

Closing and the retention purge do the same to the account, in one transaction:

- refused for staff accounts (administrators deactivate those) and, while the citizen has an
  application in progress (submitted or returned) or a service window is entering one for them
  (a counter draft, 窗口代录: deleting it would lose the clerk's work unseen), refused with 409;
- the citizen's own drafts are deleted with their files (files after the commit, as a
  citizen's own delete does: stopped in between, ``flask applications reconcile`` lists them);
- closed applications stay as official records, still linked to the (now anonymous) account,
  until the retention purge anonymises them (app.commands.anonymise);
- the account keeps its id, roles, region and dates; its name, ID number, mobile, email and
  username are replaced (so the same person can register again), its password removed, it is
  deactivated and its session epoch moves on, so no session or token issued before works;
- what else names the person goes: notifications not yet sent (nobody to send them to now),
  SMS codes and development SMS texts to the mobile, the submit idempotency records, FAB API
  keys, and the masked ID number and mobile inside the account's history events (app.audit);
- one history event, ``account.closed`` or ``account.anonymised``, without personal data.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_appbuilder.security.sqla.models import ApiKey
from sqlalchemy import delete, exists, func, select
from werkzeug.security import check_password_hash

from app.audit import record, redact_account_history, redact_history
from app.commands.applications.context import engine_context, now
from app.commands.applications.errors import NotAllowedError, StateConflictError
from app.extensions import db
from app.models.application import Application, IdempotencyRecord, Notification
from app.models.user import BanshiUser
from app.models.verification import DevSmsMessage, SmsChallenge
from app.scoping import held_roles, is_platform_admin, role_names
from app.staff_roles import holds_staff_role
from app.storage import get_storage

IN_PROGRESS_STATUSES = ("submitted", "returned")
STAFF_REFUSED = _l("Staff accounts cannot be closed here; your administrator deactivates them.")
IN_PROGRESS = _l("You have an application in progress. Wait for its decision, or withdraw it, "
                 "before you close your account.")
COUNTER_DRAFT = _l("A service window is entering an application for you (%(item)s). Ask the "
                   "window to submit or delete it before you close your account.")
WRONG_PASSWORD = _l("The password is not right.")
NO_PASSWORD = _l("Enter your password to confirm.")
GONE = _l("This account no longer exists.")


class WrongPasswordError(NotAllowedError):
    """The password given to confirm is wrong: 422, on the ``password`` field."""

    status_code = 422
    field = "password"


def is_citizen_account(user: Any) -> bool:
    """Tell whether ``user`` is a citizen's account (not staff, not an administrator)."""
    return "Citizen" in role_names(user) and not (
        holds_staff_role(user) or is_platform_admin(user))


def in_progress(user_id: int):
    """The condition: the account has an application submitted or returned."""
    return exists().where(Application.applicant_id == user_id,
                          Application.status.in_(IN_PROGRESS_STATUSES))


def counter_draft(user_id: int) -> Optional[Application]:
    """Return the first counter draft (窗口代录) a clerk is entering for the account, or None."""
    return db.session.scalar(select(Application).where(
        Application.applicant_id == user_id, Application.status == "draft",
        Application.channel == "window").order_by(Application.id).limit(1))


def counter_draft_refusal(application: Application) -> StateConflictError:
    """Return the refusal naming the item a service window is entering for the citizen."""
    name = engine_context(None).text(application.version.definition.get("name"))
    return StateConflictError(COUNTER_DRAFT % {"item": name or application.item.code})


@dataclass
class AnonymiseAccountCommand:
    """Anonymise one citizen account now; ``cause`` is ``closed`` (its owner) or ``retention``.

    ``unused_before`` (retention): the account must still be unused since then, and hold no
    application that is not anonymised, checked again under the row lock.
    """

    user_id: int
    cause: str = "closed"
    unused_before: Optional[dt.datetime] = None
    drafts: int = 0
    files: int = 0
    _drafts: list = field(default_factory=list, init=False, repr=False)

    def validate(self) -> BanshiUser:
        user = db.session.scalar(select(BanshiUser).where(BanshiUser.id == self.user_id)
                                 .with_for_update())
        if user is None or user.anonymised_at is not None:
            raise StateConflictError(GONE)
        if not is_citizen_account(user):
            raise NotAllowedError(STAFF_REFUSED)
        # The drafts locked before the check: a submission in another tab either committed
        # (and is seen in progress) or waits, then finds its draft deleted.
        self._drafts = list(db.session.scalars(select(Application).where(
            Application.applicant_id == user.id, Application.status == "draft")
            .order_by(Application.id).with_for_update()))
        if db.session.scalar(select(in_progress(user.id))):
            raise StateConflictError(IN_PROGRESS)
        window = next((a for a in self._drafts if a.channel == "window"), None)
        if window is not None:
            raise counter_draft_refusal(window)
        if self.unused_before is not None and (
                last_used(user) >= self.unused_before or db.session.scalar(select(exists().where(
                    Application.applicant_id == user.id, Application.anonymised_at.is_(None))))):
            raise StateConflictError(GONE)
        return user

    def run(self) -> BanshiUser:
        try:
            user = self.validate()
            keys = self._delete_drafts(user)
            self._forget(user)
            record(f"account.{'closed' if self.cause == 'closed' else 'anonymised'}", "user",
                   user.id, user.region_code, cause=self.cause, drafts=self.drafts,
                   files=len(keys))
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        storage = get_storage()
        for key in keys:
            storage.delete(key)  # after the commit: at worst a file `reconcile` lists
        self.files = len(keys)
        return user

    def _delete_drafts(self, user: BanshiUser) -> list[str]:
        keys = []
        for application in self._drafts:
            keys += [attachment.storage_key for attachment in application.attachments]
            record("application.deleted", "application", application.id,
                   application.region_code, item=application.item_id,
                   files=len(application.attachments), cause=f"account_{self.cause}")
            redact_history(application.id)
            db.session.execute(delete(Notification).where(
                Notification.application_id == application.id))
            for attachment in application.attachments:
                db.session.delete(attachment)
            db.session.delete(application)
            self.drafts += 1
        return keys

    @staticmethod
    def _forget(user: BanshiUser) -> None:
        mobile = user.mobile
        if mobile:
            db.session.execute(delete(SmsChallenge).where(SmsChallenge.mobile == mobile))
            db.session.execute(delete(DevSmsMessage).where(DevSmsMessage.mobile == mobile))
        db.session.execute(delete(Notification).where(Notification.recipient_id == user.id,
                                                      Notification.sent_at.is_(None)))
        db.session.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.account_id == user.id))
        db.session.execute(delete(ApiKey).where(ApiKey.user_id == user.id))
        redact_account_history(user.id)
        name = f"closed-{uuid.uuid4().hex[:16]}"
        user.username, user.email = name, f"{name}@closed.invalid"
        user.first_name = user.last_name = ""
        user.id_number = user.mobile = None
        user.password = None
        user.identity_verified_at = user.identity_method = None
        user.active = False
        user.session_epoch = (user.session_epoch or 0) + 1  # sessions and tokens end
        user.anonymised_at = now()


def unused_accounts(before: dt.datetime, due: frozenset = frozenset()) -> list[int]:
    """Return the ids of the citizen accounts not anonymised, with no sign-in (never signed in:
    created) before ``before``, holding no application that is not anonymised — or only
    applications in ``due`` (a dry run: those this run would delete or anonymise first)."""
    naive = before.astimezone().replace(tzinfo=None)  # FAB's columns: naive local time
    held = held_roles()  # a role given through a group makes a staff member too
    role_of = select(held.c.user_id).where(held.c.user_id == BanshiUser.id)
    unused = select(BanshiUser.id).where(
        BanshiUser.anonymised_at.is_(None),
        role_of.where(held.c.name == "Citizen").exists(),
        ~role_of.where(held.c.name != "Citizen").exists(),
        func.coalesce(BanshiUser.last_login, BanshiUser.created_on) < naive)
    held = db.session.execute(select(Application.applicant_id, Application.id).where(
        Application.anonymised_at.is_(None), Application.applicant_id.in_(unused)))
    holders = {applicant for applicant, application in held if application not in due}
    return [user_id for user_id in db.session.scalars(unused.order_by(BanshiUser.id))
            if user_id not in holders]


def last_used(user: BanshiUser) -> dt.datetime:
    """Return when the account last signed in (else was created), as an aware UTC time.

    FAB writes both as naive local server time (``datetime.now()``).
    """
    moment = user.last_login or user.created_on
    if moment is None:
        return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


@dataclass
class CloseAccountCommand:
    """Close the signed-in citizen's own account after checking their password."""

    user: Any
    password: Optional[str]

    def validate(self) -> None:
        if not is_citizen_account(self.user):
            raise NotAllowedError(STAFF_REFUSED)
        if db.session.scalar(select(in_progress(self.user.id))):  # said before any password
            raise StateConflictError(IN_PROGRESS)
        window = counter_draft(self.user.id)
        if window is not None:
            raise counter_draft_refusal(window)
        if not self.password:
            raise WrongPasswordError(NO_PASSWORD)
        if "\x00" in self.password or not self.user.password \
                or not check_password_hash(self.user.password, self.password):
            current_app.appbuilder.sm.update_user_auth_stat(self.user, False)
            raise WrongPasswordError(WRONG_PASSWORD)

    def run(self) -> AnonymiseAccountCommand:
        self.validate()
        command = AnonymiseAccountCommand(self.user.id, "closed")
        command.run()
        return command
