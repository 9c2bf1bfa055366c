"""What the audit log says of a change: old → new per setting, in words (labels, names, 是/否);
local codes and 医保 region nodes are audited as accounts are."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.dictionary import Dictionary, DictionaryEntry
from app.views.admin.audit_display import detail_table
from tests.support import login, make_user


def role_id(name):
    return db.session.scalar(sa.text("SELECT id FROM ab_role WHERE name = :n"), {"n": name})


def events(action):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def show(client, event):
    return client.get(f"/auditlog/show/{event.id}").get_data(as_text=True)


@pytest.fixture
def admin(client, ctx):
    make_user("RegionAdmin", "130200", username="ac_admin")
    login(client, "ac_admin")
    return client


def edit(client, user, **changed):
    data = {"first_name": "张三丰", "region": "130203", "mobile": "",
            "roles": [str(role_id("Reviewer"))], "active": "y", **changed}
    if data["active"] is None:
        del data["active"]
    response = client.post(f"/users/edit/{user.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_move_and_back_say_from_where_to_where(admin):
    reviewer = make_user("Reviewer", "130203", username="ac_lb", name="张三丰")
    edit(admin, reviewer, region="130202")
    edit(admin, reviewer, region="130203")
    moved, back = events("account.update")
    assert moved.detail == {"region": {"from": "130203", "to": "130202"}}
    assert back.detail == {"region": {"from": "130202", "to": "130203"}}
    html = show(admin, moved)
    assert "<th>行政区划</th><td>路北区（130203） → 路南区（130202）</td>" in html
    assert "修改账号" in html and "roles" not in html and "true" not in html


def test_roles_status_and_name_are_recorded_masked(admin):
    reviewer = make_user("Reviewer", "130203", username="ac_lb2", name="张三丰")
    edit(admin, reviewer, first_name="李四光", active=None,
         roles=[str(role_id("RegionAdmin"))])  # not both: separation of duties (app.roles)
    (event,) = events("account.update")
    assert event.detail == {
        "active": {"from": True, "to": False},
        "full_name": {"from": "张**", "to": "李**"},
        "roles": {"from": ["Reviewer"], "to": ["RegionAdmin"]},
    }
    html = show(admin, event)
    assert "<th>启用</th><td>是 → 否</td>" in html
    assert "<th>姓名</th><td>张** → 李**</td>" in html and "李四光" not in html
    assert "<th>角色</th><td>审核人员 → " in html
    admin.get("/lang/en")
    html = show(admin, event)
    assert "<th>Active</th><td>Yes → No</td>" in html


def test_an_unchanged_save_names_nothing(admin):
    reviewer = make_user("Reviewer", "130203", username="ac_lb3", name="张三丰")
    edit(admin, reviewer)
    assert events("account.update")[0].detail == {}


def test_old_details_read_as_words(ctx, app):
    detail = {"reason": "核对", "step": "accept", "subject": "1101**********002X",
              "active": True, "roles": ["Reviewer"], "handled_by": "130203", "status": "submitted",
              "redacted": ["comment"], "empty": None}
    with app.test_request_context("/?_l_=zh"):
        html = str(detail_table(detail))
    for row in ("<th>原因</th><td>核对</td>", "<th>环节</th><td>accept</td>",
                "<th>启用</th><td>是</td>", "<th>角色</th><td>审核人员</td>",
                "<th>办理地区</th><td>路北区（130203）</td>", "<th>empty</th><td>—</td>",
                "<th>办理对象</th><td>1101**********002X</td>"):
        assert row in html, row
    assert "[" not in html and "true" not in html


def test_local_codes_are_audited(admin):
    insutype = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "insutype"))
    assert admin.post("/dictionaryentrymodelview/add", data={
        "dictionary": insutype.id, "code": "39902", "name_zh": "补充医疗", "name_en": "Extra",
        "region": "130200", "sort": 100}).status_code == 302
    entry = db.session.scalar(sa.select(DictionaryEntry).where(DictionaryEntry.code == "39902"))
    assert admin.post(f"/dictionaryentrymodelview/edit/{entry.id}", data={
        "name_zh": "补充医疗保险", "name_en": "Extra", "sort": 100, "active": "y"}
    ).status_code == 302
    assert admin.post(f"/dictionaryentrymodelview/delete/{entry.id}").status_code == 302
    (added,), (changed,), (deleted,) = (events(f"dictionary.entry_{verb}")
                                        for verb in ("add", "update", "delete"))
    assert (added.object_id, added.region_code) == ("insutype/39902", "130200")
    assert added.detail["name_zh"] == "补充医疗" and added.detail["code"] == "39902"
    assert changed.detail["name_zh"] == {"from": "补充医疗", "to": "补充医疗保险"}
    assert set(changed.detail) == {"dictionary", "code", "name_zh"}
    assert deleted.detail["name_zh"] == "补充医疗保险"
    html = show(admin, changed)
    assert "修改本地编码" in html and "<th>中文名称</th><td>补充医疗 → 补充医疗保险</td>" in html \
        or "补充医疗 → 补充医疗保险" in html
    assert "本地编码 #insutype/39902" in html


def test_region_nodes_are_audited(client, ctx):
    make_user("RegionAdmin", "511700", username="ac_dz")
    login(client, "ac_dz")
    assert client.post("/regionmodelview/add", data={
        "code": "51170099997", "name": "达州中医药职业学院"}).status_code == 302
    assert client.post("/regionmodelview/edit/51170099997", data={
        "name": "达州中医药职业学院", "name_en": "Dazhou College"}).status_code == 302
    (added,), (changed,) = (events(f"region.{verb}") for verb in ("add", "update"))
    assert (added.object_id, added.region_code) == ("51170099997", "511700")
    assert added.detail == {"name": "达州中医药职业学院", "name_en": None}
    assert changed.detail == {"name_en": {"from": None, "to": "Dazhou College"}}
    html = show(client, changed)
    assert "修改医保区划节点" in html and "— → Dazhou College" in html


def test_the_masked_name_goes_when_the_account_closes(admin):
    from app.audit import redact_account_history

    reviewer = make_user("Reviewer", "130203", username="ac_lb4", name="张三丰")
    edit(admin, reviewer, first_name="李四光", region="130202")
    assert redact_account_history(reviewer.id) == 1
    db.session.commit()
    (event,) = events("account.update")
    assert event.detail == {"region": {"from": "130203", "to": "130202"},
                            "redacted": ["full_name"]}
