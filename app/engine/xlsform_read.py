"""Reading an XLSForm-style workbook back into a definition (see :mod:`app.engine.xlsform`)."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from app.engine.problems import shape_message
from app.engine.schema import is_derived, load_definition
from app.engine.xlsform import (BOOL, COND, FIELD, INT, ITEM, LANGS, MATERIAL, MAX_ROWS,
                                MAX_UNPACKED, OPTION, PAGE, STEP, STR, TEXT, WORDS, YAML,
                                XlsformError, _RULE, _headers)

def _cell(value: Any, kind: str) -> Any:
    """Turn a cell into the value a YAML file would hold (what people type in Excel, too)."""
    if isinstance(value, str) and not value.strip():
        return None
    if kind == STR and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    if kind == INT and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == INT and isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if kind in (BOOL, COND) and isinstance(value, str) and value.strip().lower() in (
            "true", "false"):
        return value.strip().lower() == "true"
    if kind == WORDS and isinstance(value, str):
        return [word for word in re.split(r"[,，\s]+", value) if word]
    if kind == YAML and isinstance(value, str):
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value


def _node(cells: dict, columns, problems: list, where: str) -> dict:
    node: dict = {}
    for name, kind in columns:
        if kind == TEXT:
            zh, en = (_cell(cells.get(f"{name}::{lang}"), STR) for lang in LANGS)
            value = None if zh is None and en is None else zh if en is None else {
                "zh": zh, "en": en}
        else:
            value = _cell(cells.get(name), kind)
        if value is None or (name == "pledge" and name in node):
            continue
        target = node
        *parents, last = name.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    if cells.get("extra") is not None:
        try:
            extra = yaml.safe_load(str(cells["extra"]))
        except yaml.YAMLError:
            extra = None
        if not isinstance(extra, dict):
            problems.append(str(_l("%(where)s: extra must be a YAML mapping", where=where)))
        else:
            node.update({k: v for k, v in extra.items() if k not in node})
    return node


def _rows(workbook, title: str, allowed: set, problems: list, required: bool = True):
    """Yield (row number, {header: value}) for the non-empty rows of a sheet."""
    if title not in workbook.sheetnames:
        if required:
            problems.append(str(_l('the workbook has no sheet "%(sheet)s"', sheet=title)))
        return
    rows = workbook[title].iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else None for h in next(rows, ())]
    for header in headers:
        if header is not None and header not in allowed and not _RULE.fullmatch(header):
            problems.append(str(_l('sheet "%(sheet)s": unknown column "%(column)s"',
                                   sheet=title, column=header)))
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            problems.append(str(_l('sheet "%(sheet)s" has more than %(count)s rows',
                                   sheet=title, count=MAX_ROWS)))
            return
        cells = {h: v for h, v in zip(headers, values) if h is not None and v is not None
                 and not (isinstance(v, str) and not v.strip())}
        if cells:
            yield number, cells


def _rules(cells: dict) -> list:
    numbers = sorted({int(m[1]) for key in cells if (m := _RULE.fullmatch(key))})
    rules = []
    for n in numbers:
        message = _node({f"message::{lang}": cells.get(f"rule{n}.message::{lang}")
                         for lang in LANGS}, [("message", TEXT)], [], "")
        rules.append({**({"check": _cell(cells[f"rule{n}.check"], STR)}
                         if f"rule{n}.check" in cells else {}), **message})
    return rules


def read_tree(data: bytes) -> tuple[dict, dict, list[str]]:
    """Return (tree as YAML would give it, definition path → "sheet row N", problems)."""
    problems: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise XlsformError([str(_l("this workbook is too large to be a definition"))])
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except XlsformError:
        raise
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise XlsformError([str(_l("this is not an Excel workbook (.xlsx)"))]) from None
    places: dict[tuple, str] = {}
    item_rows = list(_rows(workbook, "item", set(_headers(ITEM)) | {"extra"}, problems))
    tree = _node(item_rows[0][1], ITEM, problems, "item") if item_rows else {}
    if len(item_rows) > 1:
        problems.append(str(_l('sheet "item" must have one row, not %(count)s',
                               count=len(item_rows))))
    options: dict[str, list] = {}
    for number, cells in _rows(workbook, "options", set(_headers(OPTION)), problems, False):
        option = _node(cells, OPTION, problems, f"options row {number}")
        options.setdefault(str(option.pop("list", "")), []).append(option)
    pages, by_key = [], {}
    for number, cells in _rows(workbook, "pages", set(_headers(PAGE)) | {"extra"}, problems):
        page = _node(cells, PAGE, problems, f"pages row {number}")
        places[("pages", len(pages))] = f"pages row {number}"
        pages.append(page)
        by_key.setdefault(page.get("key"), page)
    groups: dict[tuple, dict] = {}
    allowed = set(_headers(FIELD)) | {"page", "group", "options", "extra"}
    for number, cells in _rows(workbook, "fields", allowed, problems):
        where = f"fields row {number}"
        field = _node(cells, FIELD, problems, where)
        page_key, group = _cell(cells.get("page"), STR), _cell(cells.get("group"), STR)
        if "options" in cells:
            field["options"] = options.get(str(_cell(cells["options"], STR)), [])
        rules = _rules(cells)
        if rules:
            field["rules"] = rules
        page = by_key.get(page_key)
        if page is None:
            problems.append(str(_l('%(where)s: page "%(page)s" is not on the pages sheet',
                                   where=where, page=page_key)))
            continue
        index = pages.index(page)
        siblings = page.setdefault("fields", [])
        if group:
            parent = groups.get((page_key, group))
            if parent is None:
                problems.append(str(_l('%(where)s: group "%(group)s" is not a field above it on '
                                       'page "%(page)s"', where=where, group=group,
                                       page=page_key)))
                continue
            children = parent.setdefault("fields", [])
            places[("pages", index, "fields", parent["_index"], "fields", len(children))] = where
            children.append(field)
        else:
            field["_index"] = len(siblings)
            places[("pages", index, "fields", len(siblings))] = where
            siblings.append(field)
            groups[(page_key, field.get("key"))] = field
    for field in groups.values():
        field.pop("_index", None)
    tree["pages"] = pages
    for title, key, columns in (("materials", "materials", MATERIAL), ("steps", "approval", STEP)):
        rows = list(_rows(workbook, title, set(_headers(columns)) | {"extra"}, problems, False))
        if rows:
            tree[key] = []
            for number, cells in rows:
                places[(key, len(tree[key]))] = f"{title} row {number}"
                tree[key].append(_node(cells, columns, problems, f"{title} row {number}"))
    if not pages and is_derived(tree):
        tree.pop("pages")
    return tree, places, problems


def _place(places: dict, path: tuple) -> str:
    for size in range(len(path), 0, -1):
        if path[:size] in places:
            return places[path[:size]]
    return "item"


def from_xlsx(data: bytes) -> tuple[dict, list[str]]:
    """Return the normalised definition in a workbook and its problems (``sheet row N: …``)."""
    tree, places, problems = read_tree(data)
    definition, errors = load_definition(tree)
    for path, message in errors:
        problems.append(f"{_place(places, path)}: {shape_message(path, message)}")
    return definition, problems
