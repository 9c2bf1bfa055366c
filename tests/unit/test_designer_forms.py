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


def test_the_new_settings_have_inputs_with_help_in_both_languages():
    from app.views.admin.item_inputs import SETTING_INPUTS

    for key in ("only", "among", "columns", "add_label"):
        assert SETTING_INPUTS[key].help, key
    assert SETTING_INPUTS["only"].kind == "codes" and SETTING_INPUTS["columns"].kind == "words"
    assert SETTING_INPUTS["among"].kind == "cel"


def test_only_is_typed_as_codes_and_read_as_a_list():
    from flask import Flask
    from flask_babel import Babel
    from werkzeug.datastructures import MultiDict

    from app.views.admin.item_forms import form_class, form_data, read_part
    from app.views.admin.item_inputs import SETTING_INPUTS

    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    inputs = [SETTING_INPUTS["only"]]
    part = {"key": "psn_type", "type": "dictionary", "only": ["14", "15"]}
    with app.test_request_context():
        assert form_data(inputs, part, 1)["only"] == "14, 15"
        form = form_class(inputs)(MultiDict({"only": " 14， 15、16 14 "}))
        assert read_part(inputs, form, part) == ({**part, "only": ["14", "15", "16"]}, {})
        cleared = form_class(inputs)(MultiDict({"only": " "}))
        assert "only" not in read_part(inputs, cleared, part)[0]
