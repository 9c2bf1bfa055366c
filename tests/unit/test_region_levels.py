"""A region question's ``level``: a region whose children skip the level asked answers it itself.

北京/天津/上海/重庆 are provinces in the bundled tree with their districts straight under them, so
a ``level: city`` question takes 310000 while a ``level: county`` one still wants a district; a
province with cities (河北) is not complete; a city without counties (东莞) answers a county
question; other childless regions are not complete above their own level.
"""
from dataclasses import replace

import pytest

from app.engine.answers import validate_page
from app.engine.fields.base import reaches_level
from app.region_tree import RegionTree
from tests.unit.engine_helpers import make_ctx, normalise, variables

ROWS = [  # code, name, level, parent, valid_to
    ("310000", "上海市", "province", None, None),
    ("310101", "黄浦区", "county", "310000", None),
    ("310103", "卢湾区", "county", "310000", 2011),
    ("130000", "河北省", "province", None, None),
    ("130200", "唐山市", "city", "130000", None),
    ("130203", "路北区", "county", "130200", None),
    ("441900", "东莞市", "city", "440000", None),
    ("440000", "广东省", "province", None, None),
    ("511700", "达州市", "city", "510000", None),
    ("51170099997", "达州中医药职业学院", "grassroots", "511700", None),
]
TREE = RegionTree(ROWS)


@pytest.mark.parametrize(("level", "below", "wanted", "reached"), [
    ("province", "county", "city", True),       # 上海市: no city level under it
    ("province", "county", "county", False),    # … a county question still wants a district
    ("province", "city", "city", False),        # 河北省
    ("city", "county", "city", True),
    ("county", None, "county", True),
    ("city", None, "county", True),             # 东莞市: no county under it, its own county
    ("city", None, "grassroots", False),        # … but no 医保 node either
    ("county", None, "grassroots", False),      # a county without 医保 nodes
    ("city", "grassroots", "county", True),     # a city with only 医保 nodes under it
    ("province", None, "city", False),
])
def test_a_region_reaches_a_level_when_its_children_skip_it(level, below, wanted, reached):
    assert reaches_level(level, below, wanted) is reached


def test_the_tree_tells_the_shallowest_current_level_under_a_region():
    assert TREE.level_below("310000") == "county"  # 卢湾区 (abolished) is nobody's child
    assert TREE.level_below("130000") == "city"
    assert TREE.level_below("511700") == "grassroots"
    assert TREE.level_below("130203") is None and TREE.level_below("999999") is None
    assert TREE.level_below(None) is None


def check(level, code, within=None):
    """Validate one region question asking for ``level`` against the tree above."""
    field = {"key": "place", "type": "region", "label": "就医地", "level": level}
    if within:
        field["within"] = within
    definition = normalise({"pages": [{"key": "main", "title": "main", "fields": [field]}]})
    ctx = replace(make_ctx(), region_exists=TREE.nodes.__contains__,
                  region_level=lambda c: TREE.nodes[c].level, region_below=TREE.level_below)
    return validate_page(definition, "main", {"place": code}, ctx, variables()).errors


@pytest.mark.parametrize(("level", "code", "error"), [
    ("city", "310000", None),
    ("city", "310101", None),
    ("city", "130200", None),
    ("city", "130000", "Choose a region down to the city level."),
    ("county", "310000", "Choose a region down to the county level."),
    ("county", "310101", None),
    ("county", "441900", None),                 # 东莞市 has no county level
    ("grassroots", "511700", "Choose a region down to the grassroots level."),
])
def test_a_municipality_is_its_own_city_but_not_its_own_county(level, code, error):
    assert check(level, code) == ({"place": [error]} if error else {})


def test_a_municipality_within_itself_answers_a_city_question():
    assert check("city", "310000", within="310000") == {}


def test_without_a_tree_the_code_shape_decides_as_before():
    field = {"key": "place", "type": "region", "label": "就医地", "level": "city"}
    definition = normalise({"pages": [{"key": "main", "title": "main", "fields": [field]}]})
    ctx = replace(make_ctx(), region_exists=lambda code: True)
    assert validate_page(definition, "main", {"place": "310000"}, ctx, variables()).errors == {
        "place": ["Choose a region down to the city level."]}
