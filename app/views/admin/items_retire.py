"""停止办理: the page that takes a published item out of service, at once or from a day
chosen ahead (app.commands.retire), or drops a scheduled end. It asks first, on a page of its
own that works without JavaScript; a refused day comes back on the page with its message."""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from app import local_text
from app.commands import CommandError
from app.commands.retire import RetireItemCommand
from app.engine.variants import today
from app.views.admin.items import _problems, in_flight, item_name


def _day(text: str):
    """Return (day or None, error or None) of the form's ``retires_on``."""
    text = (text or "").strip()[:20]
    if not text:
        return None, None
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, _l("Out of service from: “%(value)s” is not a date (YYYY-MM-DD).",
                        value=text)


def retire_page(view, item):
    """GET: the question; POST ``confirmed``: act (``cancel``: drop the scheduled end)."""
    name = local_text(item_name(item)) or item.code
    error, value = None, request.form.get("retires_on", "")
    if request.method == "POST" and request.form.get("confirmed"):
        cancel = bool(request.form.get("cancel"))
        day, error = (None, None) if cancel else _day(value)
        if error is None:
            try:
                RetireItemCommand(item.code, item.region_code, on=day, cancel=cancel).run()
            except CommandError as problem:
                error = _problems(problem)
            else:
                if cancel:
                    message = _l("%(name)s (%(code)s) stays in service: its scheduled end "
                                 "is cancelled.", name=name, code=item.code)
                elif item.retires_on is not None:
                    message = _l("%(name)s (%(code)s) goes out of service on %(day)s.",
                                 name=name, code=item.code, day=item.retires_on.isoformat())
                else:
                    message = _l("%(name)s (%(code)s) is out of service.", name=name,
                                 code=item.code)
                flash(str(message), "success")
                return redirect(url_for("ItemEditorView.overview", item_id=item.id))
    return view.page(
        "retire.html", 422 if error else 200, item=item, name=name, error=error,
        value=value if error else (item.retires_on.isoformat() if item.retires_on else ""),
        today=today(), started=in_flight([item.id]).get(item.id, 0),
        title=_l("Take out of service"))
