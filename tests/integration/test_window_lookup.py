"""The counter's 查询 (/review/window/, action ``check``): every look-up is in the audit log (who,
the masked number, the result, the clerk's region), a clerk's look-ups are limited, and a
number registered under another name reads exactly as a number nobody holds."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from tests.applications_support import (ALICE_ID, BOB_ID, REGION, clock,  # noqa: F401
                                        make_person)
from tests.browser.helpers import say
from tests.integration.test_review_window import counter, signed_in  # noqa: F401
from tests.support import login, make_user


def look_up(client, name, number):
    return client.post("/review/window/", data={"action": "check", "name": name,
                                                "id_number": number})


def panel(response) -> str:
    found = re.search(r'<div class="panel panel-info identity-lookup">.*?</div></div>',
                      response.get_data(as_text=True), re.S)
    assert found, response.get_data(as_text=True)[-2000:]
    return found[0]


def test_a_look_up_is_audited_and_tells_only_whether_name_and_number_match(app, counter):
    clerk = signed_in(app, counter)
    matched = look_up(clerk, "林小红", ALICE_ID)
    assert matched.status_code == 200 and "registry-match" in panel(matched)
    other_name = look_up(clerk, "郑丽", ALICE_ID)  # registered, under another name
    nobody = look_up(clerk, "郑丽", BOB_ID)  # held by nobody
    assert other_name.status_code == nobody.status_code == 200
    assert panel(other_name) == panel(nobody)
    assert say(app, "No insurance registration matches this name and ID number.") in panel(
        nobody)
    for response in (other_name, nobody):
        page = response.get_data(as_text=True)
        assert "registry-mismatch" not in page and "registry-match" not in page
        assert say(app, "The name and ID number do not match our records.") not in page
        assert say(app, "Account:") not in page
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "window.lookup").order_by(AuditEvent.id)))
    assert [e.actor_id for e in events] == [counter.id] * 3
    assert {e.region_code for e in events} == {REGION}
    assert [e.detail["result"] for e in events] == ["match", "no_match", "no_match"]
    assert [e.detail["registry"] for e in events] == ["found", "name_differs", "not_found"]
    assert ALICE_ID not in str([e.detail for e in events])
    assert events[0].detail["id_number"].startswith(ALICE_ID[:4])
    assert events[0].detail["id_number"].endswith(ALICE_ID[-2:])


def test_the_audit_log_names_the_look_up(app, counter):
    clerk = signed_in(app, counter)
    look_up(clerk, "林小红", ALICE_ID)
    admin = signed_in(app, make_user("Admin", None))
    page = admin.get("/auditlog/list/?_flt_0_action=window.lookup").get_data(as_text=True)
    # The row shows the label (the filter's choices carry it too, but JSON-escaped).
    assert say(app, "Identity looked up at the window") in page
    assert ">window.lookup<" not in page
    event = db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "window.lookup"))
    shown = admin.get(f"/auditlog/show/{event}").get_data(as_text=True)
    assert say(app, "name and number match") in shown and ALICE_ID not in shown


def test_a_clerks_look_ups_are_limited(limited, clock):  # noqa: F811
    limited.config["WINDOW_LOOKUP_RATE_LIMIT"] = "2 per minute"
    with limited.app_context():
        make_person(ALICE_ID, "林小红")
        names = [make_user("Reviewer", REGION).username for _ in range(2)]
    clerk = limited.test_client()
    assert login(clerk, names[0]).status_code == 302
    assert look_up(clerk, "林小红", ALICE_ID).status_code == 200
    assert look_up(clerk, "郑丽", ALICE_ID).status_code == 200
    refused = look_up(clerk, "王芳", ALICE_ID)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert clerk.get("/review/window/").status_code == 200  # the page itself is not limited
    colleague = limited.test_client()
    assert login(colleague, names[1]).status_code == 302
    assert look_up(colleague, "林小红", ALICE_ID).status_code == 200
    with limited.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "window.lookup")) == 3


def test_the_api_shares_the_counters_look_up_limit(limited, clock):  # noqa: F811
    from tests.applications_support import CODE, load_gd8, token

    limited.config["WINDOW_LOOKUP_RATE_LIMIT"] = "2 per minute"
    with limited.app_context():
        load_gd8()
        make_person(ALICE_ID, "林小红")
        name = make_user("Reviewer", REGION).username
    web, api = limited.test_client(), limited.test_client()
    assert login(web, name).status_code == 302
    headers = token(api, name)
    assert look_up(web, "郑丽", ALICE_ID).status_code == 200
    body = {"item": CODE, "region": REGION, "filer": "self", "identity_checked": True,
            "subject": {"name": "郑丽", "id_number": ALICE_ID}}
    assert api.post("/api/v1/applications/", headers=headers, json=body).status_code == 422
    refused = api.post("/api/v1/applications/", headers=headers, json=body)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert look_up(web, "林小红", ALICE_ID).status_code == 429


def lookups():
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "window.lookup").order_by(AuditEvent.id)))


def test_a_refused_api_entry_is_audited_as_a_look_up(app, client, counter):
    from tests.applications_support import CODE, token

    headers = token(client, counter.username)
    body = {"item": CODE, "region": REGION, "filer": "self", "identity_checked": True,
            "subject": {"name": "郑丽", "id_number": ALICE_ID}}  # registered under 林小红
    refused = client.post("/api/v1/applications/", headers=headers, json=body)
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["subject.name"]
    [event] = lookups()
    assert (event.actor_id, event.region_code, event.object_type) == (counter.id, REGION,
                                                                      "person")
    assert event.detail == {"id_number": event.detail["id_number"], "result": "no_match",
                            "registry": "name_differs",
                            "account": "none", "refused": True}
    assert ALICE_ID not in str(event.detail) and event.detail["id_number"].endswith(ALICE_ID[-2:])
    not_offered = client.post("/api/v1/applications/", headers=headers, json={
        **body, "item": "no_such_item", "subject": {"name": "林小红", "id_number": ALICE_ID}})
    assert not_offered.status_code == 422 and list(not_offered.get_json()["errors"]) == ["item"]
    assert [(e.detail["result"], e.detail["refused"]) for e in lookups()] == [
        ("no_match", True), ("match", True)]


def test_a_refused_entry_on_the_counter_page_is_audited(app, counter):
    from tests.integration.test_review_window import start

    clerk = signed_in(app, counter)
    assert start(clerk, id_number="4401061990010100X1").status_code == 422  # no ID number
    assert start(clerk, identity_checked=None).status_code == 422  # card not checked
    assert [(e.detail["result"], e.detail["registry"], e.detail["refused"])
            for e in lookups()] == [("invalid", "not_found", True), ("match", "found", True)]
