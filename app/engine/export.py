"""Write a normalised definition as its canonical YAML file (STYLE.md habit 13).

Canonical means: keys in one fixed order (:data:`ITEM_ORDER`, :data:`FIELD_ORDER` …; a field type's
own settings follow the known keys alphabetically); defaults left out (the schema drops them when
loading a base item); text as a plain string when it has only Chinese, else ``{zh: …, en: …}``;
block style for the item, pages, fields, materials and steps (one setting per line, so a diff
shows exactly what changed) and flow style for the small leaves — options, rules, lists of words
(``[self, agent]``), and text pairs up to :data:`LONG` characters (longer ones put zh and en on
lines of their own). A variant's ``null`` (a removed setting) is written ``null``. Comments are
not kept. ``export(load(f))`` is a fixpoint::

    export(load_definition(load_with_lines(export(d)))[0]) == export(d)
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from app.engine.schema import DEFAULTS, STATUSES, is_derived

ITEM_ORDER = ("schema", "code", "region", "derives", "name", "category", "audience", "notice",
              "filers", "time_limit_days", "retention_years", "outcomes", "summary", "result_document",
              "effective_from", "pages", "materials", "approval")
PAGE_ORDER = ("key", "title", "help", "hidden", "after", "fields")
FIELD_ORDER = ("key", "type", "label", "help", "placeholder", "required", "required_when",
               "visible_when", "readonly", "masked", "default", "prefill", "compute", "dictionary",
               "options")
FIELD_TAIL = ("min_items", "max_items", "rules", "fields", "locked", "hidden", "after")
MATERIAL_ORDER = ("key", "label", "help", "required", "required_when", "accept", "max_size_mb",
                  "max_files", "pledge", "locked", "hidden", "after")
STEP_ORDER = ("key", "name", "role", "level", "region_field", "when", "auto", "approvers",
              "distinct", "time_limit_days", "locked", "hidden", "after")
NOTICE_ORDER = ("title", "body", "acknowledge")
LONG = 100  # a text pair longer than this is written as a block, zh and en on lines of their own
#: Texts (a plain string, or {zh, en}): written as a plain string when there is no English.
#: ``text`` (display, acknowledge), ``add_label`` and ``pattern_message`` are types' own.
TEXT_KEYS = frozenset({"name", "category", "audience", "title", "body", "acknowledge", "label",
                       "help", "placeholder", "message", "text", "add_label", "pattern_message"})


class _Flow(dict):
    """A mapping written in flow style: ``{value: '1', label: 是}``."""


class _FlowList(list):
    """A list written in flow style: ``[jpg, pdf]``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent block sequences under their key ("pages:\n  - key: …"), as the files are written.
        return super().increase_indent(flow, False)


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping(
    "tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(dict, lambda d, v: d.represent_mapping(
    "tag:yaml.org,2002:map", v.items(), flow_style=False))


def _text(value: Any) -> Any:
    if isinstance(value, dict) and set(value) <= {"zh", "en"}:
        if not value.get("en"):
            return value.get("zh")
        if "\n" in value["zh"] + value["en"] or len(value["zh"]) + len(value["en"]) > LONG:
            return {"zh": value["zh"], "en": value["en"]}
        return _Flow(zh=value["zh"], en=value["en"])
    return value


def _ordered(mapping: dict, order: tuple, tail: tuple = (), keep_defaults: bool = False) -> dict:
    extra = sorted(k for k in mapping if k not in order and k not in tail)
    result = {}
    for key in list(order) + extra + list(tail):
        if key not in mapping or mapping[key] is None and not (keep_defaults
                                                               and key != "derives"):
            continue
        value = mapping[key]
        if value is None:  # a variant's null: the inherited setting removed
            result[key] = None
            continue
        if not keep_defaults and key in DEFAULTS and value == DEFAULTS[key] \
                and type(value) is type(DEFAULTS[key]):
            continue
        result[key] = _value(key, value, keep_defaults)
    return result


def _value(key: str, value: Any, keep_defaults: bool) -> Any:
    if key in TEXT_KEYS or key == "pledge":
        return _text(value)
    if key == "options":
        return [option["value"] if _text(option["label"]) == option["value"] else
                _Flow(value=option["value"], label=_text(option["label"])) for option in value]
    if key == "rules":
        return [_Flow(check=rule["check"], message=_text(rule["message"])) for rule in value]
    if key == "fields" and isinstance(value, list):
        return [_ordered(child, FIELD_ORDER, FIELD_TAIL, keep_defaults) for child in value]
    if key == "effective_from" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if key == "outcomes":
        return {status: _text(value[status]) for status in STATUSES if status in value}
    if key == "notice":
        return _ordered(value, NOTICE_ORDER, keep_defaults=keep_defaults)
    if key == "result_document":
        return _ordered(value, ("title", "language", "enrollment", "body"), keep_defaults=keep_defaults)
    return _plain(value)


def _plain(value: Any) -> Any:
    """A type's own setting, written as given; small single-line leaves in flow style."""
    if isinstance(value, list):
        if all(isinstance(v, (str, int, float, bool)) and "\n" not in str(v) for v in value):
            return _FlowList(value)
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(v, (str, int, float, bool)) and "\n" not in str(v)
               for v in value.values()):
            return _Flow(value)
        return {k: _plain(v) for k, v in value.items()}
    return value


def canonical(definition: dict) -> dict:
    """Return ``definition`` as ordered, YAML-ready data (defaults out unless a variant's)."""
    keep = is_derived(definition)  # a variant's explicit `required: false` is an override
    result = _ordered({k: v for k, v in definition.items()
                       if k not in ("pages", "materials", "approval")}, ITEM_ORDER, (), keep)
    if "pages" in definition:
        result["pages"] = []
        for page in definition["pages"]:
            ordered = _ordered({k: v for k, v in page.items() if k != "fields"}, PAGE_ORDER,
                               (), keep)
            if "fields" in page:
                ordered["fields"] = [_ordered(field, FIELD_ORDER, FIELD_TAIL, keep)
                                     for field in page["fields"]]
            result["pages"].append(ordered)
    if "materials" in definition:
        result["materials"] = [_ordered(m, MATERIAL_ORDER, (), keep)
                               for m in definition["materials"]]
    if "approval" in definition:
        result["approval"] = [_ordered(s, STEP_ORDER, (), keep) for s in definition["approval"]]
    return result


def export(definition: dict) -> str:
    """Return the canonical YAML text of a normalised definition."""
    return yaml.dump(canonical(definition), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=4096, indent=2)
