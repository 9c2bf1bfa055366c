"""Helpers for the tests of /api/v1/formdefs/: callers by role, the bodies, what was stored."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.item import ItemVersion
from app.yamlio import load_with_lines
from tests.applications_support import token
from tests.integration.designer_support import CITY, PROVINCE, item  # noqa: F401
from tests.support import make_user

URL = "/api/v1/formdefs/"
YAML = "application/yaml"


def caller(client, role="Admin", region=None) -> tuple:
    """Create an account with ``role`` and return (user, its Bearer headers)."""
    user = make_user(role, region)
    return user, token(client, user.username)


def province_text() -> str:
    return PROVINCE.read_text(encoding="utf-8")


def as_json(text: str, indent=2) -> str:
    """Return a definition file as the JSON an integrator would send."""
    return json.dumps(load_with_lines(text), ensure_ascii=False, indent=indent)


def send(client, headers, body, content_type=YAML, query=""):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(URL + query, data=data, content_type=content_type, headers=headers)


def publish(client, headers, code="demo_allowance", region="130000", query=""):
    suffix = f"?region={region}" if region is not None else ""
    if query:
        suffix += ("&" if suffix else "?") + query
    return client.post(f"{URL}{code}/publish{suffix}", headers=headers)


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of ``text`` that holds ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def audit(action: str) -> list:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ItemVersion))
