"""The words of a reveal: which kinds of number one reveal shows (the button, the history).

A reveal shows every masked identifier of the application on one view of the detail page
(``app.commands.reviews.reveal``); its history event records the kinds it showed, never a number.
An event recorded before kinds were (an ID number only) reads as it did.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"id_number": _l("ID numbers"), "mobile": _l("phone numbers"),
               "bank_account": _l("bank account numbers")}
SEPARATOR = _l(", ")  # 、 in Chinese


def kinds_text(kinds: Iterable[Any]) -> str:
    """Return the kinds as words ("证件号码、电话号码、银行账号")."""
    return str(SEPARATOR).join(str(KIND_LABELS.get(k, k)) for k in kinds)


def reveal_button(kinds: Iterable[Any]) -> str:
    return str(_l("Reveal in full: %(kinds)s", kinds=kinds_text(kinds)))


def reveal_history(detail: Mapping) -> str:
    """Return a reveal event's history words, naming what it showed."""
    kinds = detail.get("kinds")
    if not kinds:
        return str(_l("Full ID number revealed"))
    return str(_l("Revealed in full: %(kinds)s", kinds=kinds_text(kinds)))
