"""Lint of the approval chain: somebody looks at every filing, within the item's own region."""
from app.engine.lint import lint_batch, lint_text

HEAD = """\
schema: 1
code: chain
region: '{region}'
name: 链
time_limit_days: 5
category: 测试
pages:
  - key: p1
    title: 页
    fields:
      - {{key: amount, type: money, label: 金额}}
      - {{key: home, type: region, label: 参保地}}
"""


def problems(approval: str, region: str = "130200") -> list[str]:
    return [p.message for p in lint_text(HEAD.format(region=region) + approval, "x.yaml")]


def test_an_item_without_steps_is_refused_at_its_name():
    found = lint_text(HEAD.format(region="130200"), "x.yaml")
    assert [(p.line, p.message[:36]) for p in found] == [
        (4, "the item has no approval step: every")]


def test_an_empty_chain_is_refused_at_approval():
    found = lint_text(HEAD.format(region="130200") + "approval: []\n", "x.yaml")
    assert [p.line for p in found] == [13]
    assert "no approval step" in found[0].message


def test_a_chain_of_rules_only_is_an_explicit_choice():
    assert problems("approval:\n  - {key: rule, name: 核验, auto: 'amount != null'}\n") == []


def test_a_step_above_the_items_region_is_refused_unless_cross_agency():
    found = problems("approval:\n"
                     "  - {key: a, name: 受理, level: county}\n"
                     "  - {key: b, name: 审核, level: city}\n"
                     "  - {key: c, name: 复核, level: province}\n"
                     "  - {key: d, name: 转出地, level: province, region_field: home}\n")
    assert len(found) == 1
    assert found[0].startswith('step "c" is handled at Province level (level: province), above '
                               "this item's region 130200 (City level)")
    assert "region_field" in found[0]


def test_a_province_item_may_use_every_level():
    assert problems("approval:\n  - {key: c, name: 复核, level: province}\n"
                    "  - {key: a, name: 受理, level: county}\n", region="130000") == []


def test_a_county_item_may_not_go_up_to_the_city():
    found = problems("approval:\n  - {key: b, name: 审核, level: city}\n", region="130203")
    assert len(found) == 1 and "(County level)" in found[0]


PARENT = HEAD.format(region="130000") + """\
approval:
  - {key: accept, name: 受理, level: county}
  - {key: final, name: 省级复核, level: province}
"""


def test_a_variant_answers_for_the_levels_it_sets_not_for_inherited_steps():
    variant = ("schema: 1\ncode: chain\nregion: '130200'\nderives: chain\n"
               "approval:\n  - {key: extra, name: 市级, level: city}\n")
    checked = lint_batch({"p.yaml": PARENT, "v.yaml": variant})
    assert checked["v.yaml"].problems == []
    raised = variant.replace("level: city", "level: province")
    found = lint_batch({"p.yaml": PARENT, "v.yaml": raised})["v.yaml"].problems
    assert [(p.line, p.message[:40]) for p in found] == [
        (6, 'step "extra" is handled at Province leve')]
