"""The login form's captcha picture, its sound, and a new picture for the page's script.

Everything here answers with ``Cache-Control: no-store`` and is limited per client IP; the
sound (pure Python, under a second to make) more tightly than the picture.
"""
from flask import abort, current_app, jsonify, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.utils.limit import Limit

from app import captcha

NO_STORE = {"Cache-Control": "no-store"}


def _limit(setting: str, default: str, *, sound: bool) -> Limit:
    def other_endpoint() -> bool:
        return (request.endpoint == f"{CaptchaView.__name__}.sound") is not sound

    return Limit(lambda: current_app.config.get(setting, default), key_func=None,
                 exempt_when=other_endpoint)


class CaptchaView(BaseView):
    """Public: a picture or sound is found only by its challenge's random key."""

    route_base = "/captcha"
    default_view = "picture"
    limits = [_limit("CAPTCHA_RATE_LIMIT", "60 per minute", sound=False),
              _limit("CAPTCHA_SOUND_RATE_LIMIT", "6 per minute", sound=True)]

    @expose("/<key>.png")
    def picture(self, key):
        answer = captcha.answer_of(key)
        if answer is None:
            abort(404)
        return captcha.picture(answer), 200, {**NO_STORE, "Content-Type": "image/png"}

    @expose("/<key>.wav")
    def sound(self, key):
        answer = captcha.answer_of(key)
        if answer is None:
            abort(404)
        return captcha.sound(answer), 200, {**NO_STORE, "Content-Type": "audio/wav"}

    @expose("/new", methods=["POST"])
    def new(self):
        """Replace the form's challenge (``captcha_key``) by a new one: its key and addresses
        as JSON, for the login page's script (a CSRF-protected POST)."""
        captcha.discard(request.form.get("captcha_key"))
        key = captcha.issue()
        return jsonify(key=key, picture=url_for(".picture", key=key),
                       sound=url_for(".sound", key=key)), 200, NO_STORE
