"""Browse the region tree one level at a time, within the user's subtree."""
from flask import abort, g
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.models.region import Region
from app.scoping import in_subtree, is_platform_admin


class RegionTreeView(BaseView):
    route_base = "/regions/tree"
    default_view = "node"

    @expose("/")
    @expose("/<code>")
    @has_access
    def node(self, code=None):
        user = g.user
        top = None if is_platform_admin(user) else user.region_code
        if not is_platform_admin(user) and not top:
            abort(403)  # staff without a region see no part of the tree
        if code is None:
            code = top
        node = db.session.get(Region, code) if code else None
        if code and (node is None or (top and not in_subtree(code, top))):
            abort(404)
        children = self._children(code)
        trail = []
        if node is not None:
            codes = node.path.strip("/").split("/")
            if top:
                codes = codes[codes.index(top):]
            trail = list(db.session.scalars(select(Region).where(Region.code.in_(codes))
                                            .order_by(func.length(Region.path))))
        can_add_node = self.appbuilder.sm.has_access("can_add", "RegionModelView")
        return self.render_template("staff/region_tree.html", node=node, children=children,
                                    trail=trail, can_add_node=can_add_node,
                                    title=_l("Region tree"))

    @staticmethod
    def _children(code):
        child = Region.__table__.alias("child")
        counts = (select(child.c.parent_code, func.count().label("n"))
                  .group_by(child.c.parent_code).subquery())
        query = (select(Region, func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.parent_code == Region.code)
                 .where(Region.parent_code == code if code else Region.parent_code.is_(None))
                 .order_by(Region.valid_to.is_not(None), Region.code))
        return db.session.execute(query).all()
