"""Working calendar: holidays and make-up days per year, and each year's state.

Admin edits it; region administrators and reviewers read it (deadlines depend on it), without
the add, import and mark-official actions (app.roles)."""
from datetime import date

from flask import flash, redirect, url_for
from flask_appbuilder import ModelView, expose
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import extract, func, select
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.audit import record
from app.commands import CommandError, DataFileError
from app.commands.calendar import (CalendarImportError, MarkCalendarYearCommand, check_day,
                                   import_calendar_csv, touch_year)
from app.extensions import db
from app.models.calendar import ADMIN, HOLIDAY, WORKDAY, CalendarDay, CalendarYear
from app.scoping import current_user, is_platform_admin
from app.views.admin.empty_values import EmptyValuesMixin
from app.views.admin.model_writes import FormSaveMixin, WriteRefused
from app.views.admin.no_download import EXCLUDED_ROUTES
from app.views.review import local_time
from app.workdays import invalidate, missing_schedule_years, today

#: How many of a refused schedule's bad lines the page lists (the rest are counted).
SHOWN_PROBLEMS = 50
KIND_CHOICES = [(HOLIDAY, _l("Holiday")), (WORKDAY, _l("Make-up working day"))]
DAY_TAKEN = _l("This date is in the calendar already: edit it instead.")


def day_taken(day: date) -> bool:
    """Return whether the calendar has a row for ``day`` (the primary key would refuse it)."""
    return db.session.get(CalendarDay, day) is not None


def calendar_warnings() -> list[int]:
    """Return the years to warn the current user about (platform administrators only)."""
    return missing_schedule_years() if is_platform_admin(current_user()) else []


class MarkOfficialForm(DynamicForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class ImportForm(DynamicForm):
    csv = TextAreaField(_l("Schedule (date,kind,name per line)"), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class CalendarDayModelView(EmptyValuesMixin, FormSaveMixin, ModelView):
    datamodel = SQLAInterface(CalendarDay)
    route_base = "/calendar"
    default_view = "years"
    method_permission_name = {"years": "list", "mark_official": "add", "import_csv": "add"}
    # No actions: FAB's action routes read the form before checking permission (400, not 403).
    exclude_route_methods = {"action", "action_post", *EXCLUDED_ROUTES}
    list_title = _l("Holidays and make-up working days")
    show_title = _l("Calendar day")
    add_title = _l("Add a holiday or make-up working day")
    edit_title = _l("Edit calendar day")
    list_columns = ["day", "kind", "name", "source"]
    show_columns = list_columns
    add_columns = ["day", "kind", "name"]
    edit_columns = ["kind", "name"]
    search_columns = ["day", "kind", "name", "source"]
    base_order = ("day", "desc")  # the latest year first (773 rows began with 2004)
    page_size = 50
    label_columns = {"day": _l("Date"), "kind": _l("Kind"), "name": _l("Name"),
                     "source": _l("Source")}
    description_columns = {
        "kind": _l("A make-up working day (调休) is a Saturday or Sunday worked in exchange."),
    }
    formatters_columns = {"kind": lambda kind: dict(KIND_CHOICES).get(kind, kind)}
    # Two administrators adding one date at once both pass pre_add; the key decides.
    unique_messages = {"day": DAY_TAKEN}
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_l("Kind"), choices=KIND_CHOICES, validators=[DataRequired()],
                            widget=Select2Widget()),
    }

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        # For templates/staff/_calendar_warning.html, included on the staff index page.
        blueprint.add_app_template_global(calendar_warnings, "calendar_warnings")
        return blueprint

    def _deserialize_pk_if_composite(self, pk):
        try:
            return date.fromisoformat(pk) if isinstance(pk, str) else pk
        except ValueError:
            return pk  # no such row: FAB answers 404

    def _check(self, item):
        problem = check_day(item.day, item.kind, (item.name or "").strip())
        if problem is not None:
            raise ValueError(str(problem))
        item.name, item.source = item.name.strip(), ADMIN

    def pre_add(self, item):
        if item.day is None:
            raise WriteRefused(_l("Give the date."), field="day")
        self._check(item)
        if day_taken(item.day):
            raise WriteRefused(_l("%(day)s is in the calendar already: edit it instead.",
                                  day=item.day.isoformat()), field="day")
        touch_year(item.day.year)
        record("calendar.day_add", "calendar_day", item.day.isoformat(), kind=item.kind)

    def pre_update(self, item):
        self._check(item)
        touch_year(item.day.year)
        record("calendar.day_update", "calendar_day", item.day.isoformat(), kind=item.kind)

    def pre_delete(self, item):
        touch_year(item.day.year)
        record("calendar.day_delete", "calendar_day", item.day.isoformat(), kind=item.kind)

    def post_add(self, item):
        invalidate()

    post_update = post_delete = post_add

    @expose("/years/")
    @has_access
    def years(self):
        return self._years_page()

    def _years_page(self, import_form=None, problems=()):
        """Draw the years page; a refused schedule is drawn with its text and its bad lines
        (not flashed: hundreds of lines overflowed the session cookie, which was dropped)."""
        counts = dict(db.session.execute(
            select(extract("year", CalendarDay.day).label("y"), func.count())
            .group_by("y")).all())
        rows = list(db.session.scalars(select(CalendarYear).order_by(CalendarYear.year.desc())))
        known = {row.year for row in rows}
        absent = [year for year in (today().year, today().year + 1) if year not in known]
        return self.render_template(
            "staff/calendar_years.html", rows=rows, absent=absent,
            counts={int(year): n for year, n in counts.items()}, day_list=self._day_list_url,
            mark_form=MarkOfficialForm(), import_form=import_form or ImportForm(),
            problems=[_at_line(problem) for problem in problems[:SHOWN_PROBLEMS]],
            more_problems=max(0, len(problems) - SHOWN_PROBLEMS), local_time=local_time,
            may_edit=self.appbuilder.sm.has_access("can_add", "CalendarDayModelView"),
            title=_l("Working calendar"))

    @staticmethod
    def _day_list_url(year: int) -> str:
        # FAB's date filters by position: 1 is "greater than", 2 is "smaller than".
        return url_for("CalendarDayModelView.list", _flt_1_day=f"{year - 1}-12-31",
                       _flt_2_day=f"{year + 1}-01-01")

    @expose("/years/official", methods=["POST"])
    @has_access
    def mark_official(self):
        form = MarkOfficialForm()
        if form.validate_on_submit():
            try:
                MarkCalendarYearCommand(form.year.data, form.note.data).run()
                flash(str(_l("%(year)s is marked official.", year=str(form.year.data))),
                      "success")
            except CommandError as error:
                flash(str(error), "danger")
        else:
            flash(str(_l("Give a year between 2000 and 2100.")), "danger")
        return redirect(url_for("CalendarDayModelView.years"))

    @expose("/years/import", methods=["POST"])
    @has_access
    def import_csv(self):
        form = ImportForm()
        if form.validate_on_submit():
            try:
                state = import_calendar_csv(form.csv.data, str(_l("pasted schedule")),
                                            note=form.note.data or "")
                flash(str(_l("%(year)s is set and official.", year=str(state.year))), "success")
            except CalendarImportError as error:
                return self._years_page(form, error.problems)
            except CommandError as error:
                flash(str(error), "danger")
        else:
            flash(str(_l("Paste the schedule first.")), "danger")
        return redirect(url_for("CalendarDayModelView.years"))


def _at_line(problem) -> str:
    """Say a schedule's problem at its line in the page's language ("…安排 第 3 行：…"), not
    as the command line's ``path:3: message``."""
    if isinstance(problem, DataFileError):
        return str(_l("%(file)s, line %(line)s: %(message)s", file=problem.path,
                      line=problem.line, message=problem.message))
    return str(problem)
