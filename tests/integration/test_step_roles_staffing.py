"""无人可办 counts only accounts the decision endpoints let through: an application waiting at a
step whose role cannot decide (RegionAdmin, as an older published version may hold: lint
refuses it now) is unstaffed although a regional administrator holds that role there — on the
list, the page, the API, the command line and the publish warnings."""
import copy

from sqlalchemy.orm.attributes import flag_modified

from app.engine.variants import effective_version
from app.extensions import db
from app.workflow.queue.rows import item_infos
from app.workflow.queue.unstaffed import NOBODY, unstaffed
from app.workflow.staffing import decidable, publish_gaps
from tests.applications_support import token
from tests.integration.test_review_queries import row_ids, signed_in
from tests.review_support import (HB1, LUBEI, MONDAY, TANGSHAN, fresh, hb1,  # noqa: F401
                                  reviewer, submitted, workday_clock)
from tests.support import make_user


def region_admin_first_step():
    """Make HB-1's published version name RegionAdmin at its first (county) step, as a version
    published before lint refused it would; return that version's definition."""
    version = effective_version(HB1, LUBEI, MONDAY.date())
    definition = copy.deepcopy(version.definition)
    definition["approval"][0]["role"] = "RegionAdmin"
    version.definition = definition
    flag_modified(version, "definition")
    db.session.commit()
    return definition


def test_a_step_whose_role_cannot_decide_is_nobodys(app, runner, hb1):
    definition = region_admin_first_step()
    waiting = submitted(HB1, LUBEI)
    assert fresh(waiting).current_step == definition["approval"][0]["key"]
    county_admin = make_user("RegionAdmin", LUBEI)  # holds the step's role, may not decide
    reviewer(LUBEI)  # decides, but the step is not the Reviewers'

    found = unstaffed(None)
    assert [e.application.id for e in found.page(limit=50).entries] == [waiting.id]
    assert found.count == 1 and found.reason(fresh(waiting)) == NOBODY
    row = fresh(waiting)
    assert decidable([row], item_infos({row.version_id})) == {waiting.id: False}

    # The review desk agrees: the region administrator's decision is refused (403).
    headers = token(app.test_client(), county_admin.username)
    answer = app.test_client().post(f"/api/v1/reviews/{waiting.id}/approve", headers=headers,
                                    json={"comment": "", "version": row.lock_version})
    assert answer.status_code == 403

    page = signed_in(app, make_user("RegionAdmin", TANGSHAN)).get("/review/unstaffed/")
    assert row_ids(page.get_data(as_text=True)) == [waiting.id]
    listed = runner.invoke(args=["applications", "unstaffed", "--region", TANGSHAN])
    assert listed.exit_code == 1 and waiting.serial in listed.output

    gaps = publish_gaps(definition, "130000")
    assert [gap.step["key"] for gap in gaps][:1] == [definition["approval"][0]["key"]]
    assert LUBEI in gaps[0].missing


def test_an_account_with_a_deciding_role_as_well_counts(app, hb1):
    """Holding the step's role and a role that may decide (here through a custom role with the
    desk's can_decide, as FAB's has_access reads stored permissions) is enough, as at the desk."""
    from flask_appbuilder.security.sqla.models import Role

    region_admin_first_step()
    waiting = submitted(HB1, LUBEI)
    county_admin = make_user("RegionAdmin", LUBEI)
    assert {e.application.id for e in unstaffed(None).page(limit=50).entries} == {waiting.id}
    sm = app.appbuilder.sm
    desk = sm.add_role("DeskDecider")
    try:
        sm.add_permission_role(desk, sm.find_permission_view_menu("can_decide", "ReviewDesk"))
        county_admin.roles.append(db.session.get(Role, desk.id))
        db.session.commit()
        assert unstaffed(None).page(limit=50).entries == []
    finally:  # ab_role is seeded data, kept between tests
        db.session.rollback()
        role = db.session.get(Role, desk.id)
        role.permissions.clear()
        for user in list(role.user):
            user.roles.remove(role)
        db.session.delete(role)
        db.session.commit()
