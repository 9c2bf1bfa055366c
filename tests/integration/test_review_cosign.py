"""A 会签 step's progress on the detail page: how many have signed this round, and who."""
import re

from app.commands.reviews import ApproveCommand
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import login


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def test_the_detail_page_shows_co_sign_progress(app, hb1):
    application = submitted(HB1, LUBEI)
    ApproveCommand(application.id, reviewer(LUBEI), None, application.lock_version).run()
    first = reviewer(TANGSHAN, name="张三")
    ApproveCommand(application.id, first, None, fresh(application).lock_version).run()
    assert fresh(application).current_step == "assess"  # 会签: two approvers
    page = signed_in(app, reviewer(TANGSHAN)).get(f"/review/applications/{application.id}")
    step = re.search(r'<td class="current-step">(.*?)</td>', page.get_data(as_text=True), re.S)[1]
    assert "已签 1/2" in step and "张三" in step
    county = signed_in(app, reviewer(LUBEI))
    html = county.get(f"/review/applications/{application.id}?_l_=en").get_data(as_text=True)
    assert "Signed 1/2: 张三" in html


def at_cosign(signer=None):
    """Return an application of HB-1 waiting at its 会签 step, signed by ``signer`` if given."""
    application = submitted(HB1, LUBEI)
    ApproveCommand(application.id, reviewer(LUBEI), None, application.lock_version).run()
    if signer is not None:
        ApproveCommand(application.id, signer, None, fresh(application).lock_version).run()
    assert fresh(application).current_step == "assess"
    return application


def row_step(html: str, pk: int) -> str:
    row = re.search(rf'data-application="{pk}".*?</tr>', html, re.S)[0]
    return re.search(r'<td class="current-step">(.*?)</td>', row, re.S)[1]


def test_queue_rows_and_review_entries_show_co_sign_progress(app, hb1):
    zhang = reviewer(TANGSHAN, name="张三")
    signed, unsigned = at_cosign(zhang), at_cosign()
    other = signed_in(app, reviewer(TANGSHAN))
    html = other.get("/review/pending").get_data(as_text=True)
    assert "已签 1/2：张三" in row_step(html, signed.id)
    assert "已签 0/2" in row_step(html, unsigned.id) and "：" not in row_step(html, unsigned.id)
    html = other.get("/review/pending?_l_=en").get_data(as_text=True)
    assert "Signed 1/2: 张三" in row_step(html, signed.id)
    # 张三's 已办: the row's current step is still the one he co-signed, waiting for another.
    done = signed_in(app, zhang).get("/review/done").get_data(as_text=True)
    assert "已签 1/2：张三" in row_step(done, signed.id)

    from tests.applications_support import token
    client = app.test_client()
    entries = {e["id"]: e for e in client.get("/api/v1/reviews/", headers=token(
        client, zhang.username)).get_json()["result"]}
    assert entries[unsigned.id]["cosign"] == {"approvals": 0, "approvers": 2, "signed_by": []}
    done = client.get("/api/v1/reviews/?state=done", headers=token(
        client, zhang.username)).get_json()["result"]
    assert [e["cosign"] for e in done if e["id"] == signed.id] == [
        {"approvals": 1, "approvers": 2, "signed_by": ["张三"]}]
    county = client.get("/api/v1/reviews/", headers=token(client, reviewer(LUBEI).username))
    assert all(e["cosign"] is None for e in county.get_json()["result"])  # 受理: one decides


def test_co_sign_progress_costs_one_statement_per_page_whatever_its_rows(app, hb1):
    from tests.integration.test_review_queries import QUERY_BUDGET, counted

    zhang = reviewer(TANGSHAN, name="张三")
    client = signed_in(app, reviewer(TANGSHAN))
    client.get("/review/pending")  # warm caches that live longer than a request
    measured, made = [], 0
    for rows in (2, 12):
        while made < rows:
            at_cosign(zhang if made % 2 else None)
            made += 1
        with counted(app) as statements:
            html = client.get("/review/pending").get_data(as_text=True)
        assert html.count("cosign-progress") == rows
        measured.append(len(statements))
    assert measured[0] == measured[1] <= QUERY_BUDGET, measured
