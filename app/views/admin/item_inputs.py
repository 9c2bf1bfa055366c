"""What the designer's forms ask, per part: one :class:`Input` per definition key.

A field's inputs are the common ones plus those of its type's settings, taken from the
field-type registry (``REGISTRY[type].settings``) through :data:`SETTING_INPUTS`; a test checks
that every setting the registry knows has an input, so a new field type needs no new form.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString, lazy_gettext as _l

from app.engine import lint_placeholders as placeholder
from app.engine.cel_check import field_type
from app.engine.fields import REGISTRY
from app.engine.fields.person import COLUMNS
from app.engine.lint_approval import role_refusal
from app.engine.schema import ACCEPT, LEVELS as STEP_LEVELS, ROLES
from app.models.region import LEVELS as REGION_LEVELS
from app.roles import ROLE_LABELS, deciding_roles
from app.views.review import STATUS_LABELS


@dataclass(frozen=True)
class Input:
    key: str
    kind: str  # text textarea str int number bool cel words codes select region datebound
    #            default options rules prefill dictionary field_ref pledge
    label: Any
    choices: tuple = ()
    help: Any = None
    #: For a select: why a stored value it does not offer cannot stay (None: it may), so that
    #: the value is shown with the reason instead of being replaced unseen.
    refuse: Any = None


def _local(text) -> str:
    from app import local_text

    return local_text(text)


def _t(key, label, kind="text", help=None):
    return Input(key, kind, label, help=help)


PAGE_INPUTS = [Input("key", "str", _l("Key")), _t("title", _l("Title")),
               _t("help", _l("Help text"), "textarea")]
FILER_LABELS = {"self": _l("The person"), "agent": _l("An agent on their behalf")}
ITEM_INPUTS = [
    _t("name", _l("Name")), _t("category", _l("Category")),
    _t("audience", _l("Who may apply (Markdown)"), "textarea"),
    _t("notice.title", _l("Notice title")), _t("notice.body", _l("Notice (Markdown)"), "textarea"),
    _t("notice.acknowledge", _l("Acknowledgement wording")),
    Input("filers", "words", _l("Who may file"), tuple(FILER_LABELS.items())),
    Input("time_limit_days", "int", _l("Time limit (working days)")),
    Input("retention_years", "int", _l("Applications kept (years after closing)")),
    # ``outcomes``: the item's own wording for a status, one pair per status (docs/engine.md).
    *(_t(f"outcomes.{status}", _l("Wording for the status “%(status)s”", status=label))
      for status, label in STATUS_LABELS.items()),
    Input("summary", "codes", _l("Summary on list rows (question keys)"),
          help=_l("Up to 5 question keys, separated by commas: their answers are shown "
                  "on the rows of My applications and of the review queue")),
]
MATERIAL_INPUTS = [
    Input("key", "str", _l("Key")), _t("label", _l("Label")), _t("help", _l("Help text"), "textarea"),
    Input("required", "bool", _l("Required")),
    Input("required_when", "cel", _l("Required when (expression)")),
    Input("accept", "words", _l("Accepted file types"), tuple((a, a) for a in ACCEPT)),
    Input("max_size_mb", "number", _l("Largest file (MB)")),
    Input("max_files", "int", _l("Most files")),
    Input("pledge", "pledge", _l("A signed pledge may replace it (wording)")),
    Input("locked", "bool", _l("Locked for variants")),
]
#: What a person reads for a field type, a step's role and level (the keyword is shown too).
TYPE_LABELS = {
    "text": _l("Text (one line)"), "textarea": _l("Text (several lines)"),
    "number": _l("Number"), "money": _l("Amount of money"), "date": _l("Date"),
    "daterange": _l("Date range"), "select": _l("Drop-down list"),
    "radio": _l("One choice of several"), "checkboxes": _l("Several choices (checkboxes)"),
    "yesno": _l("Yes or no"), "dictionary": _l("Code table"), "region": _l("Region"),
    "id_card": _l("ID card number"), "mobile": _l("Mobile number"), "postcode": _l("Postcode"),
    "bank_account": _l("Bank account number"), "uscc": _l("Unified social credit code"),
    "email": _l("Email address"), "acknowledge": _l("Tick to acknowledge"),
    "signature": _l("Signature"), "repeat": _l("Repeating group (rows)"),
    "display": _l("Text shown (no answer)"),
    "enrollments": _l("Insurance enrollments (from the registry)"),
}
STEP_LEVEL_LABELS = {"county": _l("County level"), "city": _l("City level"),
                     "province": _l("Province level")}


def type_choices(types) -> list[tuple[str, str]]:
    """Return (keyword, "label (keyword)") for the type selects, in registry order."""
    return [(t, f"{TYPE_LABELS[t]} ({t})" if t in TYPE_LABELS else t) for t in types]


STEP_INPUTS = [
    Input("key", "str", _l("Key")), _t("name", _l("Name")),
    # Only the roles that can decide: a step naming another would wait for ever (lint says so).
    Input("role", "select", _l("Role"), tuple(
        (r, ROLE_LABELS.get(r, r)) for r in deciding_roles(ROLES)), refuse=role_refusal),
    Input("level", "select", _l("Region level"),
          tuple((lv, STEP_LEVEL_LABELS.get(lv, lv)) for lv in STEP_LEVELS)),
    Input("region_field", "field_ref", _l("Region taken from field")),
    Input("when", "cel", _l("Only when (expression)")),
    Input("auto", "cel", _l("Decided automatically when (expression)")),
    Input("approvers", "int", _l("Approvers needed")),
    Input("distinct", "bool", _l("Not someone who decided an earlier step")),
    Input("time_limit_days", "int", _l("Time limit (working days)")),
    Input("locked", "bool", _l("Locked for variants")),
]
FIELD_COMMON = [
    Input("key", "str", _l("Key")), Input("type", "readonly", _l("Type")), _t("label", _l("Label")),
    _t("help", _l("Help text"), "textarea"), _t("placeholder", _l("Placeholder")),
    Input("required", "bool", _l("Required")),
    Input("visible_when", "cel", _l("Visible when (expression)")),
    Input("required_when", "cel", _l("Required when (expression)")),
    Input("readonly", "bool", _l("Read-only")),
    Input("prefill", "prefill", _l("Prefill from the person's profile")),
    Input("default", "default", _l("Default answer")),
    Input("compute", "cel", _l("Computed value (expression)")),
    Input("rules", "rules", _l("Rules")),
    Input("locked", "bool", _l("Locked for variants")),
]
#: The input of every type-specific setting the registry knows (``fields``: the group's own list).
SETTING_INPUTS = {
    "options": Input("options", "options", _l("Options")),
    "among": Input("among", "cel", _l("Only these values (expression giving a list)"), help=_l(
        "Computed while the citizen answers, e.g. the regions of their active enrollments: "
        "person.enrollments.filter(e, e.status == \"1\").map(e, e.region). Leave empty to "
        "offer every option.")),
    "columns": Input("columns", "words", _l("Columns shown"), tuple(
        (column, LazyString(_local, heading)) for column, (heading, _s) in COLUMNS.items()),
        help=_l("Tick none to show the usual columns.")),
    "only": Input("only", "codes", _l("Only these codes"), help=_l(
        "Codes of the code table, separated by commas, e.g. 14, 15, 16; a code also admits the "
        "codes under it. Leave empty to offer the whole table.")),
    "masked": Input("masked", "bool", _l("A personal identifier: masked in lists (e.g. "
                                         "5134**********1234)"),
                    help=_l("Only for a read-only field filled from the person's profile. The "
                            "applicant sees it in full on their own pages; lists, and an "
                            "agent's pages once submitted, show it masked. The answer is kept "
                            "whole.")),
    "max_length": Input("max_length", "int", _l("Longest answer (characters)")),
    "pattern": Input("pattern", "str", _l("Pattern (regular expression)")),
    "pattern_message": _t("pattern_message", _l("Message when the pattern does not match")),
    "min_selections": Input("min_selections", "int", _l("Fewest choices")),
    "max_selections": Input("max_selections", "int", _l("Most choices")),
    "dictionary": Input("dictionary", "dictionary", _l("Code table")),
    "parent": Input("parent", "field_ref", _l("Parent code from field")),
    "levels": Input("levels", "int", _l("Levels of the code table offered")),
    "min": Input("min", "number", _l("Minimum")),
    "max": Input("max", "number", _l("Maximum")),
    "integer": Input("integer", "bool", _l("Whole numbers only")),
    "within": Input("within", "region", _l("Within region (code)")),
    "level": Input("level", "select", _l("Region level at least"),
                   tuple((lv, lv) for lv in REGION_LEVELS)),
    "text": _t("text", _l("Text shown"), "textarea"),
    "add_label": _t("add_label", _l("Wording of the add-a-row button"), help=_l(
        "e.g. 增加使用人; leave empty for “Add: ” followed by the group's label.")),
    "signer": Input("signer", "select", _l("Whose name a typed signature must be"), (
        ("filer", _l("Who files (the agent when filing for someone)")),
        ("subject", _l("The person the application is for"))), help=_l(
        "Checked when answers are saved and submitted; a drawn signature is not compared. "
        "Left empty: who files.")),
    "name_field": Input("name_field", "str", _l("Name in field (key)"), help=_l(
        "The key of the text field beside this one (on its page, or in its row of a "
        "repeating group) that holds the person's name: when the insured-person registry "
        "knows the ID number, the name must be the registry's. Checked when answers are "
        "saved and submitted.")),
    "min_items": Input("min_items", "int", _l("Fewest rows")),
    "max_items": Input("max_items", "int", _l("Most rows")),
}
#: What the publish page's diff calls a setting (the first input with that key names it).
SETTING_LABELS = {
    **{i.key: i.label for i in reversed((*ITEM_INPUTS, *FIELD_COMMON, *MATERIAL_INPUTS,
                                         *STEP_INPUTS, *PAGE_INPUTS, *SETTING_INPUTS.values()))},
    "notice": _l("Notice"), "outcomes": _l("Wording for statuses"), "fields": _l("Fields"),
    "options": _l("Options"),
    "effective_from": _l("In effect from")}
#: The words for a setting's coded values (a diff says 本人, not ``self``).
SETTING_VALUE_LABELS = {"filers": FILER_LABELS, "role": ROLE_LABELS, "level": STEP_LEVEL_LABELS,
                        "type": TYPE_LABELS}
DATE_BOUND = {"min": Input("min", "datebound", _l("Earliest date (YYYY-MM-DD or today)")),
              "max": Input("max", "datebound", _l("Latest date (YYYY-MM-DD or today)"))}


def field_inputs(type_name: str, base: bool = True) -> list[Input]:
    """Return the inputs of a field of ``type_name``: common ones, then its type's settings."""
    ftype = field_type(type_name)
    settings = sorted((ftype.settings if ftype else frozenset()) - {"fields"})
    dated = type_name in ("date", "daterange")
    # A setting new to the registry and not yet given an input here still gets a plain one
    # (a test insists that each has its own), never a broken page.
    own = [DATE_BOUND[s] if dated and s in DATE_BOUND else SETTING_INPUTS.get(s, Input(s, "str", s))
           for s in settings]
    common = [i for i in FIELD_COMMON if base or i.key != "locked"]
    if type_name == "repeat":  # rows are answered column by column: nothing to prefill as one
        common = [i for i in common if i.key not in ("prefill", "default")]
    if ftype is not None and not ftype.has_answer:
        common = [i for i in common if i.key in ("key", "type", "label", "help", "visible_when",
                                                 "locked")]
    return common + own


def without_lock(inputs: list[Input]) -> list[Input]:
    return [i for i in inputs if i.key != "locked"]


def all_settings() -> set[str]:
    return set().union(*(t.settings for t in REGISTRY.values()))


def field_defaults(type_name: str) -> dict:
    """Return the settings a new field of this type starts with (a repeat: no columns yet)."""
    if type_name in ("select", "radio", "checkboxes"):
        return {"options": copy.deepcopy(list(placeholder.PLACEHOLDER_OPTIONS))}
    if type_name == "dictionary":
        return {"dictionary": "psn_cert_type"}
    if type_name == "display":
        return {"text": {"zh": placeholder.PLACEHOLDER_TEXT, "en": None}}
    if type_name == "repeat":  # no columns yet: its form adds the first (lint waits for it)
        return {"fields": []}
    return {}
