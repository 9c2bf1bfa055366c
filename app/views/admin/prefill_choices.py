"""The designer's choices for ``prefill``: every source lint accepts, each with what it is.

Taken from lint's own list (app.engine.lint_sources.PREFILL_SOURCES), so the designer can never
offer less than a file may say: a field imported with ``prefill: person.mobile`` opens with that
source selected and is saved with it. A stored source the list lacks is still shown (KeptSelect)
and refused at its input with lint's words, never dropped unseen.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.engine.lint_sources import PREFILL_SOURCES

#: What each source is, in the administrator's language (a source without one shows bare).
SOURCE_LABELS = {
    "person.name": _l("the person's name"), "person.sex": _l("the person's sex"),
    "person.birth_date": _l("the person's date of birth"), "person.age": _l("the person's age"),
    "person.region": _l("the person's insured region"),
    "person.cert_type": _l("the person's certificate type"),
    "person.id_number": _l("the person's ID number"),
    "person.mobile": _l("the person's mobile number"),
    "person.employer_name": _l("the person's employer (name)"),
    "person.employer_code": _l("the person's employer (code)"),
    "person.active_enrollments": _l("the person's active enrollments"),
    "filer": _l("who files: the person, or an agent"),
    "region": _l("the region the application is filed in"), "today": _l("today's date"),
}


def _order(source: str) -> tuple:
    """The person's facts first, in the order lint lists them, then the application's."""
    return (not source.startswith("person."), source)


def prefill_choices() -> list[tuple[str, str]]:
    """Return ``(source, "source — what it is")`` for every source lint accepts."""
    return [("", "—")] + [
        (source, f"{source} — {SOURCE_LABELS[source]}" if source in SOURCE_LABELS else source)
        for source in sorted(PREFILL_SOURCES, key=_order)]
