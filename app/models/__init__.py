"""All models, imported so that Alembic and FAB see every table."""
from app.models.application import (Application, Attachment, IdempotencyRecord, Notification,
                                    SerialCounter, StepDecision)
from app.models.audit import AuditEvent
from app.models.cache import CacheGeneration
from app.models.captcha import CaptchaChallenge
from app.models.calendar import CalendarDay, CalendarYear
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.item import (Item, ItemField, ItemMaterial, ItemOption, ItemPage, ItemStep,
                             ItemVersion)
from app.models.person import Enrollment, Person
from app.models.region import Region
from app.models.urge import ApplicationUrge
from app.models.user import BanshiUser
from app.models.verification import DevSmsMessage, SmsChallenge

__all__ = [
    "Application",
    "ApplicationUrge",
    "Attachment",
    "IdempotencyRecord",
    "Notification",
    "SerialCounter",
    "StepDecision",
    "AuditEvent",
    "BanshiUser",
    "CacheGeneration",
    "CaptchaChallenge",
    "CalendarDay",
    "CalendarYear",
    "DevSmsMessage",
    "Dictionary",
    "DictionaryEntry",
    "Item",
    "ItemField",
    "ItemMaterial",
    "ItemOption",
    "ItemPage",
    "ItemStep",
    "ItemVersion",
    "Enrollment",
    "Person",
    "Region",
    "SmsChallenge",
]
