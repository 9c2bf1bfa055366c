"""What the citizen is told around a correction and a submission.

A returned question or material still as it was returned is named on the confirmation page, as
a warning that does not stop the submission; the 办结期限 of a provisional deadline reads in the
language's own punctuation.
"""
import html

from app.commands.reviews.return_ import ReturnCommand
from app.extensions import db
from app.models.application import Application
from tests.applications_support import clock  # noqa: F401
from tests.browser.helpers import say
from tests.support import make_user
from tests.wizard_support import (HB1, HB1_BASIC, HB1_CODE, TANGSHAN, citizen, fill_hb1_self,
                                  jpeg_bytes, post_step, publish, signed_in, start,
                                  submit_token, upload)

MOBILE_SAME = "您尚未修改退回的问题“联系电话”。"
DIAGNOSIS_SAME = "您尚未修改退回的材料“诊断证明”。"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def submitted_hb1(client) -> int:
    pk = start(client, HB1_CODE, TANGSHAN)
    fill_hb1_self(client, pk)
    for key in ("diagnosis", "medical_records"):
        upload(client, pk, key)
    page = text(client.get(f"/applications/{pk}/confirm"))
    client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(page)})
    assert db.session.get(Application, pk).status == "submitted"
    return pk


def returned_hb1(app):
    publish(HB1)
    client = signed_in(app, citizen())
    pk = submitted_hb1(client)
    ReturnCommand(pk, make_user("Reviewer", TANGSHAN), comment="请补正", missing={
        "fields": {"mobile": "手机号码无法接通"}, "materials": {"diagnosis": "诊断证明不清晰"}}).run()
    return client, pk


def test_unchanged_returned_parts_are_named_as_a_warning_that_does_not_block(
        app, ctx, clock):  # noqa: F811
    client, pk = returned_hb1(app)
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert MOBILE_SAME in confirm and DIAGNOSIS_SAME in confirm
    assert f'href="/applications/{pk}/pages/basic#q-mobile"' in confirm
    assert f'href="/applications/{pk}/materials#material-diagnosis"' in confirm
    assert 'class="problems"' not in confirm  # a warning, not a problem
    # Saved again unchanged: still the same answer.
    post_step(client, f"/applications/{pk}/pages/basic", HB1_BASIC)
    assert MOBILE_SAME in text(client.get(f"/applications/{pk}/confirm"))

    post_step(client, f"/applications/{pk}/pages/basic",
              {**HB1_BASIC, "mobile": "13900139000"})
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert MOBILE_SAME not in confirm and DIAGNOSIS_SAME in confirm
    # A copy of the file it had is no correction: still warned of, and still only a warning.
    assert upload(client, pk, "diagnosis").status_code == 303
    assert DIAGNOSIS_SAME in text(client.get(f"/applications/{pk}/confirm"))
    assert upload(client, pk, "diagnosis", jpeg_bytes((200, 40, 40))).status_code == 303
    confirm = text(client.get(f"/applications/{pk}/confirm"))
    assert "您尚未修改退回的" not in confirm
    sent = client.post(f"/applications/{pk}/confirm", data={"submit_token": submit_token(confirm)})
    assert sent.status_code == 303
    assert db.session.get(Application, pk).status == "submitted"


def test_the_warning_in_english_and_an_unchanged_resubmission_is_accepted(
        app, ctx, clock):  # noqa: F811
    client, pk = returned_hb1(app)
    english = text(client.get(f"/applications/{pk}/confirm?_l_=en"))
    assert "You have not changed the returned question “Contact mobile number”." in english
    assert "You have not changed the returned material “Medical diagnosis”." in english
    assert "You can still submit as it is, if it was right after all." in english
    sent = client.post(f"/applications/{pk}/confirm",
                       data={"submit_token": submit_token(english)})
    assert sent.status_code == 303  # warned, not blocked
    application = db.session.get(Application, pk)
    assert application.status == "submitted" and application.round == 2


def test_a_provisional_deadline_reads_in_the_languages_punctuation(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = submitted_hb1(client)
    application = db.session.get(Application, pk)
    application.deadline_provisional = True  # a deadline crossing a year with no schedule
    db.session.commit()
    shown = say(app, "%(date)s (provisional)", date="X")
    assert shown == "X（暂定）"
    for url in (f"/applications/{pk}/submitted", "/my/applications/?tab=open",
                f"/my/applications/{pk}"):
        page = text(client.get(url))
        assert "（暂定）" in page, url
        assert " (暂定)" not in page and "(暂定)" not in page, url
    assert say(app, "%(date)s (provisional)", "en", date="X") == "X (provisional)"
