"""banshi's account: FAB's ``ab_user`` extended with region, identity and session epoch."""
from datetime import datetime
from typing import Optional

from flask_appbuilder.security.sqla.models import Group, User
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Scope, UtcDateTime
from app.roles import held_role_names
from app.validators.masking import mask_id_number, mask_mobile


class BanshiUser(User):
    """A staff member or citizen. ``first_name`` holds the real name (姓名).

    ``session_epoch`` is bumped on logout, disabling and password change; sessions and
    tokens carry the epoch they were issued under and die when it moves on.
    """

    __tablename__ = "ab_user"
    __table_args__ = (
        Index("ix_ab_user_region_code", "region_code"),
        Index("ix_ab_user_mobile", "mobile", unique=True),
        Index("ix_ab_user_id_number", "id_number", unique=True),
        # Case-insensitive sign-in (app.sign_in_names); not unique: older databases may hold
        # names that differ only in case.
        Index("ix_ab_user_username_lower", text("lower(username)")),
        {"extend_existing": True},
    )
    __scope__ = Scope(region="region_code", owner="id")

    region_code: Mapped[Optional[str]] = mapped_column(String(12), ForeignKey("region.code"))
    id_number: Mapped[Optional[str]] = mapped_column(String(18))
    mobile: Mapped[Optional[str]] = mapped_column(String(11))
    identity_verified_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    identity_method: Mapped[Optional[str]] = mapped_column(String(40))
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the account was closed by its owner (注销) or anonymised by the retention purge
    # (app.commands.accounts): name, ID number, mobile, email and username replaced.
    anonymised_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    # True while a password an administrator chose (users form, 设置新密码) is unchanged: its
    # owner must choose one before anything else (app.views.admin.password_change).
    must_change_password: Mapped[Optional[bool]] = mapped_column(Boolean)

    region: Mapped[Optional["Region"]] = relationship(foreign_keys=[region_code])  # noqa: F821

    @property
    def real_name(self) -> str:
        return self.first_name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def role_names(self) -> set[str]:
        """The roles this account holds, directly or through its groups (app.roles)."""
        return held_role_names(self.roles, self.groups)

    def get_full_name(self) -> str:
        return self.first_name if not self.last_name else f"{self.first_name} {self.last_name}"


def accept_accounts_in_groups() -> None:
    """Let FAB's ``Group.users`` hold banshi's account class, as FAB's ``Role.user`` does.

    FAB declares ``Role.user`` with ``enable_typechecks=False`` but not ``Group.users``: a
    ``BanshiUser`` put in a group (``user.groups.append``, the security manager's
    ``add_group(users=...)``, ``add_user(groups=...)``) failed to flush ("Expected an object
    of type User"), and the save with it. A subclass of FAB's Group cannot redeclare the
    pair: FAB's backref ``User.groups`` refuses a ``groups`` of the same name on this class.
    The option is read when the mappers are configured, so this runs at import, before them.
    """
    users = Group.__mapper__.get_property("users")  # does not configure the mappers
    if Group.__mapper__.configured and users.enable_typechecks:
        raise RuntimeError("FAB's mappers were configured before app.models.user was imported")
    users.enable_typechecks = False


accept_accounts_in_groups()
