"""Merging a variant onto its parent, and listing what a newer parent version changed."""
from app.engine.merge import merge
from app.engine.variants import Change, diff_definitions

PARENT = {
    "schema": 1, "code": "x", "region": "130000", "name": {"zh": "父", "en": None},
    "pages": [
        {"key": "p1", "title": {"zh": "一", "en": None}, "fields": [
            {"key": "a", "type": "text", "label": {"zh": "甲", "en": None}, "required": True},
            {"key": "rows", "type": "repeat", "label": {"zh": "行", "en": None}, "fields": [
                {"key": "n", "type": "text", "label": {"zh": "名", "en": None}},
                {"key": "m", "type": "text", "label": {"zh": "号", "en": None}, "locked": True},
            ]},
        ]},
        {"key": "p2", "title": {"zh": "二", "en": None}, "fields": [
            {"key": "b", "type": "number", "label": {"zh": "乙", "en": None}},
        ]},
    ],
    "materials": [{"key": "m1", "label": {"zh": "材料", "en": None}}],
}


def variant(**parts):
    return {"schema": 1, "code": "x", "region": "130200", "derives": "x", **parts}


def test_a_groups_fields_merge_by_key_and_keep_their_locks():
    merged = merge(PARENT, variant(pages=[{"key": "p1", "fields": [{"key": "rows", "fields": [
        {"key": "n", "hidden": True},
        {"key": "m", "label": {"zh": "编号", "en": None}, "required": True},
        {"key": "k", "type": "date", "label": {"zh": "日", "en": None}, "after": "m"},
    ]}]}]))
    rows = merged.definition["pages"][0]["fields"][1]
    assert [f["key"] for f in rows["fields"]] == ["m", "k"]
    assert rows["fields"][0]["label"]["zh"] == "编号" and "required" not in rows["fields"][0]
    assert [str(m) for _p, m in merged.problems] == [
        'field "m" is locked by the parent item: "required" cannot change']


def test_pages_can_be_hidden_added_after_and_retitled():
    merged = merge(PARENT, variant(pages=[
        {"key": "p2", "hidden": True},
        {"key": "p0", "title": {"zh": "零", "en": None}, "after": "p1",
         "fields": [{"key": "c", "type": "text", "label": {"zh": "丙", "en": None}}]},
        {"key": "p1", "title": {"zh": "第一页", "en": None}},
    ]))
    assert merged.problems == []
    assert [(p["key"], p["title"]["zh"]) for p in merged.definition["pages"]] == [
        ("p1", "第一页"), ("p0", "零")]
    assert merged.hidden == {"b": ("pages", 0, "hidden")}
    assert merged.origins[("pages", 1, "fields", 0)] == ("pages", 1, "fields", 0)


def test_an_explicit_false_override_makes_a_field_optional():
    merged = merge(PARENT, variant(pages=[{"key": "p1", "fields": [
        {"key": "a", "required": False}]}]))
    assert "required" not in merged.definition["pages"][0]["fields"][0]


def test_the_parent_is_not_modified():
    before = repr(PARENT)
    merge(PARENT, variant(name={"zh": "子", "en": None}, pages=[{"key": "p1", "fields": [
        {"key": "a", "hidden": True}]}]))
    assert repr(PARENT) == before


def test_diff_lists_added_removed_and_changed_parts():
    newer = merge(PARENT, variant(time_limit_days=3, materials=[
        {"key": "m1", "hidden": True}, {"key": "m2", "label": {"zh": "新", "en": None}}],
        pages=[{"key": "p2", "fields": [{"key": "b", "required": True}]}])).definition
    assert diff_definitions(PARENT, newer) == [
        Change("field", "b", "changed", ("required",)),
        Change("material", "m1", "removed"),
        Change("item", "time_limit_days", "added"),
        Change("material", "m2", "added"),
    ]
