"""/api/v1/applications/ — a citizen's applications (CONTRACT.md §4): thin glue over commands.

Every lookup goes through app.scoping (another citizen's application answers 404, B1); each
endpoint loads its payload with a schema that drops unknown keys (B3), runs one command and
maps its typed errors (app.api.applications.errors).
"""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l

from app.api.applications import schema
from app.api.applications.errors import EXTRA_RESPONSES, handles_errors
from app.api.applications.reads import ApplicationReads, is_staff
from app.commands.applications.access import get_application
from app.commands.applications.create import CreateApplicationCommand
from app.commands.applications.errors import ApplicationInvalidError
from app.commands.applications.materials import AttachMaterialCommand, RemoveAttachmentCommand
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import SubmitApplicationCommand, request_hash
from app.commands.applications.withdraw import WithdrawApplicationCommand
from app.scoping import current_user

KEY_HEADER = "Idempotency-Key"


def _json() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


class ApplicationApi(ApplicationReads, BaseApi):
    """Create, fill, attach to, submit, withdraw and follow applications."""

    resource_name = "applications"
    openapi_spec_tag = "Applications"
    openapi_spec_component_schemas = (
        schema.ApplicationPostSchema, schema.AnswersPutSchema, schema.WithdrawPostSchema,
        schema.CreatedSchema, schema.SaveResponseSchema, schema.ErrorSchema)
    responses = {**BaseApi.responses, **EXTRA_RESPONSES}
    method_permission_name = {
        "get_list": "get", "get": "get", "get_form": "get", "download": "get",
        "post": "post", "post_material": "post", "submit": "post", "withdraw": "post",
        "put_answers": "put", "delete_material": "delete",
    }

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def post(self):
        """Start a draft application.
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/ApplicationPostSchema'}
          responses:
            201:
              description: The new draft
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/CreatedSchema'}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            422: {$ref: '#/components/responses/422'}
        """
        data = schema.ApplicationPostSchema().load(_json())
        user = current_user()
        staff = is_staff(user)
        application = CreateApplicationCommand(
            user, data["item"], data["region"], data["filer"], data["subject"],
            channel="window" if staff else "api", entered_by=user if staff else None).run()
        return self.response(201, id=application.id, serial=application.serial,
                             status=application.status)

    @expose("/<int:pk>/answers", methods=["PUT"])
    @protect()
    @safe
    @handles_errors
    def put_answers(self, pk):
        """Merge answers into a draft; return informative per-field errors.
        ---
        put:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/AnswersPutSchema'}
          responses:
            200:
              description: Saved; errors and warnings are informative
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/SaveResponseSchema'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {$ref: '#/components/responses/409'}
            422: {$ref: '#/components/responses/422'}
        """
        data = schema.AnswersPutSchema().load(_json())
        application = get_application(pk)
        result = SaveAnswersCommand(application, data["answers"], data["version"],
                                    data["page"]).run()
        return self.response(200, errors=result.errors, warnings=result.warnings,
                             version=result.application.lock_version)

    @expose("/<int:pk>/materials/<key>", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def post_material(self, pk, key):
        """Attach a file (multipart field ``file``) to one material.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: key, required: true, schema: {type: string}}
          requestBody:
            content:
              multipart/form-data:
                schema: {type: object, properties: {file: {type: string, format: binary}}}
          responses:
            201: {description: '{file_id, sha256}'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            413: {$ref: '#/components/responses/413'}
            422: {$ref: '#/components/responses/422'}
        """
        application = get_application(pk)
        upload = request.files.get("file")
        if upload is None:
            raise ApplicationInvalidError({"file": [_l("Choose a file to upload.")]})
        attachment = AttachMaterialCommand(application, key, upload).run()
        return self.response(201, file_id=attachment.id, sha256=attachment.sha256)

    @expose("/<int:pk>/materials/<key>/<int:file_id>", methods=["DELETE"])
    @protect()
    @safe
    @handles_errors
    def delete_material(self, pk, key, file_id):
        """Remove an attached file.
        ---
        delete:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: key, required: true, schema: {type: string}}
          - {in: path, name: file_id, required: true, schema: {type: integer}}
          responses:
            200: {description: Removed}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
        """
        application = get_application(pk)
        RemoveAttachmentCommand(application, file_id, material_key=key).run()
        return self.response(200, message=str(_l("The file was removed.")))

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def submit(self, pk):
        """Submit; a retry with the same Idempotency-Key gets the first answer back.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: header, name: Idempotency-Key, schema: {type: string, maxLength: 100}}
          responses:
            200: {description: '{id, status, serial}'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {$ref: '#/components/responses/409'}
            422: {$ref: '#/components/responses/422'}
        """
        key = request.headers.get(KEY_HEADER)
        if key is not None and not (0 < len(key) <= 100 and key.isascii() and key.isprintable()):
            return self.response(400, message=str(_l("The Idempotency-Key header is not valid.")))
        application = get_application(pk)
        result = SubmitApplicationCommand(application, key, request_hash(
            application.id, request.get_data())).run()
        return self.response(result.status_code, **result.body)

    @expose("/<int:pk>/withdraw", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def withdraw(self, pk):
        """Withdraw an application before any decision.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200: {description: '{id, status}'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
        """
        data = schema.WithdrawPostSchema().load(_json())
        application = get_application(pk)
        WithdrawApplicationCommand(application, reason=data["reason"]).run()
        return self.response(200, id=application.id, status=application.status)
