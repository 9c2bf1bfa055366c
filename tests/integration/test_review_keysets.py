"""Queue pages at their edges: equal and missing deadlines across page boundaries, late queues
over several regions, working-day boundaries of "due soon", rows left out (co-signed and
``distinct`` steps, the user's own applications), ``step_barred`` as the workflow and the
migration keep it, and capped counts."""
import datetime as dt
import importlib.util
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import workflow
from app.commands.reviews import ApproveCommand, ReturnCommand
from app.extensions import db
from app.models.application import Application
from app.models.region import Region
from app.reference_cache import forget_generation
from app.workflow.queue import counting, statements, subtrees
from tests.accounts_support import valid_id
from tests.applications_support import token
from tests.review_support import (HB1, LUBEI, LUNAN, SHIJIAZHUANG, TANGSHAN, fresh,  # noqa
                                  hb1, reviewer, submitted, workday_clock)
from tests.support import counted_queries, login, make_user

D1, D2 = dt.date(2026, 3, 5), dt.date(2026, 3, 9)


def with_deadlines(region, deadlines, **kw):
    """Submit one application per deadline (None: a step without a time limit)."""
    made = [submitted(HB1, region, **kw) for _ in deadlines]
    for application, day in zip(made, deadlines):
        application.step_deadline = day
    db.session.commit()
    return made


def queue_order(applications):
    """The order a deadline queue promises: (step_deadline NULLS LAST, id)."""
    return [a.id for a in sorted(applications, key=lambda a: (
        a.step_deadline is None, a.step_deadline or dt.date.min, a.id))]


def walk(function, user, limit, filters=None):
    """Return the ids of every page of a queue, and the cursors that led there."""
    ids, cursors, after = [], [], None
    while True:
        page = function(user, filters, after, limit)
        assert len(page.entries) == limit or page.after is None
        ids += [entry.application.id for entry in page.entries]
        if page.after is None:
            return ids, cursors
        after = page.after
        cursors.append(after)


def approve(application, user):
    ApproveCommand(application.id, user, None, fresh(application).lock_version).run()


@pytest.mark.parametrize("limit", [1, 2, 3, 4])
def test_pending_pages_break_ties_on_id_and_keep_undated_steps_last(hb1, limit):
    made = with_deadlines(LUBEI, [D2, D1, None, D1, D1, None, D2, D1])
    ids, cursors = walk(workflow.pending, reviewer(LUBEI), limit)
    assert ids == queue_order(made)
    assert len(cursors) == (len(made) - 1) // limit
    # A cursor inside the undated rows is written with the far-future day, as before.
    if limit == 1:
        assert cursors[-1].startswith("9999-12-31_")


def test_a_cursor_between_dated_and_undated_rows_goes_on_with_the_undated(hb1):
    made = with_deadlines(LUBEI, [D1, D1, None, None])
    county = reviewer(LUBEI)
    page = workflow.pending(county, limit=2)
    assert [e.application.id for e in page.entries] == [made[0].id, made[1].id]
    rest = workflow.pending(county, after=page.after, limit=2)
    assert [e.application.id for e in rest.entries] == [made[2].id, made[3].id]
    assert rest.after is None
    assert workflow.pending(county, after=f"{D2.isoformat()}_0", limit=5).entries[0] \
        .application.id == made[2].id


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_late_queues_merge_the_subtree_in_deadline_order(hb1, limit):
    hb1.day(2026, 3, 10)  # Tuesday: everything due by Monday 9 March is overdue
    lubei = with_deadlines(LUBEI, [D1, D2, D1, dt.date(2026, 3, 2)])
    lunan = with_deadlines(LUNAN, [D1, dt.date(2026, 3, 3), D2])
    outside = with_deadlines("130102", [D1, D1])  # 石家庄 长安区: another city
    not_yet = with_deadlines(LUNAN, [dt.date(2026, 3, 20)])
    city = reviewer(TANGSHAN)
    ids, _ = walk(workflow.overdue, city, limit)
    assert ids == queue_order(lubei + lunan)
    assert not set(ids) & {a.id for a in outside + not_yet}
    assert walk(workflow.overdue, reviewer(LUNAN), limit)[0] == queue_order(lunan)
    assert walk(workflow.overdue, reviewer(SHIJIAZHUANG), limit)[0] == queue_order(outside)
    # A platform administrator walks every region.
    admin = make_user("Admin")
    assert walk(workflow.overdue, admin, limit)[0] == queue_order(lubei + lunan + outside)
    assert workflow.count("overdue", city) == len(lubei + lunan)
    assert walk(workflow.overdue, city, limit, {"item": "no_such_item"})[0] == []


def renumber_reference_generation():
    """Write a region as an administrator's tool would: every cached subtree is read again."""
    db.session.execute(sa.text("UPDATE region SET name = name WHERE code = '130000'"))
    db.session.commit()
    forget_generation()


def late_at(region_code: str, day: dt.date) -> Application:
    """Submit one HB-1 in 路北区 and hand its step to ``region_code`` with ``day`` as deadline."""
    application = with_deadlines(LUBEI, [day])[0]
    application.step_region_code = region_code
    db.session.commit()
    return application


@pytest.mark.parametrize("limit", [1, 3])
def test_a_province_walks_the_deadline_order_to_the_same_pages(hb1, limit, monkeypatch,
                                                               db_dialect):
    hb1.day(2026, 3, 10)
    made = with_deadlines(LUBEI, [D1, D2, dt.date(2026, 3, 2)]) + with_deadlines(
        "130102", [D1, D2]) + with_deadlines(LUNAN, [D2])
    with_deadlines(LUNAN, [dt.date(2026, 3, 20)])  # not overdue yet
    province = make_user("RegionAdmin", "130000")  # 河北省: hundreds of regions
    statements._BUILT.clear()
    with counted_queries() as sent:
        ids, _ = walk(workflow.overdue, province, limit)
        assert workflow.count("overdue", province) == len(made)
    assert ids == queue_order(made)
    if db_dialect == "postgresql":  # every code of the province starts with 13
        assert subtrees.large_subtree(province) == ("prefix", "13")
        assert not any("LATERAL" in s for s in sent)
        assert any("application.step_region_code LIKE" in s for s in sent)

    # The same pages from the walk per region the province no longer takes.
    monkeypatch.setattr(subtrees, "LATERAL_MAX_REGIONS", 100_000)
    renumber_reference_generation()
    with counted_queries() as merged:
        assert walk(workflow.overdue, province, limit)[0] == ids
        assert workflow.count("overdue", province) == len(made)
    if db_dialect == "postgresql":
        assert any("LATERAL" in s for s in merged)
    monkeypatch.undo()
    renumber_reference_generation()

    # A region added to the province later (a 医保 node) is in the next page read; one added
    # elsewhere whose code starts with 13 is not (the province's codes are then listed).
    db.session.add(Region(code="13020300977", name="路北区某学校", level="grassroots",
                          kind="insurance", parent_code=LUBEI,
                          path="130000/130200/130203/13020300977/"))
    db.session.add(Region(code="13999900001", name="北京某医保点", level="grassroots",
                          kind="insurance", parent_code="110000", path="110000/13999900001/"))
    db.session.commit()
    inside = late_at("13020300977", dt.date(2026, 2, 2))
    late_at("13999900001", dt.date(2026, 2, 1))
    forget_generation()
    with counted_queries() as listed:
        assert walk(workflow.overdue, province, limit)[0] == queue_order(made + [inside])
        assert workflow.count("overdue", province) == len(made) + 1
    if db_dialect == "postgresql":
        assert subtrees.large_subtree(province)[0] == "codes"
        assert any("application.step_region_code = ANY" in s for s in listed)
        assert not any("application.step_region_code LIKE" in s for s in listed)
    statements._BUILT.clear()


@pytest.mark.parametrize("today, overdue, due_soon, neither", [
    # Friday 6 March: two working days on is Tuesday 10 March (the weekend does not count).
    ((2026, 3, 6), [(2026, 3, 5)], [(2026, 3, 6), (2026, 3, 7), (2026, 3, 9), (2026, 3, 10)],
     [(2026, 3, 11)]),
    # Thursday 30 April: 1–5 May is Labour Day, so due soon runs to Thursday 7 May.
    ((2026, 4, 30), [(2026, 4, 29)], [(2026, 4, 30), (2026, 5, 3), (2026, 5, 6), (2026, 5, 7)],
     [(2026, 5, 8)]),
    # Friday 8 May: Saturday 9 May is a make-up working day, so due soon ends on Monday 11 May.
    ((2026, 5, 8), [(2026, 5, 7)], [(2026, 5, 8), (2026, 5, 10), (2026, 5, 11)],
     [(2026, 5, 12)]),
])
def test_due_soon_and_overdue_follow_working_days(app, hb1, today, overdue, due_soon, neither):
    days = [dt.date(*d) for d in overdue + due_soon + neither]
    made = dict(zip(days, with_deadlines(LUBEI, days)))
    hb1.day(*today)
    county = reviewer(LUBEI)
    assert [e.application.id for e in workflow.overdue(county).entries] == [
        made[dt.date(*d)].id for d in overdue]
    assert [e.application.id for e in workflow.due_soon(county).entries] == [
        made[dt.date(*d)].id for d in due_soon]
    assert workflow.count("due_soon", county) == len(due_soon)
    client = app.test_client()
    assert login(client, county.username).status_code == 302
    html = client.get("/review/late?state=due_soon").get_data(as_text=True)
    assert html.count("deadline-due-soon") == len(due_soon)


def test_own_applications_are_left_out_of_late_pages_without_holes(hb1):
    number = valid_id("13020319800101001")
    me = reviewer(TANGSHAN, id_number=number)
    hb1.day(2026, 3, 10)
    mine = with_deadlines(LUBEI, [D1, D1, D1], subject_id_number=number)
    others = with_deadlines(LUBEI, [D1, D2])
    more_mine = with_deadlines(LUNAN, [D2, D2], subject_id_number=number)
    for limit in (1, 2):
        assert walk(workflow.overdue, me, limit)[0] == queue_order(others)
    assert workflow.count("overdue", me) == 2
    assert not {a.id for a in mine + more_mine} & set(walk(workflow.overdue, me, 1)[0])


def distinct_scenario():
    """HB-1 applications at the city's steps: ``a`` co-signed some assessments (now at 审核,
    a ``distinct`` step he may not take) and half of others (waiting for a second signature,
    decided by him this round); the rest he may decide."""
    county, a, b = reviewer(LUBEI), reviewer(TANGSHAN), reviewer(TANGSHAN)
    made = with_deadlines(LUBEI, [D1] * 9)
    for application in made:
        approve(application, county)  # → 评审认定 (city, 会签 of two)
    blocked, waiting = made[1:8:3], made[2:9:3]   # 3 at 审核 after a's assessment, 3 half-signed
    for application in blocked:
        approve(application, a)
        approve(application, b)
    for application in waiting:
        approve(application, a)
    for application in made:
        application = fresh(application)
        application.step_deadline = D1  # ties across steps: the order is by id
    db.session.commit()
    free = [application for application in made if application not in blocked + waiting]
    return a, free, blocked


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_distinct_steps_are_left_out_of_pages_and_counts(hb1, limit):
    a, free, blocked = distinct_scenario()
    assert [fresh(x).current_step for x in blocked] == ["review"] * 3
    assert walk(workflow.pending, a, limit)[0] == queue_order(free)
    assert workflow.count("pending", a) == len(free) == 3
    other = reviewer(TANGSHAN)
    assert len(walk(workflow.pending, other, limit)[0]) == 9


@pytest.mark.parametrize("cap", [0, 1, 2, 3, 4])
def test_counts_stop_at_the_cap_and_say_so(app, hb1, monkeypatch, cap):
    a, free, _blocked = distinct_scenario()
    monkeypatch.setattr(counting, "COUNT_CAP", cap)
    expected = min(len(free), cap + 1)
    assert workflow.count("pending", a) == expected
    assert workflow.count("done", a) == min(6, cap + 1)
    client = app.test_client()
    assert login(client, a.username).status_code == 302
    html = client.get("/review/pending").get_data(as_text=True)
    shown = f"{cap}+" if len(free) > cap else str(len(free))
    assert re.search(r'class="queue-count">[^<]*?(\d+\+?)', html).group(1) == shown
    body = client.get("/api/v1/reviews/?state=pending", headers=token(client, a.username)
                      ).get_json()
    assert body["count"] == min(len(free), cap)
    assert body["count_exact"] is (len(free) <= cap)


def pending_agrees_with_can_decide(applications, users):
    """Assert that each user's pending queue holds exactly what can_decide lets them decide."""
    for user in users:
        listed = {e.application.id for e in workflow.pending(user, limit=200).entries}
        allowed = {a.id for a in map(fresh, applications)
                   if workflow.can_decide(user, a, workflow.current_step(a)).allowed}
        assert listed == allowed, user.username
        assert workflow.count("pending", user) == len(allowed)


def barred(*users):
    return "," + ",".join(str(u.id) for u in sorted(users, key=lambda u: u.id)) + ","


def test_who_is_barred_follows_co_signing_a_return_and_the_next_round(hb1):
    county, a, b, c = reviewer(LUBEI), reviewer(TANGSHAN), reviewer(TANGSHAN), reviewer(TANGSHAN)
    users = (county, a, b, c)
    made = with_deadlines(LUBEI, [D1] * 3)
    assert [fresh(x).step_barred for x in made] == [None] * 3  # nobody decided anything yet
    for application in made:
        approve(application, county)  # → 评审认定 (会签 of two, distinct): not the county's
    approve(made[0], a)  # half-signed
    approve(made[1], a)
    approve(made[1], b)  # → 审核 (distinct): neither co-signer
    assert [fresh(x).step_barred for x in made] == [
        barred(county, a), barred(county, a, b), barred(county)]
    pending_agrees_with_can_decide(made, users)
    # b returns the half-signed one; resubmitted, it is a new round: a's signature is gone.
    ReturnCommand(made[0].id, b, "请补正", fresh(made[0]).lock_version,
                  {"fields": {"mobile": "号码无法接通"}}).run()
    pending_agrees_with_can_decide(made, users)
    application = fresh(made[0])
    workflow.resume(application)
    db.session.commit()
    assert (fresh(made[0]).round, fresh(made[0]).step_barred) == (2, barred(county))
    pending_agrees_with_can_decide(made, users)
    approve(made[0], b)
    approve(made[0], a)
    assert (fresh(made[0]).current_step, fresh(made[0]).step_barred) == (
        "review", barred(county, a, b))
    pending_agrees_with_can_decide(made, users)
    assert [e.application.id for e in workflow.pending(c).entries] == [x.id for x in made]


def test_the_migration_fills_in_who_is_barred(hb1):
    distinct_scenario()
    kept = dict(db.session.execute(db.select(Application.id, Application.step_barred)).all())
    assert len(kept) == 9 and all(kept.values())
    db.session.execute(Application.__table__.update().values(step_barred=None))
    db.session.commit()
    path = next((Path(__file__).parents[2] / "migrations" / "versions").glob(
        "*_a7d3e9f1c2b4_*.py"))
    spec = importlib.util.spec_from_file_location("step_barred_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration._backfill(db.session.connection())
    db.session.commit()
    assert dict(db.session.execute(
        db.select(Application.id, Application.step_barred)).all()) == kept


def test_queue_rows_carry_what_the_list_shows(hb1):
    application = submitted(HB1, LUBEI)
    row = Application.__table__
    db.session.execute(row.update().where(row.c.id == application.id).values(subject_name=None))
    db.session.commit()
    entry = workflow.pending(reviewer(LUBEI)).entries[0]
    assert entry.item.code == HB1 and entry.item.name["zh"] == "门诊慢特病申报"
    # The region's name in the locale (tests run commands in English, CLI_LOCALE).
    assert entry.step["key"] == "accept" and entry.region_name == "Lubei District"
    assert entry.application.applicant_name == fresh(application).applicant.first_name


def test_a_renamed_region_and_a_new_definition_show_on_the_next_queue_read(hb1):
    application = submitted(HB1, LUBEI)
    clerk = reviewer(LUBEI)
    entry = workflow.pending(clerk).entries[0]
    assert entry.region_name == "Lubei District" and entry.item.name["zh"] == "门诊慢特病申报"
    # Written as an administrator's tool would (no ORM events): the triggers renumber the
    # reference generation, so the cached item and name are read again.
    db.session.execute(sa.text("UPDATE region SET name = '路北新区', name_en = 'Lubei New District' "
                               "WHERE code = :c"), {"c": LUBEI})
    db.session.execute(sa.text(
        "UPDATE item_version SET definition = :d WHERE id = :v"), {
            "v": application.version_id, "d": json.dumps({
                **fresh(application).version.definition,
                "name": {"zh": "门诊慢特病申报（新）", "en": "Outpatient"}}, ensure_ascii=False)})
    db.session.commit()
    forget_generation()
    try:
        entry = workflow.pending(clerk).entries[0]
        assert entry.region_name == "Lubei New District"
        assert entry.item.name["zh"] == "门诊慢特病申报（新）"
    finally:
        db.session.execute(sa.text("UPDATE region SET name = '路北区', name_en = 'Lubei District' "
                                   "WHERE code = :c"), {"c": LUBEI})
        db.session.commit()
