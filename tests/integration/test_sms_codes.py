"""SMS codes: hashed, short-lived, five attempts, one send a minute; backends; rate limits (A2)."""
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app import ConfigurationError
from app.commands.sms_codes import (CheckSmsCodeCommand, SendSmsCodeCommand, SmsCodeError,
                                    SmsThrottledError, canonical_sms_code)
from app.extensions import db
from app.models.base import utcnow
from app.models.verification import SmsChallenge
from app.services import get_identity_verifier, get_sms_gateway
from app.services.identity import DevelopmentIdentityVerifier
from app.validators import ValidationError
from tests.accounts_support import age_challenges, english_client, send_code, sms_code, sms_texts

MOBILE = "13800138000"


@pytest.fixture
def client(app):
    """Pages in English, the language these assertions quote (zh is the default)."""
    return english_client(app)


@pytest.fixture
def ctx(app):
    """An app context whose messages come out in English (zh is the default)."""
    with app.app_context(), force_locale("en"):
        yield app


def challenges(mobile=MOBILE):
    return db.session.scalars(sa.select(SmsChallenge).where(
        SmsChallenge.mobile == mobile).order_by(SmsChallenge.id)).all()


def test_code_is_sent_stored_hashed_and_logged_masked(ctx, caplog, monkeypatch):
    # migrations/env.py's fileConfig() disables every logger that existed when it ran.
    monkeypatch.setattr(logging.getLogger("app.services.sms"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="app.services.sms"):
        SendSmsCodeCommand(MOBILE, "register").run()
    code = sms_code(ctx, MOBILE)
    [challenge] = challenges()
    assert len(challenge.code_hash) == 64 and code not in challenge.code_hash
    assert challenge.attempts == 0 and challenge.used_at is None
    assert timedelta(seconds=299) < challenge.expires_at - challenge.created_at \
        <= timedelta(seconds=300)
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(m.startswith("DEVELOPMENT SMS to 138****8000: ") and code in m for m in logged)
    assert not any(MOBILE in m for m in logged)


def test_right_code_is_accepted_once(ctx):
    SendSmsCodeCommand(MOBILE, "register").run()
    code = sms_code(ctx, MOBILE)
    CheckSmsCodeCommand(MOBILE, "register", code).run()
    db.session.commit()
    assert challenges()[0].used_at is not None
    with pytest.raises(SmsCodeError, match="already used"):
        CheckSmsCodeCommand(MOBILE, "register", code).run()


def test_wrong_code_is_refused_and_counted(ctx):
    SendSmsCodeCommand(MOBILE, "register").run()
    wrong = f"{(int(sms_code(ctx, MOBILE)) + 1) % 1_000_000:06d}"
    with pytest.raises(SmsCodeError, match="wrong; 4 attempts left"):
        CheckSmsCodeCommand(MOBILE, "register", wrong).run()
    assert challenges()[0].attempts == 1 and challenges()[0].used_at is None


def test_expired_code_is_refused(ctx):
    SendSmsCodeCommand(MOBILE, "register").run()
    challenges()[0].expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(SmsCodeError, match="expired"):
        CheckSmsCodeCommand(MOBILE, "register", sms_code(ctx, MOBILE)).run()


def test_sixth_attempt_is_refused_even_with_the_right_code(ctx):
    SendSmsCodeCommand(MOBILE, "reset").run()  # reset: no account, so a decoy — same rules
    SendSmsCodeCommand("13800138001", "register").run()
    code = sms_code(ctx, "13800138001")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1, 0):
        with pytest.raises(SmsCodeError, match=f"{left} attempts left"):
            CheckSmsCodeCommand("13800138001", "register", wrong).run()
    with pytest.raises(SmsCodeError, match="Too many wrong codes"):
        CheckSmsCodeCommand("13800138001", "register", code).run()
    assert challenges("13800138001")[0].attempts == 5


def test_resend_within_a_minute_is_refused_and_a_new_code_replaces_the_old(ctx):
    SendSmsCodeCommand(MOBILE, "register").run()
    first = sms_code(ctx, MOBILE)
    with pytest.raises(SmsThrottledError) as error:
        SendSmsCodeCommand(MOBILE, "register").run()
    assert 55 <= error.value.seconds <= 60 and "Wait" in str(error.value)
    assert len(sms_texts(ctx, MOBILE)) == 1
    SendSmsCodeCommand(MOBILE, "reset").run()  # another purpose has its own minute
    age_challenges(ctx, MOBILE)
    SendSmsCodeCommand(MOBILE, "register").run()
    second = sms_code(ctx, MOBILE)
    if first != second:
        with pytest.raises(SmsCodeError):
            CheckSmsCodeCommand(MOBILE, "register", first).run()
    CheckSmsCodeCommand(MOBILE, "register", second).run()
    assert [c.expires_at <= c.created_at + timedelta(seconds=62) for c in challenges()
            if c.purpose == "register"] == [True, False]


def test_two_workers_passing_the_check_together_send_only_once(ctx, monkeypatch):
    SendSmsCodeCommand(MOBILE, "register").run()  # worker A, committed
    # Worker B ran its check before A committed, so the check let it through.
    monkeypatch.setattr(SendSmsCodeCommand, "validate", lambda self: None)
    with pytest.raises(SmsThrottledError):
        SendSmsCodeCommand(MOBILE, "register").run()
    assert len(challenges()) == 1 and len(sms_texts(ctx, MOBILE)) == 1
    CheckSmsCodeCommand(MOBILE, "register", sms_code(ctx, MOBILE)).run()  # A's code still works


def test_a_code_works_for_its_own_purpose_only(ctx):
    SendSmsCodeCommand(MOBILE, "register").run()
    with pytest.raises(SmsCodeError, match="expired"):
        CheckSmsCodeCommand(MOBILE, "reset", sms_code(ctx, MOBILE)).run()


@pytest.mark.parametrize("given, canonical", [("１２３４５６", "123456"), (" 123 456 ", "123456")])
def test_codes_are_canonicalised(given, canonical):
    assert canonical_sms_code(given) == canonical


@pytest.mark.parametrize("given", ["12345", "1234567", "12a456", "", None, "١٢٣٤٥٦"])
def test_malformed_codes_are_refused(given):
    with pytest.raises(ValidationError, match="6 digits"):
        canonical_sms_code(given)


def test_send_code_page_throttles_with_a_message(app, client):
    assert "we sent a text message to 138****8000" in send_code(client, MOBILE).get_data(
        as_text=True)
    again = send_code(client, MOBILE)
    assert again.status_code == 200 and "before requesting another code" in again.get_data(
        as_text=True)
    assert len(sms_texts(app, MOBILE)) == 1


def test_send_code_page_refuses_a_bad_mobile_and_an_unknown_form(app, client):
    response = send_code(client, "12345")
    assert response.status_code == 200 and "has 11 digits; this one has 5" in response.get_data(
        as_text=True)
    assert send_code(client, MOBILE, purpose="admin").status_code == 400
    assert sms_texts(app, MOBILE) == [] and sms_texts(app, "12345") == []


def test_production_refuses_development_backends(ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "PRODUCTION", True)
    monkeypatch.setitem(ctx.config, "ALLOW_DEVELOPMENT_BACKENDS", False)
    with pytest.raises(ConfigurationError, match="SMS_BACKEND.*development backend"):
        get_sms_gateway()
    with pytest.raises(ConfigurationError, match="IDENTITY_BACKEND.*development backend"):
        get_identity_verifier()
    with pytest.raises(ConfigurationError):
        SendSmsCodeCommand(MOBILE, "register").run()
    assert challenges() == [] and sms_texts(ctx, MOBILE) == []
    monkeypatch.setitem(ctx.config, "ALLOW_DEVELOPMENT_BACKENDS", True)
    assert isinstance(get_identity_verifier(), DevelopmentIdentityVerifier)


@pytest.mark.parametrize("path", ["app.services.sms.NoSuchGateway", "app.models.user.BanshiUser"])
def test_a_wrong_backend_path_is_a_configuration_error(ctx, monkeypatch, path):
    monkeypatch.setitem(ctx.config, "SMS_BACKEND", path)
    with pytest.raises(ConfigurationError, match="SMS_BACKEND"):
        get_sms_gateway()


def test_sms_code_sending_is_rate_limited_per_ip_and_per_mobile(limited):
    client = limited.test_client()
    with client.session_transaction() as session:
        session["locale"] = "en"
    for n in range(10):  # ten different mobiles from one address
        assert send_code(client, f"1380013{n:04d}").status_code == 200
    refused = send_code(client, "13800139999")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    as_json = client.post("/account/sms-code", data={"mobile": "13800139998",
                                                    "send_code": "register"},
                          headers={"Accept": "application/json"})
    assert as_json.status_code == 429 and "Too many attempts" in as_json.get_json()["message"]
    assert sms_texts(limited, "13800139999") == []
    assert client.get("/account/register").status_code == 200  # GETs are not limited
    for n in range(10):  # one mobile from ten addresses (throttled by the minute, but counted)
        response = client.post("/account/sms-code", data={"mobile": "13900139000",
                                                         "send_code": "reset"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 303
    response = client.post("/account/sms-code", data={"mobile": "+86 139 0013 9000",
                                                     "send_code": "reset"},
                           environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert response.status_code == 429
