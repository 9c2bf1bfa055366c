"""A setting at the schema's default is left out of a definition (approvers: 1), yet the item
designer shows the value in effect: in the step's form and in the publish page's diff."""
import re

from app.commands.drafts import SaveDraftCommand
from app.commands.formdefs import PublishItemCommand
from tests.integration.designer_support import PROVINCE, item, load, staff, text


def approvers_input(html: str) -> str:
    [tag] = [t for t in re.findall(r"<input[^>]*>", html) if 'name="approvers"' in t]
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def test_a_variant_lowered_to_one_approver_shows_1_in_the_form_and_the_diff(client, ctx):
    load(PROVINCE)
    province = item()
    draft = dict(province.draft, approval=[dict(step, approvers=2) if step["key"] == "review"
                                           else step for step in province.draft["approval"]])
    SaveDraftCommand(province, draft, province.revision).run()
    PublishItemCommand("demo_allowance", "130000").run()
    staff(client, "RegionAdmin", "130200")
    assert client.post(f"/items/adapt/{item().id}").status_code == 302
    variant = item("demo_allowance", "130200")
    assert approvers_input(text(client.get(f"/items/{variant.id}/step/review"))) == "2"
    data = {"revision": variant.revision, "key": "review", "name_zh": "审核", "role": "Reviewer",
            "level": "city", "when": "amount > 10000", "approvers": "1", "_action": "save"}
    assert client.post(f"/items/{variant.id}/step/review", data=data).status_code == 302
    form = text(client.get(f"/items/{variant.id}/step/review"))
    assert approvers_input(form) == "1"  # it was empty
    diff = text(client.get(f"/items/{variant.id}/publish"))
    assert re.search(r"(所需审批人数|Approvers needed)</strong>: <code>2</code> → <code>1</code>",
                     diff), re.findall(r"<strong>[^<]*</strong>:[^\n]*", diff)
    assert '→ <span class="text-muted">—</span>' not in diff  # distinct: yes → no, not "—"
    # a step that never stated it shows the default too, not an empty input
    assert approvers_input(text(client.get(f"/items/{variant.id}/step/accept"))) == "1"
