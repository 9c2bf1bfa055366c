"""The definition diff shown before publishing and for upstream changes (app.engine.diff)."""
import copy
from pathlib import Path

from app.engine.diff import OptionChange, SettingChange, definition_diff
from app.engine.schema import load_definition
from app.yamlio import load_with_lines

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs" / "valid" / "demo_allowance.yaml"


def demo() -> dict:
    definition, errors = load_definition(load_with_lines(DEMO.read_text(encoding="utf-8")))
    assert errors == []
    return definition


def field(definition, key):
    return next(f for p in definition["pages"] for f in p["fields"] if f["key"] == key)


def test_same_definition_has_no_changes():
    assert definition_diff(demo(), demo()) == []


def test_fields_options_materials_steps_and_limits():
    old, new = demo(), demo()
    new["time_limit_days"] = 15
    new["pages"][1]["fields"].append({"key": "bank", "type": "text",
                                      "label": {"zh": "开户银行", "en": None}})
    new["pages"][0]["fields"] = [f for f in new["pages"][0]["fields"] if f["key"] != "home_region"]
    field(new, "special_type")["options"].append({"value": "其他", "label": {"zh": "其他",
                                                                            "en": None}})
    field(new, "special")["options"][0]["label"] = {"zh": "是的", "en": None}
    field(new, "special_type").pop("required")
    new["materials"][0]["max_size_mb"] = 10
    new["approval"] = [s for s in new["approval"] if s["key"] != "review"]
    new["approval"].append({"key": "final", "name": {"zh": "办结", "en": None}})
    changes = {(c.part, c.key, c.change): c for c in definition_diff(old, new)}
    assert changes[("item", "time_limit_days", "changed")].settings == (
        SettingChange("time_limit_days", 10, 15),)
    assert changes[("item", "time_limit_days", "changed")].limits
    assert ("field", "bank", "added") in changes
    assert changes[("field", "bank", "added")].label == {"zh": "开户银行", "en": None}
    assert ("field", "home_region", "removed") in changes
    special_type = changes[("field", "special_type", "changed")]
    assert special_type.settings == (SettingChange("required", True, False),)  # in effect
    assert special_type.options == (OptionChange("其他", "added", None, {"zh": "其他", "en": None}),)
    assert changes[("field", "special", "changed")].options == (
        OptionChange("1", "changed", {"zh": "是", "en": None}, {"zh": "是的", "en": None}),)
    material = changes[("material", "id_card", "changed")]
    assert material.settings == (SettingChange("max_size_mb", 5, 10),) and material.limits
    assert ("step", "review", "removed") in changes and ("step", "final", "added") in changes
    parts = [c.part for c in definition_diff(old, new)]
    assert parts == sorted(parts, key=["item", "page", "field", "material", "step"].index)


def test_order_of_fields_and_steps():
    old, new = demo(), demo()
    fields = new["pages"][0]["fields"]
    fields[0], fields[1] = fields[1], fields[0]
    new["approval"].reverse()
    changes = {(c.part, c.key): c for c in definition_diff(old, new)}
    assert changes[("page", "applicant")].settings[0].setting == "order"
    assert changes[("item", "approval")].settings[0].new == ["auto_check", "review", "accept"]


def test_nothing_before_means_everything_added():
    changes = definition_diff(None, demo())
    assert {c.change for c in changes} == {"added"}
    assert ("field", "children.name") in {(c.part, c.key) for c in changes}


def test_page_title_change():
    old, new = demo(), copy.deepcopy(demo())
    new["pages"][1]["title"] = {"zh": "申报", "en": "Claim"}
    change = next(c for c in definition_diff(old, new) if c.part == "page")
    assert change.key == "claim" and change.settings[0].setting == "title"
