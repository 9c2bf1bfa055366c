"""Window entry (窗口代录): a clerk files an application for a citizen standing at the counter.

    application = WindowEntryCommand(clerk, "maternity_allowance", "440106", "林小红",
                                     "440106199001010021", identity_checked=True).run()

The clerk has checked the identity card at the counter (``identity_checked`` must be true) and
names the citizen; the application is created with ``channel="window"`` and
``entered_by=clerk`` and then filled, given its materials and submitted with the ordinary
commands (``SaveAnswersCommand`` … with ``user=application.applicant``), so it follows the
same chain as any other.

**Whose application it is.** It belongs to the citizen's account, so that it shows in their
我要查 (``applicant_id``, as every citizen view and API scopes by it):

- an account already holding that ID number (a verified citizen) is used — its name must match;
- otherwise a **placeholder account** is made: no password, inactive (it can never sign in),
  ``identity_method="window"``, the name and ID number the clerk checked. When the citizen
  later registers and passes 实名认证 with that ID number, :func:`claim_window_account` (called
  by ``VerifyIdentityCommand``) hands the placeholder's applications, files and notifications
  to the verified account and frees the ID number; the placeholder stays inactive.

Notifications queued for a placeholder wait (it has no mobile): the sender keeps retrying them
until the citizen claims the account or ``NOTIFICATION_MAX_ATTEMPTS`` is reached.

The counter pages (app.views.review.window) and the applications API (a clerk's
``POST /api/v1/applications/`` and the calls after it) both go through this command, and both
let the clerk act as the citizen only where :func:`counter_applicant` says so.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Optional

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from app.audit import record
from app.commands.applications.context import now, today
from app.commands.applications.create import CreateApplicationCommand
from app.commands.applications.errors import (ApplicationError, ApplicationInvalidError,
                                              NotAllowedError, StateConflictError)
from app.commands.registration import CITIZEN_ROLE
from app.counter_access import COUNTER_REFUSED, files_at_counter
from app.extensions import db
from app.models.application import Application, Attachment, Notification
from app.models.user import BanshiUser
from app.registry import PersonRecord, get_person_registry
from app.scoping import can_write_region
from app.validators import (ValidationError, canonical_id_number, mask_id_number,
                            normalize_text, same_name)
from app.window_limit import mark_lookup

WINDOW_METHOD = "window"  # identity_method of a placeholder account
NAME_MAX = 64
MISMATCH = _l("The name and ID number do not match our records.")
ACCOUNT_CLOSED = _l("The citizen's account has just been closed. Look the citizen up again.")
ACCOUNT_CHANGED = _l("The account for this ID number has just changed (the citizen verified "
                     "their identity, or another counter entered them). Look the citizen up "
                     "again.")
#: The statuses in which a clerk still fills a window application for the citizen.
OPEN = ("draft", "returned")


def placeholder_condition() -> ColumnElement[bool]:
    """Rows of BanshiUser that are window placeholders (no password, never signs in)."""
    return and_(BanshiUser.identity_method == WINDOW_METHOD, BanshiUser.password.is_(None))


def not_placeholder() -> ColumnElement[bool]:
    return or_(BanshiUser.identity_method.is_(None), BanshiUser.identity_method != WINDOW_METHOD,
               BanshiUser.password.is_not(None))


def account_for_id_number(number: str) -> Optional[BanshiUser]:
    return db.session.scalar(select(BanshiUser).where(BanshiUser.id_number == number))


def claim_window_account(user: BanshiUser, number: str) -> int:
    """Hand a window placeholder's applications for ``number`` to ``user``; return how many.

    Called in the verification's transaction, before ``user.id_number`` is set (the ID number
    is unique: the placeholder lets go of it first). Nothing is committed here.

    The placeholder's row is locked first, as a window entry locks it (``_locked``): an entry
    under way commits its draft before the claim moves what the placeholder owns (the draft
    with it); one that starts later waits, then finds the number gone and is refused.
    """
    placeholder = db.session.scalar(select(BanshiUser).where(
        BanshiUser.id_number == number, BanshiUser.id != user.id, placeholder_condition())
        .with_for_update().execution_options(populate_existing=True))
    if placeholder is None:
        return 0
    moved = db.session.execute(update(Application).where(
        Application.applicant_id == placeholder.id).values(applicant_id=user.id)).rowcount
    db.session.execute(update(Attachment).where(Attachment.owner_id == placeholder.id)
                       .values(owner_id=user.id))
    db.session.execute(update(Notification).where(Notification.recipient_id == placeholder.id)
                       .values(recipient_id=user.id))
    placeholder.id_number = None
    db.session.flush()
    record("account.claimed", "user", user.id, user.region_code, actor_id=user.id,
           placeholder=placeholder.id, applications=moved, id_number=mask_id_number(number))
    return moved


def counter_applicant(application: Application, clerk: Any) -> Optional[BanshiUser]:
    """Return the citizen ``clerk`` acts for on ``application``, or None.

    Only on a window entry (channel ``window``) that is still open, that this clerk entered
    and that lies in their writable subtree: the clerk then saves answers, attaches scans and
    submits as the citizen, as at the counter. Nobody else finishes or submits it — so the
    clerk who entered it is also whoever submitted it, and ``entered_by`` alone keeps them from
    deciding it (app.workflow.routing). Anything else the clerk may only read (app.scoping).
    """
    if (clerk is None or application.channel != "window" or application.status not in OPEN
            or application.entered_by_id != clerk.id
            or not can_write_region(application.region_code, clerk)):
        return None
    return application.applicant


@dataclass
class IdentityCheck:
    """What the counter sees about a citizen: canonical number, registry and account matches."""

    number: Optional[str]
    name: str
    person: Optional[PersonRecord]
    account: Optional[BanshiUser]
    errors: dict

    @property
    def registry_matches(self) -> Optional[bool]:
        return None if self.person is None else same_name(self.name, self.person.name)

    @property
    def account_matches(self) -> bool:
        return self.account is not None and same_name(self.name, self.account.first_name)

    @property
    def matches(self) -> bool:
        """A registration or an account holds this number under this very name: only then
        does the counter learn anything about the number (no "exists, other name" oracle)."""
        return bool(self.name) and (bool(self.registry_matches) or self.account_matches)


def check_identity(name: Any, id_number: Any) -> IdentityCheck:
    """Canonicalise and look the citizen up (registry, accounts); errors by form key. The
    request counts against the clerk's look-up limit (app.window_limit)."""
    mark_lookup()
    errors: dict[str, list] = {}
    try:  # normalised, not as typed: a name is matched against the registry and accounts,
        # which hold it so (app.commands.identity, applications.create store the same form)
        clean_name = normalize_text(name, max_length=NAME_MAX)
    except ValidationError as error:
        errors["name"], clean_name = [error.message], ""
    if not clean_name and "name" not in errors:
        errors["name"] = [_l("Enter the citizen's full name.")]
    try:
        number = canonical_id_number(id_number, today=today())
    except ValidationError as error:
        errors["id_number"], number = [error.message], None
    person = get_person_registry().find(number) if number else None
    account = account_for_id_number(number) if number else None
    # Spaces, full-width letters and the kind of middle dot aside, as every name check.
    if clean_name and person is not None and not same_name(clean_name, person.name):
        errors["name"] = [MISMATCH]
    elif clean_name and account is not None and not same_name(clean_name, account.first_name):
        errors["name"] = [MISMATCH]
    return IdentityCheck(number, clean_name, person, account, errors)


def lookup_identity(clerk: Any, name: Any, id_number: Any) -> IdentityCheck:
    """The counter's 查询: :func:`check_identity`, recorded in the audit log (who, the masked
    number, what was found, the clerk's region) and committed. A name that differs from the
    records is not an error here: the counter is told only whether they match
    (:attr:`IdentityCheck.matches`), the same answer as for a number nobody holds."""
    check = check_identity(name, id_number)
    check.errors = {key: messages for key, messages in check.errors.items()
                    if messages != [MISMATCH]}
    record_lookup(clerk, check)
    db.session.commit()
    return check


def record_lookup(clerk: Any, check: IdentityCheck, **detail: Any) -> None:
    """Add the audit event of a registry look-up for a walk-in citizen (``window.lookup``):
    who, the masked number, what was found, the clerk's region (``detail`` added to it)."""
    registry = "not_found" if check.person is None else (
        "found" if check.registry_matches else "name_differs")
    account = "none" if check.account is None else (
        "existing" if check.account_matches else "name_differs")
    invalid = any(messages != [MISMATCH] for messages in check.errors.values())
    result = "invalid" if invalid else ("match" if check.matches else "no_match")
    record("window.lookup", "person", None, getattr(clerk, "region_code", None),
           id_number=mask_id_number(check.number) if check.number else None,
           result=result, registry=registry, account=account, **detail)


@dataclass
class WindowEntryCommand:
    """Create the draft a clerk fills for a walk-in citizen (see the module docstring)."""

    clerk: Any
    item_code: Any
    region_code: Any
    name: Any
    id_number: Any
    identity_checked: bool = False

    def validate(self) -> IdentityCheck:
        if self.clerk is None or not getattr(self.clerk, "is_authenticated", False):
            raise NotAllowedError(_l("Please sign in first."))
        if not files_at_counter(self.clerk):  # the platform administrator, through the API too
            raise NotAllowedError(COUNTER_REFUSED)
        if not can_write_region(self.region_code, self.clerk):
            raise NotAllowedError(_l("You may only enter applications for your own region."))
        check = check_identity(self.name, self.id_number)
        errors = dict(check.errors)
        if self.identity_checked is not True:
            errors["identity_checked"] = [_l("Check the identity card at the counter first.")]
        if check.number and check.number == getattr(self.clerk, "id_number", None):
            errors["id_number"] = [_l("You cannot enter an application for yourself.")]
        if check.account is not None and check.account.id == self.clerk.id:
            errors["id_number"] = [_l("You cannot enter an application for yourself.")]
        if errors:
            self._refused(check)
            raise ApplicationInvalidError(errors)
        return check

    def _refused(self, check: IdentityCheck) -> None:
        """Audit a refused entry as the counter's 查询 is audited: the registry was consulted
        (and the look-up limit counted) all the same. Committed: the caller rolls back."""
        record_lookup(self.clerk, check, refused=True)
        db.session.commit()

    def _placeholder(self, check: IdentityCheck) -> BanshiUser:
        role = current_app.appbuilder.sm.find_role(CITIZEN_ROLE)
        username = f"window-{uuid.uuid4().hex[:16]}"
        account = BanshiUser(
            username=username, last_name="",
            first_name=check.person.name if check.registry_matches else check.name,
            email=f"{username}@window.invalid", active=False, password=None,
            id_number=check.number, identity_verified_at=now(), identity_method=WINDOW_METHOD,
            region_code=self.region_code, roles=[role] if role is not None else [])
        db.session.add(account)
        try:
            db.session.flush()
        except IntegrityError as error:  # the number was taken since the look-up (实名认证)
            db.session.rollback()
            raise StateConflictError(ACCOUNT_CHANGED) from error
        record("account.placeholder", "user", account.id, self.region_code,
               via="window", id_number=mask_id_number(check.number))
        return account

    @staticmethod
    def _locked(account: BanshiUser, number: str) -> BanshiUser:
        """Lock the citizen's account row as closing it does (AnonymiseAccountCommand): a
        closing under way finishes first and the entry is refused (409); one that starts later
        waits, then finds the counter draft and is refused itself. The same with 实名认证
        claiming a placeholder (:func:`claim_window_account`): once claimed it no longer holds
        ``number`` and the entry is refused, so no draft stays behind on the placeholder."""
        locked = db.session.scalar(select(BanshiUser).where(BanshiUser.id == account.id)
                                   .with_for_update()
                                   .execution_options(populate_existing=True))
        if locked is None or locked.anonymised_at is not None:
            raise StateConflictError(ACCOUNT_CLOSED)
        if locked.id_number != number:
            raise StateConflictError(ACCOUNT_CHANGED)
        return locked

    def run(self) -> Application:
        check = self.validate()
        try:
            account = (self._locked(check.account, check.number) if check.account is not None
                       else self._placeholder(check))
            # Commits the placeholder together with the draft (or rolls both back).
            application = CreateApplicationCommand(account, self.item_code, self.region_code,
                                                   filer="self", channel="window",
                                                   entered_by=self.clerk).run()
            # What the counter checked, for the history (the row holds channel and clerk).
            record("application.window_entry", "application", application.id,
                   application.region_code, identity_checked=True,
                   registry="found" if check.person is not None else "not_found",
                   account="existing" if check.account is not None else "placeholder",
                   subject=mask_id_number(check.number))
            db.session.commit()
            return application
        except Exception as error:
            db.session.rollback()
            if isinstance(error, ApplicationError):  # the item not offered there, say
                self._refused(check)
            raise
