"""通知: a staff member's in-app notices (催办): the navigation counts the unread ones (one
query), /review/notices lists them newest first in pages, opening one marks it read and shows
its application; nobody reads another's notice; citizens' pages have no inbox.

HB-1's 受理 (路北区, 3 working days) starts Monday 2026-03-02, overdue from Friday 03-06.
"""
import re
from html import unescape

from app.commands.applications.urge import UrgeApplicationCommand
from app.commands.notifications import queue_in_app
from app.extensions import db
from tests.integration.test_custom_role_counter import (READER, account_holding,  # noqa: F401
                                                        custom_roles)
from tests.integration.test_custom_role_staff import CALENDAR
from tests.integration.test_review_queries import counted
from tests.review_support import (HB1, LUBEI, fresh, hb1, reviewer, submitted,  # noqa: F401
                                  workday_clock)
from tests.support import login


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def badge(html: str):
    found = re.search(r'class="badge notice-count"[^>]*>([^<]+)<', html)
    return found.group(1) if found else None


def notice_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-notice="(\d+)"', html)]


def test_the_nav_counts_unread_notices_and_the_inbox_opens_them(app, hb1):
    county, other = reviewer(LUBEI), reviewer(LUBEI)
    application = submitted(HB1, LUBEI)
    hb1.day(2026, 3, 6)
    web = signed_in(app, county)
    assert badge(web.get("/review/pending").get_data(as_text=True)) is None
    UrgeApplicationCommand(application, application.applicant).run()

    with counted(app) as statements:
        queue = web.get("/review/pending").get_data(as_text=True)
    assert badge(queue) == "1" and 'href="/review/notices/"' in queue
    assert sum("FROM notification" in s for s in statements) == 1, statements

    inbox = unescape(web.get("/review/notices/").get_data(as_text=True))
    serial = fresh(application).serial
    assert f"申请人催办了办件 {serial}（门诊慢特病申报），该件在受理环节已超期。" in inbox, inbox
    assert "notice-unread" in inbox and "张" not in inbox.split("notice-rows")[1]
    [notice] = notice_ids(inbox)
    assert signed_in(app, other).get(f"/review/notices/{notice}").status_code == 404
    opened = web.get(f"/review/notices/{notice}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/review/applications/{application.id}")
    after = web.get("/review/notices/").get_data(as_text=True)
    assert "notice-unread" not in after and badge(after) is None
    english = web.get("/review/notices/?_l_=en").get_data(as_text=True)
    assert ">Notices<" in english and "Read" in english

    citizen_page = signed_in(app, application.applicant).get("/my/applications")
    assert "notice-count" not in citizen_page.get_data(as_text=True)
    assert signed_in(app, application.applicant).get("/review/notices/").status_code in (302, 403)


def test_the_inbox_pages_newest_first_and_opening_the_application_reads_it(app, hb1):
    county = reviewer(LUBEI)
    application = submitted(HB1, LUBEI)
    for index in range(25):
        queue_in_app(application, [county.id], "application.urged", step=f"受理{index}")
    db.session.commit()
    web = signed_in(app, county)
    first = web.get("/review/notices/").get_data(as_text=True)
    assert badge(first) == "25"
    ids = notice_ids(first)
    assert len(ids) == 20 and ids == sorted(ids, reverse=True)
    more = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = notice_ids(web.get(more).get_data(as_text=True))
    assert len(second) == 5 and max(second) < min(ids)
    bad = web.get("/review/notices/?before=x")
    assert bad.status_code == 400 and "翻页链接无效" in bad.get_data(as_text=True)

    web.get(f"/review/applications/{application.id}")  # the review page reads its notices
    assert badge(web.get("/review/notices/").get_data(as_text=True)) is None


def test_a_failing_count_leaves_the_badge_out_rather_than_fail_the_page(app, hb1, monkeypatch):
    """The staff error page draws the navigation too, after a statement may have failed."""
    from sqlalchemy.exc import OperationalError

    web = signed_in(app, reviewer(LUBEI))

    def broken(*args, **kwargs):
        raise OperationalError("SELECT count(*)", {}, Exception("the transaction is aborted"))

    monkeypatch.setattr(db.session, "scalar", broken, raising=False)
    monkeypatch.setattr("app.views.review.notices.db.session.scalar", broken, raising=False)
    page = web.get("/review/notices/")
    assert page.status_code == 200 and "nav-notices" not in page.get_data(as_text=True)


def test_the_inbox_is_offered_to_staff_as_their_roles_grant(app, custom_roles):
    """Staff by what their roles grant (app.scoping.is_staff), not by name: a made role that
    reads the review desk gets the inbox, one that only reads the working calendar does not."""
    desk = signed_in(app, account_holding(custom_roles("阅卷岗", READER)))
    calendar = signed_in(app, account_holding(custom_roles("日历岗", CALENDAR)))
    assert "nav-notices" in desk.get("/").get_data(as_text=True)
    page = calendar.get("/calendar/list/")
    assert page.status_code == 200 and "nav-notices" not in page.get_data(as_text=True)
