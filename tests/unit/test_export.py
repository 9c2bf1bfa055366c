"""The canonical writer: fixed key order, defaults left out, and ``export(load(f))`` round trips."""
from pathlib import Path

import pytest

from app.engine.export import export
from app.engine.schema import load_definition
from app.yamlio import load_with_lines

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "app" / "formdefs").rglob("*.yaml"))
CANONICAL = sorted((ROOT / "tests" / "fixtures" / "formdefs" / "valid").glob("*.yaml"))


def load(text: str) -> dict:
    definition, errors = load_definition(load_with_lines(text))
    assert errors == []
    return definition


SCRAMBLED = """
approval:
  - {time_limit_days: 2, level: county, name: 受理, approvers: 1, distinct: false, key: accept}
materials:
  - {max_files: 2, accept: [pdf], label: 身份证, key: id_card, required: false, pledge: false}
pages:
  - fields:
      - rules: [{message: 须大于0, check: amount > 0}]
        required: false
        label: {en: Amount, zh: 金额}
        locked: false
        type: money
        key: amount
        readonly: false
      - {options: [是, {label: {zh: 否, en: 'No'}, value: '0'}, {value: x, label: x}],
         label: 选择, type: radio, key: pick, visible_when: amount > 1}
    title: {zh: 页, en: null}
    key: p1
time_limit_days: 10
filers: [self]
name: 测试
derives: null
region: "130000"
code: scrambled
schema: 1
"""

EXPECTED = """schema: 1
code: scrambled
region: '130000'
name: 测试
filers: [self]
time_limit_days: 10
pages:
  - key: p1
    title: 页
    fields:
      - key: amount
        type: money
        label: {zh: 金额, en: Amount}
        rules:
          - {check: amount > 0, message: 须大于0}
      - key: pick
        type: radio
        label: 选择
        visible_when: amount > 1
        options:
          - 是
          - {value: '0', label: {zh: 否, en: 'No'}}
          - x
materials:
  - key: id_card
    label: 身份证
    accept: [pdf]
    max_files: 2
approval:
  - key: accept
    name: 受理
    level: county
    time_limit_days: 2
"""


def test_fixed_key_order_and_defaults_left_out():
    assert export(load(SCRAMBLED)) == EXPECTED


def test_text_is_a_plain_string_when_only_chinese_and_long_pairs_are_blocks():
    text = EXPECTED.replace("name: 测试", "name: {zh: 测试, en: '" + "x" * 120 + "'}")
    exported = export(load(text))
    assert "name:\n  zh: 测试\n  en: " + "x" * 120 + "\n" in exported
    assert "title: 页\n" in exported


def test_multi_line_text_is_written_as_a_literal_block():
    text = EXPECTED.replace("name: 测试", "name: |\n  第一行\n  第二行")
    assert "name: |\n  第一行\n  第二行\n" in export(load(text))


def test_a_variant_keeps_its_explicit_false_overrides():
    variant = ("schema: 1\ncode: v\nregion: '130200'\nderives: scrambled\npages:\n  - key: p1\n"
               "    fields:\n      - key: amount\n        required: false\n")
    assert "required: false" in export(load(variant))
    assert export(load(variant)) == variant


def test_effective_from_stays_a_date():
    text = EXPECTED.replace("time_limit_days: 10\n", "time_limit_days: 10\neffective_from: 2027-01-01\n")
    definition = load(text)
    assert definition["effective_from"] == "2027-01-01"
    assert export(definition) == text


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: p.name)
def test_canonical_fixtures_export_to_themselves(path):
    text = path.read_text(encoding="utf-8")
    assert export(load(text)) == text


@pytest.mark.parametrize("path", BUNDLED + CANONICAL, ids=lambda p: p.parent.name + "/" + p.name)
def test_round_trip_keeps_the_definition_and_is_a_fixpoint(path):
    definition = load(path.read_text(encoding="utf-8"))
    canonical = export(definition)
    assert load(canonical) == definition
    assert export(load(canonical)) == canonical


def test_bundled_definitions_exist():
    assert len(BUNDLED) >= 10
