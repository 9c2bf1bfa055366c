"""Checks on the bundled GB/T 2260 table app/data/regions.csv (built by scripts/build_regions.py).

Reads only the CSV, with the csv module; no app imports. The last test runs the build script's
--check (its sources are in the ``tools`` extra, which the ``test`` extra includes).
"""
import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

CSV_PATH = Path(__file__).resolve().parents[2] / "app" / "data" / "regions.csv"
HEADER = ["code", "name", "name_en", "level", "parent", "valid_from", "valid_to"]
LEVELS = {"province", "city", "county"}


@pytest.fixture(scope="module")
def table():
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [dict(zip(header, r)) for r in reader]
    return header, rows


@pytest.fixture(scope="module")
def by_code(table):
    return {r["code"]: r for r in table[1]}


def is_current(row):
    return row["valid_to"] == ""


def test_header(table):
    assert table[0] == HEADER


def test_rows_well_formed(table):
    for r in table[1]:
        assert len(r) == len(HEADER), r
        assert re.fullmatch(r"\d{6}", r["code"]), r
        assert r["name"].strip() == r["name"] and r["name"], r
        assert r["level"] in LEVELS, r
        for key in ("valid_from", "valid_to"):
            assert re.fullmatch(r"(\d{4})?", r[key]), r
        if r["valid_from"] and r["valid_to"]:
            assert r["valid_from"] <= r["valid_to"], r


def test_codes_unique_and_sorted(table):
    codes = [r["code"] for r in table[1]]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)


def test_parents_exist(table, by_code):
    for r in table[1]:
        if r["parent"]:
            assert r["parent"] in by_code, r


def test_level_consistent_with_parent(table, by_code):
    for r in table[1]:
        if r["level"] == "province":
            assert r["parent"] == "", r
            assert r["code"].endswith("0000"), r
            continue
        assert r["parent"], r
        parent = by_code[r["parent"]]
        assert r["code"][:2] == r["parent"][:2], r
        if r["level"] == "city":
            assert parent["level"] == "province", r
        else:
            assert parent["level"] in {"city", "province"}, r


def test_current_nodes_have_current_parents(table, by_code):
    for r in table[1]:
        if is_current(r) and r["parent"]:
            assert is_current(by_code[r["parent"]]), r


def test_enough_current_nodes(table):
    current = [r for r in table[1] if is_current(r)]
    assert len(current) >= 3200
    assert sum(r["level"] == "province" for r in current) == 34


@pytest.mark.parametrize(
    "code,name,level,parent",
    [
        ("440000", "广东省", "province", ""),
        ("710000", "台湾省", "province", ""),
        ("810000", "香港特别行政区", "province", ""),
        ("820000", "澳门特别行政区", "province", ""),
        ("130200", "唐山市", "city", "130000"),
        ("511700", "达州市", "city", "510000"),
        ("130203", "路北区", "county", "130200"),
        ("511702", "通川区", "county", "511700"),
        ("511703", "达川区", "county", "511700"),
        ("110101", "东城区", "county", "110000"),
        ("500229", "城口县", "county", "500000"),
        ("441900", "东莞市", "city", "440000"),
        ("620200", "嘉峪关市", "city", "620000"),
        ("429004", "仙桃市", "city", "420000"),
        ("540481", "米林市", "county", "540400"),
        ("540581", "错那市", "county", "540500"),
        ("653228", "和康县", "county", "653200"),
        ("659012", "白杨市", "city", "650000"),
    ],
)
def test_current_nodes(by_code, code, name, level, parent):
    r = by_code[code]
    assert (r["name"], r["level"], r["parent"]) == (name, level, parent)
    assert is_current(r)


def test_cities_without_counties_have_no_children(table):
    parents = {r["parent"] for r in table[1] if is_current(r)}
    for code in ("441900", "442000", "460400", "620200", "429004", "810000", "820000", "710000"):
        assert code not in parents


@pytest.mark.parametrize(
    "code,name,parent,valid_to",
    [("511721", "达县", "511700", "2013"), ("540530", "错那县", "540500", "2023")],
)
def test_abolished_nodes(by_code, code, name, parent, valid_to):
    r = by_code[code]
    assert (r["name"], r["level"], r["parent"]) == (name, "county", parent)
    assert r["valid_to"] == valid_to


def test_every_row_has_an_english_name(table):
    for r in table[1]:
        assert r["name_en"].strip() == r["name_en"] and r["name_en"], r
        assert re.fullmatch(r"[A-ZÜ][a-zA-Z' ,\-üê]+", r["name_en"]), r


@pytest.mark.parametrize(
    "code,name_en",
    [
        ("510000", "Sichuan Province"),
        ("511700", "Dazhou City"),
        ("511702", "Tongchuan District"),
        ("511725", "Qu County"),
        ("130000", "Hebei Province"),
        ("130200", "Tangshan City"),
        ("130203", "Lubei District"),
        ("130225", "Laoting County"),  # 乐 read lao here
        ("440000", "Guangdong Province"),
        ("440113", "Panyu District"),
        ("320000", "Jiangsu Province"),
        ("321181", "Danyang City"),
        ("110000", "Beijing"),
        ("500000", "Chongqing"),
        ("150000", "Inner Mongolia Autonomous Region"),
        ("540000", "Tibet Autonomous Region"),
        ("450000", "Guangxi Zhuang Autonomous Region"),
        ("650000", "Xinjiang Uygur Autonomous Region"),
        ("810000", "Hong Kong Special Administrative Region"),
        ("820000", "Macao Special Administrative Region"),
        ("610000", "Shaanxi Province"),
        ("140000", "Shanxi Province"),
        ("610100", "Xi'an City"),
        ("341500", "Lu'an City"),
        ("340300", "Bengbu City"),
        ("350200", "Xiamen City"),
        ("140400", "Changzhi City"),
        ("140428", "Zhangzi County"),
        ("141024", "Hongtong County"),
        ("371722", "Shan County"),
        ("130726", "Yu County"),
        ("410621", "Xun County"),
        ("361124", "Yanshan County"),
        ("371524", "Dong'e County"),
        ("330382", "Yueqing City"),
        ("513400", "Liangshan Yi Autonomous Prefecture"),
        ("513200", "Aba Tibetan and Qiang Autonomous Prefecture"),
        ("433100", "Xiangxi Tujia and Miao Autonomous Prefecture"),
        ("622926", "Dongxiang Autonomous County"),
        ("150723", "Oroqen Autonomous Banner"),
        ("152500", "Xilingol League"),
        ("150521", "Ke'erqin Left Wing Middle Banner"),
        ("232700", "Daxing'anling Prefecture"),
        ("442100", "Hainan Administrative Region"),  # 海南行政区 (Guangdong, to 1988)
        ("429021", "Shennongjia Forestry District"),
        ("310115", "Pudong New Area"),
    ],
)
def test_english_names(by_code, code, name_en):
    assert by_code[code]["name_en"] == name_en


def test_build_script_output_is_current():
    """scripts/build_regions.py --check: the CSV is what the pinned sources and the naming
    rules (scripts/region_names_en.py) give, byte for byte."""
    script = CSV_PATH.parents[2] / "scripts" / "build_regions.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "is up to date" in result.stdout
