"""Who issues a result document: the medical insurance bureau of the region that made the
last decision on the application.

    issuing_region(application)   # the code: the region handling the last approved step
    agency_name(code)             # 成都市锦江区医疗保障局, in English Healthcare Security
                                  # Administration of Jinjiang District, Chengdu City

The last approved step is read from the decisions (a rule's or a person's, newest first) and
its handling region worked out as routing does (``level``, ``region_field``): a county's
application whose last step a city decided is issued by the city. An application closed with
no decision (no step applied) is issued by its own region. The name leaves the province out
below a city (成都市锦江区, not 四川省成都市锦江区) and keeps it where no city lies between
(北京市朝阳区).
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.commands.applications.context import region_nodes
from app.extensions import db
from app.models.application import StepDecision
from app.models.region import Region, english
from app.workflow.routing import handling_region, step_of


def issuing_region(application: Any) -> str:
    """Return the code of the region that decided ``application``'s last approved step."""
    key = None
    if application.id is not None:
        key = db.session.scalar(
            select(StepDecision.step_key).where(StepDecision.application_id == application.id,
                                                StepDecision.decision == "approve")
            .order_by(StepDecision.at.desc(), StepDecision.id.desc()).limit(1))
    step = step_of(application.version, key) if key else None
    return (handling_region(application, step) if step else None) or application.region_code


def agency_name(code: str) -> str:
    """Return the name of region ``code``'s medical insurance bureau in the request's language."""
    nodes = list(region_nodes(code))
    if any(level == "city" for _code, level in nodes):
        nodes = [(node, level) for node, level in nodes if level != "province"] or nodes
    rows = {row.code: row for row in db.session.scalars(
        select(Region).where(Region.code.in_([node for node, _level in nodes])))}
    names = [rows[node].name_for() for node, _level in nodes if node in rows]
    if not names:
        return code
    region = ", ".join(reversed(names)) if english() else "".join(names)
    return _("Healthcare Security Administration of %(region)s", region=region)
