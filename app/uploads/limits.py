"""The request-size limit, enforced before any view runs (SECURITY_TESTS.md C3).

Werkzeug already refuses a declared ``Content-Length`` above ``MAX_CONTENT_LENGTH`` — but only
when something reads the body, and inside the view. FAB's REST endpoints wrap their view in
``@safe``, which turns that 413 into a 500 "Fatal error" with a logged traceback. Checking the
header in a ``before_request`` hook answers 413 (a page, or JSON under /api/, from app.errors)
before any view or CSRF check runs, and without reading a byte of the body.

Bodies without a ``Content-Length`` (chunked) are cut by Werkzeug's ``LimitedStream`` at the
same limit, so they are never buffered past it either; ``MAX_FORM_PARTS`` and
``MAX_FORM_MEMORY_SIZE`` bound what a multipart body may make the parser hold.
"""
from flask import abort, request


def refuse_oversized_body() -> None:
    """Answer 413 when the declared body is larger than the request's limit."""
    limit = request.max_content_length
    length = request.content_length
    if limit is not None and length is not None and length > limit:
        abort(413)


def register(app) -> None:
    app.before_request(refuse_oversized_body)
