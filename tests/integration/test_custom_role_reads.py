"""A role an administrator made that only decides (the review desk's ``can_decide``, no counter)
makes its holder staff of the region (app.scoping.is_staff reads app.roles.STAFF_PERMISSIONS
from what the role grants): the applications API reads what the review pages let it decide,
within the region's subtree and no further, whether the role is given directly or through a
group. Before, only filing at the counter counted, and the API showed such a reviewer nothing."""
import pytest

from app.roles import ROLE_PERMISSIONS, STAFF_PERMISSIONS
from app.scoping import is_staff
from tests.applications_support import token
from tests.integration.test_custom_role_counter import (DECIDER, account_holding,  # noqa: F401
                                                        custom_roles, signed_in)
from tests.review_support import HB1, LUBEI, LUNAN, hb1, submitted, workday_clock  # noqa: F401

#: Decides at the review desk and reads applications through the API; files nothing.
DECIDE_ONLY = [*DECIDER, ("can_get", "ApplicationApi")]


@pytest.mark.parametrize("through_group", [False, True])
def test_a_custom_deciding_role_reads_its_region_through_the_api_and_the_pages(
        app, hb1, custom_roles, through_group):
    inside, outside = submitted(HB1, LUBEI), submitted(HB1, LUNAN)
    decider = account_holding(custom_roles("审批岗", DECIDE_ONLY), region=LUBEI,
                              through_group=through_group)
    assert is_staff(decider)
    api = app.test_client()
    headers = token(api, decider.username)
    shown = api.get(f"/api/v1/applications/{inside.id}", headers=headers)
    assert shown.status_code == 200, shown.get_data(as_text=True)
    assert shown.get_json()["id"] == inside.id
    assert api.get(f"/api/v1/applications/{outside.id}", headers=headers).status_code == 404
    listed = api.get("/api/v1/applications/", headers=headers)
    assert listed.status_code == 200
    ids = {row["id"] for row in listed.get_json()["result"]}
    assert inside.id in ids and outside.id not in ids
    web = signed_in(app, decider)
    assert web.get(f"/review/applications/{inside.id}").status_code == 200
    assert web.get(f"/review/applications/{outside.id}").status_code == 404


def test_the_built_in_roles_are_staff_by_the_same_permissions():
    """RegionAdmin and Reviewer, staff by name, grant staff permissions; Citizen none."""
    granted = {name: [pair for pair in STAFF_PERMISSIONS if list(pair) in permissions]
               for name, permissions in ROLE_PERMISSIONS.items()}
    assert granted["RegionAdmin"] and granted["Reviewer"]
    assert granted["Citizen"] == []
