"""The queues' search box: a serial number, an ID number or a name, as a clerk is given one.

A clerk on the phone or at the counter is told one of three things; each is matched the way it
is written, so the box needs no mode: a serial number (``130203-20261125-00058``) matches that
application exactly; an ID number (18 characters, or a legacy 15) matches the subject's exactly
(a trailing ``x`` read as ``X``); anything else is the start of a name — the subject's, or the
applicant account's where the application names no subject. Exact and prefix matches only:
the search narrows the user's own scope, it never widens it.
"""
from __future__ import annotations

import re

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.sql.elements import ColumnElement

from app.models.application import Application
from app.models.user import BanshiUser

SERIAL = re.compile(r"^\d{6}-\d{8}-\d{5}$")
ID_NUMBER = re.compile(r"^(\d{17}[\dX]|\d{15})$")
MAX_LENGTH = 40


def search_condition(text: str) -> ColumnElement[bool]:
    """Return the condition the search box's ``text`` puts on applications (see the module)."""
    wanted = text.strip()
    if SERIAL.match(wanted):
        return Application.serial == wanted
    if ID_NUMBER.match(wanted.upper()):
        return Application.subject_id_number == wanted.upper()
    named = Application.subject_name.startswith(wanted, autoescape=True)
    account = exists().where(BanshiUser.id == Application.applicant_id,
                             BanshiUser.first_name.startswith(wanted, autoescape=True))
    return or_(named, and_(func.coalesce(Application.subject_name, "") == "", account))
