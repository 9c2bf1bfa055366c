"""The materials step: upload and remove files per material, or sign its pledge instead.

The page is one form: every button on it (上传, 删除, 上一步, 下一步, and Enter) sends the
files chosen for every material, so nothing chosen is lost. Each file goes through
AttachMaterialCommand; a refused one (413 too large, 422 wrong type or content) is shown next
to its material and in a summary on top, and the page stays. A body over the server's limit is
refused before any view runs: it comes back to the page with a message. A material the answers
make unnecessary (``required_when`` false) offers no upload.

``POST /materials/<key>`` (one material's files) and ``…/<file_id>/remove`` stay for clients
that post one material at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l, ngettext

from app.commands.applications.errors import ApplicationInvalidError, NotAllowedError
from app.commands.applications.materials import AttachMaterialCommand, RemoveAttachmentCommand
from app.commands.applications.requirements import material_settings
from app.commands.applications.save import PLEDGES, SaveAnswersCommand
from app.extensions import db
from app.uploads import UploadRejected
from app.views.citizen import requires_verified_identity
from app.views.citizen.wizard_confirm import files_by_material, requirements
from app.views.citizen.wizard_support import (CitizenView, Wizard, apply_permission,
                                              command_errors, load)

GENERIC_PLEDGE = _l("Instead of this material, I pledge that what I stated is true "
                    "(告知承诺) and accept the consequences if it is not.")
TOO_LARGE = _l("The upload is too large. Send fewer or smaller files at a time.")
CHOOSE_FILE = _l("Choose a file to upload.")
SAME_FILE = _l("%(file)s is the same file as one already uploaded for %(material)s: check that "
               "it was not uploaded twice by mistake.")


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

    @property
    def can_upload(self) -> bool:
        return (self.can_change and self.requirement != "not_needed"
                and len(self.files) < self.max_files)


def material_rows(wizard: Wizard, errors: Optional[dict] = None) -> list[MaterialRow]:
    """Return what the materials page shows, with each material's requirement decided now."""
    definition, errors = wizard.definition, errors or {}
    needs = requirements(wizard)
    files, may = files_by_material(wizard.application), wizard.correctable("materials")
    reasons, rows = wizard.reasons("materials"), []
    for material in definition.get("materials", ()):
        key, settings = material["key"], material_settings(material)
        pledge = material.get("pledge") if needs[key] != "not_needed" else None
        rows.append(MaterialRow(
            material, wizard.ctx.text(material.get("label")) or key, settings["accept"],
            settings["max_size_mb"], settings["max_files"], needs[key],
            (wizard.ctx.text(pledge) if isinstance(pledge, dict) else str(GENERIC_PLEDGE))
            if pledge else None,
            files.get(key, []), not wizard.correcting or key in may, reasons.get(key),
            errors.get(key, [])))
    return rows


def attach(application, key: str, uploads: list, label: str = "") -> tuple[int, list[str], int]:
    """Attach each file to one material; return how many were stored, why the others were
    not, and the status that says so (413 when one was too large, else 422 or 403). A file
    the material already holds (same sha256) is stored all the same, with a warning."""
    stored, refused, status = 0, [], 200
    held = {a.sha256 for a in files_by_material(application).get(key, ())}
    for upload in uploads:
        try:
            attachment = AttachMaterialCommand(application, key, upload).run()
        except UploadRejected as error:
            refused.append(str(error.message))
            status = max(status, error.status)
        except ApplicationInvalidError as error:
            refused.extend(str(m) for ms in error.errors.values() for m in ms)
            status = max(status, 422)
        except NotAllowedError as error:
            refused.append(str(error.message))
            status = max(status, 403)
        else:
            stored += 1
            if attachment.sha256 in held:
                flash(str(SAME_FILE) % {"file": attachment.original_name,
                                        "material": label or key}, "warning")
            held.add(attachment.sha256)
            continue
        db.session.rollback()
    return stored, refused, status


def flash_uploaded(count: int) -> None:
    if count:
        flash(ngettext("%(num)d file uploaded.", "%(num)d files uploaded.", count), "success")


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
        rows = material_rows(wizard, errors)
        return self.render_template(
            "citizen/wizard_materials.html", rows=rows,
            refused=[row for row in rows if row.errors],
            pledges=(wizard.application.answers or {}).get(PLEDGES) or {},
            **wizard.context("materials")), status

    def save_pledges(self, wizard: Wizard) -> None:
        """Save the pledges as ticked, when they changed (with the page's lock version)."""
        stored = (wizard.application.answers or {}).get(PLEDGES) or {}
        ticked = set(request.form.getlist("pledge"))
        pledges = {row.material["key"]: row.material["key"] in ticked
                   for row in material_rows(wizard) if row.pledge and row.can_change}
        if any(bool(stored.get(k)) != v for k, v in pledges.items()):
            try:
                version = int(request.form.get("_version", ""))
            except ValueError:
                abort(400)
            SaveAnswersCommand(wizard.application, {PLEDGES: pledges}, version).run()

    def attach_chosen(self, wizard: Wizard) -> tuple[int, dict, int]:
        """Attach the files chosen for every material (``file-<key>``); return the count
        stored, the messages of those refused by material, and the status. A material whose
        上传 was pressed with no file chosen says so (as the API does)."""
        stored, errors, status = 0, {}, 200
        pressed = request.form.get("_upload")
        for material in wizard.definition.get("materials", ()):
            key = material["key"]
            uploads = [f for f in request.files.getlist(f"file-{key}") if f and f.filename]
            if uploads:
                count, refused, code = attach(wizard.application, key, uploads,
                                              wizard.ctx.text(material.get("label")))
                stored, status = stored + count, max(status, code)
                if refused:
                    errors[key] = refused
            elif key == pressed:
                errors[key], status = [str(CHOOSE_FILE)], max(status, 422)
        return stored, errors, status

    def remove_chosen(self, wizard: Wizard) -> Optional[str]:
        """Remove the file whose 删除 button was pressed; return its material's key."""
        file_id = request.form.get("_remove", "")
        if not file_id:
            return None
        keys = {str(a.id): key for key, files in files_by_material(wizard.application).items()
                for a in files}
        if file_id not in keys:
            abort(404)
        RemoveAttachmentCommand(wizard.application, int(file_id), material_key=keys[file_id]).run()
        flash(str(_l("The file was removed.")), "success")
        return keys[file_id]

    @expose("/<int:pk>/materials", methods=["GET", "POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def materials(self, pk):
        """Show the materials; a POST saves the pledges, attaches the files chosen, removes
        the file asked, then stays (上传, 删除, a refused file) or goes on (or back)."""
        wizard, elsewhere = self._wizard(pk)
        if elsewhere is not None:
            return elsewhere
        if request.method == "GET":
            return self.show(wizard)
        self.save_pledges(wizard)
        stored, errors, status = self.attach_chosen(wizard)
        flash_uploaded(stored)
        here = self.remove_chosen(wizard) or request.form.get("_upload")
        if errors:
            return self.show(Wizard(wizard.application), errors, status)
        if here is not None:
            return redirect(url_for("WizardMaterialsView.materials", pk=pk)
                            + f"#material-{here}", 303)
        wizard = Wizard(wizard.application)
        if "_goto" in request.form:  # a step of the progress bar
            return redirect(wizard.goto(request.form["_goto"]), 303)
        previous, following = wizard.neighbours("materials")
        target = previous if request.form.get("_action") == "back" else following
        return redirect(target.url if target else wizard.resume_url(), 303)

    @expose("/<int:pk>/materials/<key>", methods=["POST"])
    @has_access
    @requires_verified_identity
    @command_errors
    def upload(self, pk, key):
        """Attach the files sent (``file``) for one material; a refusal shows next to it."""
        wizard, elsewhere = self._wizard(pk)
        if elsewhere is not None:
            return elsewhere
        if key not in {m["key"] for m in wizard.definition.get("materials", ())}:
            abort(404)
        uploads = [f for f in request.files.getlist("file") if f and f.filename]
        if not uploads:
            return self.show(wizard, {key: [str(CHOOSE_FILE)]}, 422)
        label = next(wizard.ctx.text(m.get("label")) for m in wizard.definition["materials"]
                     if m["key"] == key)
        stored, refused, status = attach(wizard.application, key, uploads, label)
        flash_uploaded(stored)
        if refused:
            return self.show(wizard, {key: refused}, status)
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
