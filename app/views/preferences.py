"""Per-visitor preferences that work without JavaScript: large text (大字版)."""
from flask import redirect, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.utils.base import get_safe_redirect


class PreferenceView(BaseView):
    route_base = "/prefs"
    default_view = "large_font"

    @expose("/large-font")
    def large_font(self):
        session["large_font"] = not session.get("large_font", False)
        target = request.referrer or url_for("BanshiIndexView.index")
        return redirect(get_safe_redirect(target))
