"""Reading an XLSForm-style workbook back into a definition (see :mod:`app.engine.xlsform`)."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any, Optional
from xml.etree.ElementTree import ParseError

import yaml
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

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


def at(place: str, problem: Any) -> str:
    """Return "fields row 3: problem" in the reader's language (its colon, too)."""
    return str(_l("%(place)s: %(problem)s", place=place, problem=problem))


def where(sheet: str, row: int, column: Optional[str] = None) -> str:
    """Return "fields row 3" (or "… (column E)") in the reader's language."""
    if column is None:
        return str(_l("%(sheet)s row %(row)s", sheet=sheet, row=row))
    return str(_l("%(sheet)s row %(row)s (column %(column)s)", sheet=sheet, row=row,
                  column=column))


def _rows(workbook, title: str, allowed: set, problems: list, required: bool = True):
    """Yield (row number, {header: value}) for the non-empty rows of a sheet; a formula is a
    problem at its cell (its value is Excel's to compute, and a definition's text is taken as
    written: ``=HYPERLINK(…)`` is no label), the row read without it."""
    if title not in workbook.sheetnames:
        if required:
            problems.append(str(_l('the workbook has no sheet "%(sheet)s"', sheet=title)))
        return
    rows = workbook[title].iter_rows()
    headers = [str(c.value).strip() if c.value is not None else None for c in next(rows, ())]
    for header in headers:
        if header is not None and header not in allowed and not _RULE.fullmatch(header):
            problems.append(str(_l('sheet "%(sheet)s": unknown column "%(column)s"',
                                   sheet=title, column=header)))
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            problems.append(str(_l('sheet "%(sheet)s" has more than %(count)s rows',
                                   sheet=title, count=MAX_ROWS)))
            return
        cells = {}
        for index, (header, cell) in enumerate(zip(headers, row)):
            value = cell.value
            if header is None or value is None or isinstance(value, str) and not value.strip():
                continue
            if getattr(cell, "data_type", None) == "f":
                problems.append(at(where(title, number, get_column_letter(index + 1)), _l(
                    "the cell holds a formula (%(formula)s): type the value itself",
                    formula=str(value)[:40])))
                continue
            cells[header] = value
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
    tree = _node(item_rows[0][1], ITEM, problems, where("item", 2)) if item_rows else {}
    if len(item_rows) > 1:
        problems.append(str(_l('sheet "item" must have one row, not %(count)s',
                               count=len(item_rows))))
    options: dict[str, list] = {}
    for number, cells in _rows(workbook, "options", set(_headers(OPTION)), problems, False):
        option = _node(cells, OPTION, problems, where("options", number))
        options.setdefault(str(option.pop("list", "")), []).append(option)
    pages, by_key = [], {}
    for number, cells in _rows(workbook, "pages", set(_headers(PAGE)) | {"extra"}, problems):
        page = _node(cells, PAGE, problems, where("pages", number))
        places[("pages", len(pages))] = where("pages", number)
        pages.append(page)
        by_key.setdefault(page.get("key"), page)
    groups: dict[tuple, dict] = {}
    allowed = set(_headers(FIELD)) | {"page", "group", "options", "extra"}
    for number, cells in _rows(workbook, "fields", allowed, problems):
        here = where("fields", number)
        field = _node(cells, FIELD, problems, here)
        page_key, group = _cell(cells.get("page"), STR), _cell(cells.get("group"), STR)
        if "options" in cells:
            field["options"] = options.get(str(_cell(cells["options"], STR)), [])
        rules = _rules(cells)
        if rules:
            field["rules"] = rules
        page = by_key.get(page_key)
        if page is None:
            problems.append(str(_l('%(where)s: page "%(page)s" is not on the pages sheet',
                                   where=here, page=page_key)))
            continue
        index = pages.index(page)
        siblings = page.setdefault("fields", [])
        if group:
            parent = groups.get((page_key, group))
            if parent is None:
                problems.append(str(_l('%(where)s: group "%(group)s" is not a field above it on '
                                       'page "%(page)s"', where=here, group=group,
                                       page=page_key)))
                continue
            children = parent.setdefault("fields", [])
            places[("pages", index, "fields", parent["_index"], "fields", len(children))] = here
            children.append(field)
        else:
            field["_index"] = len(siblings)
            places[("pages", index, "fields", len(siblings))] = here
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
                places[(key, len(tree[key]))] = where(title, number)
                tree[key].append(_node(cells, columns, problems, where(title, number)))
    if not pages and is_derived(tree):
        tree.pop("pages")
    elif not is_derived(tree):  # a page or group with no rows yet is kept empty (lint's to refuse)
        _keep_empty(pages)
    return tree, places, problems


def _keep_empty(pages: list) -> None:
    """Give a page, and a repeating group, with no ``fields`` rows an empty list of fields."""
    from app.engine.fields import REGISTRY

    for page in pages:
        for field in page.setdefault("fields", []):
            if getattr(REGISTRY.get(str(field.get("type"))), "nested", False):
                field.setdefault("fields", [])


def _place(places: dict, path: tuple) -> str:
    for size in range(len(path), 0, -1):
        if path[:size] in places:
            return places[path[:size]]
    return where("item", 2)


def from_xlsx(data: bytes) -> tuple[dict, list[str]]:
    """Return the normalised definition in a workbook and its problems (``sheet row N: …``)."""
    definition, problems, _places = read_workbook(data)
    return definition, problems


def read_workbook(data: bytes) -> tuple[dict, list[str], dict]:
    """Return what :func:`from_xlsx` does and the sheet and row of each part (definition
    path → "fields row 3"), to tell where lint's problems are (:func:`place_of_line`)."""
    try:
        tree, places, problems = read_tree(data)
    except ParseError:  # a sheet read row by row: a DTD (entities) or XML that is not well formed
        raise XlsformError([str(_l("this workbook's sheets cannot be read: they declare "
                                   "entities or are not well-formed XML"))]) from None
    definition, errors = load_definition(tree)
    for path, message in errors:
        problems.append(at(_place(places, path), shape_message(path, message)))
    return definition, problems, places


def place_of_line(text: str, places: dict):
    """Return a function giving the sheet and row of a line of ``text``, the definition
    written as YAML (its parts at the paths of ``places``)."""
    from app.engine.problems import line_at
    from app.yamlio import load_with_lines

    try:
        tree = load_with_lines(text)
    except yaml.YAMLError:
        tree = None
    starts = sorted((line_at(tree, path), len(path), place) for path, place in places.items()
                    if tree is not None and line_at(tree, path, 0) > 0)

    def place(line: int) -> str:
        found = [p for start, _depth, p in starts if start <= line]
        return found[-1] if found else where("item", 2)
    return place
