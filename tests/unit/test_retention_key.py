"""``retention_years``, an item-level definition key: shape, variants, canonical export and
the workbook."""
import io

from openpyxl import load_workbook

from app.engine.export import export
from app.engine.merge import merge
from app.engine.schema import load_definition
from app.engine.xlsform import from_xlsx, to_xlsx
from app.yamlio import load_with_lines

BASE = """\
schema: 1
code: kept
region: '130000'
name: 保存
filers: [self]
time_limit_days: 10
retention_years: 30
pages:
  - key: p1
    title: 页
    fields:
      - key: a
        type: text
        label: 甲
"""


def load(text: str) -> tuple[dict, list]:
    return load_definition(load_with_lines(text))


def test_a_whole_number_of_years_from_1_to_100():
    assert load(BASE)[0]["retention_years"] == 30
    for bad, message in (("0", "must be from 1 to 100"), ("101", "must be from 1 to 100"),
                         ("2.5", "must be a whole number"), ("'10'", "must be a whole number"),
                         ("true", "must be a whole number")):
        _, errors = load(BASE.replace("retention_years: 30", f"retention_years: {bad}"))
        assert [(path, str(text)) for path, text in errors] == [(("retention_years",), message)]


def test_a_variant_may_change_it_and_otherwise_inherits_it():
    parent, _ = load(BASE)
    variant = {"schema": 1, "code": "kept", "region": "130200", "derives": "kept"}
    assert merge(parent, variant).definition["retention_years"] == 30
    changed = merge(parent, {**variant, "retention_years": 50})
    assert changed.definition["retention_years"] == 50 and changed.problems == []
    assert parent["retention_years"] == 30


def test_the_canonical_file_writes_it_after_the_time_limit():
    definition, _ = load(BASE)
    assert export(definition) == BASE
    scrambled = BASE.replace("retention_years: 30\n", "").replace(
        "schema: 1\n", "retention_years: 30\nschema: 1\n")
    assert export(load(scrambled)[0]) == BASE


def test_the_workbook_has_a_column_for_it():
    definition, _ = load(BASE)
    data = to_xlsx(definition)
    header, row = list(load_workbook(io.BytesIO(data))["item"].iter_rows(values_only=True))[:2]
    assert row[header.index("retention_years")] == 30
    assert from_xlsx(data) == (definition, [])

