"""A variant edited as citizens see it is stored as overrides (app.engine.overrides)."""
from pathlib import Path

import pytest

from app.engine.merge import merge
from app.engine.overrides import CannotExpress, normal, overrides_for
from app.engine.schema import load_definition
from app.yamlio import load_with_lines

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs" / "valid"


def load(name):
    definition, errors = load_definition(load_with_lines((VALID / name).read_text("utf-8")))
    assert errors == []
    return definition


@pytest.fixture
def parent():
    return load("demo_allowance.yaml")


@pytest.fixture
def variant():
    return load("demo_allowance_tangshan.yaml")


OWN = {"schema": 1, "code": "demo_allowance", "region": "130200", "derives": "demo_allowance"}


def keys(fields):
    return [f["key"] for f in fields]


def check(parent, edited, previous):
    result = overrides_for(parent, edited, previous)
    assert merge(parent, result).problems == []
    assert normal(merge(parent, result).definition) == normal(edited)
    return result


def test_unchanged_variant_gives_equivalent_overrides(parent, variant):
    edited = merge(parent, variant).definition
    result = check(parent, edited, variant)
    assert result["time_limit_days"] == 5
    assert {"key": "special_type", "hidden": True} in result["pages"][0]["fields"]


def test_an_empty_variant_stays_empty(parent):
    assert overrides_for(parent, merge(parent, OWN).definition, OWN) == OWN


def test_changed_setting_is_written_alone(parent):
    own = OWN
    edited = merge(parent, OWN).definition
    edited["pages"][1]["fields"][1]["label"] = {"zh": "生育日期", "en": None}
    del edited["pages"][0]["fields"][2]["visible_when"]  # dropped: written as true
    del edited["pages"][0]["fields"][1]["required"]  # dropped: written as false
    result = check(parent, edited, own)
    assert result["pages"] == [
        {"key": "applicant", "fields": [{"key": "special", "required": False},
                                        {"key": "special_type", "visible_when": True}]},
        {"key": "claim", "fields": [{"key": "delivery_date",
                                     "label": {"zh": "生育日期", "en": None}}]}]


def test_order_new_parts_and_hidden_parts(parent):
    own = OWN
    edited = merge(parent, OWN).definition
    fields = edited["pages"][0]["fields"]
    fields.insert(1, {"key": "workplace", "type": "text", "label": {"zh": "单位", "en": None}})
    fields[2], fields[3] = fields[3], fields[2]
    edited["pages"][1]["fields"].pop(1)
    edited["materials"].append({"key": "form", "label": {"zh": "申请表", "en": None}})
    edited["approval"].insert(1, edited["approval"].pop(2))
    result = check(parent, edited, own)
    assert {"key": "delivery_date", "hidden": True} in result["pages"][1]["fields"]
    assert keys(merge(parent, result).definition["approval"]) == ["accept", "auto_check",
                                                                   "review"]


def test_locks_and_inexpressible_changes_are_refused(parent):
    own = OWN
    edited = merge(parent, OWN).definition
    edited["materials"][0]["max_files"] = 9  # id_card is locked
    with pytest.raises(CannotExpress, match="locked"):
        overrides_for(parent, edited, own)
    edited = merge(parent, OWN).definition
    del edited["pages"][1]["fields"][0]  # amount is locked: cannot be hidden
    with pytest.raises(CannotExpress, match="cannot be hidden"):
        overrides_for(parent, edited, own)
    edited = merge(parent, OWN).definition
    del edited["pages"][0]["fields"][1]["options"]  # a radio needs options: not removable
    with pytest.raises(CannotExpress, match='needs "options"'):
        overrides_for(parent, edited, own)
    edited = merge(parent, OWN).definition
    edited["pages"].reverse()
    with pytest.raises(CannotExpress):
        overrides_for(parent, edited, own)


def test_a_variant_states_defaults_it_lowers_to(parent):
    """A co-signed step lowered to one approver, or no longer distinct (the schema's defaults)."""
    parent = merge(parent, {"approval": [{"key": "review", "approvers": 2}]}).definition
    edited = merge(parent, OWN).definition
    edited["approval"][1]["approvers"] = 1  # as the designer's form reads it
    edited["approval"][1].pop("distinct")
    result = check(parent, edited, OWN)
    assert result["approval"] == [{"key": "review", "approvers": 1, "distinct": False}]
    step = merge(parent, result).definition["approval"][1]
    assert "approvers" not in step and "distinct" not in step  # the defaults, left out



def test_a_variant_drops_a_materials_condition_and_a_whole_number_rule(parent):
    """Settings with a neutral value are dropped in materials (and group fields) too."""
    parent = merge(parent, {"pages": [{"key": "applicant", "fields": [
        {"key": "family_size", "type": "number", "label": "家庭人数", "integer": True}]}]}).definition
    edited = merge(parent, OWN).definition
    del edited["materials"][1]["required_when"]  # agent_id: always optional here
    del edited["pages"][0]["fields"][-1]["integer"]
    result = check(parent, edited, OWN)
    assert result["materials"] == [{"key": "agent_id", "required_when": False}]
    assert result["pages"][0]["fields"] == [{"key": "family_size", "integer": False}]


def test_the_last_resort_message_names_the_part_and_setting(parent):
    """Whatever slips past the specific checks is named, not a bare 'cannot be expressed'."""
    from app.engine.overrides import _difference

    edited = merge(parent, OWN).definition
    merged = merge(parent, OWN).definition
    edited["approval"][1]["level"] = "province"
    assert _difference(normal(merged), normal(edited)) == ("review", "level")
    edited = merge(parent, OWN).definition
    edited["pages"][0]["fields"].pop()
    assert _difference(normal(merged), normal(edited))[1] == "hidden"
    assert _difference(normal(merged), normal(merged)) is None
