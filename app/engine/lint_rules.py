"""What lint checks in a (normalised, for a variant: merged) definition, beyond its shape.

Each check reports through a :class:`~app.engine.problems.Collector` by path; the collector finds
the line. Messages are English msgids, translated where they are shown.
"""
from __future__ import annotations

from typing import Any, Callable, Collection, Iterator, Optional

from flask_babel import LazyString, lazy_gettext as _l

from app.engine.cel import ExpressionError, compile_expression
from app.engine.problems import Collector, unknown_key

#: Variables every expression sees besides the field keys (CONTRACT.md §3).
BASE_VARIABLES = frozenset({"filer", "person", "region", "today"})
FIELD_EXPRESSIONS = ("visible_when", "required_when", "compute", "among")
#: The citizen wizard's own steps (app.views.citizen.wizard_support): no page may be called so.
RESERVED_PAGE_KEYS = frozenset({"notice", "filer", "materials", "confirm"})
_CONTROL = ("hidden", "after")


def _registry():
    from app.engine.fields import COMMON_SETTINGS, REGISTRY  # the other half of the engine

    return REGISTRY, COMMON_SETTINGS


def fields_of(definition: dict) -> Iterator[tuple[tuple, dict, Optional[dict], int]]:
    """Yield (path, field, group or None, page index) for every field, group children included."""
    for p, page in enumerate(_list(definition.get("pages"))):
        for f, field in enumerate(_list(page.get("fields"))):
            path = ("pages", p, "fields", f)
            yield path, field, None, p
            for c, child in enumerate(_list(field.get("fields"))):
                yield path + ("fields", c), child, field, p


def _list(value: Any) -> list:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _name(field: dict, group: Optional[dict]) -> str:
    return f"{group.get('key')}.{field.get('key')}" if group else str(field.get("key"))


def check_control_keys(source: dict, c: Collector) -> None:
    """``hidden`` and ``after`` only mean something in a derived item."""
    parts = [(path, field) for path, field, _g, _p in fields_of(source)]
    parts += [(("pages", i), page) for i, page in enumerate(_list(source.get("pages")))]
    parts += [((part, i), item) for part in ("materials", "approval")
              for i, item in enumerate(_list(source.get(part)))]
    for path, node in parts:
        for key in _CONTROL:
            if key in node:
                c.add(path + (key,), _l('"%(key)s" is only for a derived item (one with '
                                        '"derives")', key=key))


def check_duplicates(source: dict, c: Collector) -> None:
    """Keys are unique: fields across the item (a group's fields within it), pages, materials, steps."""
    def first_seen(items, kind_message):
        seen: dict[Any, tuple] = {}
        for path, node in items:
            key = node.get("key")
            if key is None:
                continue
            if key in seen:
                c.add(path + ("key",), kind_message(key, c.line(seen[key] + ("key",))))
            else:
                seen[key] = path
    pages = _list(source.get("pages"))
    for index, page in enumerate(pages):
        if page.get("key") in RESERVED_PAGE_KEYS:
            c.add(("pages", index, "key"), _l(
                'page key "%(key)s" is a step of the wizard itself (%(reserved)s); choose '
                "another", key=page["key"], reserved=", ".join(sorted(RESERVED_PAGE_KEYS))))
    first_seen([(("pages", i), page) for i, page in enumerate(pages)],
               lambda key, line: _l('duplicate page key "%(key)s" (first at line %(line)s)',
                                    key=key, line=line))
    first_seen([(path, field) for path, field, group, _p in fields_of(source) if group is None],
               lambda key, line: _l('duplicate field key "%(key)s" (first at line %(line)s)',
                                    key=key, line=line))
    for path, field, group, _p in fields_of(source):
        if group is None and _list(field.get("fields")):
            first_seen([(path + ("fields", i), child) for i, child in enumerate(
                _list(field.get("fields")))],
                lambda key, line: _l('duplicate field key "%(key)s" in the group (first at line '
                                     '%(line)s)', key=key, line=line))
    first_seen([(("materials", i), m) for i, m in enumerate(_list(source.get("materials")))],
               lambda key, line: _l('duplicate material key "%(key)s" (first at line %(line)s)',
                                    key=key, line=line))
    first_seen([(("approval", i), s) for i, s in enumerate(_list(source.get("approval")))],
               lambda key, line: _l('duplicate step key "%(key)s" (first at line %(line)s)',
                                    key=key, line=line))


def check_fields(definition: dict, c: Collector,
                 known_dictionaries: Optional[Collection[str]]) -> None:
    """Types, keys per type, required settings, options, dictionaries, never-visible fields,
    ``masked`` where it cannot be, ``signer`` and ``name_field``."""
    from app.engine.masked import masking_problem  # it reads the registry, as _registry
    from app.engine.people import check_people_settings

    registry, common = _registry()
    for path, field, group, page in fields_of(definition):
        name = field.get("type")
        if not isinstance(name, str):
            continue
        ftype = registry.get(name)
        if ftype is None:
            c.block(path + ("type",), _l('unknown field type "%(type)s" (valid: %(valid)s)',
                                         type=name, valid=", ".join(sorted(registry))))
            continue
        allowed = common | ftype.settings | set(_CONTROL) | {"masked"}  # its own message
        for key in field:
            if key not in allowed:
                c.add(path + (key,), unknown_key(key, allowed, name))
        for setting in sorted(ftype.required_settings - set(field)):
            c.add(path, _l('field "%(key)s" of type %(type)s needs "%(setting)s"',
                           key=_name(field, group), type=name, setting=setting))
        if group is not None and getattr(ftype, "nested", False):
            c.add(path + ("type",), _l("a repeating group cannot contain another one"))
        elif group is not None and (getattr(ftype, "source", None)
                                    or getattr(ftype, "table", None)):
            c.add(path + ("type",), _l('a repeating group cannot contain a field of type '
                                       '%(type)s: it shows records of the person, the same on '
                                       'every row', type=name))
        if field.get("options") == [] and "options" in ftype.settings:
            c.add(path + ("options",), _l('field "%(key)s": options must not be empty',
                                          key=_name(field, group)))
        if getattr(ftype, "nested", False) and field.get("fields") == []:
            c.add(path + ("fields",), _l('group "%(key)s" needs at least one field',
                                         key=_name(field, group)))
        low, high = field.get("min_items"), field.get("max_items")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            c.add(path + ("min_items",), _l("min_items is greater than max_items"))
        _check_columns(field, path, c)
        if (problem := masking_problem(field)) is not None:
            c.add(path + ("masked",), problem)
        check_people_settings(path, field, _list(group.get("fields")) if group else _list(
            _list(definition.get("pages"))[page].get("fields")), c)
        code = field.get("dictionary")
        if (isinstance(code, str) and known_dictionaries is not None
                and code not in known_dictionaries and "dictionary" in ftype.settings):
            c.block(path + ("dictionary",), _l('unknown dictionary "%(code)s"', code=code))
        visible = field.get("visible_when")
        if field.get("required") is True and (visible is False or (
                isinstance(visible, str) and visible.strip() == "false")):
            c.add(path + ("required",), _l('field "%(key)s" is required but never shown '
                                           "(visible_when is false)", key=_name(field, group)))


def _check_columns(field: dict, path: tuple, c: Collector) -> None:
    """An enrollments table's ``columns`` are known columns."""
    from app.engine.fields.person import COLUMNS

    if field.get("type") != "enrollments" or "columns" not in field:
        return
    given = field["columns"]
    if not isinstance(given, list) or not given:
        c.add(path + ("columns",), _l("columns must be a list of: %(valid)s",
                                      valid=", ".join(COLUMNS)))
        return
    for index, column in enumerate(given):
        if column not in COLUMNS:
            c.add(path + ("columns", index), _l('unknown column "%(column)s" (valid: %(valid)s)',
                                                column=column, valid=", ".join(COLUMNS)))


def check_only(definition: dict, c: Collector,
               codes_of: Callable[[str], Optional[Collection[str]]]) -> None:
    """A dictionary field's ``only`` lists codes of its table (a parent admits its children)."""
    for path, field, group, _page in fields_of(definition):
        only, table = field.get("only"), field.get("dictionary")
        if field.get("type") != "dictionary" or not isinstance(only, list) or not isinstance(
                table, str):
            continue
        codes = codes_of(table)
        if codes is None:
            continue  # an unknown table is reported by check_fields
        for index, code in enumerate(only):
            if code not in codes:
                c.add(path + ("only", index), _l(
                    'field "%(key)s": "%(code)s" in only is not a code of %(table)s',
                    key=_name(field, group), code=code, table=table))


def check_steps(definition: dict, c: Collector) -> None:
    """``region_field`` names a field of type region."""
    types = {field.get("key"): field.get("type")
             for _path, field, group, _p in fields_of(definition) if group is None}
    for index, step in enumerate(_list(definition.get("approval"))):
        key = step.get("region_field")
        if not isinstance(key, str):
            continue
        path = ("approval", index, "region_field")
        if key not in types:
            c.add(path, _l('region_field "%(key)s" is not a field of this item', key=key))
        elif types[key] != "region":
            c.add(path, _l('region_field "%(key)s" must name a field of type region, not '
                           "%(type)s", key=key, type=types[key]))


def check_completeness(definition: dict, c: Collector, tree: Any = None) -> None:
    """Someone must be able to act on each step (an error); an item without a statutory time
    limit or a category is allowed but worth a warning. A step's ``level``, a time limit or a
    category the file (``tree``) gives but the schema refused has that one message only."""
    written = tree.get("approval") if isinstance(tree, dict) else None
    written = written if isinstance(written, list) else []
    for index, step in enumerate(_list(definition.get("approval"))):
        given = index < len(written) and isinstance(written[index], dict) and \
            written[index].get("level") not in (None, "")
        if not step.get("auto") and not step.get("level") and not given:
            c.add(("approval", index), _l('step "%(key)s" does not say who decides it: choose '
                                          "the region level (and the role) that handles it",
                                          key=step.get("key")))
    given_as = tree if isinstance(tree, dict) else {}
    if not definition.get("time_limit_days") and given_as.get("time_limit_days") in (None, ""):
        c.warn(("name",), _l("no time limit: applications get no statutory deadline, and "
                             "none is ever shown as overdue"))
    if not definition.get("category") and given_as.get("category") in (None, ""):
        c.warn(("name",), _l('no category: citizens find the item under "Other"'))


def check_expressions(definition: dict, c: Collector,
                      hidden: Optional[dict] = None) -> None:
    """Every CEL expression compiles and reads only variables it can see.

    A field's expressions see the fields of its page and of earlier pages; a group's fields also
    see their siblings; materials and steps see every field. ``hidden`` (variants) maps a field
    key the variant hid to the line-path of ``hidden: true``, where the problem is reported.
    """
    hidden = hidden or {}
    pages = _list(definition.get("pages"))
    page_of = {}
    for index, page in enumerate(pages):
        for field in _list(page.get("fields")):
            page_of.setdefault(field.get("key"), index)
    every = set(page_of) | BASE_VARIABLES

    def check(source, path, where, visible: set, on_page: Optional[int]):
        if not isinstance(source, str):
            return
        try:
            names = compile_expression(source).references
        except ExpressionError as error:
            if error.detail == "cost":  # it compiles, but would cost too much on every save
                c.block(path, _l("%(where)s: Expression is refused as too costly: %(problem)s",
                                 where=where, problem=error.message))
                return
            from app.engine.cel_check import compile_message  # cel_check imports this module

            # In plain words and the reader's language, as the designer's field editor says it.
            c.block(path, _l("%(where)s: Expression does not compile: %(error)s", where=where,
                             error=LazyString(compile_message, error)))
            return
        for name in sorted(names - visible):
            if name in hidden:
                c.add_direct(hidden[name], _l('"%(name)s" cannot be hidden: %(where)s uses it',
                                              name=name, where=where))
            elif on_page is None:
                c.add(path, _l('%(where)s uses "%(name)s", which is not a field of this item',
                               where=where, name=name))
            elif name in page_of:
                c.add(path, _l('%(where)s uses "%(name)s", which is only asked on a later page '
                               '("%(page)s")', where=where, name=name,
                               page=pages[page_of[name]].get("key")))
            else:
                c.add(path, _l('%(where)s uses "%(name)s", which is not a field on this page or '
                               "an earlier one", where=where, name=name))

    for path, field, group, page in fields_of(definition):
        visible = {k for k, p in page_of.items() if p <= page} | BASE_VARIABLES
        if group is not None:
            visible |= {child.get("key") for child in _list(group.get("fields"))}
        label = _name(field, group)
        for setting in FIELD_EXPRESSIONS:
            check(field.get(setting), path + (setting,),
                  _l('%(setting)s of field "%(key)s"', setting=setting, key=label), visible, page)
        for number, rule in enumerate(_list(field.get("rules")), start=1):
            check(rule.get("check"), path + ("rules", number - 1, "check"),
                  _l('rule %(number)s of field "%(key)s"', number=number, key=label), visible, page)
    _check_parts(definition, check, every)


def _check_parts(definition: dict, check: Callable, every: set) -> None:
    for index, material in enumerate(_list(definition.get("materials"))):
        check(material.get("required_when"), ("materials", index, "required_when"),
              _l('required_when of material "%(key)s"', key=material.get("key")), every, None)
    for index, step in enumerate(_list(definition.get("approval"))):
        for setting in ("when", "auto"):
            check(step.get(setting), ("approval", index, setting),
                  _l('%(setting)s of step "%(key)s"', setting=setting, key=step.get("key")),
                  every, None)
    document = definition.get("result_document")
    if isinstance(document, dict):  # app.engine.documents: ``e`` is one of person.enrollments
        check(document.get("enrollment"), ("result_document", "enrollment"),
              _l("enrollment of result_document"), every | {"e"}, None)
