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


def test_co_sign_progress_costs_no_statement_of_its_own(app, hb1):
    """The progress is a column of the page's own statement: a page of rows waiting at a
    co-signed step, signed or not, sends as many statements as one of rows at a step one
    person decides (受理 at the county)."""
    from tests.integration.test_review_queries import QUERY_BUDGET, counted

    zhang = reviewer(TANGSHAN, name="张三")
    city, county = signed_in(app, reviewer(TANGSHAN)), signed_in(app, reviewer(LUBEI))
    city.get("/review/pending"), county.get("/review/pending")  # warm longer-lived caches
    measured, made = {}, 0
    for rows in (2, 12):
        while made < rows:
            at_cosign(zhang if made % 2 else None)
            submitted(HB1, LUBEI)  # waits at 受理
            made += 1
        for name, client in (("city", city), ("county", county)):
            with counted(app) as statements:
                html = client.get("/review/pending").get_data(as_text=True)
            assert html.count("cosign-progress") == (rows if name == "city" else 0)
            assert html.count("已签 1/2：张三") == (rows // 2 if name == "city" else 0)
            measured[name, rows] = len(statements)
    assert len(set(measured.values())) == 1, measured
    assert measured["city", 12] <= QUERY_BUDGET, measured


def test_progress_is_kept_on_the_row_until_the_step_moves_on(app, hb1):
    zhang, li = reviewer(TANGSHAN, name="张三"), reviewer(TANGSHAN, name="李四")
    application = at_cosign(zhang)
    assert fresh(application).step_signed == "张三"
    ApproveCommand(application.id, li, None, fresh(application).lock_version).run()
    moved = fresh(application)
    assert moved.current_step != "assess" and moved.step_signed is None


def test_the_migration_fills_progress_of_applications_already_waiting(app, hb1):
    """Applications that waited at a co-signed step before ``step_signed`` existed get it from
    their decisions when the database is upgraded."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from app.extensions import db
    from app.models.application import Application

    zhang = reviewer(TANGSHAN, name="张三")
    signed, unsigned = at_cosign(zhang).id, at_cosign().id
    db.session.remove()  # no open transaction holds a lock the DDL waits for (PostgreSQL)
    downgrade(revision="e5f7a9c1b3d6")
    db.engine.dispose()
    try:
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("application")}
        assert "step_signed" not in columns
    finally:
        upgrade()
        db.engine.dispose()
    signed_by = dict(db.session.execute(sa.select(Application.id, Application.step_signed)
                                        .where(Application.id.in_((signed, unsigned)))).all())
    assert signed_by == {signed: "张三", unsigned: None}
