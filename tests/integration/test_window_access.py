"""窗口代录 is for review staff of a region (app.counter_access): the platform
administrator, who holds every permission through the database, and a regional administrator
are refused its pages and its 查询 (a translated 403, nothing looked up or logged), and neither
sees the counter's menu entry nor 待办 / 已办, which only a deciding role can use."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditEvent
from tests.applications_support import ALICE_ID, REGION, clock  # noqa: F401
from tests.integration.test_review_window import counter, signed_in  # noqa: F401
from tests.support import make_user

REFUSED_ZH = "只有区划的审核人员可以窗口代录"
REFUSED_EN = "Only review staff of a region enter applications at the counter"
LOOKUP = {"action": "check", "name": "林小红", "id_number": ALICE_ID}


def lookups() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "window.lookup"))


@pytest.mark.parametrize("role, region", [("Admin", None), ("Admin", REGION),
                                          ("RegionAdmin", REGION)])
def test_the_counter_refuses_who_cannot_file_there(app, counter, role, region):
    client = signed_in(app, make_user(role, region))
    page = client.get("/review/window/")
    if role == "RegionAdmin":  # no WindowEntry permission at all: FAB's own refusal
        assert page.status_code in (302, 403)
    else:
        assert page.status_code == 403
        assert REFUSED_ZH in page.get_data(as_text=True)
    answer = client.post("/review/window/", data=LOOKUP)
    assert answer.status_code in (302, 403)
    assert "已找到" not in answer.get_data(as_text=True)
    assert "registry-match" not in answer.get_data(as_text=True)
    assert lookups() == 0
    if role == "Admin":
        assert client.get("/review/window/1/materials").status_code == 403
        english = client.get("/review/window/?_l_=en").get_data(as_text=True)
        assert REFUSED_EN in english


def test_the_clerk_still_looks_up(app, counter):
    clerk = signed_in(app, counter)
    assert clerk.get("/review/window/").status_code == 200
    answer = clerk.post("/review/window/", data=LOOKUP)
    assert answer.status_code == 200 and "registry-match" in answer.get_data(as_text=True)
    assert lookups() == 1


def test_review_menus_only_for_who_can_use_them(app, counter):
    admin = signed_in(app, make_user("Admin", None)).get("/auditlog/list/").get_data(
        as_text=True)
    assert 'href="/review/late"' in admin  # supervision stays
    for href in ('href="/review/window/"', 'href="/review/pending"', 'href="/review/done"'):
        assert href not in admin, href
    clerk = signed_in(app, counter).get("/review/pending").get_data(as_text=True)
    for href in ('href="/review/window/"', 'href="/review/pending"', 'href="/review/done"'):
        assert href in clerk, href


def test_the_api_refuses_the_administrators_window_entry(app, counter, client):
    from tests.applications_support import api_create, token

    admin = make_user("Admin", REGION)
    answer = api_create(client, token(client, admin.username),
                        subject={"name": "林小红", "id_number": ALICE_ID}, identity_checked=True)
    assert answer.status_code == 403
    assert REFUSED_ZH in answer.get_json()["message"]
    assert lookups() == 0
