"""Lint's messages as the designer's pages show them: settings and parts named by their labels.

Lint writes for the command line, where the keys are what a reader has in the file:
``summary: unknown field "x"``, ``visible_when of field "age": Expression does not compile: …``.
The publish page names (and links) the part before each message, so there a message that
starts with a setting's key starts with the setting's label instead (列表摘要（问题键）：…), and a
setting of another part (``visible_when of field "age"``) is named by both labels
(字段“年龄”的 显示条件（表达式）). Lint itself, and so ``flask formdefs lint``, is unchanged: the
message is rewritten where it is shown, in the page's language.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Optional

from flask_babel import gettext as _, lazy_gettext as _l

from app import local_text
from app.engine.lint_rules import FIELD_EXPRESSIONS, fields_of
from app.views.admin.item_inputs import SETTING_LABELS

#: A message that starts with a key and a colon, as ``shape_message`` and lint_summary write it.
LEADING_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)\s*[:：]\s*")
#: A message that starts with a key naming its value: ``region_field "home_region" is not …``.
LEADING_NAMED = re.compile(r"^([a-z_]+)(?=\s*[“\"])")


@dataclasses.dataclass(frozen=True)
class _Lead:
    """How lint names one setting of one part (``text``), and what the page says instead."""

    text: str
    part: tuple  # (kind, key), as the publish page's links name parts
    setting: str
    number: Optional[int] = None  # a rule's, from 1
    part_label: str = ""


def _label(part: dict) -> str:
    return local_text(part.get("label") or part.get("title") or part.get("name")) or ""


def _leads(definition: dict) -> list[_Lead]:
    """Return every name lint may give a setting of a part of ``definition`` (lint_rules and
    lint_types name them alike), longest first."""
    leads = []
    for _path, field, group, _page in fields_of(definition):
        key = f"{group.get('key')}.{field.get('key')}" if group else str(field.get("key"))
        part, label = ("field", key), _label(field)
        leads += [_Lead(str(_l('%(setting)s of field "%(key)s"', setting=s, key=key)), part, s,
                        part_label=label) for s in FIELD_EXPRESSIONS]
        rules = field.get("rules") if isinstance(field.get("rules"), list) else []
        leads += [_Lead(str(_l('rule %(number)s of field "%(key)s"', number=n, key=key)), part,
                        "rules", n, label) for n in range(1, len(rules) + 1)]
    for material in definition.get("materials") or ():
        if isinstance(material, dict):
            key = str(material.get("key"))
            leads.append(_Lead(str(_l('required_when of material "%(key)s"', key=key)),
                               ("material", key), "required_when", part_label=_label(material)))
    for step in definition.get("approval") or ():
        if isinstance(step, dict):
            key = str(step.get("key"))
            leads += [_Lead(str(_l('%(setting)s of step "%(key)s"', setting=s, key=key)),
                            ("step", key), s, part_label=_label(step)) for s in ("when", "auto")]
    return sorted(leads, key=lambda lead: -len(lead.text))


class LintWords:
    """Rewrite lint's messages about one definition for the designer's pages."""

    def __init__(self, definition: Optional[dict]):
        self.definition = definition if isinstance(definition, dict) else {}
        self._leads: Optional[list[_Lead]] = None

    def _setting(self, lead: _Lead) -> str:
        if lead.number is not None:
            return _("Rule %(number)s", number=lead.number)
        return str(SETTING_LABELS.get(lead.setting, lead.setting))

    def _named(self, lead: _Lead) -> str:
        """Name ``lead``'s setting and part by their labels, as lint's words do by key."""
        part = lead.part_label or lead.part[1]
        setting = self._setting(lead)
        if lead.number is not None:
            return _('rule %(number)s of field "%(key)s"', number=lead.number, key=part)
        if lead.part[0] == "material":
            return _('%(setting)s of material "%(key)s"', setting=setting, key=part)
        if lead.part[0] == "step":
            return _('%(setting)s of step "%(key)s"', setting=setting, key=part)
        return _('%(setting)s of field "%(key)s"', setting=setting, key=part)

    def message(self, message: str, where: Optional[tuple] = None) -> str:
        """Return ``message`` with its keys named by labels; ``where`` is the part the page
        names before it (kind, key), if any."""
        if self._leads is None:
            self._leads = _leads(self.definition)
        for lead in self._leads:
            if lead.text not in message:
                continue
            if message.startswith(lead.text) and where is not None and \
                    tuple(where) == lead.part:
                return self._setting(lead) + message[len(lead.text):]
            return message.replace(lead.text, self._named(lead), 1)
        found = LEADING_KEY.match(message)
        if found and found.group(1) in SETTING_LABELS:
            return f"{SETTING_LABELS[found.group(1)]}{_(': ')}{message[found.end():]}"
        found = LEADING_NAMED.match(message)
        if found and found.group(1) in SETTING_LABELS:  # 区划取自字段“home_region”不是…
            return f"{SETTING_LABELS[found.group(1)]}{message[found.end():]}"
        return message

    def problem(self, problem: Any, where: Optional[tuple] = None) -> Any:
        """Return ``problem`` (a lint Problem) with its message rewritten."""
        return dataclasses.replace(problem, message=self.message(problem.message, where))
