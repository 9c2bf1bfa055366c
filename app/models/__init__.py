"""All models, imported so that Alembic and FAB see every table."""
from app.models.audit import AuditEvent
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.region import Region
from app.models.user import BanshiUser
from app.models.verification import DevSmsMessage, SmsChallenge

__all__ = [
    "AuditEvent",
    "BanshiUser",
    "DevSmsMessage",
    "Dictionary",
    "DictionaryEntry",
    "Region",
    "SmsChallenge",
]
