"""办件统计: the scoped dashboard — period, item and region filters, totals, charts, CSV.

The figures are ``app.workflow.stats``' (SQL aggregates within ``app.scoping``); this view reads
the query string, draws the charts as inline SVG on the server and writes the tables under
them. FAB's chart views are not used: they load every row into Python to group it and draw
with Google Charts fetched from gstatic.com, which an intranet (and the offline test machine)
cannot reach. Inline SVG needs no script, prints as it shows, and each chart has its table.

Who: Admin (the whole country), RegionAdmin and Reviewer (their region's subtree — reviewers
already see each of these applications in their queues; the aggregates add no personal data).
A region outside the subtree is a 404, whatever exists there.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from flask import abort, g, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from app.csv_export import csv_response
from app.scoping import is_platform_admin
from app.views.review import STATUS_LABELS
from app.views.review.queue import (FILTER_LABELS as QUEUE_FILTER_LABELS, NOT_A_DATE, NOT_A_FILTER,
                                   NOT_LISTED, items_in_scope)
from app.workflow import deadlines, stats

PERMISSION = "Dashboard"
#: FAB's own locale switch for one request; not a filter.
IGNORED_ARGS = ("_l_",)
LABEL_ROOM = 28  # places in a chart's label column (a Chinese character takes two)
#: How a filter's problem names it (the queue pages' labels, and the region in view).
FILTER_LABELS = {"item": QUEUE_FILTER_LABELS["item"], "region": _l("Region"),
                 "submitted_from": QUEUE_FILTER_LABELS["submitted_from"],
                 "submitted_to": QUEUE_FILTER_LABELS["submitted_to"]}


class DashboardArgs(Schema):
    """The query string; anything else is a 400 (SECURITY_TESTS D2)."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": NOT_A_FILTER}
    submitted_from = fields.Date(error_messages={"invalid": [NOT_A_DATE]})
    submitted_to = fields.Date(error_messages={"invalid": [NOT_A_DATE]})
    item = fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$", error=NOT_LISTED))
    region = fields.String(validate=validate.Regexp(r"^[0-9]{6,12}$", error=NOT_LISTED))

    @validates_schema
    def _ordered(self, data, **kwargs):
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            raise ValidationError(str(_l("The end of the period is before its start.")),
                                  "submitted_to")


def read_args() -> dict:
    """Return the filters; an absent date gets its default (this year so far), an empty one
    means open-ended. :raises ValidationError: with per-field messages."""
    raw = {k: v for k, v in request.args.items() if k not in IGNORED_ARGS}
    args = DashboardArgs().load({k: v.strip() for k, v in raw.items() if v.strip()})
    today = deadlines.today()
    if "submitted_from" not in raw:
        args["submitted_from"] = dt.date(today.year, 1, 1)
    if "submitted_to" not in raw:
        args["submitted_to"] = today
    return args


def known_item(args: dict) -> dict:
    """Refuse an item none of the user's queues can hold (it showed as 事项：<text> with zeros).

    :raises ValidationError: naming the item filter.
    """
    item = args.get("item")
    if item and item not in {code for code, _name in items_in_scope(g.user)}:
        raise ValidationError({"item": [str(NOT_LISTED)]})
    return args


def shorten(label: str, room: int = LABEL_ROOM) -> str:
    """Cut ``label`` to fit the chart's label column (a wide character takes two places)."""
    used = 0
    for index, char in enumerate(label):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > room:
            return label[:max(index - 1, 1)] + "…"
    return label


def bar(label: str, value, text: str, href=None, key=None) -> dict:
    return {"label": label, "short": shorten(label), "value": value or 0, "text": text,
            "href": href, "key": key}


def bars(rows, value, text, link=None) -> list[dict]:
    """Return chart bars: label, value (for the length), text (as written), optional link."""
    return [bar(row.label or row.key, value(row),
                text(row) if value(row) is not None else "—", link(row) if link else None)
            for row in rows]


def one_decimal(number) -> str:
    return "—" if number is None else f"{number:.1f}"


def decimal(number) -> str:
    """A CSV number with one decimal, empty when there is none."""
    return "" if number is None else f"{number:.1f}"


class DashboardView(BaseView):
    """``/dashboard/`` and ``/dashboard/export.csv`` (the same filters)."""

    route_base = "/dashboard"
    default_view = "index"
    class_permission_name = PERMISSION
    method_permission_name = {"index": "read", "export": "read"}

    def _figures(self, args: dict):
        user = g.user
        if not is_platform_admin(user) and not user.region_code:
            abort(403)  # staff without a region see no part of the tree
        try:
            region = stats.viewing_region(user, args.get("region"))
        except stats.RegionNotInScope:
            abort(404)
        filters = stats.Filters(submitted_from=args.get("submitted_from"),
                                submitted_to=args.get("submitted_to"), item=args.get("item"))
        return stats.dashboard(user, filters, region, locale=str(get_locale() or "zh"))

    @expose("/")
    @has_access
    def index(self):
        try:
            args = known_item(read_args())
        except ValidationError as error:
            return self.render_template(
                "admin/dashboard.html", problems=error.messages, filter_labels=FILTER_LABELS,
                figures=None, args={},
                items=[], trail=[], title=_l("Dashboard")), 400
        figures = self._figures(args)
        keep = self._keep(args)
        return self.render_template(
            "admin/dashboard.html", figures=figures, args=args, problems=None,
            title=_l("Dashboard"), trail=stats.trail(g.user, figures.region),
            items=self._items(figures.region), status_labels=STATUS_LABELS,
            charts=self._charts(figures, keep),
            export_url=url_for("DashboardView.export", **keep),
            whole_country=is_platform_admin(g.user), fmt=one_decimal, keep=keep)

    @expose("/export.csv")
    @has_access
    def export(self):
        try:
            args = known_item(read_args())
        except ValidationError:
            abort(400)
        figures = self._figures(args)
        header = (
            _l("Section"), _l("Code"), _l("Name"), _l("Applications"),
            # "Returned for correction" names a status here and a decision further on: the
            # headers say which (退回补正 twice would be two columns of one name).
            *(_l("Status now: %(status)s", status=STATUS_LABELS[status])
              for status in stats.STATUSES),
            _l("Median processing time (working days)"), _l("With a statutory deadline"),
            _l("Overdue"), _l("Overdue rate (%)"), _l("Returns for correction (times)"),
            _l("Returns per 100 applications"))
        sections = [(_l("Total"), [figures.totals]), (_l("Item"), figures.by_item),
                    (_l("Region"), figures.by_region)]
        lines = [(section, row.key, row.label, row.applications,
                  *(row.statuses.get(s, 0) for s in stats.STATUSES),
                  decimal(row.median_days), row.with_deadline, row.overdue,
                  decimal(row.overdue_rate), row.returns, decimal(row.returns_per_100))
                 for section, rows in sections for row in rows]
        start, end = args.get("submitted_from"), args.get("submitted_to")
        name = "dashboard-{}-{}{}.csv".format(
            (figures.region.code if figures.region is not None else "all"),
            start.isoformat() if start else "start", f"-{end.isoformat()}" if end else "")
        return csv_response(header, lines, name)

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _keep(args: dict) -> dict:
        """The query string that reproduces these filters (dates always written out)."""
        keep = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in args.items()
                if v not in (None, "")}
        for key in ("submitted_from", "submitted_to"):
            keep.setdefault(key, "")  # empty: open-ended, not the default
        return keep

    @staticmethod
    def _items(region) -> list[tuple[str, str]]:
        codes = [code for code, _ in items_in_scope(g.user)]
        names = stats.item_names(codes, str(get_locale() or "zh"), region)
        return [(code, names.get(code, code)) for code in codes]

    @staticmethod
    def _charts(figures, keep: dict) -> dict:
        def drill(row):
            if row.key == stats.ITSELF:
                return None
            return url_for("DashboardView.index", **{**keep, "region": row.key})

        items, regions = figures.by_item, figures.by_region
        return {
            "items": bars(items, lambda r: r.applications, lambda r: str(r.applications)),
            "statuses": [bar(str(STATUS_LABELS[s]), n, str(n), key=s)
                         for s, n in figures.by_status],
            "regions": bars(regions, lambda r: r.applications, lambda r: str(r.applications),
                            drill),
            "median": bars([r for r in items if r.decided], lambda r: r.median_days,
                           lambda r: one_decimal(r.median_days)),
            "overdue": bars([r for r in items if r.with_deadline], lambda r: r.overdue_rate,
                            lambda r: f"{one_decimal(r.overdue_rate)}%"),
            "returns": bars(items, lambda r: r.returns_per_100,
                            lambda r: one_decimal(r.returns_per_100)),
        }
