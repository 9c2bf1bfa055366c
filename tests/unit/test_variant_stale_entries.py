"""A variant's entries for parts its parent no longer has: found and removed by kind."""
from app.engine.orphans import Stale, drop_stale, orphaned_by, stale_overrides

PARENT = {"pages": [{"key": "a", "title": "A", "fields": [
    {"key": "x", "type": "text", "label": "X"},
    {"key": "g", "type": "repeat", "label": "G", "fields": [
        {"key": "c", "type": "text", "label": "C"}]}]}],
    "materials": [{"key": "m", "label": "M"}], "approval": [{"key": "s", "name": "S"}]}

VARIANT = {"schema": 1, "code": "i", "region": "130200", "derives": "i",
           "pages": [
               {"key": "a", "fields": [{"key": "x", "label": "X2"},
                                       {"key": "gone", "label": "was here", "required": False},
                                       {"key": "own", "type": "text", "label": "Own"},
                                       {"key": "g", "fields": [{"key": "c", "label": "C2"},
                                                               {"key": "d", "label": "D2"}]}]},
               {"key": "old_page", "title": "Old", "fields": []},
               {"key": "b", "help": "h", "fields": [{"key": "y", "hidden": True}]}],
           "materials": [{"key": "m", "label": "M2"}, {"key": "m_gone", "max_files": 3}],
           "approval": [{"key": "s_gone", "when": "x == \"1\""}, {"key": "s2", "name": "New"}]}


def test_stale_entries_are_found_for_every_kind():
    assert set(stale_overrides(PARENT, VARIANT)) == {
        Stale("field", "gone"), Stale("field", "g.d"), Stale("page", "old_page"),
        Stale("page", "b"), Stale("field", "y"), Stale("material", "m_gone"),
        Stale("step", "s_gone")}
    assert stale_overrides(PARENT, {k: v for k, v in VARIANT.items() if k != "derives"}) == []


def test_dropping_keeps_every_other_change():
    dropped = drop_stale(PARENT, VARIANT)
    assert dropped["pages"] == [{"key": "a", "fields": [
        {"key": "x", "label": "X2"}, {"key": "own", "type": "text", "label": "Own"},
        {"key": "g", "fields": [{"key": "c", "label": "C2"}]}]}]
    assert dropped["materials"] == [{"key": "m", "label": "M2"}]
    assert dropped["approval"] == [{"key": "s2", "name": "New"}]
    assert stale_overrides(PARENT, dropped) == []
    assert VARIANT["materials"][1] == {"key": "m_gone", "max_files": 3}  # not changed in place


def test_a_field_under_a_removed_page_moves_to_where_the_parent_now_has_it():
    variant = {"derives": "i", "pages": [{"key": "z", "fields": [{"key": "x", "label": "X2"}]}]}
    assert drop_stale(PARENT, variant)["pages"] == [
        {"key": "a", "fields": [{"key": "x", "label": "X2"}]}]


def test_a_new_parent_version_names_only_what_it_would_strand():
    new = {**PARENT, "materials": []}
    variant = {"derives": "i", "materials": [{"key": "m", "label": "M2"}],
               "approval": [{"key": "s_gone", "when": "true"}]}
    assert orphaned_by(PARENT, new, variant) == [Stale("material", "m")]


def test_a_complete_entry_for_a_part_the_parent_had_is_stale_too():
    new = {**PARENT, "materials": []}
    variant = {"derives": "i", "materials": [{"key": "m", "label": "M2"}]}
    assert stale_overrides(new, variant) == []  # read alone: a new material of the variant
    assert stale_overrides(new, variant, PARENT) == [Stale("material", "m")]
    assert "materials" not in drop_stale(new, variant, PARENT)
