"""How many files one account may send for checking: every upload is counted, stored or refused.

Checking costs the server work before anything is refused (an image is decoded and re-encoded:
up to about a second at the pixel budget), and a citizen can remove a file and send it again, so
uploads are counted per account (the signed-in one, by session or token; else the address) in
the limiter's storage (Redis in production, so across workers), whichever way they come: the
citizen's wizard, the applications API, the counter's scans. ``UPLOAD_RATE_LIMIT`` sets the
rate (default :data:`DEFAULT_LIMIT`: a whole application's materials many times over).
"""
from __future__ import annotations

import time

from flask import current_app, has_request_context
from flask_babel import format_timedelta, lazy_gettext as _l
from limits import parse_many

from app.errors import note_retry_after
from app.shared_limit import account_key
from app.uploads import UploadRejected

DEFAULT_LIMIT = "60 per 10 minutes;300 per day"
SCOPE = "material-upload"


def count_upload(name: str) -> None:
    """Count one upload (of the file shown as ``name``) for this request's account; past the
    limit raise UploadRejected ``rate`` (429) saying when to try again (and noting the seconds
    for the answer's Retry-After header).

    Outside a request (a command, a unit test) or with rate limiting off, nothing is counted.
    """
    if not has_request_context():
        return
    appbuilder = getattr(current_app, "appbuilder", None)
    limiter = getattr(getattr(appbuilder, "sm", None), "limiter", None)
    if limiter is None or not limiter.enabled or not getattr(limiter, "initialized", False):
        return
    key = account_key()
    rate = current_app.config.get("UPLOAD_RATE_LIMIT") or DEFAULT_LIMIT
    for item in parse_many(rate):
        if not limiter.limiter.hit(item, SCOPE, key):
            reset = limiter.limiter.get_window_stats(item, SCOPE, key).reset_time
            wait = max(1, int(reset - time.time()))
            note_retry_after(wait)  # the 429's Retry-After, on the API and the pages alike
            raise UploadRejected("rate", _l(
                "%(name)s was not accepted: too many files were sent from this account. Try "
                "again in %(wait)s.", name=name, wait=format_timedelta(wait, threshold=1.5)))
