"""A queue as a CSV file: ``/review/export.csv?state=…`` with the page's filters and search.

The rows are the queue's own (app.workflow.queue: the user's scope, the same filters, the
same order), walked page by page up to :data:`EXPORT_MAX_ROWS`, and written as the list shows
them (app.views.review.queue.ReviewQueueView._rows): the name and the ID number masked, never
in full. UTF-8 with a BOM so that Excel opens it as UTF-8; every cell that a spreadsheet would
run as a formula (``= + - @``, tab, CR first) is prefixed with ``'`` (SECURITY_TESTS B7, the
app.csv_export, as the dashboard's export). Each download is recorded in the audit log (``queue.exported``):
the queue, the filters (a searched name or ID number masked), how many rows, and whether the
cap cut it short.
"""
from __future__ import annotations

from flask import abort, g, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from app import workflow
from app.audit import record
from app.csv_export import csv_response
from app.engine.fields import EngineContext
from app.extensions import db
from app.validators import mask_id_number, mask_name
from app.views.review import DESK, STATUS_LABELS
from app.views.review.queue import (BACKWARDS, EXPORT_MAX_ROWS, FILTERS, NOT_LISTED,
                                    QUEUE_STATUSES, TITLES, QueueArgs, ReviewQueueView,
                                    given_args)
from app.workflow import deadlines
from app.workflow.queue.access import QUEUES, may_read_queue
from app.workflow.queue.search import ID_NUMBER, SERIAL

HEADERS = (_l("Serial number"), _l("Item"), _l("Region"), _l("Current step"), _l("Submitted"),
           _l("Step deadline"), _l("Statutory deadline"), _l("Status"), _l("Applicant"),
           _l("ID number"), _l("Urged at"))
PROVISIONAL = _l("(provisional)")


class ExportArgs(QueueArgs):
    """The page's filters and which queue; no page cursor (the file is the whole queue)."""

    state = fields.String(required=True, validate=validate.OneOf(QUEUES, error=NOT_LISTED))


def read_export_args() -> tuple[str, dict]:
    """Return the queue and its filters. :raises ValidationError: per filter."""
    args = ExportArgs(exclude=("after", "trail", "limit")).load(given_args())
    state = args["state"]
    if args.get("status") and args["status"] not in QUEUE_STATUSES[state]:
        raise ValidationError({"status": [str(NOT_LISTED)]})
    if args.get("submitted_from") and args.get("submitted_to") and (
            args["submitted_to"] < args["submitted_from"]):
        raise ValidationError({"submitted_to": [str(BACKWARDS)]})
    return state, {k: args[k] for k in FILTERS
                   if args.get(k) and (k != "q" or args[k].strip())}


def queue_entries(state: str, user, filters: dict) -> tuple[list, bool]:
    """Return the first EXPORT_MAX_ROWS entries of the queue and whether more were left."""
    entries, after = [], None
    while len(entries) < EXPORT_MAX_ROWS:
        page = workflow.queue_page(state, user, filters, after,
                                   min(workflow.MAX_LIMIT, EXPORT_MAX_ROWS - len(entries)))
        entries += page.entries
        after = page.after
        if after is None:
            break
    return entries, after is not None


def _day(day, provisional: bool = False) -> str:
    if day is None:
        return ""
    return f"{day.isoformat()} {PROVISIONAL}" if provisional else day.isoformat()


def csv_lines(entries, ctx: EngineContext) -> list[tuple]:
    """Return one line per entry, as the queue page shows it."""
    rows = ReviewQueueView._rows(entries, ctx)
    return [(row["serial"], row["item"], row["region"], row["step"] or "—",
             row["submitted_at"], _day(row["step_deadline"], row["step_deadline_provisional"]),
             _day(entry.application.deadline),
             row["status_name"] or STATUS_LABELS.get(row["status"], row["status"]),
             row["name"], row["id_number"], row["urged_at"] or "")
            for entry, row in zip(entries, rows)]


def _audited_filters(filters: dict) -> dict:
    """The filters as the audit log keeps them: a searched ID number or name masked."""
    kept = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items()}
    if "q" in kept:
        text = kept.pop("q").strip()
        kept["search"] = text if SERIAL.match(text) else (
            mask_id_number(text.upper()) if ID_NUMBER.match(text.upper()) else mask_name(text))
    return kept


def export_queue(view):
    """Answer ``/review/export.csv``: the queue as CSV, or the queue page saying what is wrong
    with its filters (400)."""
    requested = request.args.get("state")
    if requested in TITLES and not may_read_queue(requested, DESK):
        abort(403)
    try:
        state, filters = read_export_args()
    except ValidationError as error:
        return view._problems(requested if requested in TITLES else "pending", error.messages)
    user = g.user
    try:
        entries, capped = queue_entries(state, user, filters)
    except workflow.InvalidCursor:  # never: the walk makes its own cursors
        abort(400)
    lines = csv_lines(entries, EngineContext(locale=str(get_locale() or "zh")))
    record("queue.exported", "queue", state, user.region_code, queue=state,
           filters=_audited_filters(filters), applications=len(entries), capped=capped)
    db.session.commit()
    name = f"review-{state.replace('_', '-')}-{deadlines.today():%Y%m%d}.csv"
    return csv_response(HEADERS, lines, name)
