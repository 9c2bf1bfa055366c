"""我要查: drafts told apart and deleted (confirmed, owner only), withdrawal confirmed first,
no deadline on an ended application, dates as every citizen page writes them."""
import datetime as dt
import html

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Attachment
from app.models.base import utcnow
from app.storage import get_storage
from tests.applications_support import clock  # noqa: F401
from tests.wizard_support import (HB1, HB1_CODE, OTHER_ID, TANGSHAN, acknowledge_notice, citizen,
                                  post_step, publish, signed_in, start, upload)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def hb1(ctx, clock):  # noqa: F811
    publish(HB1)
    return citizen()


def test_two_drafts_of_one_item_are_told_apart(app, hb1):
    client = signed_in(app, hb1)
    first, second = start(client, HB1_CODE, TANGSHAN), start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, second)
    post_step(client, f"/applications/{second}/pages/kind", {"disease_kind": "chronic"})
    page = text(client.get("/my/applications/"))
    assert "申请日期" not in page  # never submitted: not "applied on"
    assert page.count("创建日期") == 2 and page.count("最后保存") == 2
    assert "下一步填写" in page and page.count("删除草稿") == 2
    # where each goes on: the first at the notice, the second at the page after 申报选择
    assert "<dt>下一步填写</dt><dd>温馨提示</dd>" in page
    assert "<dt>下一步填写</dt><dd>基本信息</dd>" in page
    detail = text(client.get(f"/my/applications/{first}"))
    assert "<dt>下一步填写</dt><dd>温馨提示</dd>" in detail and "最后保存" in detail


def test_deleting_a_draft_asks_first_and_removes_it_with_its_files(app, hb1):
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    upload(client, pk, "diagnosis")
    key = db.session.scalar(select(Attachment.storage_key).where(Attachment.application_id == pk))
    asked = client.get(f"/my/applications/{pk}/delete")
    assert asked.status_code == 200 and "确认删除草稿" in text(asked)
    assert client.post(f"/my/applications/{pk}/delete").status_code == 200  # not confirmed
    assert db.session.get(Application, pk) is not None
    deleted = client.post(f"/my/applications/{pk}/delete", data={"confirmed": "1"})
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith(
        "/my/applications/")
    db.session.expire_all()
    assert db.session.get(Application, pk) is None and not get_storage().exists(key)
    assert "草稿已删除" in text(client.get("/my/applications/"))
    assert client.get(f"/my/applications/{pk}").status_code == 404


def test_another_citizens_draft_cannot_be_deleted(app, hb1):  # B1
    pk = start(signed_in(app, hb1), HB1_CODE, TANGSHAN)
    bob = signed_in(app, citizen(OTHER_ID, "赵六"))
    for method in ("GET", "POST"):
        assert bob.open(f"/my/applications/{pk}/delete", method=method,
                        data={"confirmed": "1"}).status_code == 404
    assert db.session.get(Application, pk).status == "draft"


def test_a_submitted_application_is_withdrawn_not_deleted(app, hb1):
    client = signed_in(app, hb1)
    pk = start(client, HB1_CODE, TANGSHAN)
    application = db.session.get(Application, pk)
    application.status, application.submitted_at = "submitted", utcnow()
    application.deadline = dt.date(2026, 12, 8)
    db.session.commit()
    assert client.post(f"/my/applications/{pk}/delete",
                       data={"confirmed": "1"}).status_code == 303
    assert db.session.get(Application, pk) is not None
    detail = text(client.get(f"/my/applications/{pk}"))
    assert "办结期限" in detail and "2026年12月8日" in detail
    asked = text(client.get(f"/my/applications/{pk}/withdraw"))
    assert "确认撤回" in asked and "取消，保留申请" in asked
    client.post(f"/my/applications/{pk}/withdraw", data={"confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(Application, pk).status == "withdrawn"
    ended = text(client.get(f"/my/applications/{pk}"))
    assert "已撤回" in ended and "办结期限" not in ended and "2026年12月8日" not in ended


def test_account_page_and_signature_dates_read_like_other_pages(app, hb1):
    client = signed_in(app, hb1)
    user = db.session.get(type(hb1), hb1.id)
    user.identity_verified_at = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.timezone.utc)
    user.identity_method = "ec_password"
    db.session.commit()
    page = text(client.get("/me/"))
    assert "已于2026年11月24日认证（医保电子凭证" in page  # China day, full-width brackets
    assert "2026-11-2" not in page
