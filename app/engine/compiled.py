"""A complete definition text made ready to run, once per text: normalised, linted, every
expression compiled (cached by its SHA-256, LRU)."""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import NamedTuple, Optional

import yaml

from app.engine import lint_rules
from app.engine.cel import ExpressionError, compile_expression
from app.engine.lint import Checked, _yaml_problem, check_definition
from app.engine.problems import Problem
from app.yamlio import load_with_lines


class Compiled(NamedTuple):
    """A definition text made ready to run: normalised, linted, every expression compiled."""

    definition: Optional[dict]
    problems: list[Problem]
    expressions: dict


_COMPILED: "OrderedDict[str, Compiled]" = OrderedDict()
COMPILED_CACHE_SIZE = 256


def compile_text(text: str, path: str = "<definition>") -> Compiled:
    """Check and compile a complete definition once per text (cached by its SHA-256, LRU).

    For effective definitions (a published version, a variant already merged): ``derives`` is
    informational here, and code tables and regions are not consulted (publishing did that).
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest in _COMPILED:
        _COMPILED.move_to_end(digest)
        return _COMPILED[digest]
    try:
        tree = load_with_lines(text)
    except yaml.YAMLError as error:
        checked = Checked([_yaml_problem(path, error)])
    else:
        if isinstance(tree, dict):
            tree.pop("derives", None)
        checked = check_definition(tree, path)
    expressions = {}
    for source in _expressions(checked.definition or {}):
        try:
            expressions[source] = compile_expression(source)
        except ExpressionError:
            pass  # reported in problems
    compiled = Compiled(checked.definition, checked.problems, expressions)
    _COMPILED[digest] = compiled
    if len(_COMPILED) > COMPILED_CACHE_SIZE:
        _COMPILED.popitem(last=False)
    return compiled


def _expressions(definition: dict):
    for _path, field, _group, _page in lint_rules.fields_of(definition):
        for setting in lint_rules.FIELD_EXPRESSIONS:
            if isinstance(field.get(setting), str):
                yield field[setting]
        for rule in field.get("rules", []):
            yield rule.get("check")
    for material in definition.get("materials", []):
        if isinstance(material.get("required_when"), str):
            yield material["required_when"]
    for step in definition.get("approval", []):
        for setting in ("when", "auto"):
            if isinstance(step.get(setting), str):
                yield step[setting]
