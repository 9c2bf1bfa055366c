"""A dictionary field offers only valid codes: ``only`` (a parent admits its children), no group
headings as choices (a local code under a national choice leaves it a choice), repeated labels
told apart; the form, the JSON Schema and validation agree."""
import pytest
from flask import Flask
from flask_babel import Babel

from app.engine.answers import validate_page
from app.engine.fields import EngineContext, get_type

PSN_TYPE = [
    {"code": "11", "name": {"zh": "在职", "en": "Employed"}},
    {"code": "1101", "name": {"zh": "职工在职", "en": "Employee"}, "parent": "11"},
    {"code": "1260", "name": {"zh": "地方扩展", "en": "Local extension"}, "parent": "12"},
    {"code": "12", "name": {"zh": "退休人员", "en": "Retired"}},
    {"code": "14", "name": {"zh": "居民（未成年）", "en": "Resident (minor)"}},
    {"code": "1401", "name": {"zh": "新生儿", "en": "Newborn"}, "parent": "14"},
    {"code": "1460", "name": {"zh": "地方扩展", "en": "Local extension"}, "parent": "14"},
    {"code": "15", "name": {"zh": "居民（成年）", "en": "Resident (adult)"}},
    {"code": "1560", "name": {"zh": "地方扩展", "en": "Local extension"}, "parent": "15"},
    {"code": "16", "name": {"zh": "居民（老年）", "en": "Resident (elderly)"}},
]
GEND = [{"code": c, "name": {"zh": zh, "en": zh}}
        for c, zh in (("0", "未知的性别"), ("1", "男"), ("2", "女"), ("9", "未说明的性别"))]
TABLES = {"psn_type": PSN_TYPE, "gend": GEND}
FIELD = {"key": "psn_type", "type": "dictionary", "dictionary": "psn_type",
         "label": {"zh": "参保身份", "en": "Insured category"}, "only": ["14", "15", "16"]}


def ctx(locale="zh"):
    return EngineContext(locale=locale, dictionary=TABLES.get)


def page(*fields):
    return {"pages": [{"key": "main", "fields": list(fields)}]}


@pytest.fixture(scope="module")
def web():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    return app


def choices(field, locale="zh", context=None):
    from wtforms import Form

    context = context or ctx(locale)
    form = type("F", (Form,), {"answer": get_type("dictionary").form_field(field, context)})()
    return form.answer.choices[1:]  # after "请选择"


def test_only_offers_the_listed_codes_and_those_under_them_without_headings(web):
    with web.test_request_context():
        assert choices(FIELD) == [("1401", "新生儿"), ("1460", "居民（未成年）—地方扩展"),
                                  ("1560", "居民（成年）—地方扩展"), ("16", "居民（老年）")]
        assert [label for _c, label in choices(FIELD, "en")][1] == (
            "Resident (minor) — Local extension")
    schema = get_type("dictionary").json_schema(FIELD, ctx())
    assert schema["enum"] == ["1401", "1460", "1560", "16"]


def test_without_only_group_headings_are_still_not_choices(web):
    whole = {**FIELD, "only": None}
    with web.test_request_context():
        codes = [code for code, _label in choices(whole)]
    assert "11" not in codes and "14" not in codes and "1101" in codes and "16" in codes
    assert "11" not in get_type("dictionary").json_schema(whole, ctx())["enum"]
    refused = validate_page(page(whole), "main", {"psn_type": "14"}, ctx())
    assert refused.errors == {"psn_type": ["参保身份: choose one of the values offered."]}
    # ``levels: 1`` offers the top level only: there the parents are the choices.
    top = validate_page(page({**whole, "levels": 1}), "main", {"psn_type": "14"}, ctx())
    assert top.answers == {"psn_type": "14"}


@pytest.mark.parametrize("code", ["1101", "11", "1260", "14"])
def test_a_code_outside_only_is_refused_naming_the_field(code):
    result = validate_page(page(FIELD), "main", {"psn_type": code}, ctx("en"))
    assert result.answers == {}
    assert result.errors == {"psn_type": ["Insured category: choose one of the values offered."]}


def test_a_code_under_a_listed_parent_is_accepted():
    for code in ("1401", "1560", "16"):
        assert validate_page(page(FIELD), "main", {"psn_type": code}, ctx()).answers == {
            "psn_type": code}


def test_gend_limited_to_male_and_female():
    sex = {"key": "sex", "type": "dictionary", "dictionary": "gend", "label": "性别",
           "only": ["1", "2"]}
    assert validate_page(page(sex), "main", {"sex": "2"}, ctx()).errors == {}
    assert validate_page(page(sex), "main", {"sex": "9"}, ctx()).errors == {
        "sex": ["性别: choose one of the values offered."]}


# 达州's local codes: two under the national leaf 16, one under the national category 11, and a
# local category of its own with a local code under it.
DAZHOU = "511700"
LOCAL = [
    {"code": "1601", "name": {"zh": "八十岁以上老人", "en": "Aged 80 or over"}, "parent": "16",
     "region": DAZHOU},
    {"code": "1660", "name": {"zh": "地方扩展", "en": "Local extension"}, "parent": "16",
     "region": DAZHOU},
    {"code": "1161", "name": {"zh": "村干部", "en": "Village cadre"}, "parent": "11",
     "region": DAZHOU},
    {"code": "17", "name": {"zh": "其他居民", "en": "Other residents"}, "region": DAZHOU},
    {"code": "1701", "name": {"zh": "退役士兵", "en": "Veteran"}, "parent": "17",
     "region": DAZHOU},
]


def local_ctx(locale="zh"):
    return EngineContext(locale=locale, dictionary={**TABLES, "psn_type": PSN_TYPE + LOCAL}.get)


def offered(field):
    from app.engine.fields.choice import offered_codes

    return list(offered_codes(field, local_ctx()))


def test_a_local_code_under_a_national_choice_keeps_that_choice(web):
    assert offered(FIELD) == ["1401", "1460", "1560", "16", "1601", "1660"]
    assert get_type("dictionary").json_schema(FIELD, local_ctx())["enum"] == offered(FIELD)
    with web.test_request_context():
        labels = dict(choices(FIELD, context=local_ctx()))
    assert list(labels) == offered(FIELD)
    assert labels["16"] == "居民（老年）" and labels["1601"] == "八十岁以上老人"
    assert labels["1660"] == "居民（老年）—地方扩展"  # told apart from 14's and 15's
    for code in ("16", "1601"):
        assert validate_page(page(FIELD), "main", {"psn_type": code}, local_ctx()).answers == {
            "psn_type": code}


def test_national_and_local_categories_stay_headings():
    whole = offered({**FIELD, "only": None})
    # 11 has national children: a category, whatever a region adds under it.
    assert "11" not in whole and "1101" in whole and "1161" in whole
    # 达州's own 17 has 达州's 1701 under it: the region made it a category.
    assert "17" not in whole and "1701" in whole
    assert "16" in whole
    # A definition that wants 16 out lists the codes under it instead.
    assert offered({**FIELD, "only": ["1601", "1660"]}) == ["1601", "1660"]
    refused = validate_page(page({**FIELD, "only": None}), "main", {"psn_type": "11"}, local_ctx())
    assert refused.errors == {"psn_type": ["参保身份: choose one of the values offered."]}

