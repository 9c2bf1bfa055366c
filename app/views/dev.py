"""Development-only pages: what the development SMS gateway would have sent."""
from flask import abort, current_app
from flask_appbuilder import BaseView, expose
from sqlalchemy import select

from app.extensions import db
from app.models.verification import DevSmsMessage
from app.validators import mask_mobile


class DevView(BaseView):
    """Registered only when DEV_PAGES is on (never in production)."""

    route_base = "/dev"
    default_view = "sms"

    @expose("/sms")
    def sms(self):
        if not current_app.config.get("DEV_PAGES"):
            abort(404)
        messages = db.session.scalars(
            select(DevSmsMessage).order_by(DevSmsMessage.id.desc()).limit(50)
        ).all()
        return self.render_template("citizen/dev_sms.html", messages=messages,
                                    mask_mobile=mask_mobile, title="SMS")
