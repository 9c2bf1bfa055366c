"""The review page offers decision buttons only to an account the decision routes let through:
a regional administrator holding the role an older version's step names (RegionAdmin, which
lint now refuses) reads the application there without buttons the decision would refuse."""
from tests.integration.test_review_queries import signed_in
from tests.integration.test_step_roles_staffing import region_admin_first_step
from tests.review_support import HB1, LUBEI, hb1, submitted, workday_clock  # noqa: F401
from tests.support import make_user


def test_a_region_admin_at_a_region_admin_step_gets_no_buttons(app, hb1):
    region_admin_first_step()
    waiting = submitted(HB1, LUBEI)
    county_admin = make_user("RegionAdmin", LUBEI)
    client = signed_in(app, county_admin)
    html = client.get(f"/review/applications/{waiting.id}?_l_=en").get_data(as_text=True)
    assert "Your account may read applications here but not decide them." in html
    assert 'value="approve"' not in html and f"/review/applications/{waiting.id}/approve" \
        not in html
