"""What the citizen's application views share: loading, the wizard's steps, error pages.

The steps of a draft: the notice (when the item has one), who files (when agents may), each
definition page that shows at least one field under the answers so far, the materials (when
there are any) and the confirmation. A returned application is corrected instead: only the
pages holding a question it may change (flagged, or brought in by a flagged answer:
app.commands.applications.correctable), the materials when one may change, and the
confirmation. A counter application (窗口代录) has no steps for the citizen: the window
corrects it, and its read-only page says what was asked.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

from flask import abort, render_template, url_for
from flask_appbuilder import BaseView
from flask_babel import lazy_gettext as _l

from app.commands.applications.access import get_application
from app.commands.applications.context import agent_filing, engine_context, variables
from app.commands.applications.correctable import correctable
from app.commands.applications.errors import (ApplicationError, ApplicationInvalidError,
                                              ApplicationNotFoundError, NotAllowedError,
                                              StaleApplicationError)
from app.commands.applications.requirements import material_problems
from app.commands.applications.save import EDITABLE, flagged
from app.engine.answer_results import PageState
from app.engine.answers import page_states, validate_all
from app.engine.lint_rules import RESERVED_PAGE_KEYS
from app.engine.masked import shown_to_agent
from app.extensions import db
from app.models.application import Application
from app.reference_cache import cached
from app.scoping import current_user
from app.validators import mask_name
from app.views.citizen.answer_display import local_date, local_time

PERMISSION = "CitizenApplications"
STALE = _l("This draft was changed in another window. Nothing of what you sent here was "
           "saved: check the saved answers below, then send your version again if it is the "
           "one to keep.")


def apply_permission(*methods: str) -> dict:
    """Map each method to the one permission every citizen holds (``can_apply``)."""
    return {method: "apply" for method in methods}


class CitizenView(BaseView):
    """A citizen page in the citizen layout, under the ``CitizenApplications`` permission."""

    class_permission_name = PERMISSION
    method_permission_name: dict = {}

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        """Create the blueprint; dates and times are shown in China time, names masked where
        lists show them (template filters)."""
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.add_app_template_filter(local_date, "local_date")
        blueprint.add_app_template_filter(local_time, "local_time")
        blueprint.add_app_template_filter(mask_name, "mask_name")
        return blueprint


def error_page(error: ApplicationError, code: Optional[int] = None):
    """Render a command's refusal as a page with its status code."""
    status = code or error.status_code
    return render_template("errors/error.html", code=status, message=str(error.message)), status


def command_errors(view):
    """Answer 404 for anything out of scope, a page with the reason for other refusals."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ApplicationNotFoundError:
            db.session.rollback()
            abort(404)
        except (NotAllowedError, StaleApplicationError, ApplicationInvalidError) as error:
            # 422 too: one no page shows in place (removing a file the reviewer did not flag)
            db.session.rollback()
            return error_page(error)

    return wrapper


def load(application_id) -> Application:
    """Return the caller's own application; 404 for anyone else's (B1)."""
    user = current_user()
    application = get_application(application_id, user)
    if application.applicant_id != user.id:
        raise ApplicationNotFoundError()
    return application


def definition_of(application: Application) -> dict:
    """Return the definition the application is pinned to, read once per process.

    A published version never changes (app.models.item), and a deleted one renumbers the
    reference generation (app.reference_cache). The dict is shared: read it, never change it.
    """
    if application.version_id is None:
        return application.version.definition
    return cached("definition", application.version_id, lambda: application.version.definition)


@dataclass(frozen=True)
class Step:
    key: str
    kind: str  # notice, filer, page, materials, confirm
    label: str
    url: str


class Wizard:
    """One application as the wizard sees it: its pinned definition, context and steps."""

    def __init__(self, application: Application):
        self.application = application
        self.definition = definition_of(application)
        self.ctx = engine_context(application)
        self.variables = variables(application)
        self._steps: Optional[list[Step]] = None
        self._correctable: Optional[dict[str, set[str]]] = None
        self._states: dict[str, PageState] = {}

    @property
    def correcting(self) -> bool:
        return self.application.status == "returned"

    @property
    def counter_entry(self) -> bool:
        """Tell whether a service window entered it (窗口代录): the citizen reads it, and the
        window that entered it makes any correction (ensure_owner refuses the citizen's)."""
        return self.application.channel == "window"

    @property
    def editable(self) -> bool:
        """Tell whether the citizen fills in or corrects it here (else: its read-only page)."""
        return self.application.status in EDITABLE and not self.counter_entry

    @property
    def name(self) -> str:
        return self.ctx.text(self.definition.get("name")) or self.application.item.code

    def flagged(self, part: str) -> set[str]:
        """Return what the reviewer flagged (``fields`` or ``materials``): what they explain."""
        return flagged(self.application, part) if self.correcting else set()

    def correctable(self, part: str) -> set[str]:
        """Return what a correction may change: the flagged keys and what they bring in."""
        if self._correctable is None:
            self._correctable = correctable(self.application, self.definition)
        return self._correctable[part]

    def shown(self, answers: dict) -> dict:
        """Return answers as the filer may see them: an agent, the registry's masked."""
        return shown_to_agent(self.definition, answers) if agent_filing(self.application) \
            else answers

    def reasons(self, part: str) -> dict:
        request = (self.application.return_request or {}) if self.correcting else {}
        return {str(k).split("[")[0].split(".")[0]: v for k, v in (request.get(part) or {}).items()}

    def page(self, key: str) -> dict:
        for page in self.definition.get("pages", ()):
            if page.get("key") == key:
                return page
        abort(404)

    def state(self, key: str) -> PageState:
        """Return a page's state under the saved answers (kept with those of earlier pages)."""
        if key not in self._states:
            self._states.update(page_states(self.definition, self.application.answers or {},
                                            self.ctx, self.variables, until=key))
        return self._states[key]

    def page_visible(self, page: dict) -> bool:
        """Tell whether a page shows a field; one without ``visible_when`` always shows."""
        fields = page.get("fields")
        if not fields or any(not f.get("visible_when") for f in fields):
            return True
        return bool(self.state(page["key"]).visible)

    def pages(self) -> list[dict]:
        """Return the pages to fill (or, when correcting, those with a question to correct)."""
        pages = list(self.definition.get("pages", ()))
        if self.correcting:
            fields = self.correctable("fields")
            return [p for p in pages if any(f["key"] in fields for f in p.get("fields", ()))]
        return [p for p in pages if self.page_visible(p)]

    def steps(self) -> list[Step]:
        if self._steps is not None:
            return self._steps
        pk, steps = self.application.id, []
        notice = self.definition.get("notice") or {}
        if notice and not self.correcting:
            steps.append(Step("notice", "notice", self.ctx.text(notice.get("title"))
                              or str(_l("Notice")), url_for("WizardView.notice", pk=pk)))
        if "agent" in self.definition.get("filers", ()) and not self.correcting:
            steps.append(Step("filer", "filer", str(_l("Who applies")),
                              url_for("WizardView.filer", pk=pk)))
        for page in self.pages():
            steps.append(Step(page["key"], "page", self.ctx.text(page.get("title")) or page["key"],
                              url_for("WizardView.page", pk=pk, page_key=page["key"])))
        if self.definition.get("materials") and (
                not self.correcting or self.correctable("materials")):
            steps.append(Step("materials", "materials", str(_l("Materials")),
                              url_for("WizardMaterialsView.materials", pk=pk)))
        steps.append(Step("confirm", "confirm", str(_l("Confirm")),
                          url_for("WizardConfirmView.confirm", pk=pk)))
        self._steps = steps
        return steps

    def index(self, key: str) -> int:
        """Return the position of the wizard's own step ``key`` (notice, filer, materials,
        confirm) or else of the page ``key``; -1 when not shown. A page can never be taken for
        one of the wizard's own steps (lint refuses those names as page keys: RESERVED_PAGE_KEYS
        in app.engine.lint_rules), nor the other way round."""
        own = key in RESERVED_PAGE_KEYS
        for index, step in enumerate(self.steps()):
            if step.key == key and (step.kind != "page") == own:
                return index
        return -1

    def goto(self, key: Optional[str]) -> str:
        """Return the URL of the step a progress-bar button asked for (``_goto``), or where to
        go on when the answers just saved no longer show it."""
        index = self.index(key) if key else -1
        return self.steps()[index].url if index >= 0 else self.resume_url()

    def neighbours(self, key: str) -> tuple[Optional[Step], Optional[Step]]:
        steps, index = self.steps(), self.index(key)
        previous = steps[index - 1] if index > 0 else None
        following = steps[index + 1] if 0 <= index < len(steps) - 1 else None
        return previous, following

    def resume_url(self) -> str:
        """Return where to go on: the first step that needs something (a page with a question
        to answer, the materials while one is missing), else the confirmation."""
        steps, answers = self.steps(), self.application.answers or {}
        if self.correcting:  # the first flagged page (or the materials)
            return steps[0].url
        if steps[0].kind == "notice" and self.application.notice_acknowledged_at is None:
            return steps[0].url
        if not answers.keys() - {"_notice"} and any(s.kind == "filer" for s in steps):
            return url_for("WizardView.filer", pk=self.application.id)
        result = validate_all(self.definition, answers, self.ctx, self.variables)
        failing = {key.split("[")[0] for key in result.errors}
        for step in steps:
            if step.kind == "page" and any(f["key"] in failing
                                           for f in self.page(step.key).get("fields", ())):
                return step.url
            if step.kind == "materials" and material_problems(
                    self.application, self.definition, result.answers, self.variables):
                return step.url  # a required material without a file or pledge
        return steps[-1].url

    def context(self, current: str, **extra) -> dict:
        """Return what every wizard template needs (item name, steps, the current step)."""
        previous, following = self.neighbours(current)
        return {"wizard": self, "application": self.application, "steps": self.steps(),
                "current": current, "current_index": self.index(current),
                "previous": previous, "following": following, "title": self.name, **extra}
