"""Control characters in a request are refused before any view reads them (SECURITY_TESTS.md D2).

PostgreSQL cannot hold a NUL in a text value: a NUL in a path, a query argument or a form value
reached a query or an insert as a 500 ("A string literal cannot contain NUL"), anonymous
requests included. One ``before_request`` hook answers 400 instead, a page or JSON under /api/,
for NUL and the other C0 control characters (tab, line feed and carriage return are text), DEL,
the C1 controls (U+0080–U+009F) and lone surrogates (UTF-8 has none: PostgreSQL refuses them) in
the path, in query and form names and values, and in uploaded file names. A file name is judged
as clients escape it (app.uploads.sniff.unescape_name: ``%00`` is a NUL), as it is stored.
JSON bodies are read by the APIs' own reader, which refuses the same characters naming the key
(app.api.base.json_object).
"""
import re
from typing import Any, Iterable, Optional

from flask import jsonify, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.errors import error_page, wants_json
from app.uploads.sniff import unescape_name

#: NUL and the C0 controls but tab, line feed and carriage return; DEL and the C1 controls;
#: lone surrogates (a JSON body's "\ud800" escape reads as one).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
PATH = _l("the address")
#: Only form bodies are parsed here: touching ``request.form`` creates the body stream with the
#: app's limit, and a JSON reader (app.api.base.json_object) sets its own smaller one first.
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control(text: Optional[str]) -> bool:
    return bool(text) and CONTROL.search(text) is not None


def _pairs(values) -> Iterable[tuple[str, str]]:
    for key, value in values.items(multi=True):
        yield key, value


def offending(texts: Iterable[tuple[str, Any]]) -> Optional[str]:
    """Return the first name whose name or text value holds a control character."""
    for key, value in texts:
        if has_control(key) or (isinstance(value, str) and has_control(value)):
            return key
    return None


def refuse_control_characters():
    """``before_request``: 400 naming where a control character was sent, else nothing."""
    where = None
    if has_control(request.path):
        where = str(PATH)
    else:
        name = offending(_pairs(request.args))
        if name is None and request.mimetype in FORMS:  # others: their reader's limit
            name = offending(_pairs(request.form)) or offending(
                (key, unescape_name(upload.filename or ""))
                for key, upload in _pairs(request.files))
        if name is not None:
            where = repr(CONTROL.sub("?", name))
    if where is None:
        return None
    message = gettext("The request contains a control character (such as NUL) in %(where)s. "
                      "Remove it and try again.", where=where)
    if wants_json():
        response = jsonify(message=message)
        response.status_code = 400
        return response
    return error_page(400, message)


def register(app) -> None:
    app.before_request(refuse_control_characters)
