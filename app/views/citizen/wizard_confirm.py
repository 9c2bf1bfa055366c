"""The confirmation page (every answer and file, "确认信息并提交") and the submitted page.

The confirmation page carries a one-time token that is the submission's Idempotency-Key: a
double click, a retried POST or going back and sending the page again make one submission
(SECURITY_TESTS E3). What stands in the way of a submission is what SubmitApplicationCommand
says (422), shown per question and material with a link to where it is fixed.
"""
from __future__ import annotations

import secrets
from collections import defaultdict

from flask import abort, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l

from app.commands.applications.errors import (ApplicationInvalidError,
                                              IdempotencyConflictError, NotAllowedError)
from app.commands.applications.filer import describe_agent
from app.commands.applications.requirements import (NOTICE_KEY, active_attachments,
                                                    material_requirements)
from app.commands.applications.save import EDITABLE
from app.commands.applications.submit import SubmitApplicationCommand
from app.commands.applications.unchanged import unchanged as left_unchanged
from app.engine.answers import validate_all
from app.extensions import db
from app.views.citizen import requires_verified_identity
from app.views.citizen.answer_display import sections
from app.views.citizen.wizard_support import (CitizenView, Wizard, apply_permission,
                                              command_errors, error_page, load)
from app.views.outcomes import status_name

TOKEN_MAX = 100


def problems(wizard: Wizard, errors: dict) -> list[tuple[str, list, str]]:
    """Return (what, messages, link) per problem a submission was refused for."""
    pk, result = wizard.application.id, []
    where = {f["key"]: (page, f) for page in wizard.definition.get("pages", ())
             for f in page.get("fields", ())}
    materials = {m["key"]: m for m in wizard.definition.get("materials", ())}
    for key, messages in errors.items():
        if key == NOTICE_KEY:
            label = wizard.ctx.text((wizard.definition.get("notice") or {}).get("title"))
            result.append((label or str(_l("Notice")), messages,
                           url_for("WizardView.notice", pk=pk)))
        elif key.startswith("materials."):
            material = materials.get(key[len("materials."):], {})
            result.append((wizard.ctx.text(material.get("label")) or key, messages,
                           url_for("WizardMaterialsView.materials", pk=pk)
                           + f"#material-{material.get('key', '')}"))
        else:
            top = key.split("[")[0].split(".")[0]
            page, field = where.get(top, (None, {}))
            label = wizard.ctx.text(field.get("label")) or key
            if "[" in key:  # users[0].name: the group, the row, the question in it
                row, _, nested = key[len(top):].partition("].")
                inner = next((f for f in field.get("fields", ()) if f["key"] == nested), {})
                label = f"{label} {int(row.strip('[') or 0) + 1}: " \
                        f"{wizard.ctx.text(inner.get('label')) or nested}"
            link = url_for("WizardView.page", pk=pk, page_key=page["key"]) + f"#q-{top}" \
                if page else wizard.resume_url()
            result.append((label, messages, link))
    return result


def unchanged(wizard: Wizard) -> list[tuple[str, str]]:
    """Return (message, link) per returned question or material still as it was returned
    (app.commands.applications.unchanged, which the submit API's warnings also read).

    A warning only: the citizen may find it was right after all and send it again as it is.
    """
    if not wizard.correcting:
        return []
    pk, result = wizard.application.id, []
    for item in left_unchanged(wizard.application, wizard.definition, wizard.ctx):
        if item.kind == "field":
            link = url_for("WizardView.page", pk=pk, page_key=item.page_key) + f"#q-{item.key}"
        else:
            link = url_for("WizardMaterialsView.materials", pk=pk) + f"#material-{item.key}"
        result.append((item.message, link))
    return result


def files_by_material(application) -> dict:
    files = defaultdict(list)
    for attachment in active_attachments(application):
        files[attachment.material_key].append(attachment)
    return files


def requirements(wizard: Wizard) -> dict[str, str]:
    """Return each material's requirement under the answers: required, needed, not_needed
    (its ``required_when`` is false: nothing to provide) or optional."""
    return material_requirements(wizard.definition, wizard.application.answers or {},
                                 wizard.ctx, wizard.variables)


def not_needed(wizard: Wizard) -> set[str]:
    """Return the keys of the materials the answers make unnecessary."""
    return {key for key, requirement in requirements(wizard).items()
            if requirement == "not_needed"}


class WizardConfirmView(CitizenView):
    """/applications/<id>/confirm and /applications/<id>/submitted."""

    route_base = "/applications"
    method_permission_name = apply_permission("confirm", "submitted")

    @expose("/<int:pk>/confirm", methods=["GET", "POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def confirm(self, pk):
        """Show every answer and file; a POST submits (once per token)."""
        application = load(pk)
        if request.method == "POST":
            token = request.form.get("submit_token", "")
            if not (0 < len(token) <= TOKEN_MAX and token.isascii() and token.isprintable()):
                abort(400)
            try:
                SubmitApplicationCommand(application, idempotency_key=token).run()
            except ApplicationInvalidError as error:
                db.session.rollback()
                return self._show(application, error.errors, 422)
            except IdempotencyConflictError as error:
                db.session.rollback()
                return error_page(error)
            except NotAllowedError:
                db.session.rollback()
                if application.status in EDITABLE:
                    raise
            return redirect(url_for("WizardConfirmView.submitted", pk=pk), 303)
        if not Wizard(application).editable:  # decided, or a counter application
            return redirect(url_for("MyApplicationsView.detail", pk=pk))
        try:
            SubmitApplicationCommand(application).validate()  # what a submission would refuse
            errors = {}
        except ApplicationInvalidError as error:
            errors = error.errors
        return self._show(application, errors)

    def _show(self, application, errors: dict, status: int = 200):
        wizard = Wizard(application)
        clean = wizard.shown(validate_all(wizard.definition, application.answers or {},
                                          wizard.ctx, wizard.variables).answers)
        return self.render_template(
            "citizen/confirm.html", problems=problems(wizard, errors), unchanged=unchanged(wizard),
            sections=sections(wizard.definition, clean, wizard.ctx, pages=wizard.pages()),
            materials=wizard.definition.get("materials", ()),
            files=files_by_material(application), not_needed=not_needed(wizard),
            pledges=(application.answers or {}).get("_pledges") or {},
            agent=describe_agent(application, wizard.ctx) or {},
            # In full, as the answers below: the filer checks here what they submit.
            subject_id=application.subject_id_number,
            token=secrets.token_urlsafe(24), **wizard.context("confirm")), status

    @expose("/<int:pk>/submitted", methods=["GET"])
    @has_access
    @command_errors
    def submitted(self, pk):
        """已提交，等待审核: the serial number, the deadline and where to follow it."""
        application = load(pk)
        if application.status != "submitted":
            return redirect(url_for("MyApplicationsView.detail", pk=pk))
        wizard = Wizard(application)
        return self.render_template(
            "citizen/submitted.html", application=application, title=wizard.name,
            status_name=status_name(wizard.definition, application.status, wizard.ctx))
