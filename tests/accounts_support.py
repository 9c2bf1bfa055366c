"""Helpers for the account tests: codes as the development SMS gateway 'sent' them, IDs."""
import re
from datetime import timedelta

import sqlalchemy as sa

from app.validators import id_check_digit
from tests.support import PASSWORD

CODE = re.compile(r"\b(\d{6})\b")
DEV_SECRET = "123456"


def english_client(app):
    """Return a test client that reads pages in English, the language the assertions quote."""
    client = app.test_client()
    client.get("/lang/en")
    return client


def valid_id(body17: str) -> str:
    """Return the 18-character ID number for a 17-digit body (check digit computed)."""
    return body17 + id_check_digit(body17)


def sms_texts(app, mobile: str) -> list[str]:
    """Return the texts the development gateway recorded for ``mobile``, oldest first."""
    from app.extensions import db
    from app.models.verification import DevSmsMessage

    with app.app_context():
        return list(db.session.scalars(sa.select(DevSmsMessage.text).where(
            DevSmsMessage.mobile == mobile).order_by(DevSmsMessage.id)))


def sms_code(app, mobile: str) -> str:
    """Return the code in the last message sent to ``mobile``."""
    texts = sms_texts(app, mobile)
    assert texts, f"no SMS was sent to {mobile}"
    match = CODE.search(texts[-1])
    assert match, f"the last SMS to {mobile} holds no code: {texts[-1]}"
    return match.group(1)


def age_challenges(app, mobile: str, seconds: int = 61) -> None:
    """Move ``mobile``'s challenges back in time, as if sent ``seconds`` earlier."""
    from app.extensions import db
    from app.models.verification import SmsChallenge

    with app.app_context():
        for challenge in db.session.scalars(sa.select(SmsChallenge).where(
                SmsChallenge.mobile == mobile)):
            challenge.created_at -= timedelta(seconds=seconds)
        db.session.commit()


def send_code(client, mobile: str, purpose: str = "register", **extra):
    """Press the "send verification code" button of the register or reset form.

    The answer is the form's page again, reached by the redirect a browser follows.
    """
    return client.post("/account/sms-code", data={"mobile": mobile, "send_code": purpose,
                                                  **extra}, follow_redirects=True)


def register_form(mobile: str, code: str, password: str = PASSWORD, **extra) -> dict:
    """Return a complete registration form (``extra``: more fields, such as a CSRF token)."""
    return {"mobile": mobile, "code": code, "password": password, "confirmation": password,
            "agreement": "y", **extra}


def register(client, app, mobile: str, password: str = PASSWORD):
    """Register ``mobile`` through the pages, as a person with that phone would."""
    send_code(client, mobile)
    return client.post("/account/register",
                       data=register_form(mobile, sms_code(app, mobile), password))


def without(body: str, *variables: str) -> str:
    """Return ``body`` with each variable part (full or masked) replaced by a placeholder."""
    from app.validators import mask_mobile

    for value in variables:
        body = body.replace(value, "<var>").replace(mask_mobile(value), "<var>")
    return body
