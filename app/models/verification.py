"""SMS one-time codes and the messages the development SMS gateway 'sent'."""
from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UtcDateTime, app_now


class SmsChallenge(Model):
    """A code sent to a mobile for one purpose (register, reset); stored hashed."""

    __tablename__ = "sms_challenge"
    __table_args__ = (Index("ix_sms_challenge_mobile_purpose", "mobile", "purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mobile: Mapped[str] = mapped_column(String(11))
    purpose: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())


class DevSmsMessage(Model):
    """What the development SMS gateway would have sent; shown on /dev/sms only in development."""

    __tablename__ = "dev_sms_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mobile: Mapped[str] = mapped_column(String(11))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
