"""Send a stored material file: attachment disposition, server-chosen type, nosniff (C2, C5)."""
from __future__ import annotations

import re
from urllib.parse import quote

from flask import send_file

from app.commands.applications.errors import AttachmentNotFoundError
from app.models.application import Attachment
from app.storage import get_storage
from app.uploads.sniff import clean_name

_UNSAFE = re.compile(r'[^A-Za-z0-9._ ()-]')


def content_disposition(name: str, fallback_extension: str = "") -> str:
    """Return ``attachment; filename="…"; filename*=UTF-8''…`` (RFC 6266 / RFC 5987).

    The quoted ``filename`` is an ASCII stand-in (no quotes, slashes or controls); ``filename*``
    carries, percent-encoded, the name as stored and shown, cleaned once more as uploads clean
    it (app.uploads.sniff.clean_name): a header never holds a control character.
    """
    cleaned = clean_name(name or "")
    ascii_name = _UNSAFE.sub("_", cleaned).strip(" .") or "file"
    if fallback_extension and "." not in ascii_name:
        ascii_name = f"{ascii_name}.{fallback_extension}"
    encoded = quote(cleaned or ascii_name, safe="")
    return f"attachment; filename=\"{ascii_name[:100]}\"; filename*=UTF-8''{encoded}"


def attachment_response(attachment: Attachment):
    """Return the file as a download; 404 when the stored file is gone (reconcile finds it)."""
    storage = get_storage()
    try:
        stream = storage.open(attachment.storage_key)
    except (FileNotFoundError, KeyError, OSError):
        raise AttachmentNotFoundError() from None
    response = send_file(stream, mimetype=attachment.content_type, as_attachment=True,
                         download_name="file", etag=attachment.sha256, max_age=0,
                         conditional=False)
    extension = attachment.original_name.rsplit(".", 1)[-1] if "." in (
        attachment.original_name or "") else ""
    response.headers["Content-Disposition"] = content_disposition(
        attachment.original_name, extension if extension.isalnum() else "")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
