"""The web login form's captcha (SERVICE_ITEMS.md: "a captcha on the web"): kept on the server,
single-use, expiring, case-insensitive, checked before the password and counted by the login
limits; a new picture with and without JavaScript; picture and sound served without caching.
The token API has none."""
import io
import re
from datetime import timedelta

import sqlalchemy as sa
from PIL import Image

from app.captcha import ALPHABET, LENGTH
from app.extensions import db
from app.models.base import utcnow
from app.models.captcha import CaptchaChallenge
from app.models.user import BanshiUser
from tests.browser.helpers import say
from tests.support import CAPTCHA_KEY, PASSWORD, captcha_answer, make_user, solved_captcha

TOO_MANY = "Too many attempts"  # the 429 page's title
MISSING = "Enter the characters shown in the picture."
WRONG = "The characters did not match the picture. Please type the ones in the new picture."
EXPIRED = "The picture has expired. Please type the characters in the new picture."


def page_key(response) -> str:
    return CAPTCHA_KEY.search(response.get_data(as_text=True)).group(1)


def signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def field_error(html: str) -> str:
    match = re.search(r'<p class="error" id="captcha-err">([^<]*)</p>', html)
    return match.group(1) if match else ""


def keys(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(CaptchaChallenge.key)))


def failed_logins(app, username) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(BanshiUser.fail_login_count)
                                 .where(BanshiUser.username == username)) or 0


def test_the_page_carries_a_key_never_the_answer(app, client):
    response = client.get("/login/")
    key = page_key(response)
    answer = captcha_answer(app, key)
    assert len(answer) == LENGTH and set(answer) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)  # no look-alikes
    html = response.get_data(as_text=True)
    assert answer not in html and answer.lower() not in html
    assert all(answer not in cookie for cookie in response.headers.getlist("Set-Cookie"))
    assert f'alt="{say(app, "Picture of the characters to type")}"' in html
    assert '<label for="captcha">' in html


def test_picture_and_sound_are_made_here_and_never_cached(app, client):
    key = page_key(client.get("/login/"))
    picture = client.get(f"/captcha/{key}.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.headers["Cache-Control"] == "no-store"
    assert Image.open(io.BytesIO(picture.data)).size == (200, 64)
    sound = client.get(f"/captcha/{key}.wav")
    assert sound.status_code == 200 and sound.mimetype == "audio/wav"
    assert sound.headers["Cache-Control"] == "no-store" and sound.data[:4] == b"RIFF"
    for unknown in ("no-such-key", "x" * 200):
        assert client.get(f"/captcha/{unknown}.png").status_code == 404
        assert client.get(f"/captcha/{unknown}.wav").status_code == 404


def test_the_answer_in_any_case_with_spaces_or_full_width_signs_in(app, client):
    with app.app_context():
        username = make_user("Citizen", "130203").username
    fields = solved_captcha(client)
    answer = fields["captcha"]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in answer.lower())  # an IME's ａｂｃ１
    fields["captcha"] = f" {full_width[:2]} {full_width[2:]} "
    response = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            **fields})
    assert response.status_code == 302 and signed_in(client)
    assert fields["captcha_key"] not in keys(app)  # used up


def test_a_wrong_captcha_is_named_on_its_field_and_the_password_is_not_tried(app, client):
    with app.app_context():
        username = make_user("Citizen", "130203", mobile="13800138555").username
    fields = solved_captcha(client)
    wrong = "".join(next(c for c in ALPHABET if c != a) for a in fields["captcha"])
    response = client.post("/login/", data={"username": "13800138555",
                                            "password": "Wrong-pass-9", **fields,
                                            "captcha": wrong})
    assert response.status_code == 200 and not signed_in(client)
    html = response.get_data(as_text=True)
    assert field_error(html) == say(app, WRONG)
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="captcha"[^>]*>', html).group(0)
    assert 'value="13800138555"' in html and "Wrong-pass-9" not in html  # the name stays
    assert failed_logins(app, username) == 0  # the password was not checked at all
    new_key = page_key(response)
    assert new_key != fields["captcha_key"] and keys(app) == {new_key}  # a new picture

    # The same picture cannot be tried again, even with the right answer.
    response = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            **fields})
    assert field_error(response.get_data(as_text=True)) == say(app, EXPIRED)
    assert not signed_in(client)

    # Control: with the captcha right, a wrong password is checked (and counted).
    response = client.post("/login/", data={"username": username, "password": "Wrong-pass-9",
                                            **solved_captcha(client)})
    assert response.status_code == 302 and failed_logins(app, username) == 1


def test_a_missing_or_expired_captcha_is_named_in_english_too(app, client):
    with app.app_context():
        username = make_user("Citizen", "130203").username
    client.get("/lang/en")
    key = page_key(client.get("/login/"))
    response = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            "captcha_key": key})
    assert field_error(response.get_data(as_text=True)) == say(app, MISSING, "en")
    assert key not in keys(app)

    fields = solved_captcha(client)
    with app.app_context():
        db.session.execute(sa.update(CaptchaChallenge).values(
            expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            **fields})
    assert field_error(response.get_data(as_text=True)) == say(app, EXPIRED, "en")
    assert not signed_in(client)


def test_expired_challenges_are_cleared_as_new_ones_are_made(app, client):
    old = page_key(client.get("/login/"))
    with app.app_context():
        db.session.execute(sa.update(CaptchaChallenge).values(
            expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    new = page_key(client.get("/login/"))
    assert keys(app) == {new} and old != new
    assert client.get(f"/captcha/{old}.png").status_code == 404


def test_new_picture_without_javascript_keeps_the_name(app, client):
    old = page_key(client.get("/login/"))
    response = client.post("/login/", data={"username": "13800138000", "password": "secret-1",
                                            "captcha_key": old, "captcha": "",
                                            "captcha_new": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="13800138000"' in html and "secret-1" not in html
    assert field_error(html) == ""  # nothing was checked
    assert keys(app) == {page_key(response)} and old not in keys(app)


def test_new_picture_for_the_script(app, client):
    old = page_key(client.get("/login/"))
    response = client.post("/captcha/new", data={"captcha_key": old})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    fresh = response.get_json()
    assert keys(app) == {fresh["key"]}
    assert fresh["picture"] == f"/captcha/{fresh['key']}.png"
    assert fresh["sound"] == f"/captcha/{fresh['key']}.wav"
    assert client.get(fresh["picture"]).status_code == 200


def test_the_script_needs_the_pages_csrf_token(app, client, csrf):
    from tests.support import csrf_token

    token = csrf_token(client, "/login/")
    assert client.post("/captcha/new").status_code == 400
    assert client.post("/captcha/new", data={"csrf_token": token}).status_code == 200


def test_wrong_captchas_count_toward_the_account_limit_new_pictures_do_not(limited):
    with limited.app_context():
        username = make_user("Citizen", "130203").username
    client = limited.test_client()
    for _ in range(8):  # new pictures: not attempts
        assert client.post("/login/", data={"username": username,
                                            "captcha_new": "1"}).status_code == 200
    for _ in range(5):
        fields = solved_captcha(client)
        assert client.post("/login/", data={"username": username, "password": PASSWORD,
                                            **fields, "captcha": "WRONG"}).status_code == 200
    refused = client.post("/login/", data={"username": username, "password": PASSWORD,
                                           **solved_captcha(client)})
    assert refused.status_code == 429
    assert say(limited, TOO_MANY) in refused.get_data(as_text=True)


def test_the_token_api_asks_no_captcha(app, client):
    with app.app_context():
        username = make_user("Citizen", "130203").username
    response = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"})
    assert response.status_code == 200 and response.get_json()["access_token"]
