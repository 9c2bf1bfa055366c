"""Identifier types: id_card, mobile, postcode, bank_account (Luhn only warns) and uscc."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from stdnum import luhn
from wtforms import StringField
from wtforms.widgets import TelInput

from app.engine.fields.base import EngineContext, FieldType, People, same_name
from app.engine.fields.widgets import form_kwargs
from app.validators import (canonical_bank_account, canonical_id_number, canonical_mobile,
                            canonical_postcode, canonical_uscc, mask_id_number, mask_mobile)

MASKED = frozenset({"masked"})
NAME_MISMATCH = _l("The name and ID number do not match our records.")
# What the parsers accept, as far as a pattern can say: a check digit (USCC, ID number) or a
# number's existence (phonenumbers' ranges) are beyond it (tests/unit/test_field_schema_edges.py).
#: 12 to 19 digits, spaces and dashes anywhere (app.validators.canonical_bank_account).
BANK_ACCOUNT_PATTERN = r"^[ -]*([0-9][ -]*){12,19}$"
#: A mainland mobile: 11 digits from 13…19…, +86 in front, a space or dash between digits.
MOBILE_PATTERN = r"^(\+86 ?)?1[3-9]([ -]?[0-9]){9}$"
#: 18 characters of GB 32100's alphabet (no I, O, S, V, Z), in either case.
USCC_PATTERN = r"^\s*[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{18}\s*$"


def _id_number(raw: Any, field: Mapping, ctx: EngineContext) -> str:
    # The address code is not checked against the region table: real numbers carry codes of
    # divisions abolished since (DESIGN.md, "ID numbers").
    return canonical_id_number(raw, today=ctx.current_date())


def _name_check(value: Any, field: Mapping, beside: Mapping, people: People) -> Any:
    """Refuse an ID number the person registry knows under another name than the answer of
    ``name_field`` beside it (an ID number the registry does not know is not refused)."""
    name = beside.get(field.get("name_field") or "")
    if not isinstance(value, str) or not isinstance(name, str) or not name.strip():
        return None
    known = people.name_of(value)
    return None if known is None or same_name(name, known) else NAME_MISMATCH


def _luhn_warning(value: str, field: Mapping, ctx: EngineContext) -> list:
    if luhn.is_valid(value):
        return []
    return [_l("Please check the account number: it fails the usual check-digit test.")]


def _text_input(maxlength: int, widget: Any = None, **render_kw: Any):
    """Return a widget builder for a single-line identifier input."""
    def build(field: Mapping, ctx: EngineContext) -> StringField:
        extra = {"widget": widget} if widget else {}
        return StringField(**extra, **form_kwargs(field, ctx, maxlength=maxlength, **render_kw))
    return build


def _string(pattern: str | None = None, max_length: int = 64) -> Any:
    schema = {"type": "string", "maxLength": max_length}
    if pattern:
        schema["pattern"] = pattern
    return lambda field, ctx: schema


TYPES = (
    FieldType(
        "id_card", "text",
        textual=True,
        parser=_id_number,
        widget=_text_input(20, autocomplete="off"),
        schema=_string(r"^\s*([0-9]{17}[0-9Xx]|[0-9]{15})\s*$", 32),
        settings=MASKED | {"name_field"}, mask=mask_id_number, person_check=_name_check,
    ),
    FieldType(
        "mobile", "text",
        textual=True,
        parser=lambda raw, f, ctx: canonical_mobile(raw),
        widget=_text_input(20, TelInput(), autocomplete="tel", inputmode="tel"),
        schema=_string(MOBILE_PATTERN, 32),
        settings=MASKED, mask=mask_mobile,
    ),
    FieldType(
        "postcode", "text",
        textual=True,
        parser=lambda raw, f, ctx: canonical_postcode(raw),
        widget=_text_input(6, inputmode="numeric", autocomplete="postal-code"),
        schema=_string(r"^\s*[0-9]{6}\s*$", 16),
    ),
    FieldType(
        "bank_account", "text",
        textual=True,
        parser=lambda raw, f, ctx: canonical_bank_account(raw)[0],
        widget=_text_input(40, inputmode="numeric", autocomplete="off"),
        schema=_string(BANK_ACCOUNT_PATTERN, 64),
        warner=_luhn_warning,
    ),
    FieldType(
        "uscc", "text",
        textual=True,
        parser=lambda raw, f, ctx: canonical_uscc(raw),
        widget=_text_input(20, autocomplete="off"),
        schema=_string(USCC_PATTERN, 32),
    ),
)
