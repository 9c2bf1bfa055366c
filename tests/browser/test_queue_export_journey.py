"""A queue downloaded as CSV in a real Chromium (desktop): a 路北区 reviewer searches 待办 for
one ID number, clicks 导出 CSV and gets that application only — UTF-8 with a BOM, Chinese
headers, the name and the ID number masked as the list shows them, another county's
application nowhere."""
import csv
import datetime as dt
import io

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import say, sign_in, watch_server_errors
from tests.review_support import HB1, LUBEI, LUNAN, publish, submitted
from tests.support import frozen_clock, make_user

pytestmark = pytest.mark.browser
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST)
ALICE_ID = "11010519491231002X"


def test_a_reviewer_downloads_the_filtered_queue(desk_page, live_server, app):
    page = desk_page
    server_errors = watch_server_errors(page)
    with app.app_context(), frozen_clock(app, NOW):
        publish(HB1)
        reviewer = make_user("Reviewer", LUBEI, username="lb_export", name="路北导出").username
        wanted = submitted(HB1, LUBEI, at=NOW, subject_id_number=ALICE_ID).serial
        other = submitted(HB1, LUBEI, at=NOW).serial
        elsewhere = submitted(HB1, LUNAN, at=NOW, subject_id_number=ALICE_ID).serial

    sign_in(page, live_server, reviewer)
    page.goto(live_server + "/review/pending")
    expect(page.locator("tr.queue-row")).to_have_count(2)
    page.locator("#f-q").fill(ALICE_ID)
    page.get_by_role("button", name=say(app, "Filter")).click()
    page.wait_for_load_state()
    row = page.locator("tr.queue-row")
    expect(row).to_have_count(1)
    shown_name = row.locator("td").nth(2).inner_text()
    shown_id = row.locator("td code").inner_text()

    button = page.get_by_role("link", name=say(app, "Download as CSV"))
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("review-pending-")
    assert download.suggested_filename.endswith(".csv")
    data = open(download.path(), "rb").read()
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8")[1:])))
    assert lines[0][0] == say(app, "Serial number") and lines[0][-2] == say(app, "ID number")
    assert lines[0][-1] == say(app, "Urged at")
    assert [line[0] for line in lines[1:]] == [wanted]
    assert lines[1][-3:] == [shown_name, shown_id, ""] == ["测**", "1101**********002X", ""]
    text = data.decode("utf-8")
    assert ALICE_ID not in text and other not in text and elsewhere not in text
    assert server_errors == []
