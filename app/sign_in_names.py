"""How a sign-in name is read, in one place: the login looks it up, account creation checks it.

An identifier shaped like a mobile number is looked up among mobiles, one shaped like an ID
number among ID numbers, anything else among usernames, letters in any case. A username is
therefore refused when sign-in would read it as another account's mobile or ID number (it could
never sign in with it, and whoever holds that mobile would); it stays allowed when it is the
account's own mobile or ID number (a citizen registered by SMS has their mobile as username).
"""
import re
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.models.user import BanshiUser
from app.validators import (ValidationError, canonical_id_number, canonical_mobile,
                            canonical_username)

USERNAME_LOOKS_LIKE_MOBILE = _l("A username cannot look like a mobile number: sign-in reads it as "
                                "one. Add letters, or enter the number as the account's mobile.")
USERNAME_LOOKS_LIKE_ID = _l("A username cannot look like an ID number: sign-in reads it as one. "
                            "Add letters, or enter the number as the account's ID number.")


def login_key(identifier: object) -> Optional[tuple[str, str]]:
    """Return (column, value) that sign-in looks ``identifier`` up by, or None if none can
    hold it (control characters, too long, blank)."""
    try:
        value = canonical_username(identifier or "")
    except ValidationError:
        return None
    if not value:
        return None
    if re.fullmatch(r"[+\d\s-]{11,20}", value):
        try:
            return "mobile", canonical_mobile(value)
        except ValidationError:
            pass
    if re.fullmatch(r"[+\d\s-]{11,20}", value) or len(value) in (15, 18):
        try:
            return "id_number", canonical_id_number(value)
        except ValidationError:
            pass
    return "username", value


def find_account(session, identifier: object) -> Optional[BanshiUser]:
    """Return the account ``identifier`` signs in as: a mobile, an ID number or a username
    (the exact spelling first, else the one account whose name differs only in case)."""
    key = login_key(identifier)
    if key is None:
        return None
    column, value = key
    if column != "username":
        return session.scalar(select(BanshiUser).where(getattr(BanshiUser, column) == value))
    exact = session.scalar(select(BanshiUser).where(BanshiUser.username == value))
    if exact is not None:
        return exact
    # Accounts made before names were unique in any case may differ only in case: none wins.
    found = session.scalars(select(BanshiUser).where(
        func.lower(BanshiUser.username) == value.lower()).limit(2)).all()
    return found[0] if len(found) == 1 else None


#: What a new username may hold: ASCII letters, digits and . _ - @, and Chinese characters.
#: Nothing else, so that no name can pass for another by a look-alike letter (Cyrillic а for
#: Latin a, Greek ο for o) or an invisible one (zero-width space, direction marks): Unicode's
#: confusables (UTS #39) are a moving list, this set has none of them.
_USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9._@\-\u4e00-\u9fff]+")
USERNAME_CHARACTERS = _l("A username may hold letters a–z, digits, . _ - @ and Chinese "
                         "characters only (no look-alike letters from other alphabets, no "
                         "invisible characters).")


def username_problem(username: str, mobile: Optional[str] = None,
                     id_number: Optional[str] = None):
    """Return why sign-in could not find an account by ``username`` (canonical), or why the
    name could pass for another (:data:`USERNAME_CHARACTERS`), or None."""
    key = login_key(username)
    if key is None or key[0] == "username":
        return None if _USERNAME_CHARACTERS.fullmatch(username or "") else USERNAME_CHARACTERS
    column, value = key
    if column == "mobile":
        return None if value == mobile else USERNAME_LOOKS_LIKE_MOBILE
    return None if value == id_number else USERNAME_LOOKS_LIKE_ID


def username_taken(session, username: str, exclude_id: Optional[int] = None) -> bool:
    """Tell whether another account has ``username`` in any case (after the width
    normalisation of :func:`canonical_username`)."""
    query = select(BanshiUser.id).where(or_(
        BanshiUser.username == username, func.lower(BanshiUser.username) == username.lower()))
    if exclude_id is not None:
        query = query.where(BanshiUser.id != exclude_id)
    return session.scalar(query.limit(1)) is not None
