"""Create an account from the command line or the demo loader (CONTRACT.md §2)."""
from dataclasses import dataclass
from typing import Optional

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from werkzeug.security import generate_password_hash

from app.audit import record
from app.commands import CommandError
from app.commands.own_password import require_own_password
from app.commands.regions import known_region_code
from app.extensions import db
from app.models.region import Region
from app.models.user import BanshiUser
from app.roles import ALL_ROLES, MANAGING_ROLES
from app.sign_in_names import username_problem, username_taken
from app.staff_roles import deciding, role_conflict, stored_roles
from app.validators import (ValidationError, canonical_id_number, canonical_mobile,
                            canonical_username, check_password, normalize_text)


class UserError(CommandError):
    pass


def hash_password(password: str) -> str:
    method = current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


@dataclass
class AddUserCommand:
    username: str
    password: str
    role: str
    region: Optional[str] = None
    name: Optional[str] = None
    id_number: Optional[str] = None
    mobile: Optional[str] = None
    #: The operator typed a password for someone else (``flask users add``): its owner
    #: chooses their own at the first sign-in (app.commands.own_password). The demo accounts
    #: keep their published one.
    operator_chose: bool = False

    def validate(self) -> None:
        try:
            # As sign-in reads it (app.security.find_login_account); a blank name is the username.
            self.username = canonical_username(self.username)
            self.name = normalize_text(self.name, max_length=64) or self.username
            if self.id_number:
                self.id_number = canonical_id_number(self.id_number, region_known=known_region_code)
            if self.mobile:
                self.mobile = canonical_mobile(self.mobile)
            check_password(self.password, username=self.username)
        except ValidationError as error:
            raise UserError(str(error)) from error
        if not self.username:
            raise UserError(_l("A username is required."))
        if self.role not in ALL_ROLES:
            raise UserError(_l("Unknown role %(role)s; choose one of %(roles)s.",
                               role=self.role, roles=", ".join(ALL_ROLES)))
        if self.role in ("RegionAdmin", "Reviewer") and not self.region:
            raise UserError(_l("Staff accounts need a region."))
        if self.region and db.session.get(Region, self.region) is None:
            raise UserError(_l("Unknown region %(code)s (run `regions load` first?).", code=self.region))
        problem = username_problem(self.username, self.mobile, self.id_number)
        if problem is not None:
            raise UserError(problem)
        if username_taken(db.session, self.username):
            raise UserError(_l("An account with this username, mobile or ID number exists."))
        taken = []
        if self.mobile:
            taken.append(BanshiUser.mobile == self.mobile)
        if self.id_number:
            taken.append(BanshiUser.id_number == self.id_number)
        if taken and db.session.scalar(select(BanshiUser.id).where(or_(*taken))) is not None:
            raise UserError(_l("An account with this username, mobile or ID number exists."))

    def run(self) -> BanshiUser:
        self.validate()
        role = current_app.appbuilder.sm.find_role(self.role)
        if role is None:
            raise UserError(_l("Role %(role)s is missing; run `flask --app app security sync`.",
                               role=self.role))
        user = BanshiUser(
            username=self.username, first_name=self.name, last_name="",
            email=f"{self.username}@accounts.invalid", active=True,
            password=hash_password(self.password), region_code=self.region,
            id_number=self.id_number, mobile=self.mobile, roles=[role],
        )
        db.session.add(user)
        db.session.flush()
        marked = {}
        if self.operator_chose:
            marked["must_change_password"] = require_own_password(user)
        record("account.create", "user", user.id, self.region, roles=[self.role], via="cli",
               **marked)
        db.session.commit()
        return user


def accounts_holding(names) -> set[int]:
    """Return the ids of the accounts holding one of the roles ``names``, directly or through
    one of their groups."""
    from app.scoping import holders

    return set(db.session.scalars(holders(names)))


def separation_conflicts() -> list[tuple[BanshiUser, tuple[str, str]]]:
    """Return the accounts whose roles, given directly or through groups, break separation of
    duties (app.roles), each with its conflicting pair, by username.

    The account forms refuse such a pair; accounts given it before the rule, or through a
    group, still hold it, and their next save is refused until one role is taken away.
    """
    from sqlalchemy.orm import selectinload

    # A role decides by what it grants: Reviewer, or one an administrator made (app.staff_roles).
    ids = accounts_holding(MANAGING_ROLES) & accounts_holding(stored_roles(deciding))
    if not ids:
        return []
    users = db.session.scalars(select(BanshiUser).where(BanshiUser.id.in_(sorted(ids))).options(
        selectinload(BanshiUser.roles), selectinload(BanshiUser.groups))
        .order_by(BanshiUser.username))
    found = []
    for user in users:
        conflict = role_conflict(user.roles, user.groups)
        if conflict is not None:
            found.append((user, conflict))
    return found
