"""The audit log page (审计日志): scoped, read only, masked, labelled (qa.md #15; B1, B2, D2, F1)."""
import datetime as dt

import pytest
import sqlalchemy as sa

from app.audit import record
from app.extensions import db
from app.models.audit import AuditEvent
from tests.review_support import (HB1, LUBEI, NANSHAN, publish, submitted,
                                  workday_clock)  # noqa: F401  (a fixture)
from tests.support import login, make_user

LIST = "/auditlog/list/"
CST = dt.timezone(dt.timedelta(hours=8))
ZHANG_SAN = "11010519491231002X"
MOBILE = "13800138000"


def event(action, object_type, object_id, region, at, actor=None, **detail):
    row = record(action, object_type, object_id, region,
                 actor_id=actor.id if actor is not None else None, **detail)
    row.at = at
    return row


@pytest.fixture
def events(ctx, workday_clock):
    """Events of 河北 路北区, 广东 南山区 and one without a region; and who acted (HB-1 published
    on the day its application is filed: the helpers' MONDAY)."""
    publish(HB1)
    application = submitted(HB1, LUBEI)
    reviewer = make_user("Reviewer", LUBEI, username="ts_audit_reviewer")
    shenzhen = make_user("Reviewer", NANSHAN, username="ts_audit_sz")
    citizen = make_user("Citizen", LUBEI, username=MOBILE, mobile=MOBILE)  # its own mobile
    made = {
        "reveal": event("identity.reveal", "application", application.id, LUBEI,
                        dt.datetime(2026, 3, 2, 9, 30, tzinfo=CST), reviewer,
                        reason=f"核对 {ZHANG_SAN} 本人", subject="1101**********002X"),
        "verify": event("identity.verify", "user", citizen.id, LUBEI,
                        dt.datetime(2026, 3, 1, 23, 30, tzinfo=CST), citizen,
                        method="sms", id_number="1101**********002X"),
        "publish": event("definition.publish", "item", 7, NANSHAN,
                         dt.datetime(2026, 3, 3, 10, 0, tzinfo=CST), shenzhen,
                         code="gd8_secret_item"),
        "register": event("account.register", "user", 99, None,
                          dt.datetime(2026, 3, 4, 8, 0, tzinfo=CST), None, via="sms",
                          mobile="138****0000"),
    }
    db.session.commit()
    made["application"] = application
    return made


def region_admin(client, region="130200", name="ts_audit_ra"):
    make_user("RegionAdmin", region, username=name)
    login(client, name)


def page(client, url=LIST):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_region_admin_sees_only_the_subtree_newest_first(events, client):
    region_admin(client)
    html = page(client)
    assert "查看完整号码" in html and "实名认证通过" in html  # actions by label
    assert "gd8_secret_item" not in html and "ts_audit_sz" not in html
    assert "南山区" not in html  # not even in the region filter
    assert "138****8000" in html and MOBILE not in html  # a citizen's account name masked
    assert "ts_audit_reviewer" in html and "路北区" in html
    # Newest first: the reveal (3月2日) above the verification (3月1日); times in Beijing time.
    assert html.index("2026-03-02 09:30:00") < html.index("2026-03-01 23:30:00")
    assert "2026-03-04" not in html  # the event without a region: platform administrators only


def test_platform_admin_sees_everything(events, client):
    make_user("Admin", None, username="ts_audit_admin")
    login(client, "ts_audit_admin")
    html = page(client)
    for moment in ("2026-03-01 23:30:00", "2026-03-02 09:30:00", "2026-03-03 10:00:00",
                   "2026-03-04 08:00:00"):
        assert moment in html


@pytest.mark.parametrize("query", [
    "?_flt_0_region_code=440000", "?_flt_0_region_code=440305",
    "?_flt_0_action=definition.publish", "?_flt_0_object_id=7",
    "?_oc_AuditEventModelView=at&_od_AuditEventModelView=asc",
    "?psize_AuditEventModelView=100", "?page_AuditEventModelView=0&psize_AuditEventModelView=1",
    "?_flt_0_at=2026-03-03&_flt_1_at=2026-03-03",
])
def test_filters_ordering_and_paging_stay_in_the_subtree(events, client, query):
    region_admin(client)
    html = page(client, LIST + query)
    assert "gd8_secret_item" not in html and "ts_audit_sz" not in html
    assert "2026-03-03 10:00:00" not in html and "2026-03-04" not in html


def test_filters_work_inside_the_subtree(events, client):
    region_admin(client)
    reveal = events["reveal"]
    only = page(client, f"{LIST}?_flt_0_action=identity.reveal")
    assert "2026-03-02 09:30:00" in only and "2026-03-01 23:30:00" not in only
    by_actor = page(client, f"{LIST}?_flt_0_actor_id={reveal.actor_id}")
    assert "2026-03-02 09:30:00" in by_actor and "2026-03-01 23:30:00" not in by_actor
    by_object = page(client, f"{LIST}?_flt_0_object_id={reveal.object_id}")
    assert "2026-03-02 09:30:00" in by_object and "2026-03-01 23:30:00" not in by_object
    # 3月2日 in Beijing time: from 2026-03-01T16:00Z; the 23:30 event is 3月1日.
    day = page(client, f"{LIST}?_flt_0_at=2026-03-02&_flt_1_at=2026-03-02")
    assert "2026-03-02 09:30:00" in day and "2026-03-01 23:30:00" not in day
    within = page(client, f"{LIST}?_flt_0_region_code=130203")
    assert "2026-03-02 09:30:00" in within and "2026-03-01 23:30:00" in within
    assert "2026-03-02" not in page(client, f"{LIST}?_flt_0_region_code=130202")


def test_show_is_scoped_and_masks_the_detail(events, client):
    region_admin(client)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert client.get(f"/auditlog/show/{events['publish'].id}").status_code == 404
    assert client.get(f"/auditlog/show/{events['register'].id}").status_code == 404
    for pk in ("abc", "99999999999999999999", "-1"):
        assert client.get(f"/auditlog/show/{pk}").status_code == 404, pk
    html = page(client, f"/auditlog/show/{events['reveal'].id}")
    assert ZHANG_SAN not in html and "19491231" not in html
    assert "1101**********002X" in html and "核对" in html and "<th>原因</th>" in html
    after = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert after == before  # reading the log records nothing (it is no reveal)


def test_object_links_to_the_reviewers_page_when_visible(events, app, client):
    application = events["application"]
    # An event of 路北区 naming an application the region's administrator cannot open.
    event("application.file_viewed", "application", 999999, LUBEI,
          dt.datetime(2026, 3, 2, 11, 0, tzinfo=CST))
    db.session.commit()
    region_admin(client)
    html = page(client)
    assert f'<a href="/review/applications/{application.id}">' in html
    assert "#999999" in html and 'href="/review/applications/999999"' not in html
    other = app.test_client()
    region_admin(other, "440000", "ts_audit_gd")
    html = page(other)
    assert "服务事项 #7" in html and 'href="/review/applications/' not in html


def test_actions_and_exports_are_refused(events, client):
    region_admin(client)
    pk = events["publish"].id
    mine = events["reveal"].id
    for url in (f"/auditlog/edit/{mine}", f"/auditlog/delete/{mine}", "/auditlog/add"):
        assert client.get(url).status_code == 403, url
    assert client.get("/auditlog/download/x.csv").status_code == 404  # no such route at all
    assert client.get(f"/auditlog/action/delete/{pk}").status_code == 404
    assert client.post("/auditlog/action_post", data={"action": "delete", "rowid": [pk]}
                       ).status_code == 404
    assert db.session.get(AuditEvent, pk) is not None


@pytest.mark.parametrize("role", ["Reviewer", "Citizen"])
def test_reviewers_and_citizens_are_refused(events, client, role):
    make_user(role, LUBEI, username=f"ts_audit_denied_{role.lower()}")
    login(client, f"ts_audit_denied_{role.lower()}")
    assert client.get(LIST).status_code == 403
    assert client.get(f"/auditlog/show/{events['reveal'].id}").status_code == 403
    if role == "Reviewer":  # nor is the page in their menu
        assert 'href="/auditlog/list/"' not in page(client, "/review/pending")


@pytest.mark.parametrize("query", [
    "?_flt_0_detail=x", "?_flt_9_action=x", "?_flt_1_action=x", "?_flt_0_actor_id=1%27%3B",
    "?_flt_0_actor_id=%C2%B2", "?_flt_0_actor_id=99999999999999999999999",  # "²", too large
    "?_oc_AuditEventModelView=detail&_od_AuditEventModelView=asc",
    "?_oc_AuditEventModelView=at&_od_AuditEventModelView=sideways",
    "?psize_AuditEventModelView=abc", "?psize_AuditEventModelView=100000",
    "?psize_AuditEventModelView=-1", "?page_AuditEventModelView=x",
])
def test_unknown_filters_orders_and_sizes_are_400_without_sql(events, client, query):
    region_admin(client)
    response = client.get(LIST + query)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "SELECT" not in text and "audit_event" not in text


def test_a_date_that_is_no_date_is_named_and_not_applied(events, client):
    region_admin(client)
    html = page(client, f"{LIST}?_flt_0_at=2026-13-40")
    assert "YYYY-MM-DD" in html and "2026-03-02 09:30:00" in html


@pytest.mark.parametrize(("locale", "labels"), [
    ("zh", ("审计日志", "查看完整号码", "实名认证通过")),
    ("en", ("Audit log", "Full numbers revealed", "Identity verified")),
])
def test_labels_are_translated(events, client, locale, labels):
    region_admin(client)
    client.get(f"/lang/{locale}")
    html = page(client)
    for label in labels:
        assert label in html, label
    assert "identity.reveal</td>" not in html
    assert 'href="/auditlog/list/"' in page(client, "/users/list/")  # in the Security menu


def test_region_admin_role_holds_the_page_and_its_menu(ctx):
    from flask_appbuilder.security.sqla.models import Role

    role = db.session.scalar(sa.select(Role).where(Role.name == "RegionAdmin"))
    held = {(p.view_menu.name, p.permission.name) for p in role.permissions}
    assert {("AuditEventModelView", "can_list"), ("AuditEventModelView", "can_show"),
            ("Audit log", "menu_access")} <= held
    reviewer = db.session.scalar(sa.select(Role).where(Role.name == "Reviewer"))
    assert not any(p.view_menu.name == "AuditEventModelView" for p in reviewer.permissions)


def test_an_item_is_named_by_its_code_and_name_in_one_query(events, client):
    from app.models.item import Item
    from tests.support import counted_queries

    item = db.session.scalars(sa.select(Item).where(Item.code == HB1)).first()
    for hour in range(3):
        event("definition.save", "item", item.id, LUBEI,
              dt.datetime(2026, 3, 5, 9 + hour, 0, tzinfo=CST))
    event("definition.delete", "item", 999998, LUBEI, dt.datetime(2026, 3, 5, 13, 0, tzinfo=CST),
          code="gone_item")
    db.session.commit()
    region_admin(client)
    with counted_queries() as statements:
        html = page(client)
    assert f"服务事项 #{item.id} {item.code} {item.name_zh}" in html
    assert "服务事项 #999998 gone_item" in html
    assert len([s for s in statements if "FROM item" in s]) == 1
