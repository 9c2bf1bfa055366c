"""Verify a citizen's real name (实名认证) through the configured identity verifier."""
from dataclasses import dataclass
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.commands import CommandError
from app.commands.applications.errors import NotAllowedError
from app.commands.regions import known_region_code
from app.commands.reviews.window import claim_window_account, not_placeholder
from app.extensions import db
from app.models.base import utcnow
from app.models.region import Region
from app.models.user import BanshiUser
from app.scoping import is_platform_admin
from app.staff_roles import holds_staff_role
from app.services import get_identity_verifier
from app.services.identity import METHODS
from app.validators import (ValidationError, canonical_id_number, id_number_facts,
                            mask_id_number, normalize_text)

NAME_MAX = 64  # ab_user.first_name
TAKEN = _l("This ID number is already linked to another account. If it is yours, contact the "
           "service desk.")
STAFF_REFUSED = _l("Real-name verification is for citizens' accounts. Staff accounts are "
                   "managed by their administrator.")


class IdentityError(CommandError):
    """Verification refused; ``field`` names the form field at fault, if one is."""

    def __init__(self, message, field: Optional[str] = None):
        super().__init__(message)
        self.field = field


class IdentityNotOwnError(IdentityError):
    """The account already holds another ID number (registration, an earlier verification):
    verifying would hand the account to someone else."""

    def __init__(self, held: str):
        super().__init__(_l("This account holds the ID number %(number)s: verify that "
                            "identity. Another person needs an account of their own.",
                            number=mask_id_number(held)), "id_number")


class IdentityAlreadyVerifiedError(IdentityError):
    """The account's identity is verified already: there is nothing to verify."""

    def __init__(self):
        super().__init__(_l("Your identity is already verified."))


def canonical_card_number(value: object) -> str:
    """Return a social security card number in upper case, letters and digits only, or raise."""
    text = "".join(normalize_text(value, max_length=40).split()).upper()
    if not (6 <= len(text) <= 20 and text.isascii() and text.isalnum()):
        raise ValidationError(_l("A social security card number has 6 to 20 letters and digits."),
                              code="card_number")
    return text


def ensure_verifiable(user) -> None:
    """Raise NotAllowedError (403) for a staff or administrator account: verification is for
    citizens' accounts (the form /identity/verify and POST /api/v1/me/identity alike)."""
    if holds_staff_role(user) or is_platform_admin(user):
        raise NotAllowedError(STAFF_REFUSED)


@dataclass
class VerifyIdentityCommand:
    """Confirm ``user``'s name and ID number and record them as verified."""

    user: BanshiUser
    name: str
    id_number: str
    method: str
    secret: str
    card_number: Optional[str] = None

    def validate(self) -> None:
        """Canonicalise the inputs; the account's own ID number only (see ensure_unclaimed)."""
        ensure_verifiable(self.user)
        if self.user.identity_verified_at is not None:
            raise IdentityAlreadyVerifiedError()
        if self.method not in METHODS:
            raise IdentityError(_l("Choose how to verify your identity."), "method")
        try:
            self.name = normalize_text(self.name, max_length=NAME_MAX)
        except ValidationError as error:
            raise IdentityError(error.message, "name") from error
        if not self.name:
            raise IdentityError(_l("Enter your full name."), "name")
        try:
            self.id_number = canonical_id_number(self.id_number, region_known=known_region_code)
        except ValidationError as error:
            raise IdentityError(error.message, "id_number") from error
        if self.user.id_number and self.user.id_number != self.id_number:
            raise IdentityNotOwnError(self.user.id_number)
        if self.method == "sscard":
            try:
                self.card_number = canonical_card_number(self.card_number)
            except ValidationError as error:
                raise IdentityError(error.message, "card_number") from error
        else:
            self.card_number = None
        if not self.secret:
            raise IdentityError(_l("Enter the password."), "secret")

    def ensure_unclaimed(self) -> None:
        """Refuse an ID number another account holds. Asked only once the verifier accepted
        the person: before, anyone could learn from it whether a number has an account."""
        holder = db.session.scalar(select(BanshiUser.id).where(
            BanshiUser.id_number == self.id_number, BanshiUser.id != self.user.id,
            not_placeholder()))  # a window entry's placeholder is claimed below
        if holder is not None:
            record("identity.refused", "user", self.user.id, self.user.region_code,
                   method=self.method, id_number=mask_id_number(self.id_number),
                   reason="id_number_taken")
            db.session.commit()
            raise IdentityError(TAKEN, "id_number")

    def run(self) -> BanshiUser:
        """Ask the verifier; on success store name, ID number, method, time and region."""
        try:
            self.validate()
        except IdentityNotOwnError:
            record("identity.refused", "user", self.user.id, self.user.region_code,
                   method=self.method, id_number=mask_id_number(self.id_number),
                   reason="not_account_id_number")
            db.session.commit()
            raise
        result = get_identity_verifier().verify(
            self.name, self.id_number, self.method, self.secret, card_number=self.card_number)
        masked = mask_id_number(self.id_number)
        if not result.ok:
            record("identity.refused", "user", self.user.id, self.user.region_code,
                   method=self.method, id_number=masked)
            db.session.commit()
            raise IdentityError(result.reason or _l("Your identity could not be verified."))
        self.ensure_unclaimed()
        user = self.user
        # Applications a clerk entered at the window for this ID number become this account's.
        claim_window_account(user, self.id_number)
        user.first_name = self.name
        user.id_number = self.id_number
        user.identity_verified_at = utcnow()
        user.identity_method = self.method
        if not user.region_code:
            user.region_code = _current_region(id_number_facts(self.id_number)[2])
        record("identity.verify", "user", user.id, user.region_code, method=self.method,
               id_number=masked)
        try:
            db.session.commit()
        except IntegrityError as error:  # another account verified the same ID meanwhile
            db.session.rollback()
            raise IdentityError(TAKEN, "id_number") from error
        return user


def _current_region(code: str) -> Optional[str]:
    """Return ``code`` when it is a current region of the tree, else None."""
    region = db.session.get(Region, code)
    return code if region is not None and region.current else None
