"""Per-visitor preferences that work without JavaScript: large text (大字版)."""
from flask import abort, current_app, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.utils.base import get_safe_redirect
from flask_babel import refresh


class PreferenceView(BaseView):
    route_base = "/prefs"
    default_view = "large_font"

    @expose("/large-font")
    def large_font(self):
        session["large_font"] = not session.get("large_font", False)
        target = request.referrer or url_for("BanshiIndexView.index")
        return redirect(get_safe_redirect(target))

    @expose("/lang/<string:locale>")
    def language(self, locale):
        """Switch the language and return to the page the visitor was on."""
        if locale not in current_app.config["LANGUAGES"]:
            abort(404)
        session["locale"] = locale
        refresh()
        return redirect(get_safe_redirect(request.referrer or url_for("BanshiIndexView.index")))
