"""The read side of /api/v1/applications/: lists, one application, its form, its files."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.api.applications import read_schemas, replies, schema
from app.api.applications.document import (DocumentSchema, document_reply, issued,
                                           pdf_response)
from app.api.applications.errors import handles_errors
from app.api.applications.files import attachment_response
from app.api.applications.form import application_form
from app.api.applications.preconditions import with_etag
from app.api.base import safe
from app.api.catalog.api import json_response
from app.audit import record
from app.errors import MESSAGES
from app.commands.applications.access import get_application, get_attachment
from app.commands.applications.context import engine_context
from app.extensions import db
from app.models.application import Application
from app.scoping import current_user, is_platform_admin, scope_condition
from app.scoping import is_staff as works_as_staff


def is_staff(user) -> bool:
    """Staff of a region (a role an administrator made counts by what it grants, as
    app.scoping reads it for the scope) or a platform administrator."""
    return works_as_staff(user) or is_platform_admin(user)


class ApplicationReads:
    """GET endpoints of ApplicationApi (a mixin: FAB registers what ``dir()`` finds)."""

    def add_apispec_components(self, api_spec) -> None:
        """Document the payloads these endpoints answer with, next to the API's own."""
        super().add_apispec_components(api_spec)
        for read_schema in (*read_schemas.READ_SCHEMAS, DocumentSchema):
            if read_schema.__name__ not in api_spec.components.schemas:
                api_spec.components.schema(read_schema.__name__, schema=read_schema)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @handles_errors
    def get_list(self):
        """List the caller's applications (staff: those of their region subtree), masked.
        ---
        get:
          summary: Applications the caller may see, newest first
          parameters:
          - in: query
            name: status
            schema: {type: string, enum: [draft, submitted, returned, approved, refused, withdrawn]}
          - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200:
              description: 'One page: ID numbers and mobiles masked, names masked'
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationListSchema'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
        """
        try:
            args = schema.ListArgsSchema().load(request.args.to_dict())
        except ValidationError as error:  # the query string: 400, as the reviews queue
            return self.response(400, message=str(MESSAGES[400]), errors=error.messages)
        user = current_user()
        condition = scope_condition(Application, user)  # citizens: their own; staff: subtree
        if args["status"]:
            condition = condition & (Application.status == args["status"])
        count = db.session.scalar(select(func.count()).select_from(Application).where(condition))
        rows = db.session.scalars(select(Application).where(condition)
                                  .order_by(Application.id.desc())
                                  .offset((args["page"] - 1) * args["page_size"])
                                  .limit(args["page_size"]))
        ctx = engine_context(None)
        return self.response(200, count=count, result=[replies.summary(a, ctx) for a in rows])

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    @handles_errors
    def get(self, pk):
        """Return one application: status, step, deadline, history, materials, agent.
        ---
        get:
          summary: One application, with who filed it (the agent, for filer agent)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: The application (staff see personal data masked)
              headers: {ETag: {description: 'Its version ("6", the lock_version): send it
                  as If-Match with PUT /applications/<id>/answers', schema: {type: string}}}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ApplicationDetailSchema'}
            401: {$ref: '#/components/responses/401'}
            404: {$ref: '#/components/responses/404'}
        """
        user = current_user()
        application = get_application(pk, user)
        owner = application.applicant_id == user.id
        return with_etag(self.response(200, **replies.detail(
            application, engine_context(application), owner)), application)

    @expose("/<int:pk>/document", methods=["GET"])
    @protect()
    @safe
    @handles_errors
    def get_document(self, pk):
        """Return the document an approved application delivers (its item's result_document).
        ---
        get:
          summary: The document issued on approval (a certificate …), rendered
          description: >-
            For an item whose definition declares ``result_document``, once the application
            is approved: the title, the body as sanitised HTML (answers escaped, ID numbers
            masked), the serial number, the issuing agency (the handling region) and the date.
            404 when the application is not approved, its item issues no document, or the
            caller is neither its applicant nor staff in scope.
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: The document
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DocumentSchema'}
            401: {$ref: '#/components/responses/401'}
            404: {$ref: '#/components/responses/404'}
        """
        user = current_user()
        application = get_application(pk, user)
        return self.response(200, **document_reply(application, engine_context(application)))

    @expose("/<int:pk>/document.pdf", methods=["GET"])
    @protect()
    @safe
    @handles_errors
    def get_document_pdf(self, pk):
        """Send the document an approved application delivers as a PDF file.
        ---
        get:
          summary: The document issued on approval, as a PDF file to keep or forward
          description: >-
            What ``/document`` returns, laid out on A4 (title, body, item, serial number,
            issuing agency, date of issue), labelled in the request's language. Sent as an
            attachment named by the title and serial number, never cached. 404 as for
            ``/document``.
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: The document as a PDF file
              content:
                application/pdf:
                  schema: {type: string, format: binary}
            401: {$ref: '#/components/responses/401'}
            404: {$ref: '#/components/responses/404'}
        """
        user = current_user()
        application = get_application(pk, user)
        return pdf_response(issued(application, engine_context(application)))

    @expose("/<int:pk>/form", methods=["GET"])
    @protect()
    @safe
    @handles_errors
    def get_form(self, pk):
        """Return the definition the application is pinned to (never a later version, E6).
        ---
        get:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: >-
                The pinned definition, as GET /catalog/<code> shows one; in answers_schema a
                field with `among` lists the values offered to this application as `enum`,
                except that an agent is not offered those built from the subject's registry
                record (`x-registry-checked`: the server checks the answer against it)
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ItemDefinitionSchema'}
            404: {$ref: '#/components/responses/404'}
        """
        application = get_application(pk)
        return json_response(200, application_form(application, engine_context(application)))

    @expose("/<int:pk>/files/<int:file_id>", methods=["GET"])
    @protect()
    @safe
    @handles_errors
    def download(self, pk, file_id):
        """Download an attached file (as an attachment, with the type chosen at upload).
        ---
        get:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: file_id, required: true, schema: {type: integer}}
          responses:
            200:
              description: >-
                The file as an attachment (Content-Disposition), of the type found at upload
                (image/jpeg, image/png, application/pdf …)
              content:
                '*/*':
                  schema: {type: string, format: binary}
            404: {$ref: '#/components/responses/404'}
        """
        user = current_user()
        application = get_application(pk, user)
        attachment = get_attachment(application, file_id, user)
        if application.applicant_id != user.id:  # a view of personal data by staff (E5)
            record("application.file_viewed", "application", application.id,
                   application.region_code, file_id=attachment.id,
                   material=attachment.material_key)
            db.session.commit()
        return attachment_response(attachment)
