"""Saving FAB model forms: a refused or failed write stays on the form, with the input.

FAB's ``_add``/``_edit``/``_delete`` flash ``str(error)`` of whatever a hook or the database
raised (an IntegrityError's SQL with its parameters, password hash included) and then redirect
to the previous page of the navigation history, the input lost. Here a refusal (a ``ValueError``
from ``pre_add``/``pre_update``/``pre_delete``, :class:`WriteRefused` naming its field) is shown
next to that field or above the form; a database error is logged and the user reads a
translated sentence (a clash on a unique column names the field).
"""
import logging

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.urltools import (get_filter_args, get_order_args, get_page_args,
                                       get_page_size_args)
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

log = logging.getLogger(__name__)

SAVE_FAILED = _l("The record could not be saved. Try again; if it fails again, tell the "
                 "platform administrator.")
DELETE_FAILED = _l("The record could not be deleted: other records may still refer to it.")
VALUE_TAKEN = _l("This value is already used by another record.")


class WriteRefused(ValueError):
    """A write the user may not make; ``field`` names the form field the message belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.field = field


def unique_column(error: IntegrityError, table) -> str | None:
    """Return the column of ``table`` whose uniqueness ``error`` reports, if one does.

    SQLite says ``UNIQUE constraint failed: ab_user.id_number``; PostgreSQL names the index
    (``ix_ab_user_id_number``), the column's constraint (``ab_user_username_key``) or, for a
    one-column primary key such as a calendar day's date, ``calendar_day_pkey``.
    """
    text = str(error.orig)
    key = list(table.primary_key.columns)
    if len(key) == 1 and (f'"{table.primary_key.name or table.name + "_pkey"}"' in text
                          or f"{table.name}.{key[0].name}" in text):
        return key[0].name
    for index in table.indexes:
        columns = [column.name for column in index.columns]
        if index.unique and len(columns) == 1 and (
                f'"{index.name}"' in text or f"{table.name}.{columns[0]}" in text):
            return columns[0]
    for column in table.columns:
        if column.unique and (f"{table.name}.{column.name}" in text
                              or f"{table.name}_{column.name}_key" in text):
            return column.name
    return None


class FormSaveMixin:
    """FAB's add, edit and delete flow with refusals on the form and no database text shown.

    ``unique_messages`` maps a unique column to the message shown when a value clashes;
    ``locked_reason(item)`` says why the user may look at a row but not change it (its edit
    and delete buttons are not offered, its edit page says why); ``edit_form_for(item)`` gives
    the form of one row (FAB has one ``edit_form`` for all rows).
    """

    unique_messages: dict = {}

    def locked_reason(self, item) -> str | None:
        return None

    def edit_form_for(self, item):
        return self.edit_form

    def _add(self):
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if form.validate():
                self.process_form(form, True)
                item = self.datamodel.obj()
                if self._save(form, item, self.pre_add, self.datamodel.add, self.post_add):
                    flash(as_unicode(self.add_row_message), "success")
                    return None
        else:
            self.update_redirect()
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def _edit(self, pk):
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        reason = self.locked_reason(item)
        if reason:
            flash(str(reason), "warning")
            return None
        pk = self.datamodel.get_pk_value(item)
        form_class = self.edit_form_for(item)
        if request.method == "POST":
            form = form_class.refresh(request.form)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = pk  # FAB's Unique validator skips this row
            if form.validate():
                self.process_form(form, False)
                if self._save(form, item, self.pre_update, self.datamodel.edit,
                              self.post_update):
                    flash(as_unicode(self.edit_row_message), "success")
                    return None
        else:
            form = form_class.refresh(obj=item)
            self.prefill_form(form, pk)
            self.update_redirect()
        widgets = self._get_edit_widget(form=form, exclude_cols=exclude_cols)
        # A role's edit page lists its accounts below the form (FAB's related views).
        return self._get_related_views_widgets(
            item, filters={}, orders=get_order_args(), pages=get_page_args(),
            page_sizes=get_page_size_args(), widgets=widgets)

    def _delete(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        try:
            self.pre_delete(item)
            self.datamodel.delete(item)
        except ValueError as refusal:
            self.datamodel.session.rollback()
            flash(str(refusal), "danger")
            return
        except (SQLAlchemyError, DatabaseException):
            log.exception("Deleting %s %s failed", self.datamodel.obj.__name__, pk)
            self.datamodel.session.rollback()
            flash(as_unicode(DELETE_FAILED), "danger")
            return
        self.post_delete(item)
        flash(as_unicode(self.delete_row_message), "success")

    def _save(self, form, item, pre, write, post) -> bool:
        """Fill ``item`` from ``form``, check and write it; on failure put the reason on the form."""
        session = self.datamodel.session
        try:
            # Nothing is written before the checks: assigning a relation (a role's permissions)
            # loads it, and that autoflush wrote the half-filled row (and raised its clash) here.
            with session.no_autoflush:
                form.populate_obj(item)
                pre(item)
        except ValueError as refusal:
            session.rollback()  # undo populate_obj before the page is rendered (autoflush)
            self._show_on_form(form, str(refusal), getattr(refusal, "field", None))
            return False
        except SQLAlchemyError as error:  # a check's own query failed
            log.exception("Saving %s failed", self.datamodel.obj.__name__)
            session.rollback()
            self._show_database_error(form, error)
            return False
        try:
            write(item)
        except (SQLAlchemyError, DatabaseException) as error:
            # FAB's interface has logged the error with its statement and rolled back.
            self._show_database_error(
                form, error if isinstance(error, SQLAlchemyError) else error.__cause__)
            return False
        post(item)
        return True

    def _show_database_error(self, form, cause) -> None:
        """Name the field whose unique value clashed, else say the save failed (no SQL)."""
        column = (unique_column(cause, self.datamodel.obj.__table__)
                  if isinstance(cause, IntegrityError) else None)
        message = self.unique_messages.get(column, VALUE_TAKEN) if column else SAVE_FAILED
        self._show_on_form(form, str(message), column)

    @staticmethod
    def _show_on_form(form, message: str, field: str | None) -> None:
        if field and field in form:
            # FAB's form macro shows an error through the template's ``_()``, which marks it
            # safe: escaped here, a name typed into the record (a group's) stays text.
            form[field].errors = [*form[field].errors, escape(message)]
        else:
            flash(message, "danger")

    # After a save or a delete, the list: FAB's "previous page" is a navigation history shared
    # by every tab, and often an unrelated page.
    def post_add_redirect(self):
        return redirect(url_for(f"{self.endpoint}.list"))

    post_edit_redirect = post_add_redirect
    post_delete_redirect = post_add_redirect
