"""banshi's SecurityManager: FAB hooks only; region scoping lives in app.scoping."""
import logging

from flask import Response, abort, current_app, g, jsonify, session
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Group
from flask_appbuilder.security.utils import is_null_password
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from app.clock import now as clock_now
from app.models.user import BanshiUser
from app.roles import PUBLIC_PERMISSIONS, PUBLIC_ROLE, ROLE_PERMISSIONS
from app.sign_in_names import find_account

log = logging.getLogger(__name__)
EPOCH_KEY = "_epoch"


class BanshiSecurityManager(SecurityManager):
    """Accounts log in by username, mobile or ID number; sessions die with the account epoch."""

    user_model = BanshiUser

    def __init__(self, appbuilder):
        from app.views.admin.password_reset import ResetPasswordView
        from app.views.admin.password_change import ResetMyPasswordView
        from app.views.admin.security_views import (PermissionModelView,
                                                    PermissionViewModelView, RoleModelView,
                                                    UserGroupModelView, ViewMenuModelView)
        from app.views.admin.users import StaffUserModelView
        from app.api.security import SecurityApi
        from app.views.auth import BanshiAuthDBView

        self.userdbmodelview = StaffUserModelView
        # FAB's sign-in chart loads Google Charts from the internet: no view, no menu entry.
        self.userstatschartview = None
        self.rolemodelview = RoleModelView
        self.groupmodelview = UserGroupModelView
        self.permissionmodelview = PermissionModelView  # these three: no download route
        self.viewmenumodelview = ViewMenuModelView
        self.permissionviewmodelview = PermissionViewModelView
        self.authdbview = BanshiAuthDBView
        self.security_api = SecurityApi
        self.resetmypasswordview = ResetMyPasswordView
        self.resetpasswordview = ResetPasswordView
        super().__init__(appbuilder)

    @staticmethod
    def create_builtin_roles():
        return {**ROLE_PERMISSIONS, PUBLIC_ROLE: PUBLIC_PERMISSIONS}

    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        """Answer from the built-in public role (app.roles), without a query.

        FAB reads the public role and its permissions from the database here, twice a request
        on every protected endpoint; permissions of a built-in role in the database are never
        consulted anyway.
        """
        return [view_name, permission_name] in self.builtin_roles.get(self.auth_role_public, [])

    def _has_access_builtin_roles(self, role, permission_name: str, view_name: str) -> bool:
        """Match the built-in roles' (view, permission) pairs exactly.

        FAB matches them as regular expressions with ``re.match`` (a prefix match), so
        ``can_show`` would also grant a later ``can_show_unmasked`` and ``IdentityView`` an
        ``IdentityViewAdmin``. banshi's entries are plain names (app.roles).
        """
        return [view_name, permission_name] in [
            list(pair) for pair in self.builtin_roles.get(role.name, [])]

    def has_access(self, permission_name: str, view_name: str) -> bool:
        """FAB's answer, except that the counter's and the decision queues' menu entries are
        shown only to accounts that can use them (app.counter_access: the platform
        administrator holds their permissions through the database but cannot use them)."""
        if permission_name == "menu_access" and not menu_usable(view_name):
            return False
        return super().has_access(permission_name, view_name)

    def get_user_menu_access(self, menu_names=None):
        """The menu as FAB's menu API gives it, with the same entries hidden as on the pages."""
        return {name for name in super().get_user_menu_access(menu_names)
                if menu_usable(name)}

    def find_login_account(self, identifier: str):
        """Return the account an identifier names: a mobile, an ID number or a username."""
        return find_account(self.session, identifier)

    def auth_user_db(self, username, password):
        """Authenticate; unknown accounts cost the same hash check as known ones (A3)."""
        if not username or is_null_password(password) or "\x00" in (password or ""):
            return None
        user = self.find_login_account(username)
        if user is None or not user.is_active or not user.password:
            check_password_hash(current_app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"], "x")
            log.info("login failed for an unknown or inactive account")
            return None
        if check_password_hash(user.password, password):
            self.update_user_auth_stat(user, True)
            return user
        self.update_user_auth_stat(user, False)
        return None

    def update_user_auth_stat(self, user, success=True):
        """Count a sign-in (or a failed one) as FAB does, ``last_login`` by the application's
        clock (app.clock, ``BANSHI_CLOCK`` when set) where FAB reads the machine's.

        FAB's columns hold naive local server time: so does this (unchanged without
        ``BANSHI_CLOCK``); account retention compares it with the same clock
        (app.commands.accounts.unused_accounts).
        """
        user.login_count = user.login_count or 0
        user.fail_login_count = user.fail_login_count or 0
        if success:
            user.login_count += 1
            user.last_login = clock_now().astimezone().replace(tzinfo=None)
            user.fail_login_count = 0
        else:
            user.fail_login_count += 1
        self.update_user(user)
        if success:
            self.on_user_login(user)
        else:
            self.on_user_login_failed(user)

    def _request_user(self, pk):
        """Load an account with its roles, groups, the groups' roles and region in one query.

        Every permission check of a request (FAB's ``has_access``, the menu, app.scoping's
        ``role_names``) reads them; loaded lazily they cost three more queries per page, and
        one more per group. Built-in roles are then checked without the database
        (``_has_access_builtin_roles``).
        """
        return self.session.scalars(select(BanshiUser).where(BanshiUser.id == int(pk)).options(
            joinedload(BanshiUser.roles), joinedload(BanshiUser.groups).joinedload(Group.roles),
            joinedload(BanshiUser.region))).unique().first()

    def load_user(self, pk):
        """Load the session's user unless its epoch has moved on (logout, disable)."""
        user = self._request_user(pk)
        if user is None or not user.is_active:
            return None
        if session.get(EPOCH_KEY) != user.session_epoch:
            return None
        return user

    def load_user_jwt(self, _jwt_header, jwt_data):
        user = self._request_user(jwt_data["sub"])
        if user is None or not user.is_active:
            return None
        if jwt_data.get("epoch") != user.session_epoch:
            return None
        g.user = user
        return user

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)

        @jwt_manager.additional_claims_loader
        def add_epoch(identity):
            user = self.get_user_by_id(int(identity))
            return {"epoch": user.session_epoch if user else -1}

        # A missing, malformed, wrongly signed, expired or ended token: 401 {message} in the
        # request's language, never flask-jwt-extended's English {msg} (nor its 422).
        jwt_manager.unauthorized_loader(lambda _reason: token_refused(SIGN_IN_FIRST))
        jwt_manager.invalid_token_loader(lambda _reason: token_refused(TOKEN_INVALID))
        jwt_manager.expired_token_loader(lambda _header, _data: token_refused(TOKEN_EXPIRED))
        jwt_manager.revoked_token_loader(lambda _header, _data: token_refused(TOKEN_ENDED))
        jwt_manager.user_lookup_error_loader(lambda _header, _data: token_refused(TOKEN_ENDED))
        jwt_manager.needs_fresh_token_loader(lambda _header, _data: token_refused(SIGN_IN_AGAIN))
        jwt_manager.token_verification_failed_loader(
            lambda _header, _data: token_refused(TOKEN_INVALID))
        return jwt_manager

    def add_user(self, *args, **kwargs):
        """FAB's (``flask fab create-admin`` and ``create-user``): the operator typed the
        password, so its owner chooses their own at the first sign-in
        (app.commands.own_password)."""
        from app.commands.own_password import require_own_password

        user = super().add_user(*args, **kwargs)
        if user and require_own_password(user) and kwargs.get("commit", True):
            self.session.commit()
        return user

    def reset_password(self, userid, password):
        """Change a password (FAB's reset forms, ``flask fab reset-password``); the account's
        other sessions and tokens end. The owner changing their own clears the mark of a
        password someone else chose; anyone else's choice sets it (app.commands.own_password)."""
        from app.commands.own_password import require_own_password

        user = self.get_user_by_id(int(userid)) if str(userid).isdigit() else None
        if user is None:
            abort(404)  # FAB's form passes ?pk= through unchecked
        require_own_password(user)  # committed with the password
        super().reset_password(user.id, password)
        self.end_sessions(user)
        acting = getattr(g, "user", None)
        if acting is not None and acting.is_authenticated and acting.id == user.id:
            session[EPOCH_KEY] = user.session_epoch  # the session that changed it stays

    def end_sessions(self, user: BanshiUser) -> None:
        """Invalidate every session and token of ``user`` (logout, disable, password change)."""
        user.session_epoch = (user.session_epoch or 0) + 1
        self.session.commit()


SIGN_IN_FIRST = _l("Sign in first, and send the token of POST /api/v1/security/login in the "
                   "header Authorization: Bearer <token>.")
TOKEN_INVALID = _l("The sign-in token is not valid. Sign in again.")
TOKEN_EXPIRED = _l("The sign-in token has expired. Sign in again.")
TOKEN_ENDED = _l("This sign-in has ended (signed out, password changed or account disabled). "
                 "Sign in again.")
SIGN_IN_AGAIN = _l("Sign in again to do this.")


def menu_usable(name: str) -> bool:
    """Tell whether the current user can use the menu entry ``name`` (see ``has_access``)."""
    from app.counter_access import MENU_USERS

    test = MENU_USERS.get(name)
    return test is None or test(g.get("user"))


def token_refused(message) -> Response:
    """Return the API's 401 for a token it cannot accept (RFC 6750's challenge included)."""
    response = jsonify(message=str(message))
    response.status_code = 401
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def fab_password_policy(password: str) -> None:
    """FAB's complexity hook: apply banshi's password policy to FAB's own forms too."""
    from flask_appbuilder.exceptions import PasswordComplexityValidationError

    from app.validators import ValidationError, check_password

    try:
        check_password(password)
    except ValidationError as error:
        raise PasswordComplexityValidationError(str(error)) from error
