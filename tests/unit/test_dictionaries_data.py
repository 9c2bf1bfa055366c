"""Data checks for app/data/dictionaries.yaml and the common-password list.

Only PyYAML and the standard library are used here. The app is not imported.
"""

import gzip
from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "app" / "data"
DICT_FILE = DATA_DIR / "dictionaries.yaml"
PASSWORD_FILE = DATA_DIR / "common-passwords.txt.gz"

REQUIRED = [
    "psn_cert_type",
    "insutype",
    "psn_type",
    "naty",
    "gend",
    "psn_insu_stas",
    "emp_mgt_type",
    "emp_insu_stas",
    "emp_cert_type",
    "mrg_stas",
    "surv_stas",
    "med_type",
    "fund_pay_type",
    "relationship",
    "suspend_reason",
]


@pytest.fixture(scope="module")
def data():
    with DICT_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def dicts(data):
    return {d["code"]: d for d in data["dictionaries"]}


def walk(entries, parent=None):
    """Yield (entry, parent_code) for each entry, children included."""
    for entry in entries:
        yield entry, parent
        yield from walk(entry.get("children") or [], entry["code"])


def flat(dictionary):
    return {e["code"]: (e, parent) for e, parent in walk(dictionary["entries"])}


def test_top_level_shape(data):
    assert isinstance(data, dict)
    assert isinstance(data["dictionaries"], list)
    assert data["dictionaries"]


def test_dictionary_codes_unique_and_required_present(data, dicts):
    codes = [d["code"] for d in data["dictionaries"]]
    assert len(codes) == len(set(codes))
    missing = [c for c in REQUIRED if c not in dicts]
    assert not missing, missing


@pytest.mark.parametrize("key", REQUIRED)
def test_dictionary_header(dicts, key):
    d = dicts[key]
    assert isinstance(d["code"], str) and d["code"]
    assert isinstance(d["name"]["zh"], str) and d["name"]["zh"].strip()
    assert isinstance(d["name"]["en"], str) and d["name"]["en"].strip()
    assert isinstance(d["entries"], list) and d["entries"]


def test_every_dictionary_well_formed(data):
    for d in data["dictionaries"]:
        assert isinstance(d.get("code"), str) and d["code"], d
        name = d.get("name") or {}
        assert isinstance(name.get("zh"), str) and name["zh"].strip(), d["code"]
        assert isinstance(name.get("en"), str) and name["en"].strip(), d["code"]
        assert isinstance(d.get("entries"), list) and d["entries"], d["code"]

        seen = set()
        for entry, _parent in walk(d["entries"]):
            code = entry.get("code")
            assert isinstance(code, str) and code, (d["code"], entry)
            assert code not in seen, f"duplicate code {code!r} in {d['code']}"
            seen.add(code)
            ename = entry.get("name") or {}
            for lang in ("zh", "en"):
                value = ename.get(lang)
                assert isinstance(value, str) and value.strip(), (d["code"], code, lang)
            assert set(entry) <= {"code", "name", "children", "reserved"}, (d["code"], code)
            assert entry.get("reserved", False) in (True, False), (d["code"], code)
            if "children" in entry:
                assert isinstance(entry["children"], list) and entry["children"], (d["code"], code)


def test_psn_cert_type(dicts):
    entries = flat(dicts["psn_cert_type"])
    assert "01" in entries
    assert "99" in entries
    assert len(entries) == 19
    assert entries["01"][0]["name"]["zh"] == "居民身份证（户口簿）"
    assert "91" not in entries  # Hebei-local code stays out of the national file


def test_insutype(dicts):
    entries = flat(dicts["insutype"])
    assert entries["390"][0]["name"]["zh"] == "城乡居民基本医疗保险"
    assert len(entries) == 14
    assert "39902" not in entries and "39916" not in entries  # Hebei-local


def test_psn_type_hierarchy(dicts):
    entries = flat(dicts["psn_type"])
    entry, parent = entries["1460"]
    assert parent == "14"
    assert entry["name"]["zh"] == "地方扩展"
    top = [e["code"] for e in dicts["psn_type"]["entries"]]
    assert top == ["11", "12", "13", "14", "15", "16"]
    for code, (_e, parent) in entries.items():
        if len(code) == 4:
            assert parent == code[:2], code
        else:
            assert len(code) == 2 and parent is None, code
    for code in ("1160", "1260", "1360", "1460", "1560"):
        assert code in entries
        assert entries[code][0]["reserved"] is True, code  # local slots: offered to nobody
    assert [c for c, (e, _p) in entries.items() if e.get("reserved")] == [
        "1160", "1260", "1360", "1460", "1560"]


def test_naty(dicts):
    entries = flat(dicts["naty"])
    assert len(entries) == 58
    assert entries["08"][0]["name"]["zh"] == "壮族"
    assert [f"{i:02d}" for i in range(1, 57)] + ["97", "98"] == list(entries)
    assert entries["36"][0]["name"]["zh"] == "毛南族"
    assert entries["46"][0]["name"]["zh"] == "德昂族"


def test_gend(dicts):
    entries = flat(dicts["gend"])
    assert len(entries) == 4
    assert list(entries) == ["0", "1", "2", "9"]


def test_psn_insu_stas_only_source_codes(dicts):
    assert list(flat(dicts["psn_insu_stas"])) == ["1", "2", "4"]


def test_common_password_list():
    assert PASSWORD_FILE.is_file()
    with gzip.open(PASSWORD_FILE, "rt", encoding="utf-8") as fh:
        lines = [line.strip() for line in fh]
    assert len(lines) > 10_000
    assert "password" in set(lines)
    assert (DATA_DIR / "COMMON_PASSWORDS_LICENSE.txt").is_file()
