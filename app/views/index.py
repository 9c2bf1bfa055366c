"""The landing page: citizens get the portal home, staff their work overview."""
from flask import g
from flask_appbuilder import IndexView, expose

from app.scoping import is_platform_admin, is_staff


class BanshiIndexView(IndexView):
    index_template = "citizen/index.html"

    @expose("/")
    def index(self):
        user = g.user if g.user and g.user.is_authenticated else None
        if user is not None and (is_platform_admin(user) or is_staff(user)):
            return self.render_template("staff/index.html", appbuilder=self.appbuilder)
        return self.render_template(self.index_template, appbuilder=self.appbuilder)
