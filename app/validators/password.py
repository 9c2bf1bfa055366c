"""Check passwords against the account password policy."""
from __future__ import annotations

import gzip
import unicodedata
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .errors import ValidationError

__all__ = ["MIN_LENGTH", "MAX_LENGTH", "COMMON_PASSWORDS_PATH", "check_password"]

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_USERNAME_FOR_CONTAINS = 3  # shorter usernames are only compared for equality
COMMON_PASSWORDS_PATH = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"


@lru_cache(maxsize=4)
def _load_common(path: Path) -> frozenset[str]:
    """Read a gzip list of common passwords, one per line, lower-cased."""
    if not path.is_file():
        raise RuntimeError(
            f"Common-password list {path} is missing; passwords cannot be checked."
        )
    try:
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as lines:
            return frozenset(s for line in lines if (s := line.strip().lower()))
    except (OSError, EOFError) as exc:
        raise RuntimeError(f"Common-password list {path} cannot be read: {exc}") from exc


def _fail(message: object, code: str) -> None:
    """Raise ValidationError for a broken password rule."""
    raise ValidationError(message, code=code)


def check_password(password: object, *, username: str | None = None) -> None:
    """Raise ValidationError naming the first password rule that password breaks."""
    if not isinstance(password, str) or not password:
        _fail(_l("Enter a password."), "required")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in password):
        _fail(_l("The password must not contain control characters."), "control_character")
    if len(password) < MIN_LENGTH:
        _fail(_l("The password must have at least %(min)d characters.", min=MIN_LENGTH), "too_short")
    if len(password) > MAX_LENGTH:
        _fail(_l("The password must have at most %(max)d characters.", max=MAX_LENGTH), "too_long")
    if not any(c.isalpha() for c in password):
        _fail(_l("The password must contain at least one letter."), "no_letter")
    if not any(c.isdigit() for c in password):
        _fail(_l("The password must contain at least one digit."), "no_digit")
    lowered = password.strip().lower()
    name = (username or "").strip().lower()
    if name and (lowered == name or (len(name) >= MIN_USERNAME_FOR_CONTAINS and name in lowered)):
        _fail(_l("The password must not be or contain the username."), "username")
    if lowered in _load_common(COMMON_PASSWORDS_PATH):
        _fail(_l("This password is too common; choose another one."), "common")
