"""A definition as an Excel workbook, in the spirit of XLSForm, and back (openpyxl).

    data = to_xlsx(definition)                   # bytes of a .xlsx
    definition, problems = from_xlsx(data)       # normalised, as app.engine.schema loads YAML

Sheets (row 1 holds the column names; one part per row, in order; empty rows are skipped):

``item``      one row: ``schema``, ``code``, ``region``, ``derives``, ``name::zh`` ``name::en``,
              ``category::…``, ``audience::…``, ``notice.title::…``, ``notice.body::…``,
              ``notice.acknowledge::…``, ``filers`` (``self, agent``), ``time_limit_days``,
              ``retention_years``, ``outcomes.<status>::…`` (one pair per status of
              :data:`app.engine.schema.STATUSES`), ``summary`` (``filing_type, start_date``),
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
(a future type setting) goes, as YAML, into the row's ``extra`` column, so nothing is lost — a
variant's ``null`` (a removed setting, which an empty cell cannot say) too: ``{when: null}``.
Strings are written as text cells, never formulas (``=…`` stays inert, SECURITY_TESTS B7).

The round trip holds for every definition (tests/unit/test_xlsform.py): ``from_xlsx(to_xlsx(d))``
gives ``d`` back. The loader checks the *shape* with the same schema as YAML files, and names
each problem by sheet and row; what the definition means is lint's, on publishing.
"""
from __future__ import annotations

import io
import re
from typing import Any, Iterable, Optional

import yaml
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.engine.schema import STATUSES


TEXT, STR, INT, NUMBER, BOOL, COND, WORDS, SCALAR, YAML = (
    "text", "str", "int", "number", "bool", "cond", "words", "scalar", "yaml")
LANGS = ("zh", "en")

ITEM = [("schema", INT), ("code", STR), ("region", STR), ("derives", STR), ("name", TEXT),
        ("category", TEXT), ("audience", TEXT), ("notice.title", TEXT), ("notice.body", TEXT),
        ("notice.acknowledge", TEXT), ("filers", WORDS), ("time_limit_days", INT),
        ("retention_years", INT), *((f"outcomes.{status}", TEXT) for status in STATUSES),
        ("summary", WORDS), ("effective_from", STR)]
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
            if isinstance(value, str):  # kept as written (a display's text): the zh column
                cells[f"{name}::zh"] = value
            elif isinstance(value, dict):
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
    rest = {k: v for k, v in node.items() if k not in known or v is None and k != "derives"}
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


def from_xlsx(data: bytes) -> tuple[dict, list[str]]:
    """Read a workbook into a definition (see :mod:`app.engine.xlsform_read`)."""
    from app.engine.xlsform_read import from_xlsx as read

    return read(data)
