"""Lint of what a field takes from outside the answers: ``prefill`` paths and ``within`` regions.

Neither is CEL, so the expression checks never see them; a misspelt ``prefill`` would leave the
field empty for everyone, and an unknown ``within`` region would refuse every answer.
"""
from __future__ import annotations

from typing import Callable, Optional

from flask_babel import lazy_gettext as _l

from app.engine.lint_rules import _name, fields_of
from app.engine.problems import Collector

#: What ``prefill`` may name: the person's facts (CONTRACT.md §3, and the registry's own) and
#: the application's own variables. ``person.enrollments`` is a list, never one answer.
PERSON_FACTS = ("name", "sex", "birth_date", "age", "region", "cert_type", "id_number",
                "mobile", "employer_name", "employer_code", "active_enrollments")
PREFILL_SOURCES = frozenset({f"person.{fact}" for fact in PERSON_FACTS}
                            | {"filer", "region", "today"})


def check_sources(definition: dict, c: Collector,
                  region_exists: Optional[Callable[[str], bool]]) -> None:
    """``prefill`` names a known fact; ``within`` is a known region."""
    for path, field, group, _page in fields_of(definition):
        prefill = field.get("prefill")
        if isinstance(prefill, str) and prefill.strip() not in PREFILL_SOURCES:
            c.add(path + ("prefill",), _l(
                'field "%(key)s": prefill "%(source)s" is not something banshi knows '
                "(valid: %(valid)s)", key=_name(field, group), source=prefill,
                valid=", ".join(sorted(PREFILL_SOURCES))))
        within = field.get("within")
        if (field.get("type") == "region" and within not in (None, "")
                and region_exists is not None and not region_exists(str(within))):
            c.add(path + ("within",), _l('field "%(key)s": unknown region "%(code)s" in within',
                                         key=_name(field, group), code=within))
