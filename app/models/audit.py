"""Append-only history of who did what (SECURITY_TESTS.md E5)."""
from datetime import datetime
from typing import Any, Optional

from flask_appbuilder import Model
from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from app.models.base import Scope

from app.models.base import UtcDateTime, app_now


class AuditEvent(Model):
    """One recorded action. Rows are inserted, never updated or deleted by the app."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_region_at", "region_code", "at"),
    )
    __scope__ = Scope(region="region_code")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)  # the app's clock
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[Optional[str]] = mapped_column(String(40))
    region_code: Mapped[Optional[str]] = mapped_column(String(12))
    request_id: Mapped[Optional[str]] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
