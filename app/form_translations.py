"""Form messages in the page's language: banshi's catalog first, then WTForms' own.

Flask-WTF translates what a field says (``field.gettext``) from WTForms' ``wtforms`` catalog
only. FAB's select fields say "Not a valid choice" (no period), which that catalog lacks — a
crafted POST naming a region outside the user's scope read "Not a valid choice" on Chinese
pages. Flask-WTF keeps a request's translations in ``request.wtforms_translations``; this sets
it, before any form runs, to an object that asks banshi's ``messages`` catalog (FAB's merged
with banshi's, :mod:`app.views.admin.fab_messages`) first and WTForms' catalog for the rest.
"""
from __future__ import annotations

from babel import support
from flask import Flask, request
from flask_babel import get_locale, get_translations
from wtforms.i18n import messages_path


class FormTranslations:
    """gettext for forms: banshi's catalog where it translates a text, else WTForms'."""

    def __init__(self) -> None:
        self._wtforms = None

    def _fallback(self):
        if self._wtforms is None:
            self._wtforms = support.Translations.load(messages_path(), [get_locale()],
                                                      domain="wtforms")
        return self._wtforms

    def ugettext(self, string: str) -> str:
        translated = get_translations().ugettext(string)
        return translated if translated != string else self._fallback().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        translated = get_translations().ungettext(singular, plural, n)
        if translated not in (singular, plural):
            return translated
        return self._fallback().ungettext(singular, plural, n)

    gettext, ngettext = ugettext, ungettext


def _install() -> None:
    request.wtforms_translations = FormTranslations()


def register(app: Flask) -> None:
    """Give every request's forms :class:`FormTranslations`."""
    app.before_request(_install)
