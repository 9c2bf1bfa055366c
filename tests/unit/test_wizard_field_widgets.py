"""The region picker's tree and cascade, and the signature's typed-or-drawn form field.

No database: the tree is built from rows given here, the forms are bound in a bare Flask app
(as tests/unit/test_field_types.py does).
"""
import base64
import io

import pytest
from flask import Flask
from flask_appbuilder.forms import DynamicForm
from flask_babel import Babel
from werkzeug.datastructures import MultiDict

from app.engine.fields import get_type
from app.engine.fields.region import deepest
from app.engine.fields.special import (PNG_MAX_HEIGHT, PNG_MAX_WIDTH, PNG_PREFIX, drawn_image)
from app.region_tree import RegionTree
from app.validators import ValidationError
from app.views.citizen.region_picker import build
from tests.unit.engine_helpers import make_ctx

ROWS = [  # code, name, level, parent, valid_to
    ("510000", "四川省", "province", None, None),
    ("510100", "成都市", "city", "510000", None),
    ("510104", "锦江区", "county", "510100", None),
    ("511700", "达州市", "city", "510000", None),
    ("511702", "通川区", "county", "511700", None),
    ("511721", "达县", "county", "511700", 2013),
    ("51170099997", "达州中医药职业学院", "grassroots", "511700", None),
    ("51170200001", "某某社区", "grassroots", "511702", None),
    ("110000", "北京市", "province", None, None),
    ("110101", "东城区", "county", "110000", None),
]


def png(width: int, height: int) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, format="PNG")
    return PNG_PREFIX + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture(scope="module")
def web():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    app.add_url_rule("/regions/picker", endpoint="RegionPickerView.picker")
    return app


@pytest.fixture(scope="module")
def tree():
    return RegionTree(ROWS)


# --- the tree and the cascade ----------------------------------------------------------------

def test_tree_lists_current_children_and_names_the_whole_chain(tree):
    assert [n.code for n in tree.children(None)] == ["110000", "510000"]
    assert [n.code for n in tree.children("511700")] == ["511702", "51170099997"]  # 达县 gone
    assert [n.code for n in tree.children("511700", "county")] == ["511702"]
    assert tree.full_name("51170200001") == "四川省 达州市 通川区 某某社区"
    assert tree.full_name("511721") == "四川省 达州市 达县"  # abolished, still named
    assert tree.full_name("999999") == "999999"


@pytest.mark.parametrize("values, expected", [
    (["510000", "510100", "510104"], "510104"),
    (["440000", "510100", "510104"], "440000"),  # a county left from another province
    (["510000", "", ""], "510000"),
    (["110000", "110101"], "110101"),            # a municipality's district
    (["511700", "51170099997"], "51170099997"),  # a 医保 node under a city
    (["510104"], "510104"),                      # one value, as API-like posts send it
    (["abc", "510000"], "abc"),                  # the parser says what is wrong
    (["", ""], ""),
])
def test_the_answer_is_the_deepest_value_within_the_one_before(values, expected):
    assert deepest(values) == expected


def test_picker_levels_follow_the_answer_within_and_level(web, tree):
    with web.test_request_context():
        fresh = build(tree, "home", "home", "", level="county")
        assert [[n.code for n in lv.options] for lv in fresh.levels] == [["110000", "510000"]]
        assert fresh.refine  # without JavaScript: list the next level

        county = build(tree, "home", "home", "511702", level="county")
        assert [lv.selected for lv in county.levels] == ["510000", "511700", "511702"]
        assert [lv.id for lv in county.levels] == ["home", "home-2", "home-3"]
        assert "_parent=511700" in county.levels[2].url and "_level=county" in county.levels[2].url

        within = build(tree, "home", "home", "511702", within="510000", level="city")
        assert within.root.code == "510000"
        # Deeper than the level asked (a prefilled county): kept, not cut to the city.
        assert [lv.selected for lv in within.levels] == ["511700", "511702"]
        outside = build(tree, "home", "home", "110101", within="510000", level="county")
        assert [lv.selected for lv in outside.levels] == [""]  # not offered, not kept

        node = build(tree, "home", "home", "511702", level="grassroots")
        assert [n.code for n in node.levels[-1].options] == ["51170200001"]
        assert build(tree, "home", "home", "", within="511702", level="county").levels[0] \
            .options[0].code == "511702"  # a subtree no deeper than the level: itself


def test_region_field_is_a_code_box_without_a_picker_and_reads_the_cascade(web):
    field = {"key": "home", "type": "region", "label": "居住地", "level": "county"}
    form_class = type("F", (DynamicForm,), {"home": get_type("region").form_field(field,
                                                                                  make_ctx())})
    with web.test_request_context():
        html = str(form_class(formdata=None).home())
        assert 'type="text"' in html and 'inputmode="numeric"' in html  # no picker registered
        posted = form_class(formdata=MultiDict([("home", "510000"), ("home", "510100"),
                                                ("home", "510104")]))
        assert posted.home.data == "510104"


# --- the signature ---------------------------------------------------------------------------

def signature_form(stored=None):
    field = {"key": "sig", "type": "signature", "label": "签名", "required": True,
             "default": stored}
    return type("F", (DynamicForm,), {"sig": get_type("signature").form_field(field, make_ctx())})


@pytest.mark.parametrize("posted, expected", [
    ({"sig-value": "李明"}, {"kind": "typed", "value": "李明"}),
    ({"sig-drawing": "D"}, {"kind": "drawn", "value": "D"}),
    ({"sig-drawing": "D", "sig-value": "李明"}, {"kind": "typed", "value": "李明"}),
    ({"sig-drawing": "", "sig-value": ""}, {"kind": "typed", "value": ""}),
])
def test_a_typed_name_when_given_else_the_drawing(web, posted, expected):
    stored = {"kind": "typed", "value": "旧名"}  # a drawing disables the box: not sent back
    with web.test_request_context():
        assert signature_form(stored)(formdata=MultiDict(posted)).sig.data == expected


def test_a_stored_drawing_goes_back_to_the_pad_not_into_the_name_box(web):
    drawing = png(60, 20)
    with web.test_request_context():
        form = signature_form({"kind": "drawn", "value": drawing})(formdata=None)
        assert form.sig.type == "FormField" and form.sig.drawing.type == "HiddenField"
        assert form.sig.drawing.data == drawing and not form.sig.value.data
        assert form.sig.data == {"kind": "drawn", "value": drawing}
        html = str(form.sig.drawing())
        assert 'class="signature-pad"' in html and " hidden>" in html
        assert f'<img class="signature-image" src="{drawing}" alt="手写签名">' in html
        assert f'name="sig-drawing" id="sig-drawing" value="{drawing}"' in html
        assert 'data-typed="sig-value"' in html
        fake = signature_form({"kind": "drawn", "value": PNG_PREFIX + "PHN2Zz4="})(formdata=None)
        assert "<img" not in str(fake.sig.drawing())  # not a PNG: never shown


def test_drawn_pngs_are_checked_for_size_and_shown_only_when_valid():
    ftype, field = get_type("signature"), {"key": "sig", "type": "signature"}
    good = png(PNG_MAX_WIDTH, 10)
    assert ftype.parse({"kind": "drawn", "value": good}, field, make_ctx())["value"] == good
    for wide in (png(PNG_MAX_WIDTH + 1, 10), png(10, PNG_MAX_HEIGHT + 1)):
        with pytest.raises(ValidationError) as refused:
            ftype.parse({"kind": "drawn", "value": wide}, field, make_ctx())
        assert refused.value.code == "too_large"
    assert str(drawn_image(good, '"><b>')) == (
        f'<img class="signature-image" src="{good}" alt="&#34;&gt;&lt;b&gt;">')
    assert drawn_image(PNG_PREFIX + 'AAAA"><script>', "x") is None
    assert drawn_image("javascript:alert(1)", "x") is None
