"""A definition as an Excel workbook, in the spirit of XLSForm, and back (openpyxl).

    data = to_xlsx(definition)                   # bytes of a .xlsx
    definition, problems = from_xlsx(data)       # normalised, as app.engine.schema loads YAML

Sheets (row 1 holds the column names; one part per row, in order; empty rows are skipped):

``item``      one row: ``schema``, ``code``, ``region``, ``derives``, ``name::zh`` ``name::en``,
              ``category::…``, ``audience::…``, ``notice.title::…``, ``notice.body::…``,
              ``notice.acknowledge::…``, ``filers`` (``self, agent``), ``time_limit_days``,
              ``effective_from``
``pages``     ``key``, ``title::zh`` … (a page's fields are the ``fields`` rows naming it)
``fields``    XLSForm's *survey*: ``page``, ``group`` (a repeating group's key, for its own
              fields), ``key``, ``type``, ``label::zh`` …, ``required``, ``visible_when``,
              ``required_when``, ``compute``, ``options`` (a list name on the ``options`` sheet),
              every type setting of the registry, and one ``ruleN.check`` /
              ``ruleN.message::zh`` / ``ruleN.message::en`` group per rule
``options``   XLSForm's *choices*: ``list``, ``value``, ``label::zh``, ``label::en``
``materials`` and ``steps``: one column per key of CONTRACT.md §3

Text is a ``::zh``/``::en`` column pair; ``true``/``false`` are Excel booleans; a field's
``default`` is written as a YAML value (``'1'`` is text, ``1`` a number); a key no column names
(a future type setting) goes, as YAML, into the row's ``extra`` column, so nothing is lost.
Strings are written as text cells, never formulas (``=…`` stays inert, SECURITY_TESTS B7).

The round trip holds for every definition (tests/unit/test_xlsform.py): ``from_xlsx(to_xlsx(d))``
gives ``d`` back. The loader checks the *shape* with the same schema as YAML files, and names
each problem by sheet and row; what the definition means is lint's, on publishing.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any, Iterable, Optional

import yaml
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.engine.problems import shape_message
from app.engine.schema import is_derived, load_definition

TEXT, STR, INT, NUMBER, BOOL, COND, WORDS, SCALAR, YAML = (
    "text", "str", "int", "number", "bool", "cond", "words", "scalar", "yaml")
LANGS = ("zh", "en")

ITEM = [("schema", INT), ("code", STR), ("region", STR), ("derives", STR), ("name", TEXT),
        ("category", TEXT), ("audience", TEXT), ("notice.title", TEXT), ("notice.body", TEXT),
        ("notice.acknowledge", TEXT), ("filers", WORDS), ("time_limit_days", INT),
        ("effective_from", STR)]
PAGE = [("key", STR), ("title", TEXT), ("help", TEXT), ("hidden", BOOL), ("after", STR)]
FIELD = [("key", STR), ("type", STR), ("label", TEXT), ("help", TEXT), ("placeholder", TEXT),
         ("required", BOOL), ("required_when", COND), ("visible_when", COND), ("readonly", BOOL),
         ("default", YAML), ("prefill", STR), ("compute", STR), ("dictionary", STR),
         ("max_length", INT), ("pattern", STR), ("pattern_message", TEXT),
         ("min_selections", INT), ("max_selections", INT), ("parent", STR), ("levels", INT),
         ("min", SCALAR), ("max", SCALAR), ("integer", BOOL), ("within", STR), ("level", STR),
         ("text", TEXT), ("min_items", INT), ("max_items", INT), ("locked", BOOL),
         ("hidden", BOOL), ("after", STR)]
MATERIAL = [("key", STR), ("label", TEXT), ("help", TEXT), ("required", BOOL),
            ("required_when", COND), ("accept", WORDS), ("max_size_mb", NUMBER),
            ("max_files", INT), ("pledge", BOOL), ("pledge", TEXT), ("locked", BOOL),
            ("hidden", BOOL), ("after", STR)]
STEP = [("key", STR), ("name", TEXT), ("role", STR), ("level", STR), ("region_field", STR),
        ("when", COND), ("auto", COND), ("approvers", INT), ("distinct", BOOL),
        ("time_limit_days", INT), ("locked", BOOL), ("hidden", BOOL), ("after", STR)]
OPTION = [("list", STR), ("value", STR), ("label", TEXT)]
#: Keys a sheet holds in other ways than its columns (rows of another sheet, rule columns).
_STRUCTURE = {"pages": {"fields"}, "fields": {"fields", "options", "rules"}}
_RULE = re.compile(r"rule(\d+)\.(check|message::zh|message::en)")
MAX_UNPACKED = 50 * 1024 * 1024  # a definition's workbook is far smaller: refuse zip bombs
MAX_ROWS = 5000


class XlsformError(ValueError):
    """The workbook cannot be read as a definition; ``problems`` are ``sheet row N: …`` texts."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# --- writing -------------------------------------------------------------------------------

def _headers(columns) -> list[str]:
    return [header for name, kind in columns
            for header in ([f"{name}::{lang}" for lang in LANGS] if kind == TEXT else [name])]


def _get(node: dict, name: str) -> Any:
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _cells(node: dict, columns) -> dict[str, Any]:
    cells = {}
    for name, kind in columns:
        value = _get(node, name)
        if value is None:
            continue
        if kind == TEXT:
            if isinstance(value, dict):
                cells.update({f"{name}::{lang}": value.get(lang) for lang in LANGS})
        elif kind == BOOL and name == "pledge" and not isinstance(value, bool):
            continue  # a pledge's wording: the TEXT pair
        elif kind == WORDS:
            cells[name] = ", ".join(value)
        elif kind == YAML:
            cells[name] = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                                         width=10 ** 6).removesuffix("\n...\n").strip()
        else:
            cells[name] = value
    return cells


def _extra(node: dict, columns, structure: Iterable[str] = ()) -> Optional[str]:
    known = {name.split(".")[0] for name, _kind in columns} | set(structure)
    rest = {k: v for k, v in node.items() if k not in known}
    if not rest:
        return None
    return yaml.safe_dump(rest, default_flow_style=True, allow_unicode=True, width=10 ** 6).strip()


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[dict]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for number, row in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            value = row.get(header)
            if value is None:
                continue
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(10, min(40, len(header) + 4))


def _field_rows(page_key: str, fields: list, group: Optional[str], options: list,
                rows: list) -> None:
    for field in fields:
        row = {"page": page_key, "group": group, **_cells(field, FIELD),
               "extra": _extra(field, FIELD, _STRUCTURE["fields"])}
        if "options" in field:
            name = f"{group}.{field['key']}" if group else field["key"]
            row["options"] = name
            options.extend({"list": name, **_cells(option, OPTION[1:])}
                           for option in field["options"])
        for number, rule in enumerate(field.get("rules", []), start=1):
            row[f"rule{number}.check"] = rule.get("check")
            for lang in LANGS:
                row[f"rule{number}.message::{lang}"] = (rule.get("message") or {}).get(lang)
        rows.append(row)
        if isinstance(field.get("fields"), list) and group is None:
            _field_rows(page_key, field["fields"], field["key"], options, rows)


def to_xlsx(definition: dict) -> bytes:
    """Return the workbook (bytes of an .xlsx file) of a normalised definition."""
    from app.engine.fields import REGISTRY

    workbook = Workbook()
    workbook.remove(workbook.active)
    item = {**_cells(definition, ITEM), "extra": _extra(
        definition, ITEM, ("pages", "materials", "approval"))}
    _sheet(workbook, "item", _headers(ITEM) + ["extra"], [item])
    pages = [{**_cells(p, PAGE), "extra": _extra(p, PAGE, _STRUCTURE["pages"])}
             for p in definition.get("pages", [])]
    _sheet(workbook, "pages", _headers(PAGE) + ["extra"], pages)
    fields, options = [], []
    for page in definition.get("pages", []):
        _field_rows(page["key"], page.get("fields", []), None, options, fields)
    rules = max([int(m[1]) for row in fields for key in row if (m := _RULE.fullmatch(key))] or [0])
    rule_headers = [f"rule{n}.{part}" for n in range(1, rules + 1)
                    for part in ("check", "message::zh", "message::en")]
    headers = ["page", "group", *_headers(FIELD)[:13], "options", *_headers(FIELD)[13:],
               *rule_headers, "extra"]
    _sheet(workbook, "fields", headers, fields)
    types = DataValidation(type="list", formula1='"' + ",".join(REGISTRY) + '"', allow_blank=True)
    workbook["fields"].add_data_validation(types)
    types.add(f"D2:D{max(len(fields) + 1, 2) + 200}")
    _sheet(workbook, "options", _headers(OPTION), options)
    _sheet(workbook, "materials", _headers(MATERIAL) + ["extra"],
           [{**_cells(m, MATERIAL), "extra": _extra(m, MATERIAL)}
            for m in definition.get("materials", [])])
    _sheet(workbook, "steps", _headers(STEP) + ["extra"],
           [{**_cells(s, STEP), "extra": _extra(s, STEP)} for s in definition.get("approval", [])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading -------------------------------------------------------------------------------

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
