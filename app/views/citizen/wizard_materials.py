"""The materials step: upload and remove files per material, or sign its pledge instead.

Uploads go through AttachMaterialCommand (one multipart POST per material, several files
allowed); a refused file (413 too large, 422 wrong type or content) is shown on the page
next to its material, never as a bare error page — also when the whole request is over the
server's body limit, which is refused before any view runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l

from app.commands.applications.errors import ApplicationInvalidError, NotAllowedError
from app.commands.applications.materials import AttachMaterialCommand, RemoveAttachmentCommand
from app.commands.applications.requirements import (condition_scope, material_required,
                                                    material_settings)
from app.commands.applications.save import PLEDGES, SaveAnswersCommand
from app.engine.answers import validate_all
from app.extensions import db
from app.uploads import UploadRejected
from app.views.citizen import requires_verified_identity
from app.views.citizen.wizard_confirm import files_by_material
from app.views.citizen.wizard_support import (CitizenView, Wizard, apply_permission,
                                              command_errors, load)

GENERIC_PLEDGE = _l("Instead of this material, I pledge that what I stated is true "
                    "(告知承诺) and accept the consequences if it is not.")
TOO_LARGE = _l("The upload is too large. Send fewer or smaller files at a time.")


@dataclass
class MaterialRow:
    material: dict
    label: str
    accept: list
    max_size_mb: float
    max_files: int
    requirement: str  # required, needed, not_needed, optional
    pledge: Optional[str]
    files: list
    can_change: bool
    reason: Optional[str]
    errors: list


def material_rows(wizard: Wizard, errors: Optional[dict] = None) -> list[MaterialRow]:
    """Return what the materials page shows, with each material's requirement decided now."""
    definition, errors = wizard.definition, errors or {}
    clean = validate_all(definition, wizard.application.answers or {}, wizard.ctx,
                         wizard.variables).answers
    scope = condition_scope(definition, clean, wizard.variables)
    files, flagged = files_by_material(wizard.application), wizard.flagged("materials")
    reasons, rows = wizard.reasons("materials"), []
    for material in definition.get("materials", ()):
        key, settings = material["key"], material_settings(material)
        if material.get("required"):
            requirement = "required"
        elif material.get("required_when"):
            requirement = "needed" if material_required(material, scope) else "not_needed"
        else:
            requirement = "optional"
        pledge = material.get("pledge")
        rows.append(MaterialRow(
            material, wizard.ctx.text(material.get("label")) or key, settings["accept"],
            settings["max_size_mb"], settings["max_files"], requirement,
            (wizard.ctx.text(pledge) if isinstance(pledge, dict) else str(GENERIC_PLEDGE))
            if pledge else None,
            files.get(key, []), not wizard.correcting or key in flagged, reasons.get(key),
            errors.get(key, [])))
    return rows


class WizardMaterialsView(CitizenView):
    """/applications/<id>/materials and its upload and remove actions."""

    route_base = "/applications"
    method_permission_name = apply_permission("materials", "upload", "remove")

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        """Create the blueprint; a body over the server's limit comes back to the page."""
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.register_error_handler(413, self.too_large)
        return blueprint

    def too_large(self, error):
        pk = (request.view_args or {}).get("pk")
        if pk is None:
            return error
        flash(str(TOO_LARGE), "danger")
        return redirect(url_for("WizardMaterialsView.materials", pk=pk), 303)

    def _wizard(self, pk):
        wizard = Wizard(load(pk))
        if not wizard.editable:
            return wizard, redirect(url_for("MyApplicationsView.detail", pk=pk))
        if wizard.index("materials") < 0:
            return wizard, redirect(wizard.resume_url())
        return wizard, None

    def show(self, wizard: Wizard, errors: Optional[dict] = None, status: int = 200):
        return self.render_template(
            "citizen/wizard_materials.html", rows=material_rows(wizard, errors),
            pledges=(wizard.application.answers or {}).get(PLEDGES) or {},
            **wizard.context("materials")), status

    @expose("/<int:pk>/materials", methods=["GET", "POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def materials(self, pk):
        """Show the materials; a POST saves the pledges ticked and goes on (or back)."""
        wizard, elsewhere = self._wizard(pk)
        if elsewhere is not None:
            return elsewhere
        if request.method == "POST":
            application = wizard.application
            stored = (application.answers or {}).get(PLEDGES) or {}
            ticked = set(request.form.getlist("pledge"))
            pledges = {row.material["key"]: row.material["key"] in ticked
                       for row in material_rows(wizard) if row.pledge and row.can_change}
            if any(bool(stored.get(k)) != v for k, v in pledges.items()):
                try:
                    version = int(request.form.get("_version", ""))
                except ValueError:
                    abort(400)
                SaveAnswersCommand(application, {PLEDGES: pledges}, version).run()
            previous, following = Wizard(application).neighbours("materials")
            target = previous if request.form.get("_action") == "back" else following
            return redirect(target.url if target else wizard.resume_url(), 303)
        return self.show(wizard)

    @expose("/<int:pk>/materials/<key>", methods=["POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def upload(self, pk, key):
        """Attach the files sent for one material; show a refusal next to that material."""
        wizard, elsewhere = self._wizard(pk)
        if elsewhere is not None:
            return elsewhere
        if key not in {m["key"] for m in wizard.definition.get("materials", ())}:
            abort(404)
        uploads = [f for f in request.files.getlist("file") if f and f.filename]
        if not uploads:
            return self.show(wizard, {key: [str(_l("Choose a file to upload."))]}, 422)
        try:
            for upload in uploads:
                AttachMaterialCommand(wizard.application, key, upload).run()
        except UploadRejected as error:
            db.session.rollback()
            return self.show(wizard, {key: [str(error.message)]}, error.status)
        except ApplicationInvalidError as error:
            db.session.rollback()
            messages = [m for ms in error.errors.values() for m in ms]
            return self.show(wizard, {key: messages}, 422)
        except NotAllowedError as error:
            db.session.rollback()
            return self.show(wizard, {key: [str(error.message)]}, 403)
        flash(str(_l("Uploaded: %(count)d file(s).", count=len(uploads))), "success")
        return redirect(url_for("WizardMaterialsView.materials", pk=pk) + f"#material-{key}",
                        303)

    @expose("/<int:pk>/materials/<key>/<int:file_id>/remove", methods=["POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def remove(self, pk, key, file_id):
        """Remove one file of a material."""
        wizard, elsewhere = self._wizard(pk)
        if elsewhere is not None:
            return elsewhere
        RemoveAttachmentCommand(wizard.application, file_id, material_key=key).run()
        flash(str(_l("The file was removed.")), "success")
        return redirect(url_for("WizardMaterialsView.materials", pk=pk) + f"#material-{key}",
                        303)
