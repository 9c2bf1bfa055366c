"""A variant removes an inherited setting with null (app.engine.nulls, merge, overrides, lint)."""
import copy

import pytest
import yaml

from app.engine.diff import definition_diff
from app.engine.export import export
from app.engine.lint import lint_batch, lint_text
from app.engine.merge import merge
from app.engine.overrides import CannotExpress, normal, overrides_for
from app.engine.schema import load_definition
from app.engine.xlsform import from_xlsx, to_xlsx
from app.yamlio import load_with_lines

PARENT_TEXT = """\
schema: 1
code: nd
region: '130000'
name: 示例
category: 待遇申报
notice: {body: 请如实填写}
time_limit_days: 10
pages:
  - key: p1
    title: 第一页
    help: 页说明
    fields:
      - {key: amount, type: money, label: 金额, required: true}
      - {key: tier, type: text, label: 档次, help: 档次说明, placeholder: 如 big,
         compute: 'amount > 1000 ? "big" : "small"'}
      - {key: who, type: text, label: 姓名, prefill: person.name, default: 无名}
      - {key: kind, type: select, label: 类别, options: [甲, 乙]}
      - {key: cert, type: dictionary, label: 证件, dictionary: psn_cert_type}
      - {key: home, type: region, label: 参保地}
      - {key: sealed, type: text, label: 锁定, help: 说明, compute: '"x"', locked: true}
      - {key: fixed, type: text, label: 固定, readonly: true, compute: '"x"'}
materials:
  - {key: m1, label: 材料, help: 材料说明, required_when: amount > 0}
  - {key: m2, label: 锁定材料, help: 说明, locked: true}
approval:
  - {key: accept, name: 受理, role: Reviewer, level: county, region_field: home,
     time_limit_days: 2}
  - {key: review, name: 审核, role: Reviewer, level: city, when: amount > 10000}
  - {key: auto_check, name: 自动核验, role: Reviewer, level: city, auto: amount <= 1000}
  - {key: auto_only, name: 自动, auto: amount <= 10}
  - {key: sealed_step, name: 锁定步骤, level: province, locked: true}
"""
OWN = {"schema": 1, "code": "nd", "region": "130200", "derives": "nd"}


def load(text):
    definition, errors = load_definition(load_with_lines(text))
    assert errors == []
    return definition


@pytest.fixture
def parent():
    return load(PARENT_TEXT)


def part(definition, kind, key):
    if kind == "item":
        return definition
    if kind == "page":
        return next(p for p in definition["pages"] if p["key"] == key)
    if kind == "field":
        return next(f for p in definition["pages"] for f in p["fields"] if f["key"] == key)
    return next(x for x in definition[kind] if x["key"] == key)


def variant_removing(kind, key, *settings, **also):
    """Return a variant, read from YAML text, giving ``settings`` as ~ (and ``also``)."""
    entry = {"key": key, **{s: None for s in settings}, **also}
    if kind == "item":
        tree = {**OWN, **{s: None for s in settings}}
    elif kind == "page":
        tree = {**OWN, "pages": [entry]}
    elif kind == "field":
        tree = {**OWN, "pages": [{"key": "p1", "fields": [entry]}]}
    else:
        tree = {**OWN, kind: [entry]}
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    assert ": null" in text
    return load(text)


REMOVABLE = [
    ("approval", "review", "when"), ("approval", "accept", "time_limit_days"),
    ("approval", "accept", "region_field"), ("approval", "auto_only", "auto"),
    ("field", "tier", "compute"), ("field", "who", "prefill"), ("field", "who", "default"),
    ("field", "tier", "help"), ("field", "tier", "placeholder"), ("page", "p1", "help"),
    ("materials", "m1", "help"), ("materials", "m1", "required_when"),
    ("item", None, "category"), ("item", None, "notice"), ("item", None, "time_limit_days"),
]


@pytest.mark.parametrize("kind,key,setting", REMOVABLE)
def test_null_removes_exactly_the_inherited_setting(parent, kind, key, setting):
    also = {"level": "city", "role": "Reviewer"} if setting == "auto" else {}
    merged = merge(parent, variant_removing(kind, key, setting, **also))
    assert merged.problems == []
    got, had = part(merged.definition, kind, key), copy.deepcopy(part(parent, kind, key))
    assert setting not in got
    del had[setting]
    if kind == "item":
        got = {k: v for k, v in got.items() if k not in ("region", "derives")}
        had = {k: v for k, v in had.items() if k != "region"}
    assert got == {**had, **also}


def test_null_on_a_setting_with_a_default_means_the_default(parent):
    removed = merge(parent, variant_removing("field", "amount", "required")).definition
    assert removed == merge(parent, {**OWN, "pages": [{"key": "p1", "fields": [
        {"key": "amount", "required": False}]}]}).definition
    assert "required" not in part(removed, "field", "amount")


REFUSED = [
    ("field", "kind", "options", 'field "kind" of type select needs "options"'),
    ("field", "cert", "dictionary", 'field "cert" of type dictionary needs "dictionary"'),
    ("field", "amount", "type", '"amount" needs "type": it cannot be removed'),
    ("field", "amount", "label", '"amount" needs "label"'),
    ("approval", "accept", "role", 'people decide step "accept" (it has no "auto"), so it needs '
                                   '"role"'),
    ("approval", "review", "level", 'so it needs "level": it cannot be removed'),
    ("approval", "review", "name", '"review" needs "name"'),
    ("page", "p1", "title", '"p1" needs "title"'),
    ("materials", "m1", "label", '"m1" needs "label"'),
    ("item", None, "name", '"nd" needs "name"'),
    ("field", "fixed", "compute", 'field "fixed" is read-only: without "compute" nothing fills'),
]


@pytest.mark.parametrize("kind,key,setting,message", REFUSED)
def test_what_a_part_cannot_do_without_is_not_removed(parent, kind, key, setting, message):
    merged = merge(parent, variant_removing(kind, key, setting))
    assert [(path[-1], str(text)) for path, text in merged.problems] == [
        (setting, next(str(t) for _p, t in merged.problems))]
    assert message in str(merged.problems[0][1])
    assert part(merged.definition, kind, key)[setting] == part(parent, kind, key)[setting]


def test_removing_auto_needs_a_role_and_a_level(parent):
    """A rule's step goes to people: who decides it must be said, not assumed."""
    merged = merge(parent, variant_removing("approval", "auto_only", "auto"))
    assert [(p, str(m)) for p, m in merged.problems] == [(
        ("approval", 0, "auto"), 'step "auto_only": without "auto" people decide it, so it '
                                 "needs a role and a level; add role, level beside auto: ~")]
    assert part(merged.definition, "approval", "auto_only")["auto"] == "amount <= 10"
    merged = merge(parent, variant_removing("approval", "auto_check", "auto"))
    assert merged.problems == [] and "auto" not in part(merged.definition, "approval",
                                                        "auto_check")
    # An automatic step may lose its level: its rule still decides, and a referral goes to the
    # region itself, as for a base item's automatic step.
    merged = merge(parent, variant_removing("approval", "auto_check", "level"))
    assert merged.problems == []


def test_removing_counts_as_changing_what_the_parent_locks(parent):
    merged = merge(parent, variant_removing("field", "sealed", "compute"))
    assert [str(m) for _p, m in merged.problems] == [
        'field "sealed" is locked by the parent item: "compute" cannot change']
    assert part(merged.definition, "field", "sealed")["compute"] == '"x"'
    assert merge(parent, variant_removing("field", "sealed", "help")).problems == []  # wording
    merged = merge(parent, variant_removing("materials", "m2", "help"))
    assert [str(m) for _p, m in merged.problems] == [
        '"m2" is locked by the parent item and cannot be changed or hidden']
    merged = merge(parent, variant_removing("approval", "sealed_step", "level"))
    assert merged.problems and part(merged.definition, "approval", "sealed_step")["level"] == \
        "province"
    # Removing what a locked part does not have changes nothing.
    assert merge(parent, variant_removing("approval", "sealed_step", "when")).problems == []
    assert merge(parent, variant_removing("field", "sealed", "prefill")).problems == []
    assert merge(parent, variant_removing("field", "sealed", "required")).problems == []


def test_a_null_on_a_setting_the_fields_type_does_not_know_is_named(parent):
    merged = merge(parent, variant_removing("field", "tier", "comptue"))
    assert [(p[-1], str(m)) for p, m in merged.problems] == [
        ("comptue", 'unknown key "comptue" for a field of type text: did you mean "compute"?')]
    assert part(merged.definition, "field", "tier")["compute"]
    # A known setting the inherited field does not have: nothing to remove, nothing wrong.
    assert merge(parent, variant_removing("field", "tier", "max_length")).problems == []


def test_a_null_in_a_part_new_to_the_variant_removes_nothing(parent):
    variant = variant_removing("field", "extra", "help", type="text", label="新")
    merged = merge(parent, variant)
    assert [(p, str(m)) for p, m in merged.problems] == [(
        ("pages", 0, "fields", 0, "help"),
        '"extra" is new in this variant, so "help" has nothing to remove: leave it out')]
    assert "help" not in part(merged.definition, "field", "extra")


VARIANT_TEXT = """\
schema: 1
code: nd
region: '130200'
derives: nd
category: ~
name: ~
pages:
  - key: p1
    fields:
      - key: tier
        compute: ~
      - key: kind
        options: null
      - key: ~
        label: 无键
      - key: who
        after: ~
approval:
  - key: review
    when: ~
  - key: auto_only
    auto: ~
  - key: sealed_step
    level: ~
"""


def test_lint_reports_each_refused_null_at_its_line():
    files = {"p.yaml": PARENT_TEXT, "v.yaml": VARIANT_TEXT}
    problems = [str(p) for p in lint_batch(files)["v.yaml"].problems]
    assert problems == [
        'v.yaml:6: "nd" needs "name": it cannot be removed',
        'v.yaml:13: field "kind" of type select needs "options": it cannot be removed',
        "v.yaml:14: key: cannot be removed (null): it identifies the item or the part",
        "v.yaml:17: after: cannot be null: leave it out instead",
        'v.yaml:22: step "auto_only": without "auto" people decide it, so it needs a role and '
        "a level; add role, level beside auto: ~",
        'v.yaml:24: "sealed_step" is locked by the parent item and cannot be changed or hidden',
    ]


def test_null_outside_a_variant_is_a_problem_naming_the_setting():
    text = PARENT_TEXT.replace("    help: 页说明\n", "    help: ~\n").replace(
        "when: amount > 10000", "when: null")
    assert [str(p) for p in lint_text(text, "b.yaml")] == [
        'b.yaml:11: help: null removes a setting a variant inherits, and this item derives from '
        'none (it has no "derives")',
        'b.yaml:28: when: null removes a setting a variant inherits, and this item derives from '
        'none (it has no "derives")']
    definition, errors = load_definition(load_with_lines(text))
    assert len(errors) == 2 and "help" not in definition["pages"][0]


def test_designer_round_trip_writes_null_for_a_removed_setting(parent):
    edited = merge(parent, OWN).definition
    for kind, key, setting in REMOVABLE:
        if setting != "auto":
            part(edited, kind, key).pop(setting)
    result = overrides_for(parent, edited, OWN)
    assert merge(parent, result).problems == []
    assert normal(merge(parent, result).definition) == normal(edited)
    assert result["category"] is None and result["notice"] is None
    assert part(result, "approval", "review") == {"key": "review", "when": None}
    assert part(result, "field", "tier") == {"key": "tier", "help": None,
                                             "placeholder": None, "compute": None}
    assert result["pages"][0]["help"] is None
    # Stored and read back as a file and as a workbook, the nulls stay.
    text = export(result)
    assert "    when: null\n" in text and "category: null\n" in text
    again = load(text)
    assert again == result and export(again) == text
    back, problems = from_xlsx(to_xlsx(again))
    assert problems == [] and back == again


def test_designer_refuses_a_removal_the_merge_refuses(parent):
    edited = merge(parent, OWN).definition
    part(edited, "field", "sealed").pop("compute")
    with pytest.raises(CannotExpress, match="locked"):
        overrides_for(parent, edited, OWN)
    edited = merge(parent, OWN).definition
    part(edited, "approval", "accept").pop("level")
    with pytest.raises(CannotExpress, match='needs "level"'):
        overrides_for(parent, edited, OWN)


def test_the_diff_says_a_setting_was_removed(parent):
    merged = merge(parent, variant_removing("approval", "review", "when")).definition
    [change] = definition_diff(parent, merged)
    [setting] = change.settings
    assert (change.key, setting.setting, setting.old, setting.new) == (
        "review", "when", "amount > 10000", None)
    assert setting.removed
    merged = merge(parent, variant_removing("approval", "review", "approvers")).definition
    assert definition_diff(parent, merged) == []  # approvers was the default already
