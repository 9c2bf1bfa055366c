"""/api/v1/applications/<id>/materials/…: attach and remove a material's files (ApplicationApi).

Also whom a change is made as: the caller, or, for a clerk, the citizen of their window entry.
"""
from __future__ import annotations

from flask import current_app, request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l

from app.api.applications.errors import handles_errors
from app.api.base import safe
from app.commands.applications.access import get_application
from app.commands.applications.errors import ApplicationInvalidError
from app.commands.applications.materials import (AttachMaterialCommand, RemoveAttachmentCommand,
                                                 single_upload)
from app.commands.reviews.window import counter_applicant
from app.scoping import current_user


def enters_at_window() -> bool:
    return current_app.appbuilder.sm.has_access("can_enter", "WindowEntry")


def acting_user(application):
    """Return whom a change is made as: the caller, or the citizen of their window entry."""
    user = current_user()
    if application.applicant_id != user.id and enters_at_window():
        return counter_applicant(application, user) or user
    return user


class ApplicationMaterials:
    """Material endpoints of ApplicationApi (a mixin: FAB registers what ``dir()`` finds)."""

    @expose("/<int:pk>/materials/<key>", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def post_material(self, pk, key):
        """Attach a file (multipart field ``file``) to one material.
        ---
        post:
          summary: Attach a file to one material of a draft (or of a returned application)
          description: >-
            The file's type is checked by its content against the material's accept list and
            its size against max_size_mb (413); more than one part named `file` is 422 at
            `file` (one file per upload); too many files, an unknown type or, after a
            return, a material the detail's `editable` does not name are 422, keyed
            `materials.<key>`.
            Uploads are counted per account, stored or refused, whichever way they come (the
            web wizard, this API, the counter's scans): past the server's limit
            (UPLOAD_RATE_LIMIT) the answer is 429 with Retry-After.
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: key, required: true, schema: {type: string}}
          requestBody:
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [file]
                  properties: {file: {type: string, format: binary}}
          responses:
            201:
              description: Attached
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/UploadedSchema'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {$ref: '#/components/responses/409'}
            413: {$ref: '#/components/responses/413'}
            422: {$ref: '#/components/responses/422'}
            429: {$ref: '#/components/responses/429'}
        """
        application = get_application(pk)
        upload = single_upload(request.files)
        if upload is None:
            raise ApplicationInvalidError({"file": [_l("Choose a file to upload.")]})
        attachment = AttachMaterialCommand(application, key, upload,
                                           user=acting_user(application),
                                           uploaded_by=current_user()).run()
        return self.response(201, file_id=attachment.id, sha256=attachment.sha256)

    @expose("/<int:pk>/materials/<key>/<int:file_id>", methods=["DELETE"])
    @protect()
    @safe
    @handles_errors
    def delete_material(self, pk, key, file_id):
        """Remove an attached file.
        ---
        delete:
          description: On a returned application a file of a material the detail's
            `editable` does not name (neither asked about nor made required by a corrected
            answer) is kept (422, the material's label in `message`, `materials.<key>` in
            `errors`).
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: key, required: true, schema: {type: string}}
          - {in: path, name: file_id, required: true, schema: {type: integer}}
          responses:
            200:
              description: Removed
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/RemovedSchema'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {$ref: '#/components/responses/409'}
            422: {$ref: '#/components/responses/422'}
        """
        application = get_application(pk)
        RemoveAttachmentCommand(application, file_id, user=acting_user(application),
                                material_key=key).run()
        return self.response(200, message=str(_l("The file was removed.")))
