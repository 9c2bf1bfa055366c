"""The clerk follows up their own submitted counter entries on /review/window/: in progress and
recently finished, with status and current step, paged, each leading to its review page —
never the drafts (listed above them), a colleague's, or one finished long ago."""
import datetime as dt
import re

from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from tests.applications_support import CODE, NOW, REGION, clock  # noqa: F401
from tests.browser.helpers import say
from tests.integration.test_review_window import (counter, fill_and_submit,  # noqa: F401
                                                  signed_in, start)
from tests.review_support import submitted
from tests.support import make_user


def entered_rows(page: str) -> list[str]:
    table = re.search(r'<table class="table table-condensed window-entered">(.*?)</table>',
                      page, re.S)
    return re.findall(r'<tr data-application="(\d+)">', table[1]) if table else []


def test_the_clerk_sees_their_submitted_entries_with_status_and_step(app, counter, monkeypatch):
    from app.views.review import window_entered

    clerk = signed_in(app, counter)
    start(clerk)
    pk = db.session.scalar(select(Application.id))
    assert fill_and_submit(clerk, pk).status_code == 303
    application = db.session.get(Application, pk)
    serial = application.serial
    page = clerk.get("/review/window/").get_data(as_text=True)
    assert say(app, "Your submitted counter entries") in page
    assert entered_rows(page) == [str(pk)]
    row = re.search(rf'<tr data-application="{pk}">(.*?)</tr>', page, re.S)[1]
    assert f'href="/review/applications/{pk}"' in row and serial in row
    assert say(app, "Under review") in row and "受理" in row  # GD-8's first step
    assert "林*" in row and "林小红" not in row

    def window_entry(status="submitted", closed=None, by=counter):
        other = submitted(CODE, REGION, at=NOW)
        other.channel, other.entered_by_id, other.status = "window", by.id, status
        other.closed_at = closed
        db.session.commit()
        return other.id

    finished = window_entry("approved", NOW - dt.timedelta(days=2))
    window_entry("approved", NOW - dt.timedelta(days=45))  # finished long ago
    window_entry(by=make_user("Reviewer", REGION))  # a colleague's
    window_entry("draft")  # never submitted: among the drafts, not here
    page = clerk.get("/review/window/").get_data(as_text=True)
    assert entered_rows(page) == [str(finished), str(pk)]
    row = re.search(rf'<tr data-application="{finished}">(.*?)</tr>', page, re.S)[1]
    assert say(app, "Approved") in row and "<td>—</td>" in row  # no current step
    monkeypatch.setattr(window_entered, "PAGE", 1)
    first = clerk.get("/review/window/").get_data(as_text=True)
    assert entered_rows(first) == [str(finished)]
    following = re.search(r'href="(/review/window/\?entered_before=\d+)" rel="next"', first)[1]
    second = clerk.get(following).get_data(as_text=True)
    assert entered_rows(second) == [str(pk)] and 'rel="next"' not in second
