"""Check definition files and report every problem at once, by line (``flask formdefs lint``).

    problems = lint_text(text, "app/formdefs/x.yaml", known_dictionaries={...},
                         region_exists=lambda code: ...)
    [str(p) for p in problems]          # ["app/formdefs/x.yaml:12: unknown field type …", …]

Three layers, all reported together and sorted by line: YAML syntax; the shape
(:mod:`app.engine.schema`); the meaning (:mod:`app.engine.lint_rules`: field types and their
settings, duplicate keys, CEL, code tables, regions, placeholder texts the designer put in and
nobody replaced, an approval chain that is empty or sends a step above the item's region
(:mod:`app.engine.lint_approval`); for a derived item also its parent, locked parts and
derivation cycles, checked on the merged definition but reported at the variant's own lines).
What needs the database comes in through :class:`LintContext`; without it those checks are skipped, except that a derived
item's parent is looked for among the files linted together.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field, replace
from typing import Any, Callable, Collection, Mapping, Optional

import yaml
from flask_babel import lazy_gettext as _l

from app.engine import (documents, lint_approval, lint_attributes, lint_chars,
                        lint_placeholders, lint_rules, lint_sources, lint_summary, lint_types,
                        lint_visibility)
from app.engine.fields.base import level_by_shape
from app.engine.limits import check_limits, reading_limits
from app.engine.merge import ITEM_KEYS, merge
from app.engine.problems import Collector, Problem, shape_message
from app.engine.schema import is_derived, load_definition
from app.yamlio import error_place, load_with_lines, reading_message

__all__ = ["LintContext", "ParentItem", "Problem", "check_definition", "lint_batch",
           "lint_definition", "lint_text", "merged_limits"]


@dataclass(frozen=True)
class ParentItem:
    """An item a derived item may derive from: from the files being linted, or stored."""

    code: str
    region: str
    definition: dict
    derives: Optional[str] = None
    effective: bool = True  # False: ``definition`` is a variant's overrides, still to be merged
    item_id: Optional[int] = None
    version_id: Optional[int] = None

    @property
    def label(self) -> str:
        return f"{self.code}@{self.region}"


def chain_by_shape(code: str) -> list[str]:
    """Return a region and its ancestors by GB/T 2260 code shape, nearest first."""
    chain = [code]
    if len(code) > 6:
        chain.append(code := code[:6])
    if not code.endswith("00"):
        chain.append(code := code[:4] + "00")
    if not code.endswith("0000"):
        chain.append(code[:2] + "0000")
    return chain


@dataclass(frozen=True)
class LintContext:
    """What lint may ask beyond the file; the CLI and commands fill it from the database."""

    known_dictionaries: Optional[Collection[str]] = None
    #: ``(dictionary, region) -> codes`` in effect there (None: unknown table), for ``only``.
    dictionary_codes: Optional[Callable[[str, Optional[str]], Optional[Collection[str]]]] = None
    region_exists: Optional[Callable[[str], bool]] = None
    region_chain: Callable[[str], list[str]] = chain_by_shape
    #: A region's level (province … grassroots; None when unknown), for where steps are handled.
    region_level: Callable[[str], Optional[str]] = level_by_shape
    stored_item: Optional[Callable[[str, str], Optional[ParentItem]]] = None
    batch: Mapping[tuple, ParentItem] = dataclass_field(default_factory=dict)

    def find_parent(self, code: str, region: str, exclude: tuple) -> Optional[ParentItem]:
        """Return the nearest item ``code`` in ``region`` or above it, other than ``exclude``."""
        for candidate in self.region_chain(region):
            if (code, candidate) == exclude:
                continue
            found = self.batch.get((code, candidate)) or (
                self.stored_item(code, candidate) if self.stored_item else None)
            if found is not None:
                return found
        return None


@dataclass
class Checked:
    """The outcome of checking one file."""

    problems: list[Problem]
    source: dict = dataclass_field(default_factory=dict)  # as written (normalised)
    definition: Optional[dict] = None  # effective: merged onto the parent for a variant
    parent: Optional[ParentItem] = None
    warnings: list[Problem] = dataclass_field(default_factory=list)  # do not stop publishing
    #: The problems a draft cannot be kept with either — the file's syntax and shape, its
    #: region, a duplicate key, a variant's parent and merge (locks), an unknown field type —
    #: as opposed to what only publishing refuses (placeholders, unknown references …).
    blocking: list[Problem] = dataclass_field(default_factory=list)


def _yaml_problem(path: str, error: yaml.YAMLError) -> Problem:
    return Problem(str(path), error_place(error)[0], reading_message(error, path))


def check_text(text: str, path: str, context: Optional[LintContext] = None) -> Checked:
    try:
        tree = load_with_lines(text, reading_limits())
    except yaml.YAMLError as error:
        problem = _yaml_problem(path, error)
        return Checked([problem], blocking=[problem])
    return check_definition(tree, path, context)


def _parent_definition(context: LintContext, source: dict):
    """Find the parent and its effective definition; a problem if none or if derivation loops."""
    code, region = source["code"], source["region"]
    parent = context.find_parent(source["derives"], region, (code, region))
    if parent is None:
        return None, None, _l('parent item "%(code)s" not found in region %(region)s or the '
                              "regions above it", code=source["derives"], region=region)
    chain, stack = [(code, region), (parent.code, parent.region)], [parent]
    while not stack[-1].effective and stack[-1].derives:
        node = stack[-1]
        above = context.find_parent(node.derives, node.region, (node.code, node.region))
        if above is None:
            break
        if (above.code, above.region) in chain:
            loop = " → ".join(f"{c}@{r}" for c, r in chain + [(above.code, above.region)])
            return parent, None, _l("derivation cycle: %(chain)s", chain=loop)
        chain.append((above.code, above.region))
        stack.append(above)
    definition = stack[-1].definition
    for node in reversed(stack[:-1]):
        definition = merge(definition, node.definition).definition
    return parent, definition, None


def _own_steps(source: dict) -> set:
    """Return the keys of the steps whose level a variant gives, or whose region_field it sets
    or removes."""
    return {step.get("key") for step in source.get("approval") or ()
            if isinstance(step, dict) and (step.get("level") is not None
                                           or "region_field" in step)}


def _locator(origins: dict, source: dict):
    def locate(path: tuple) -> Optional[tuple]:
        for size in range(len(path), 0, -1):
            if path[:size] in origins:
                return origins[path[:size]] + path[size:]
        if path and path[0] in ITEM_KEYS + ("schema", "code", "region") and path[0] in source:
            return path
        return None
    return locate


def check_definition(tree: Any, path: str, context: Optional[LintContext] = None) -> Checked:
    """Check a parsed file (a :class:`~app.yamlio.LineDict` tree, or a plain mapping)."""
    context = context or LintContext()
    c = Collector(path, tree)
    if not isinstance(tree, dict):
        c.add((), _l("the file must hold one item: a mapping with schema, code, region, name …"))
        return Checked(c.sorted(), blocking=c.sorted())
    check_limits(tree, c)
    if c.problems:  # the rest would take long on so much: these first
        return Checked(c.sorted(), blocking=c.sorted())
    lint_chars.check_characters(tree, c)
    source, errors = load_definition(tree)
    for error_path, message in errors:
        c.add(error_path, shape_message(error_path, message))
    derived = is_derived(tree)
    if not derived:
        lint_rules.check_control_keys(source, c)
    lint_rules.check_duplicates(source, c)
    region = source.get("region")
    if region and context.region_exists is not None and not context.region_exists(region):
        c.add(("region",), _l('unknown region "%(code)s"', code=region))
    definition, parent, hidden, target = source, None, {}, c
    if derived:
        if not (source.get("code") and region and source.get("derives")):
            return Checked(c.sorted(), source, blocking=c.sorted())
        parent, definition, problem = _parent_definition(context, source)
        if problem is not None:
            c.add(("derives",), problem)
            return Checked(c.sorted(), source, None, parent, blocking=c.sorted())
        merged = merge(definition, source)
        for merge_path, message in merged.problems:
            c.add(merge_path, message)
        definition, hidden = merged.definition, merged.hidden
        target = Collector(path, tree, _locator(merged.origins, source), fallback=("derives",))
        check_limits(definition, target, parent.label)  # what the variant adds counts too
    blocking = list(c.problems)  # all of these: the draft itself is unusable
    lint_rules.check_fields(definition, target, context.known_dictionaries)
    lint_sources.check_sources(definition, target, context.region_exists)
    lint_summary.check_summary(definition, target)
    documents.check_result_document(definition, target)
    if context.dictionary_codes is not None:
        lint_rules.check_only(definition, target, lambda code: context.dictionary_codes(
            code, region))
    lint_placeholders.check_placeholders(definition, target)
    lint_placeholders.check_empty_pages(definition, target)
    lint_rules.check_steps(definition, target)
    lint_rules.check_completeness(definition, target, None if derived else tree)
    lint_approval.check_chain(definition, target, context.region_level,
                              _own_steps(source) if derived else None)
    lint_rules.check_expressions(definition, target, hidden)
    lint_types.check_types(definition, target)
    lint_attributes.check_attributes(definition, target)
    lint_visibility.check_visibility(definition, target)
    if target is not c:
        c.problems.extend(target.problems)
    warnings = sorted(set(target.warnings), key=lambda p: (p.line, p.message))
    blocking = sorted(set(blocking + target.blocking), key=lambda p: (p.line, p.message))
    return Checked(c.sorted(), source, definition, parent, warnings, blocking)


def merged_limits(source: dict, tree: Any, path: str, context: LintContext) -> list[Problem]:
    """Return the limits a variant's draft goes past once merged onto its parent, at its own
    lines, as :func:`check_definition` reports them (a designer save checks the same)."""
    if not (is_derived(source) and source.get("code") and source.get("region")):
        return []
    parent, definition, _problem = _parent_definition(context, source)
    if definition is None:  # no parent, or a loop: lint and publish name it
        return []
    merged = merge(definition, source)
    target = Collector(path, tree, _locator(merged.origins, source), fallback=("derives",))
    check_limits(merged.definition, target, parent.label)
    return target.sorted()


def lint_text(text: str, path: str, context: Optional[LintContext] = None,
              **settings) -> list[Problem]:
    """Return every problem of a definition file's text, sorted by line."""
    return check_text(text, path, context or LintContext(**settings)).problems


def lint_definition(tree: Any, path: str, context: Optional[LintContext] = None,
                    **settings) -> list[Problem]:
    """Return every problem of a parsed definition, sorted by line."""
    return check_definition(tree, path, context or LintContext(**settings)).problems


def lint_batch(files: Mapping[str, str], context: Optional[LintContext] = None) -> dict[str, Checked]:
    """Check files loaded together: a variant may derive from another file of the batch."""
    context = context or LintContext()
    trees, batch, places, seen = {}, {}, {}, {}
    for path, text in files.items():
        try:
            trees[path] = load_with_lines(text, reading_limits())
        except yaml.YAMLError as error:
            trees[path] = _yaml_problem(path, error)
            continue
        if not isinstance(trees[path], dict):
            continue
        source, _errors = load_definition(trees[path])
        ident = (source.get("code"), source.get("region"))
        if None in ident:
            continue
        if ident in batch:
            places[path] = seen[ident]
            continue
        seen[ident] = path
        batch[ident] = ParentItem(ident[0], ident[1], source, source.get("derives"),
                                  effective=not is_derived(source))
    context = replace(context, batch={**context.batch, **batch})
    result = {}
    for path, tree in trees.items():
        if isinstance(tree, Problem):
            result[path] = Checked([tree], blocking=[tree])
            continue
        checked = check_definition(tree, path, context)
        if path in places:
            c = Collector(path, tree)
            c.add(("code",), _l('item "%(code)s" of region %(region)s is also defined in '
                                "%(other)s", code=tree.get("code"), region=tree.get("region"),
                                other=places[path]))
            checked.problems = sorted(checked.problems + c.problems,
                                      key=lambda p: (p.line, p.message))
            checked.blocking = sorted(checked.blocking + c.problems,
                                      key=lambda p: (p.line, p.message))
        result[path] = checked
    return result
