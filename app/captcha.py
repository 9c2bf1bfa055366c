"""The web login form's captcha: challenges kept on the server, pictures and sound made by the
``captcha`` package with its own font and voices (nothing from a third party, SECURITY_TESTS.md
F2).

A challenge is five characters from an alphabet without look-alikes (no 0/O/Q, 1/I/L, 2/Z, 5/S,
8/B, U/V), answered in either case and in full-width forms. Its row lives five minutes and the
first answer deletes it, right or wrong, so each picture is tried once at most. The answer
never leaves the server: the form carries only the row's random key.
"""
import hmac
import secrets
import threading
import unicodedata
from datetime import timedelta
from functools import lru_cache
from typing import Optional

from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha, random_color
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.extensions import db
from app.models.base import utcnow
from app.models.captcha import CaptchaChallenge

ALPHABET = "ACDEFGHJKMNPRTWXY34679"
LENGTH = 5
LIFETIME = timedelta(minutes=5)
KEY_LENGTH = 43  # secrets.token_urlsafe(32)
#: The name of the form's "New picture" button (no JavaScript: the form is sent with it).
NEW_PICTURE = "captcha_new"
WIDTH, HEIGHT = 200, 64

MISSING = _l("Enter the characters shown in the picture.")
WRONG = _l("The characters did not match the picture. Please type the ones in the new picture.")
EXPIRED = _l("The picture has expired. Please type the characters in the new picture.")


class _Picture(ImageCaptcha):
    """The package's picture with less turning, warping and overlap than its defaults, which
    often run two characters into one (4 and A): still no plain text for a script."""

    character_rotate = (-12, 12)
    character_warp_dx = (0.05, 0.15)
    character_warp_dy = (0.05, 0.15)
    word_space_probability = 0.2
    word_offset_dx = 0.08


_drawing = threading.Lock()  # one FreeType face must not draw in two threads at once


@lru_cache(maxsize=1)
def _picture() -> _Picture:
    return _Picture(width=WIDTH, height=HEIGHT, font_sizes=(44, 48, 52))


@lru_cache(maxsize=1)
def _voice() -> AudioCaptcha:
    voice = AudioCaptcha()  # the package's own recordings of A-Z and 0-9, read in English
    voice.load()
    return voice


def issue() -> str:
    """Store a new challenge and return its key; expired ones are cleared on the way."""
    now = utcnow()
    db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.expires_at < now))
    key = secrets.token_urlsafe(32)
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    db.session.add(CaptchaChallenge(key=key, answer=answer, expires_at=now + LIFETIME))
    db.session.commit()
    return key


def discard(key: Optional[str]) -> None:
    """Delete challenge ``key`` (replaced by a new picture)."""
    if _plausible(key):
        db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.key == key))
        db.session.commit()


def answer_of(key: Optional[str]) -> Optional[str]:
    """Return the characters of live challenge ``key`` (to draw or read them), or None."""
    if not _plausible(key):
        return None
    row = db.session.execute(select(CaptchaChallenge.answer, CaptchaChallenge.expires_at)
                             .where(CaptchaChallenge.key == key)).first()
    return row.answer if row is not None and row.expires_at > utcnow() else None


def solve(key: Optional[str], given: Optional[str]) -> Optional[str]:
    """Use up challenge ``key`` with the answer ``given``: None when it is right, else the
    message for the form's field. Of two concurrent answers only one can win."""
    row = None
    if _plausible(key):
        row = db.session.execute(select(CaptchaChallenge.answer, CaptchaChallenge.expires_at)
                                 .where(CaptchaChallenge.key == key)).first()
        deleted = db.session.execute(
            delete(CaptchaChallenge).where(CaptchaChallenge.key == key)).rowcount
        db.session.commit()
        row = row if deleted == 1 else None
    given = normalise(given)
    if not given:
        return MISSING
    if row is None or row.expires_at <= utcnow():
        return EXPIRED
    return None if hmac.compare_digest(given.encode(), row.answer.encode()) else WRONG


def normalise(given: Optional[str]) -> str:
    """Return an answer as compared: full-width forms folded, spaces dropped, upper case."""
    return "".join(unicodedata.normalize("NFKC", given or "").split()).upper()


def picture(answer: str) -> bytes:
    """Draw ``answer`` as a PNG (a fixed size and length: some 20 ms)."""
    with _drawing:
        return _picture().generate(answer, fg_color=random_color(60, 130, 255)).getvalue()


def sound(answer: str) -> bytes:
    """Read ``answer`` aloud as a WAV over noise (pure Python: under a second)."""
    return bytes(_voice().generate(answer))


def _plausible(key: Optional[str]) -> bool:
    return bool(key) and len(key) <= KEY_LENGTH
