"""The tables the citizen's pages draw (SC-2's 人员参保信息): a labelled, focusable scroll region,
and each cell named by its heading so that a phone shows one card of "heading: value" lines
per row (banshi.css table.stack)."""
import re

from tests.applications_support import clock  # noqa: F401
from tests.integration.test_masked_identity import sc2  # noqa: F401
from tests.wizard_support import acknowledge_notice, post_step, signed_in, start


def test_the_enrollment_table_is_a_labelled_region_whose_cells_carry_their_headings(sc2, app):  # noqa: F811
    client = signed_in(app, sc2)
    pk = start(client, "resident_enrollment_suspend", "511702")
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    html = client.get(f"/applications/{pk}/pages/basic").get_data(as_text=True)
    region = re.search(r'<div class="table-wrap"([^>]*)><table class="([^"]*)"', html)
    assert region, html
    assert 'role="region"' in region[1] and 'aria-label="人员参保信息"' in region[1]
    assert 'tabindex="0"' in region[1] and "stack" in region[2].split()
    headings = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert "参保状态" in headings and "个人参保日期" in headings
    cells = re.findall(r'<td data-label="([^"]*)">([^<]*)</td>', html)
    assert ("个人参保日期", "2023-09-01") in cells
    assert {label for label, _ in cells} == set(headings)
