"""Create a citizen account with an SMS code, and reset a password the same way.

Both answer alike for known and unknown mobiles (SECURITY_TESTS.md A3): whether the mobile has
an account is only acted on after a valid code, which only its owner can have.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.commands import CommandError
from app.commands.own_password import SAME_PASSWORD, keeps_given_password, owner_chose_password
from app.commands.sms_codes import CheckSmsCodeCommand, account_for_mobile
from app.commands.users import hash_password
from app.extensions import db
from app.models.user import BanshiUser
from app.validators import ValidationError, canonical_mobile, check_password, mask_mobile

CITIZEN_ROLE = "Citizen"
# Said when a code is valid but the account state moved on meanwhile: reveals nothing more.
STALE_CODE = _l("This code can no longer be used. Request a new one.")


class AccountError(CommandError):
    """Registration or reset refused; ``field`` names the form field at fault, if one is."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_new_password(mobile: str, password: str, confirmation: str) -> str:
    """Return the canonical mobile after applying the password policy and confirmation."""
    try:
        mobile = canonical_mobile(mobile)
    except ValidationError as error:
        raise AccountError(error.message, "mobile") from error
    try:
        check_password(password, username=mobile)
    except ValidationError as error:
        raise AccountError(error.message, "password") from error
    if password != confirmation:
        raise AccountError(_l("The two passwords do not match."), "confirmation")
    return mobile


@dataclass
class RegisterCitizenCommand:
    """Create a Citizen account named by its mobile; the real name comes with verification."""

    mobile: str
    password: str
    confirmation: str
    code: str
    agreement: bool

    def validate(self) -> None:
        """Check the mobile, password policy, confirmation and the accepted agreement."""
        self.mobile = _check_new_password(self.mobile, self.password, self.confirmation)
        if self.agreement is not True:
            raise AccountError(_l("Accept the registration agreement to continue."), "agreement")

    def run(self) -> BanshiUser:
        """Consume the code and create the account in one transaction."""
        self.validate()
        CheckSmsCodeCommand(self.mobile, "register", self.code).run()
        if account_for_mobile(self.mobile) is not None:  # registered since the code was sent
            db.session.rollback()
            raise AccountError(STALE_CODE, "code")
        role = current_app.appbuilder.sm.find_role(CITIZEN_ROLE)
        if role is None:  # `flask security sync` has not run
            db.session.rollback()
            raise AccountError(_l("Registration is not available yet."))
        user = BanshiUser(
            username=self.mobile, mobile=self.mobile, first_name="", last_name="",
            email=f"{self.mobile}@accounts.invalid", active=True,
            password=hash_password(self.password), roles=[role],
        )
        db.session.add(user)
        try:
            db.session.flush()
            record("account.register", "user", user.id, actor_id=user.id, via="sms",
                   mobile=mask_mobile(self.mobile))
            db.session.commit()
        except IntegrityError as error:  # a concurrent registration of the same mobile won
            db.session.rollback()
            raise AccountError(STALE_CODE, "code") from error
        return user


@dataclass
class ResetPasswordCommand:
    """Set a new password for the account of ``mobile`` and end all its sessions."""

    mobile: str
    code: str
    password: str
    confirmation: str

    def validate(self) -> None:
        """Check the mobile, password policy and confirmation (nothing about the account)."""
        self.mobile = _check_new_password(self.mobile, self.password, self.confirmation)

    def run(self) -> BanshiUser:
        """Consume the code, set the password, record it and invalidate every session."""
        self.validate()
        CheckSmsCodeCommand(self.mobile, "reset", self.code).run()
        user = account_for_mobile(self.mobile)
        if user is None or not user.is_active:
            db.session.rollback()
            raise AccountError(STALE_CODE, "code")
        try:  # only the owner gets here, so naming the username rule reveals nothing
            check_password(self.password, username=user.username)
        except ValidationError as error:
            db.session.rollback()
            raise AccountError(error.message, "password") from error
        if keeps_given_password(user, self.password):
            db.session.rollback()
            raise AccountError(SAME_PASSWORD, "password")
        user.password = hash_password(self.password)
        # Chosen by the owner of the mobile: no longer the one an administrator knows.
        record("account.password_reset", "user", user.id, user.region_code, actor_id=user.id,
               via="sms", **owner_chose_password(user))
        current_app.appbuilder.sm.end_sessions(user)  # commits the whole change
        return user
