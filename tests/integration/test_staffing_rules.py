"""无人可办 (app.workflow.staffing, app.workflow.queue.unstaffed): each rule of can_decide that
can leave a step with nobody, pinned to can_decide itself; scope; statements per page."""
from __future__ import annotations

from sqlalchemy import select

from app import workflow
from app.commands.reviews import ApproveCommand
from app.engine.variants import effective_version
from app.extensions import db
from app.models.user import BanshiUser
from app.workflow.queue.rows import item_infos
from app.workflow.queue.unstaffed import EXCLUDED, NOBODY, unstaffed
from app.workflow.staffing import decidable, publish_gaps
from tests.accounts_support import valid_id
from tests.review_support import (HB1, LUBEI, LUNAN, MONDAY, SHIJIAZHUANG, TANGSHAN, fresh,
                                  hb1, reviewer, submitted, workday_clock)  # noqa: F401
from tests.support import counted_queries, make_user


def approve(application, user):
    ApproveCommand(application.id, user, None, fresh(application).lock_version).run()


def nobody_can(application) -> bool:
    """can_decide's answer over every active account: nobody may decide it now."""
    application = fresh(application)
    step = workflow.current_step(application)
    users = db.session.scalars(select(BanshiUser).where(BanshiUser.active.is_(True)))
    return not any(workflow.can_decide(user, application, step).allowed for user in users)


def found_for(user=None, **kw) -> dict:
    """Return {id: reason} of the unstaffed applications ``user`` supervises (None: all)."""
    found = unstaffed(user, **kw)
    entries = found.page(limit=200).entries
    assert found.count == len(entries)
    return {e.application.id: found.reason(e.application) for e in entries}


def agrees(applications) -> dict:
    """Assert that the list, the page check and can_decide agree; return the list's reasons."""
    listed = found_for()
    expected = {a.id for a in applications if nobody_can(a)}
    assert set(listed) == expected
    rows = [fresh(a) for a in applications]
    judged = decidable(rows, item_infos({r.version_id for r in rows}))
    assert {pk for pk, anybody in judged.items() if not anybody} == expected
    return listed


def test_no_account_at_all(hb1):
    application = submitted(HB1, LUBEI)
    assert agrees([application]) == {application.id: NOBODY}


def test_an_inactive_account_decides_nothing(hb1):
    application = submitted(HB1, LUBEI)
    county = reviewer(LUBEI)
    assert agrees([application]) == {}
    county.active = False
    db.session.commit()
    assert agrees([application]) == {application.id: NOBODY}


def test_another_role_or_another_region_is_nobody(hb1):
    application = submitted(HB1, LUBEI)
    make_user("RegionAdmin", LUBEI)  # the role is Reviewer
    reviewer(LUNAN)  # the county next door
    reviewer(TANGSHAN)  # the city above does not take its counties' steps
    reviewer(SHIJIAZHUANG)
    assert agrees([application]) == {application.id: NOBODY}
    reviewer(LUBEI)
    assert agrees([application]) == {}


def test_the_only_reviewer_is_the_applicant_the_subject_or_the_clerk(hb1):
    county = reviewer(LUBEI, id_number=valid_id("13020319800101001"))
    own = submitted(HB1, LUBEI, applicant=county)
    about_him = submitted(HB1, LUBEI, subject_id_number=county.id_number)
    entered = submitted(HB1, LUBEI)
    entered.channel, entered.entered_by_id = "window", county.id
    db.session.commit()
    other = submitted(HB1, LUBEI)
    made = [own, about_him, entered, other]
    assert agrees(made) == {own.id: EXCLUDED, about_him.id: EXCLUDED, entered.id: EXCLUDED}
    reviewer(LUBEI)
    assert agrees(made) == {}


def test_co_signers_and_distinct_steps_need_someone_else(hb1):
    county, a, b = reviewer(LUBEI), reviewer(TANGSHAN), reviewer(TANGSHAN)
    half, done = submitted(HB1, LUBEI), submitted(HB1, LUBEI)
    for application in (half, done):
        approve(application, county)  # → 评审认定 (city, 会签 of two, distinct)
    approve(half, a)  # a co-signed this round: b may sign
    approve(done, a)
    approve(done, b)  # → 审核 (distinct): neither a nor b
    assert fresh(done).current_step == "review"
    assert agrees([half, done]) == {done.id: EXCLUDED}
    b.active = False
    db.session.commit()
    assert agrees([half, done]) == {half.id: EXCLUDED, done.id: EXCLUDED}
    reviewer(TANGSHAN)
    assert agrees([half, done]) == {}


def test_scope_is_the_subtree_where_steps_are_handled(hb1):
    county_step = submitted(HB1, LUBEI)
    elsewhere = submitted(HB1, "130102")  # 石家庄 长安区
    city, province = make_user("RegionAdmin", TANGSHAN), make_user("RegionAdmin", "130000")
    other = make_user("RegionAdmin", SHIJIAZHUANG)
    assert set(found_for(city)) == {county_step.id}
    assert set(found_for(other)) == {elsewhere.id}
    assert set(found_for(province)) == {county_step.id, elsewhere.id}
    assert set(found_for(make_user("Admin"))) == {county_step.id, elsewhere.id}
    assert set(found_for(None, within=SHIJIAZHUANG)) == {elsewhere.id}
    assert set(found_for(province, filters={"region": LUBEI})) == {county_step.id}


def test_pages_follow_the_queue_order(hb1):
    made = [submitted(HB1, LUBEI) for _ in range(5)]
    for application, day in zip(made, (9, 5, None, 5, 7)):
        application.step_deadline = None if day is None else fresh(made[0]).submitted_at.date(
        ).replace(day=day)
    db.session.commit()
    found, ids, after = unstaffed(None), [], None
    while True:
        page = found.page(after, limit=2)
        ids += [e.application.id for e in page.entries]
        if page.after is None:
            break
        after = page.after
    expected = sorted(made, key=lambda a: (a.step_deadline is None, a.step_deadline, a.id))
    assert ids == [a.id for a in expected]


def test_statements_do_not_grow_with_applications(app, hb1):
    """The list, its count and a page take as many statements for 2 applications as for 12."""
    county = reviewer(LUBEI, id_number=valid_id("13020319800101002"))
    reviewer(LUNAN)
    admin = make_user("Admin")

    def add(count):
        for _ in range(count):
            submitted(HB1, LUBEI, subject_id_number=county.id_number)  # excluded: the subject
            submitted(HB1, "130102")  # nobody in 长安区

    def measured():
        with app.app_context(), app.test_request_context():  # a request's caches, empty
            user = db.session.get(BanshiUser, admin.id)
            assert user.roles  # the signed-in user's roles are loaded with the user
            with counted_queries() as statements:
                found = unstaffed(user)
                entries = found.page(limit=50).entries
        # The county's reviewer is judged for 长安区's steps on the region tree in memory.
        assert not any("region.path" in statement for statement in statements), statements
        return found.count, len(entries), len(statements)

    add(1)
    measured()  # the item's definition into the reference cache
    few = measured()
    add(5)
    many = measured()
    assert few[:2] == (2, 2) and many[:2] == (12, 12)
    assert few[2] == many[2] <= 8, (few, many)


def test_publish_warnings_agree_with_what_then_waits_for_nobody(hb1):

    reviewer(LUBEI)
    definition = effective_version(HB1, LUBEI, MONDAY.date()).definition
    gaps = {gap.step["key"]: gap for gap in publish_gaps(definition, "130000")}
    assert LUBEI not in gaps["accept"].missing and LUNAN in gaps["accept"].missing
    assert TANGSHAN in gaps["assess"].missing
    staffed, lacking = submitted(HB1, LUBEI), submitted(HB1, LUNAN)
    assert agrees([staffed, lacking]) == {lacking.id: NOBODY}


def test_the_rows_that_exclude_accounts_are_read_in_batches_of_regions(hb1, monkeypatch):
    from app.workflow.queue import unstaffed as module

    monkeypatch.setattr(module, "HANDLERS_PER_STATEMENT", 1)
    made = [submitted(HB1, region, applicant=reviewer(region)) for region in (LUBEI, LUNAN)]
    made.append(submitted(HB1, LUBEI))  # the reviewer of 路北 may decide this one
    assert agrees(made) == {made[0].id: EXCLUDED, made[1].id: EXCLUDED}
