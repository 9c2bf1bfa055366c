"""The picture challenges of the web login form (captcha), kept on the server."""
from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UtcDateTime


class CaptchaChallenge(Model):
    """The characters one picture shows, under a random key the login form carries.

    The answer never leaves the server; the row is deleted when the form is sent (right or
    wrong), when a new picture replaces it, or after it expires.
    """

    __tablename__ = "captcha_challenge"
    __table_args__ = (Index("ix_captcha_challenge_expires_at", "expires_at"),)

    key: Mapped[str] = mapped_column(String(43), primary_key=True)
    answer: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
