"""Per-visitor preferences that work without JavaScript: large text (大字版) and the language."""
from typing import Optional
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, session, url_for
from flask.globals import request_ctx
from flask_appbuilder import BaseView, expose
from flask_appbuilder.utils.base import is_safe_redirect_url
from flask_babel import refresh
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def answers_get(path: str) -> bool:
    """Tell whether a path of this site has a route answering GET (a redirect counts)."""
    try:
        request_ctx.url_adapter.match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:  # 404, and 405 for a POST-only URL (/account/sms-code …)
        return False
    return True


def page_to_return_to(target: Optional[str]) -> Optional[str]:
    """Return the page of this site to show again for ``target``, or None.

    A URL that answers GET is returned as it is; a POST-only one (a form's action, such as
    ``/applications/3/materials/diagnosis``) gives the nearest parent path that answers GET
    (``/applications/3/materials``), the page the form was on.
    """
    if not target or not is_safe_redirect_url(target):
        return None
    parts = urlsplit(target)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path or "/"
    root = request.script_root
    if root and path.startswith(root):
        path = path[len(root):] or "/"
    if answers_get(path):
        return f"{root}{path}?{parts.query}" if parts.query else f"{root}{path}"
    while "/" in path.rstrip("/"):  # a path without a "/" ("\\evil.cn") has no parent
        path = path.rstrip("/").rsplit("/", 1)[0] or "/"
        for candidate in (path, path.rstrip("/") + "/"):
            if candidate != "/" and answers_get(candidate):
                return f"{root}{candidate}"
    return None


def back_to_referrer():
    """Redirect to the page the visitor was on (see :func:`page_to_return_to`), else home."""
    return redirect(page_to_return_to(request.referrer) or url_for("BanshiIndexView.index"))


class PreferenceView(BaseView):
    route_base = "/prefs"
    default_view = "large_font"

    @expose("/large-font")
    def large_font(self):
        """Switch large text on or off and return to the page the visitor was on."""
        session["large_font"] = not session.get("large_font", False)
        return back_to_referrer()

    @expose("/lang/<string:locale>")
    def language(self, locale):
        """Switch the language and return to the page the visitor was on."""
        if locale not in current_app.config["LANGUAGES"]:
            abort(404)
        session["locale"] = locale
        refresh()
        return back_to_referrer()
