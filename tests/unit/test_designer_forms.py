"""The designer's forms come from the field-type registry: every setting has an input."""
from app.engine.fields import REGISTRY
from app.views.admin.item_inputs import SETTING_INPUTS, all_settings, field_inputs


def test_every_registry_setting_has_an_input():
    assert all_settings() - {"fields"} <= set(SETTING_INPUTS), (
        "add the new setting to app.views.admin.item_forms.SETTING_INPUTS")


def test_each_type_gets_its_own_settings():
    for name, ftype in REGISTRY.items():
        keys = {i.key for i in field_inputs(name)}
        assert ftype.settings - {"fields"} <= keys, name
    assert {i.kind for i in field_inputs("date") if i.key in ("min", "max")} == {"datebound"}
    assert {i.kind for i in field_inputs("number") if i.key in ("min", "max")} == {"number"}
    assert [i.kind for i in field_inputs("dictionary") if i.key == "dictionary"] == ["dictionary"]
    assert [i.kind for i in field_inputs("region") if i.key == "within"] == ["region"]
    assert "locked" not in {i.key for i in field_inputs("text", base=False)}
