"""CSV downloads (the dashboard's figures, a review queue): cells a spreadsheet never runs as
formulas (SECURITY_TESTS B7), UTF-8 with a byte-order mark so Excel reads the Chinese, and an
attachment's safe name."""
from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from flask import Response

from app.api.applications.files import content_disposition

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(header: Iterable[Any], lines: Iterable[Iterable[Any]], name: str) -> Response:
    """Answer a CSV download of ``header`` and ``lines``, every cell neutralised, not stored
    by caches (it holds what the reader's scope shows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(cell) for cell in header])
    writer.writerows([neutral(cell) for cell in line] for line in lines)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition(name, "csv")
    response.headers["Cache-Control"] = "no-store"
    return response
