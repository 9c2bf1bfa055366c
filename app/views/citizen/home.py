"""The citizen's own account page: what banshi knows about them, masked."""
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l

from app.account_limit import LimitsAccountClosing
from app.scoping import current_user
from app.views.citizen.answer_display import local_date
from app.views.citizen.close_account import ClosesAccount
from app.views.citizen.identity import METHOD_LABELS


class CitizenHomeView(LimitsAccountClosing, ClosesAccount, BaseView):
    """/me: masked mobile and ID number, verification state and region; /me/close."""

    route_base = "/me"
    default_view = "index"
    closing_endpoints = ("close",)

    @expose("/")
    @has_access
    def index(self):
        """Show the signed-in account."""
        user = current_user()
        verified_at = user.identity_verified_at
        return self.render_template(
            "citizen/home.html", user=user, title=_l("My account"),
            verified_on=local_date(verified_at) if verified_at else None,
            method_label=METHOD_LABELS.get(user.identity_method or ""))
