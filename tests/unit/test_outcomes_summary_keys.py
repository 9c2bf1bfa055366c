"""``outcomes`` (the item's own names for statuses) and ``summary`` (the questions its list rows
show), item-level definition keys: shape, lint, variants, canonical export and the workbook."""
import io

from openpyxl import load_workbook

from app.engine.export import export
from app.engine.lint import lint_batch, lint_text
from app.engine.merge import merge
from app.engine.schema import load_definition
from app.engine.xlsform import from_xlsx, to_xlsx
from app.yamlio import load_with_lines

BASE = """\
schema: 1
code: filing
region: '130000'
name: 备案
filers: [self]
time_limit_days: 10
outcomes:
  approved: {zh: 备案成功, en: Filing registered}
  withdrawn: 已取消
summary: [kind, start]
pages:
  - key: p1
    title: 页
    fields:
      - key: kind
        type: radio
        label: 类型
        options:
          - '1'
          - '2'
      - key: start
        type: date
        label: 开始日期
      - key: people
        type: repeat
        label: 人员
        fields:
          - key: who
            type: text
            label: 姓名
      - key: sign
        type: signature
        label: 签名
materials:
  - key: proof
    label: 证明
approval:
  - key: accept
    name: 受理
    level: county
"""


def load(text: str) -> tuple[dict, list]:
    return load_definition(load_with_lines(text))


def problems(text: str) -> list[str]:
    return [str(p) for p in lint_text(text, "x.yaml")]


def test_outcomes_name_statuses_in_both_languages():
    definition, errors = load(BASE)
    assert errors == []
    assert definition["outcomes"] == {"approved": {"zh": "备案成功", "en": "Filing registered"},
                                      "withdrawn": {"zh": "已取消", "en": None}}
    assert definition["summary"] == ["kind", "start"]


def test_only_the_platform_statuses_may_be_named():
    text = BASE.replace("  withdrawn: 已取消", "  filed: 已备案")
    assert problems(text) == [
        "x.yaml:9: filed: not a status: name one of draft, submitted, returned, approved, "
        "refused, withdrawn"]
    assert problems(BASE.replace("  withdrawn: 已取消", "  withdrawn: ''")) == [
        "x.yaml:9: withdrawn: must not be empty"]


def test_summary_names_a_short_question_of_the_item():
    for keys, message in (
            ("[kind, nope]", 'summary: unknown field "nope"'),
            ("[kind, people]", 'summary: "people" is a repeat question'),
            ("[kind, sign]", 'summary: "sign" is a signature question'),
            ("[kind, who]", 'summary: "who" is inside a repeating group'),
            ("[kind, proof]", 'summary: "proof" is a material'),
            ("[kind, kind]", "summary: lists kind twice"),
            ("[kind, start, kind2, a, b, c]", "summary: lists at most 5")):
        found = problems(BASE.replace("summary: [kind, start]", f"summary: {keys}"))
        assert len(found) == 1 and found[0].startswith("x.yaml:10: ") and message in found[0], \
            (keys, found)


def test_a_variant_inherits_them_or_states_its_own():
    parent, _ = load(BASE)
    variant = {"schema": 1, "code": "filing", "region": "130200", "derives": "filing"}
    inherited = merge(parent, variant).definition
    assert inherited["outcomes"] == parent["outcomes"] and inherited["summary"] == ["kind", "start"]
    changed = merge(parent, {**variant, "summary": ["start"],
                             "outcomes": {"approved": {"zh": "已备案", "en": None}}})
    assert changed.problems == []
    assert changed.definition["summary"] == ["start"]
    assert changed.definition["outcomes"] == {"approved": {"zh": "已备案", "en": None}}


def test_a_variant_that_hides_a_summary_question_is_told_at_its_derives_line():
    variant = ("schema: 1\ncode: filing\nregion: '130200'\nderives: filing\n"
               "pages:\n  - key: p1\n    fields:\n      - {key: start, hidden: true}\n")
    checked = lint_batch({"base.yaml": BASE, "v.yaml": variant})
    assert checked["base.yaml"].problems == []
    assert [str(p) for p in checked["v.yaml"].problems] == [
        'v.yaml:4: summary: unknown field "start"']


def test_the_canonical_file_writes_them_after_the_time_limit():
    definition, _ = load(BASE)
    assert export(definition) == BASE
    scrambled = BASE.replace("summary: [kind, start]\n", "").replace(
        "schema: 1\n", "summary: [kind, start]\nschema: 1\n").replace(
        "  approved: {zh: 备案成功, en: Filing registered}\n  withdrawn: 已取消\n",
        "  withdrawn: 已取消\n  approved: {zh: 备案成功, en: Filing registered}\n")
    assert export(load(scrambled)[0]) == BASE


def test_the_workbook_has_columns_for_them():
    definition, _ = load(BASE)
    data = to_xlsx(definition)
    header, row = list(load_workbook(io.BytesIO(data))["item"].iter_rows(values_only=True))[:2]
    assert row[header.index("outcomes.approved::zh")] == "备案成功"
    assert row[header.index("outcomes.approved::en")] == "Filing registered"
    assert row[header.index("summary")] == "kind, start"
    assert from_xlsx(data) == (definition, [])
