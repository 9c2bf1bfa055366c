"""What a queue entry says, in the reviews API and on the queue pages: a 已办 entry names the
step the reviewer decided apart from the step the application waits at now, and every entry
says whether its current step is the caller's to decide, by can_decide's rules (the late
queues also list what a city only supervises)."""
import re

from app import workflow
from app.commands.reviews import ApproveCommand, ReturnCommand
from app.extensions import db
from tests.applications_support import token
from tests.integration.test_review_queries import row_ids, signed_in
from tests.integration.test_review_views import says
from tests.review_support import (HB1, LUBEI, TANGSHAN, fresh, hb1, reviewer,  # noqa: F401
                                  submitted, workday_clock)
from tests.support import make_user

API = "/api/v1/reviews/"
MISSING = {"fields": {"mobile": "号码无法接通"}}


def approve(application, user):
    ApproveCommand(application.id, user, None, fresh(application).lock_version).run()


def entries(client, user, state, query=""):
    response = client.get(f"{API}?state={state}&limit=200{query}",
                          headers=token(client, user.username))
    assert response.status_code == 200, response.get_json()
    return {entry["id"]: entry for entry in response.get_json()["result"]}


def late_scenario(clock):
    """HB-1 in 唐山: one application at 路北's 受理 (the city supervises it), three at the city's
    评审认定 (会签 of two, ``distinct``): one nobody has signed, one half-signed by ``a``, one
    signed by ``a`` and ``b`` and now at 审核 (``distinct``); everything overdue."""
    county, a, b = reviewer(LUBEI), reviewer(TANGSHAN), reviewer(TANGSHAN)
    at_county, free, half, moved = (submitted(HB1) for _ in range(4))
    for application in (free, half, moved):
        approve(application, county)
    approve(half, a)
    approve(moved, a)
    approve(moved, b)
    clock.day(2026, 3, 30)
    return (county, a, b), (at_county, free, half, moved)


def yours(user, application) -> bool:
    application = fresh(application)
    return workflow.can_decide(user, application, workflow.current_step(application)).allowed


def test_late_entries_say_whether_the_step_is_yours_to_decide(hb1, client):
    users, made = late_scenario(hb1)
    county, a, b = users
    at_county, free, half, moved = made
    for user in users:
        late = entries(client, user, "overdue")
        assert late, user.username
        assert {pk: e["yours_to_decide"] for pk, e in late.items()} == {
            x.id: yours(user, x) for x in made if x.id in late}, user.username
        pending = entries(client, user, "pending")
        assert all(e["yours_to_decide"] is True for e in pending.values())
        assert {pk for pk, e in late.items() if e["yours_to_decide"]} == set(pending)
    # The city's reviewer supervises the county's step, and may not take a step he co-signed
    # (会签 needs another person) nor a distinct step after deciding an earlier one.
    flags = {pk: e["yours_to_decide"] for pk, e in entries(client, a, "overdue").items()}
    assert flags == {at_county.id: False, free.id: True, half.id: False, moved.id: False}
    assert entries(client, county, "overdue")[at_county.id]["yours_to_decide"] is True
    hb1.day(2026, 3, 5)  # 受理 (3 working days) is due soon on its deadline day; nothing else is
    assert {pk: e["yours_to_decide"] for pk, e in entries(client, a, "due_soon").items()} == {
        at_county.id: False}
    assert entries(client, county, "due_soon")[at_county.id]["yours_to_decide"] is True


def test_a_done_entry_keeps_the_step_decided_apart_from_the_step_now(hb1, client):
    county, a = reviewer(LUBEI), reviewer(TANGSHAN)
    application = submitted(HB1)
    approve(application, county)  # 受理 → the city's 评审认定
    entry = entries(client, county, "done")[application.id]
    assert (entry["decided_step"], entry["decided_step_name"], entry["decision"]) == (
        "accept", "受理", "approve")
    assert entry["decided_at"].startswith("2026-03-02")
    assert (entry["status"], entry["current_step"], entry["step_name"], entry["step_region"]) == (
        "submitted", "assess", "医师评审认定（会签）", TANGSHAN)
    assert entry["step_deadline"] == fresh(application).step_deadline.isoformat()
    assert entry["yours_to_decide"] is False
    english = entries(client, county, "done", "&_l_=en")[application.id]
    assert (english["decided_step_name"], english["step_name"]) == (
        "Acceptance", "Physician assessment (co-signed)")
    # Returned to the citizen, it waits at no step: nothing is shown as current.
    ReturnCommand(application.id, a, "请补正", fresh(application).lock_version, MISSING).run()
    for user, step, decision in ((county, "accept", "approve"), (a, "assess", "return")):
        entry = entries(client, user, "done")[application.id]
        assert (entry["decided_step"], entry["decision"], entry["status"]) == (
            step, decision, "returned")
        assert [entry[key] for key in ("current_step", "step_name", "step_region",
                                       "step_deadline", "working_days_left")] == [None] * 5
        assert entry["yours_to_decide"] is False
    # Corrected and resubmitted: a new round at 评审认定, which ``a`` may decide again.
    resumed = fresh(application)
    workflow.resume(resumed)
    db.session.commit()
    entry = entries(client, a, "done")[application.id]
    assert (entry["current_step"], entry["yours_to_decide"]) == ("assess", True)
    assert entries(client, county, "done")[application.id]["yours_to_decide"] is False


def test_the_openapi_entry_documents_the_new_keys(hb1, client):
    spec = client.get("/api/v1/_openapi").get_json()
    entry = spec["components"]["schemas"]["ReviewEntry"]["properties"]
    for key in ("yours_to_decide", "decided_step", "decided_step_name"):
        assert entry[key].get("description"), key
    assert entry["yours_to_decide"]["type"] == "boolean"


def marked(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-application="(\d+)" data-yours="1"', html)]


def row(html: str, pk: int) -> str:
    return html.split(f'data-application="{pk}"', 1)[1].split("</tr>", 1)[0]


def test_the_late_pages_mark_the_steps_yours_to_decide(app, hb1):
    (county, a, b), (at_county, free, half, moved) = late_scenario(hb1)
    client = signed_in(app, a)
    page = client.get("/review/late?state=overdue").get_data(as_text=True)
    assert sorted(row_ids(page)) == sorted(x.id for x in (at_county, free, half, moved))
    assert marked(page) == [free.id]
    assert says(app, "Yours to decide") in row(page, free.id)
    assert says(app, "Yours to decide") not in row(page, half.id) + row(page, at_county.id)
    assert "queue-legend" in page
    assert says(app, "Yours to decide") not in client.get("/review/pending").get_data(
        as_text=True)  # there everything is
    client.get("/lang/en")
    english = client.get("/review/late?state=overdue").get_data(as_text=True)
    assert "Yours to decide" in row(english, free.id) and "you supervise" in english
    # A region's administrator supervises: nothing is marked as theirs.
    supervisor = signed_in(app, make_user("RegionAdmin", TANGSHAN))
    page = supervisor.get("/review/late?state=overdue").get_data(as_text=True)
    assert len(row_ids(page)) == 4 and marked(page) == []


def test_the_done_page_names_the_step_decided_and_the_current_step_apart(app, hb1):
    county, a = reviewer(LUBEI), reviewer(TANGSHAN)
    application = submitted(HB1)
    approve(application, county)
    client = signed_in(app, county)
    page = client.get("/review/done").get_data(as_text=True)
    for heading in ("Step I decided", "My decision", "Status now", "Current step"):
        assert f"<th>{says(app, heading)}</th>" in page, heading
    cells = row(page, application.id)
    assert '<td class="decided-step">受理</td>' in cells
    current = cells.split('class="current-step">', 1)[1].split("</td>", 1)[0]
    assert '<span class="now-at">医师评审认定（会签）</span>' in current
    assert fresh(application).step_deadline.isoformat() in current
    ReturnCommand(application.id, a, "请补正", fresh(application).lock_version, MISSING).run()
    cells = row(client.get("/review/done").get_data(as_text=True), application.id)
    assert '<td class="decided-step">受理</td>' in cells
    assert cells.split('class="current-step">', 1)[1].split("</td>", 1)[0] == "—"
    assert "now-at" not in cells
