"""Try it applies a rule on the registry's enrollments as the real form does: the sample person
is one the registry knows, with the sample enrollments given (none: no enrollment), and the
rule is named by its message."""
import re
from html import unescape

from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.test_designer_editor import field_form

CHECK = 'person.enrollments.exists(e, e.status == "1" && e.insutype == "390")'
MESSAGE = "您没有该险种的正常参保记录"


def try_rule(client, it, **enrollment):
    data = field_form(client, it, "amount")
    data = {k: v for k, v in data.items() if not k.startswith("enrollment__")}
    data.update({"rules-0-check": CHECK, "rules-0-message_zh": MESSAGE, "_action": "try",
                 "sample__amount": "100", **enrollment})
    response = client.post(f"/items/{it.id}/field/amount", data=data)
    assert response.status_code == 200
    html = text(response)
    table = html[html.index('class="table table-condensed tried"'):]
    row = re.search(r"<tr><th>(.*?)</th>\s*<td[^>]*>(.*?)</td>", table, re.S)
    label, cell = (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(x))).strip()
                   for x in row.groups())
    return label, cell, html


def test_a_rule_on_enrollments_is_applied_to_the_sample_enrollments(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    label, cell, html = try_rule(client, it)
    assert label == f"Rule “{MESSAGE}”"
    assert cell == "no"  # the real form refuses a person with no such enrollment
    assert 'name="enrollment__0__insutype"' in html
    label, cell, html = try_rule(client, it, **{
        "enrollment__0__insutype": "390", "enrollment__0__status": "1",
        "enrollment__0__region": "130200", "enrollment__0__start_date": "2020-01-01"})
    assert cell == "yes"
    assert 'name="enrollment__0__insutype" value="390"' in html  # kept for the next try
    _l, cell, _h = try_rule(client, it, **{
        "enrollment__0__insutype": "390", "enrollment__0__status": "4",
        "enrollment__0__start_date": "2020-01-01", "enrollment__0__end_date": "2023-12-31"})
    assert cell == "no"  # an ended enrollment is not active
    _l, cell, _h = try_rule(client, it, **{
        "enrollment__0__insutype": "390", "enrollment__0__status": "1",
        "enrollment__0__start_date": "2020-13-45"})
    assert "2020-13-45" in cell or "date" in cell.lower()
    assert item().revision == it.revision  # trying stores nothing
