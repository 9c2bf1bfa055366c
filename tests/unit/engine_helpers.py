"""Small stand-ins for the engine's surroundings in unit tests: a normaliser, code tables, regions.

``normalise`` does only what docs/engine.md says app.engine.schema does to text values and
options; the real schema (marshmallow) is tested on its own.
"""
import datetime as dt
from pathlib import Path

import yaml
from stdnum import luhn

from app.engine.fields import EngineContext
from app.validators import id_check_digit, uscc_check_char

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs" / "golden_all_types.yaml"
TODAY = dt.date(2024, 6, 15)
TEXT_KEYS = {"label", "name", "help", "placeholder", "title", "body", "acknowledge", "text",
             "message", "pattern_message"}


def _text(value):
    if isinstance(value, dict):
        return {"zh": value.get("zh"), "en": value.get("en")}
    return {"zh": value, "en": None}


def _option(option):
    if isinstance(option, dict):
        return {"value": str(option["value"]), "label": _text(option.get("label", option["value"]))}
    return {"value": str(option), "label": _text(str(option))}


def normalise(node):
    """Return a definition with text values as {zh, en} and options as {value, label}."""
    if isinstance(node, list):
        return [normalise(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in TEXT_KEYS and isinstance(value, (str, dict)):
            out[key] = _text(value)
        elif key == "options" and isinstance(value, list):
            out[key] = [_option(option) for option in value]
        else:
            out[key] = normalise(value)
    return out


def load_golden():
    """Return the golden definition, normalised."""
    return normalise(yaml.safe_load(GOLDEN.read_text(encoding="utf-8")))


def _entries(*pairs, parents=None):
    parents = parents or {}
    return [{"code": code, "name": {"zh": zh, "en": en}, "parent": parents.get(code)}
            for code, zh, en in pairs]


DICTIONARIES = {
    "psn_cert_type": _entries(("01", "居民身份证（户口簿）", "Resident identity card"),
                              ("08", "外国人护照", "Foreign passport")),
    "relationship": _entries(("01", "本人", "Self"), ("02", "配偶", "Spouse"),
                             ("03", "子女", "Child"), ("04", "父母", "Parent"),
                             ("05", "其他法定监护人", "Other legal guardian"),
                             ("99", "其他", "Other")),
    "gend": _entries(("1", "男", "Male"), ("2", "女", "Female")),
    "psn_type": _entries(("11", "在职", "Employed"), ("1101", "职工在职", "Employee"),
                         ("12", "退休", "Retired"), ("1201", "职工退休", "Retired employee"),
                         parents={"1101": "11", "1201": "12"}),
}
REGIONS = frozenset({"110000", "110101", "440000", "440100", "440106", "440300", "440305",
                     "44010600101"})


def make_ctx(locale="zh", today=TODAY, **overrides):
    """Return an EngineContext over the tables above."""
    return EngineContext(locale=locale, region="440106", dictionary=DICTIONARIES.get,
                         region_exists=REGIONS.__contains__, today=today, **overrides)


def id_number(region="440106", birth="19900101", seq="123"):
    """Return a valid 18-character ID number."""
    body = f"{region}{birth}{seq}"
    return body + id_check_digit(body)


def uscc(body="91440101MA5CXXXX1"):
    """Return a valid unified social credit code for a 17-character body."""
    return body + uscc_check_char(body)


def bank_account(body="622202020011223344"):
    """Return a Luhn-valid account number for ``body``."""
    return body + luhn.calc_check_digit(body)


PERSON = {"name": "张三", "sex": "2", "birth_date": dt.date(1990, 1, 1), "age": 34,
          "region": "440106", "cert_type": "01", "id_number": id_number()}


def variables(**overrides):
    """Return the CEL variables besides the fields: filer, person, region, today."""
    return {"filer": "self", "person": dict(PERSON), "region": "440106", "today": TODAY,
            **overrides}
