"""The shape of a definition file (CONTRACT.md §3): marshmallow schemas, nothing that needs data.

    definition, errors = load_definition(tree)       # tree: app.yamlio.load_with_lines(text)
    errors                                          # [(path, message)], e.g. (("pages", 0, "key"), …)

Shape only (STYLE.md habit 4): unknown keys, the types of values, enumerations and ranges. What a
value *means* (is the field type known, does the CEL compile, does the dictionary exist …) is
:mod:`app.engine.lint`'s job. A field's type-specific settings pass through here unchecked — the
field-type registry decides which keys a type accepts.

The result is the normalised definition of ``docs/engine.md``: text is ``{"zh", "en"}``, options
are ``[{"value", "label"}]``, absent keys stay absent and, in a base item, keys written with their
default value (``required: false``, ``approvers: 1`` …) are dropped, so the exporter writes the
canonical file. A derived item (``derives:``) lists only what it overrides, so there an explicit
``required: false`` is kept: it is an override; and ``type``/``label``/``title``… are optional; a
``null`` there removes an inherited setting (:mod:`app.engine.nulls`).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, Schema, ValidationError, fields

from app.engine.nulls import check_nulls
from app.engine.schema_fields import (Bool, Condition, Date, Int, Key, List, Number, OneOf,
                                      Options, Raw, Str, Text, UNKNOWN, UnknownKey, invalid)

ACCEPT = ("doc", "docx", "jpeg", "jpg", "pdf", "png", "xls", "xlsx")
FILERS = ("self", "agent")
ROLES = ("Reviewer", "RegionAdmin")
LEVELS = ("county", "city", "province")
#: The longest retention period an item may state (the longest fixed period of China's
#: 社会保险业务档案管理规定 is 100 years); dates further away are not worth computing.
RETENTION_YEARS_MAX = 100
#: The statuses an item may name in ``outcomes`` (CONTRACT.md §4; app.models.application.STATUSES).
STATUSES = ("draft", "submitted", "returned", "approved", "refused", "withdrawn")
#: The most questions an item's ``summary`` may list (a list row has room for a few).
SUMMARY_MAX = 5
#: Keys dropped from a base item when written with these values (consumers apply the defaults).
DEFAULTS = {"required": False, "readonly": False, "masked": False, "locked": False,
            "hidden": False, "distinct": False, "pledge": False, "approvers": 1, "derives": None}
_CODE = re.compile(r"[a-z][a-z0-9_]{0,59}")
_REGION = re.compile(r"\d{6}(\d{5})?")


class _Strict(Schema):
    error_messages = {"unknown": UNKNOWN, "type": _l("must be a mapping")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {**self.error_messages, "unknown": UnknownKey(self.load_fields)}


def _positive(value):
    if value <= 0:
        raise invalid(_l("must be greater than 0"))


def _between(low: int, high: int):
    def check(value):
        if not low <= value <= high:
            raise invalid(_l("must be from %(low)s to %(high)s", low=low, high=high))
    return check


def _size(value):
    if not 0 < value <= 50:
        raise invalid(_l("must be more than 0 and at most 50 (MB)"))


def _unique(values):
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise invalid(_l("lists %(value)s twice", value=seen[0]))


def _not_empty(values):
    if not values:
        raise invalid(_l("must not be empty"))


def _code(value):
    if not _CODE.fullmatch(value):
        raise invalid(_l("must be lower-case letters, digits and _, starting with a "
                                 "letter (at most 60)"))


def _region(value):
    if not _REGION.fullmatch(value):
        raise invalid(_l('must be a region code of 6 or 11 digits, such as "440000"'))


def _at_most(count: int):
    def check(values):
        if len(values) > count:
            raise invalid(_l("lists at most %(count)s", count=count))
    return check


class Outcomes(fields.Field):
    """``{status: text}``: the item's own name for statuses of its applications."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise invalid(_l("must be a mapping of statuses to their names"))
        result, errors = {}, {}
        for status, name in value.items():
            if status not in STATUSES:
                errors[status] = [_l("not a status: name one of %(statuses)s",
                                     statuses=", ".join(STATUSES))]
                continue
            try:
                result[status] = Text().deserialize(name)
            except ValidationError as error:
                errors[status] = error.messages
        if errors:
            raise ValidationError(errors)
        return result


class RuleSchema(_Strict):
    check = Str(required=True)
    message = Text(required=True)


class NoticeSchema(_Strict):
    title = Text()
    body = Text(required=True)
    acknowledge = Text()


class ResultDocumentSchema(_Strict):
    """The document issued on approval (app.engine.documents): placeholders are lint's."""

    title = Text(required=True)
    language = Str()  # a choice question whose options name the languages (document_language)
    enrollment = Str()  # CEL on ``e``: which of person.enrollments the document prints
    body = Text(required=True)


def _schemas(derived: bool) -> type[Schema]:
    """Build the definition schema; a derived item's parts need only their ``key``."""
    full = not derived

    class ChildFieldSchema(Schema):
        class Meta:
            unknown = INCLUDE  # type-specific settings: the registry decides (lint)

        error_messages = _Strict.error_messages
        key = Key(required=True, field=True)
        type = Str(required=full)
        label = Text(required=full)
        help = Text()
        placeholder = Text()
        required = Bool()
        required_when = Condition()
        visible_when = Condition()
        readonly = Bool()
        masked = Bool()  # which fields may be masked is lint's (app.engine.masked)
        default = Raw()
        prefill = Str()
        compute = Str()
        dictionary = Str()
        only = List(Str(digits=True), validate=[_not_empty, _unique])  # codes or parents
        options = Options()
        rules = List(fields.Nested(RuleSchema))
        locked = Bool()
        hidden = Bool()
        after = Key()

    class FieldSchema(ChildFieldSchema):
        fields = List(fields.Nested(ChildFieldSchema))
        min_items = Int(validate=_between(0, 1000))
        max_items = Int(validate=_between(1, 1000))
        add_label = Text()

    class PageSchema(_Strict):
        key = Key(required=True)
        title = Text(required=full)
        help = Text()
        # An empty list is a page still being built in the designer: a draft keeps it, lint
        # refuses to publish it (app.engine.lint_placeholders).
        fields = List(fields.Nested(FieldSchema), required=full)
        hidden = Bool()
        after = Key()

    class MaterialSchema(_Strict):
        key = Key(required=True)
        label = Text(required=full)
        help = Text()
        required = Bool()
        required_when = Condition()
        accept = List(OneOf(ACCEPT), validate=[_not_empty, _unique])
        max_size_mb = Number(validate=_size)
        max_files = Int(validate=_between(1, 20))
        pledge = Bool(or_text=True)
        locked = Bool()
        hidden = Bool()
        after = Key()

    class StepSchema(_Strict):
        key = Key(required=True)
        name = Text(required=full)
        role = OneOf(ROLES)
        level = OneOf(LEVELS)
        region_field = Key()
        when = Condition()
        auto = Condition()
        approvers = Int(validate=_between(1, 20))
        distinct = Bool()
        time_limit_days = Int(validate=_positive)
        locked = Bool()
        hidden = Bool()
        after = Key()

    class DefinitionSchema(_Strict):
        schema = Int(required=True, validate=_schema_version)
        code = Str(required=True, validate=_code)
        region = Str(required=True, validate=_region, digits=True)
        derives = Str(allow_none=True, validate=_code)
        name = Text(required=full)
        category = Text()
        audience = Text()
        notice = fields.Nested(NoticeSchema)
        filers = List(OneOf(FILERS), validate=[_not_empty, _unique])
        time_limit_days = Int(validate=_positive)
        retention_years = Int(validate=_between(1, RETENTION_YEARS_MAX))
        outcomes = Outcomes(validate=_not_empty)
        summary = List(Key(field=True), validate=[_not_empty, _unique, _at_most(SUMMARY_MAX)])
        result_document = fields.Nested(ResultDocumentSchema)
        effective_from = Date()
        pages = List(fields.Nested(PageSchema), required=full, validate=_not_empty)
        materials = List(fields.Nested(MaterialSchema))
        approval = List(fields.Nested(StepSchema))

    for schema in (ChildFieldSchema, FieldSchema, PageSchema, MaterialSchema, StepSchema,
                   DefinitionSchema):  # a null is app.engine.nulls' to judge
        for declared in schema._declared_fields.values():
            declared.allow_none = True
    return DefinitionSchema


def _schema_version(value):
    if value != 1:
        raise invalid(_l("must be 1 (the only format version so far)"))


_BASE, _DERIVED = _schemas(derived=False)(), _schemas(derived=True)()


def is_derived(tree: Any) -> bool:
    return isinstance(tree, dict) and tree.get("derives") not in (None, "")


def load_definition(tree: Any) -> tuple[dict, list[tuple[tuple, Any]]]:
    """Check the shape of a parsed file; return the normalised definition and the errors.

    With errors, the definition holds what did load, so later checks can still run on it.
    Each error is ``(path, message)``, ``path`` a tuple of keys and list indices.
    """
    derived = is_derived(tree)
    try:
        data = (_DERIVED if derived else _BASE).load(tree)
        errors: list = []
    except ValidationError as error:
        data = error.valid_data if isinstance(error.valid_data, dict) else {}
        errors = list(_flatten(error.messages, ()))
    errors += check_nulls(data, derived)
    return finish(data, drop_defaults=not derived), errors


def _flatten(messages, path):
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(value, path if key == "_schema" else path + (key,))
    elif isinstance(messages, (list, tuple)):
        for message in messages:
            yield from _flatten(message, path)
    else:
        yield path, messages


def finish(value: Any, drop_defaults: bool) -> Any:
    """Return plain JSON-ready data: dates as ISO text, ``None`` and (optionally) defaults gone."""
    if isinstance(value, dict):
        return {key: finish(item, drop_defaults) for key, item in value.items()
                if not ((drop_defaults or item is None) and key in DEFAULTS
                        and item == DEFAULTS[key] and type(item) is type(DEFAULTS[key]))}
    if isinstance(value, (list, tuple)):
        return [finish(item, drop_defaults) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

