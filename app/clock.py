"""The application's clock: what "now" and "today" mean to every rule that reads a date.

    moment = now()    # aware; the BANSHI_CLOCK setting when set (tests), else the real time
    day = today()     # that moment's date in China Standard Time

``BANSHI_CLOCK`` (a callable returning an aware datetime) lets a test hold the platform at a
given moment: deadlines, effective dates, signing times, ages and calendar warnings then agree
with each other instead of half of them reading the machine's clock. When a row was created
(an item, an application, a notification, an idempotency record) or last changed (an item's
draft, an application, a person, a calendar year), when a history event happened or a review
decision was taken, an SMS code's times (sent, expiring, used) and an account's last sign-in
read it too (app.models.base.app_now, the security manager). Outside an application context
(the engine used on its own, lint) the real time is used. The captcha and session marks keep
the real time on purpose.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app, has_app_context

#: China has kept +08:00 without daylight saving since 1991.
CST = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def now() -> dt.datetime:
    """Return the current time (aware); ``BANSHI_CLOCK`` replaces the clock when set."""
    clock = current_app.config.get("BANSHI_CLOCK") if has_app_context() else None
    return clock() if clock else dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """Return today's date in Asia/Shanghai by :func:`now`."""
    return now().astimezone(CST).date()
