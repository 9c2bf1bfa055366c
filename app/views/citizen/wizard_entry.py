"""The wizard's first steps: read and acknowledge the notice, say who applies (self / agent).

An item only agents may file (``filers: [agent]``, 代办 only) cannot start as the citizen's own
draft: :func:`start_as_agent` asks whom for, the relationship and the address first, then
creates the draft for that subject with those details (the filer step then offers only "agent").
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField

from app.agent_limit import AgentLimitError
from app.commands.applications.context import engine_context
from app.commands.applications.create import (ADDRESS_MAX, CreateApplicationCommand,
                                              agent_relationships)
from app.commands.applications.errors import ApplicationInvalidError, NotAllowedError
from app.commands.applications.filer import SetFilerCommand, agent_details
from app.commands.applications.save import SaveAnswersCommand
from app.engine.fields.widgets import CHOOSE, RequiredMark
from app.extensions import db
from app.views.citizen import requires_verified_identity
from app.views.citizen.wizard_support import Wizard, command_errors, load

FILERS = {"self": _l("For myself"), "agent": _l("For someone else, as their agent")}


def agent_only(definition: dict) -> bool:
    """Tell whether only an agent may file the item (代办 only)."""
    return "self" not in definition.get("filers", ("self",))


class AgentForm(DynamicForm):
    """Whom an agent applies for, and how the agent is related to them."""

    # All four are required (SetFilerCommand checks them): marked, not checked, here.
    subject_name = StringField(_l("Full name of the person you apply for"), [RequiredMark()],
                               render_kw={"autocomplete": "off", "maxlength": 64})
    subject_id_number = StringField(_l("Their ID card number"), [RequiredMark()],
                                    render_kw={"autocomplete": "off", "maxlength": 32})
    relationship = SelectField(_l("Your relationship to them"), [RequiredMark()],
                               validate_choice=False)
    address = StringField(_l("Your address"), [RequiredMark()],
                          render_kw={"autocomplete": "street-address", "maxlength": ADDRESS_MAX})

    def fill_relationships(self, region_code, ctx) -> None:
        self.relationship.choices = [("", ctx.text(CHOOSE))] + [
            (e.code, ctx.text(e.label)) for e in agent_relationships(region_code)]

    def subject(self) -> dict:
        return {"name": self.subject_name.data, "id_number": self.subject_id_number.data}

    def agent(self) -> dict:
        return {"relationship": self.relationship.data, "address": self.address.data}

    def show_errors(self, errors: dict) -> None:
        """Put a command's messages on the fields they concern (the form's own list otherwise)."""
        for key, messages in errors.items():
            target = getattr(self, ERROR_FIELDS.get(key, ""), None)
            if target is None:
                self.form_errors.extend(str(m) for m in messages)
            else:
                target.errors = [*target.errors, *messages]


def problems(form: AgentForm) -> list[tuple[str, str, str]]:
    """Return the step's error summary as a page of questions has it: (question, its first
    message, the id to link to: its input, or a choice's first option), in the page's order."""
    fields = [form[name] for name in ("filer", *ERROR_FIELDS.values()) if name in form]
    return [(f.label.text, str(f.errors[0]), f"{f.id}-0" if f.type == "RadioField" else f.id)
            for f in dict.fromkeys(fields) if f.errors]


class FilerForm(AgentForm):
    """Who applies; for an agent, the person applied for and how the agent is related."""

    filer = RadioField(_l("Who is this application for?"), choices=list(FILERS.items()),
                       default="self")


ERROR_FIELDS = {"filer": "filer", "subject.name": "subject_name",
                "subject.id_number": "subject_id_number", "agent.relationship": "relationship",
                "agent.address": "address"}


def start_as_agent(view, user, code: str, region: str, version):
    """Show the agent's form for an item only agents may file; on its POST, start the draft.

    Called by the catalogue's start (``POST /apply/<code>/start``): the item page's button shows
    the form, the form (``_agent``) creates the draft for the subject with the agent's
    relationship and address (one command, one transaction, one history entry), then the wizard
    begins.
    """
    ctx = engine_context(region)
    form = AgentForm(formdata=request.form if request.form.get("_agent") else None)
    form.fill_relationships(region, ctx)
    status = 200
    if request.form.get("_agent"):
        try:
            application = CreateApplicationCommand(user, code, region, "agent", form.subject(),
                                                   agent=form.agent()).run()
        except ApplicationInvalidError as error:
            db.session.rollback()
            form.show_errors(error.errors)
            status = 422
        except AgentLimitError as error:  # said on the form, with its Retry-After
            db.session.rollback()
            form.form_errors.append(str(error.message))
            status = error.status_code
        except NotAllowedError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
            return redirect(url_for("CatalogView.item", code=code, region=region), 303)
        else:
            return redirect(url_for("WizardView.resume", pk=application.id), 303)
    name = ctx.text(version.definition.get("name")) or code
    return view.render_template("citizen/partials/agent_start.html", form=form, code=code,
                                region=region, title=name, item_name=name), status


def _version() -> int:
    try:
        return int(request.form.get("_version", ""))
    except ValueError:
        abort(400)


class WizardEntryMixin:
    """Routes of WizardView (a mixin: FAB registers what ``dir()`` finds)."""

    def _entry(self, pk, step: str):
        """Return the wizard, or a redirect when this step is not to be shown."""
        wizard = Wizard(load(pk))
        if not wizard.editable:
            return wizard, redirect(url_for("MyApplicationsView.detail", pk=pk))
        if wizard.index(step) < 0:
            return wizard, redirect(wizard.resume_url())
        return wizard, None

    def _next(self, wizard: Wizard, step: str):
        wizard = Wizard(wizard.application)
        if "_goto" in request.form:  # a step of the progress bar
            return redirect(wizard.goto(request.form["_goto"]))
        previous, following = wizard.neighbours(step)
        if request.form.get("_action") == "back" and previous is not None:
            return redirect(previous.url)
        return redirect(following.url if following else wizard.resume_url())

    @expose("/<int:pk>/notice", methods=["GET", "POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def notice(self, pk):
        """Show the item's notice; a POST records that it was read (我已阅读)."""
        wizard, elsewhere = self._entry(pk, "notice")
        if elsewhere is not None:
            return elsewhere
        application, error = wizard.application, None
        notice = wizard.definition.get("notice") or {}
        if request.method == "POST":
            acknowledged = application.notice_acknowledged_at is not None
            if request.form.get("acknowledge") == "y" or not notice.get("acknowledge"):
                if not acknowledged:
                    SaveAnswersCommand(application, {"_notice": True}, _version()).run()
                return self._next(wizard, "notice")
            if acknowledged:
                return self._next(wizard, "notice")
            error = _l("Tick the box to confirm that you have read the notice.")
        return self.render_template(
            "citizen/wizard_notice.html", notice=notice, error=error,
            **wizard.context("notice")), 422 if error else 200

    @expose("/<int:pk>/filer", methods=["GET", "POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def filer(self, pk):
        """Choose self or agent; an agent names the person and how they are related."""
        wizard, elsewhere = self._entry(pk, "filer")
        if elsewhere is not None:
            return elsewhere
        application = wizard.application
        form = FilerForm(formdata=request.form if request.method == "POST" else None)
        form.filer.choices = [(k, v) for k, v in FILERS.items()
                              if k in wizard.definition.get("filers", ("self",))]
        form.fill_relationships(application.region_code, wizard.ctx)
        status = 200
        if request.method == "POST":
            agent = form.filer.data == "agent"
            try:
                SetFilerCommand(
                    application, form.filer.data,
                    subject=form.subject() if agent else None,
                    agent=form.agent() if agent else None,
                    expected_version=_version()).run()
            except ApplicationInvalidError as error:
                db.session.rollback()
                form.show_errors(error.errors)
                status = 422
            except AgentLimitError as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
                status = error.status_code
            else:
                return self._next(wizard, "filer")
        else:
            form.filer.data = application.filer
            if application.filer == "agent":
                details = agent_details(application)
                form.subject_name.data = application.subject_name
                form.subject_id_number.data = application.subject_id_number
                form.relationship.data = details.get("relationship")
                form.address.data = details.get("address")
        return self.render_template("citizen/wizard_filer.html", form=form,
                                    agent_only=agent_only(wizard.definition),
                                    problems=problems(form),
                                    **wizard.context("filer")), status
