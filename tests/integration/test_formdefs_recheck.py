"""``flask formdefs recheck`` lints the published versions in effect (and scheduled) against
today's rules and lists those lint would now refuse — one published before the CEL cost budget
keeps its costly check until then —, exit 1 if there are any."""
import copy

from app.commands.formdefs import FORMDEFS_DIR, LoadFormdefsCommand
from app.extensions import db
from tests.integration.designer_support import CITY, PROVINCE, item, load

PAIRWISE = "children.all(a, children.all(b, a == b || a.name != b.name))"


def costly(definition: dict) -> dict:
    """Return ``definition`` as lint before the cost budget let it through: a pairwise check
    over a repeating group without max_items."""
    changed = copy.deepcopy(definition)
    for page in changed["pages"]:
        for field in page["fields"]:
            if field["key"] == "children":
                field.pop("max_items", None)
                field["rules"] = [{"check": PAIRWISE, "message": {"zh": "子女重复"}}]
    return changed


def test_every_shipped_item_passes(ctx, runner):
    LoadFormdefsCommand([FORMDEFS_DIR], publish=True).run()
    result = runner.invoke(args=["formdefs", "recheck"])
    assert result.exit_code == 0, result.output
    assert "published versions checked: lint refuses none of them." in result.output


def test_a_version_published_before_todays_rules_is_listed(ctx, runner):
    load(PROVINCE, CITY)  # the province's item and 唐山's variant
    province = item().versions[-1]
    assert runner.invoke(args=["formdefs", "recheck"]).exit_code == 0
    province.definition = costly(province.definition)  # as it was kept before the budget
    db.session.commit()
    result = runner.invoke(args=["formdefs", "recheck"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "demo_allowance@" in line]
    assert len(lines) == 1, result.output  # the variant pins its own merged copy
    assert lines[0].startswith(f"demo_allowance@130000 version {province.number}: ")
    assert '"children"' in lines[0] and PAIRWISE in lines[0]
    assert "FORMDEF_DEFAULT_MAX_ITEMS" in lines[0]
    # Checked: the item and its variant.
    assert result.output.splitlines()[-1].startswith(
        "1 of 2 published versions would now be refused by lint")
    # Only the region asked about: the variant (of 唐山市) passes.
    only_city = runner.invoke(args=["formdefs", "recheck", "--region", "130200"])
    assert only_city.exit_code == 0, only_city.output
