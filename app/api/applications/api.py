"""/api/v1/applications/ — a citizen's applications (CONTRACT.md §4): thin glue over commands.

Every lookup goes through app.scoping (another citizen's application answers 404, B1); each
endpoint loads its payload with a schema that refuses unknown top-level keys (422, each named;
B3), runs one command and maps its typed errors (app.api.applications.errors).

A clerk (staff holding the window-entry permission) files for a walk-in citizen exactly as the
counter pages do: ``POST /`` with the citizen as ``subject`` and ``identity_checked: true`` runs
WindowEntryCommand (channel ``window``, the clerk recorded, the citizen's account or a
placeholder they claim at 实名认证), and the clerk's later calls on that application act as the
citizen while app.commands.reviews.window.counter_applicant allows it.
"""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l

from app.api.applications import schema
from app.api.applications.errors import handles_errors, submission_key
from app.api.applications.materials import ApplicationMaterials, acting_user, enters_at_window
from app.api.applications.preconditions import expected_version, with_etag
from app.api.applications.reads import ApplicationReads, is_staff
from app.api.applications.replies import field_pages
from app.api.base import BanshiApi, json_object, safe
from app.commands.applications.access import get_application
from app.commands.applications.create import AGENT_ONLY, CreateApplicationCommand
from app.commands.applications.delete import DeleteDraftCommand
from app.commands.applications.errors import ApplicationInvalidError
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import (SUBMIT_LOADS, SubmitApplicationCommand,
                                              request_hash)
from app.commands.applications.withdraw import WithdrawApplicationCommand
from app.commands.reviews.window import WindowEntryCommand
from app.scoping import current_user
from app.window_limit import LimitsWindowLookups

#: WindowEntryCommand's error keys as the payload names them.
SUBJECT_KEYS = {"name": "subject.name", "id_number": "subject.id_number"}
#: A JSON body (answers, a drawn signature included) is far below this; only files are larger.
JSON_MAX_BYTES = 2 * 1024 * 1024


def _json() -> dict:
    return json_object(JSON_MAX_BYTES)


def _window_entry(clerk, data: dict):
    """Create the draft a clerk files for a walk-in citizen (WindowEntryCommand)."""
    if data["filer"] != "self":
        raise ApplicationInvalidError({"filer": [
            _l("At the counter the citizen files for themself; enter their own name and ID "
               "number.")]})
    if data["agent"] is not None:
        raise ApplicationInvalidError({"agent": [AGENT_ONLY]})
    subject = data["subject"] or {}
    try:
        return WindowEntryCommand(clerk, data["item"], data["region"], subject.get("name"),
                                  subject.get("id_number"),
                                  identity_checked=data["identity_checked"]).run()
    except ApplicationInvalidError as error:
        raise ApplicationInvalidError({SUBJECT_KEYS.get(key, key): messages for key, messages
                                       in error.errors.items()}) from error


class ApplicationApi(LimitsWindowLookups, ApplicationReads, ApplicationMaterials, BanshiApi):
    """Create, fill, attach to, submit, withdraw, follow and (drafts) delete applications."""

    resource_name = "applications"
    openapi_spec_tag = "Applications"
    openapi_spec_component_schemas = (
        schema.ApplicationPostSchema, schema.AnswersPutSchema, schema.WithdrawPostSchema,
        schema.CreatedSchema, schema.SaveResponseSchema, schema.ErrorSchema,
        schema.RefusedSchema, *schema.WRITE_SCHEMAS)
    method_permission_name = {
        "get_list": "get", "get": "get", "get_form": "get", "get_document": "get",
        "get_document_pdf": "get",
        "download": "get",
        "post": "post", "post_material": "post", "submit": "post", "withdraw": "post",
        "put_answers": "put", "delete_material": "delete", "delete_draft": "delete"}

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def post(self):
        """Start a draft application (a clerk: for a walk-in citizen, identity checked).

        An agent (``filer: agent``) names the ``subject`` and gives ``agent``
        ``{relationship, address}``, checked as the web wizard's "who applies" step checks them.
        ---
        post:
          description: >-
            For filer agent, `subject` {name, id_number} and `agent` {relationship, address}
            are required; a missing or unknown relationship code and a missing or too long
            address answer 422 with messages keyed `agent.relationship` and `agent.address`.
            For filer self, `agent` and `subject` are refused (422, keyed so). Unknown keys
            (`answers`, a mistyped `filer`) are refused: 422 naming each, nothing created.
            A clerk's entry for a citizen whose account was closed since the look-up is 409.
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
            403:
              description: >-
                Not allowed. A citizen whose identity is not verified yet (GET /me/ says
                needs_identity) gets `action` {method, path}: verify at POST /api/v1/me/identity,
                then create the application again
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/RefusedSchema'}
            409: {$ref: '#/components/responses/409'}
            422: {$ref: '#/components/responses/422'}
        """
        data = schema.ApplicationPostSchema().load(_json())
        user = current_user()
        if is_staff(user):
            if not enters_at_window():
                return self.response_403()
            application = _window_entry(user, data)
        else:
            agent = data["agent"]
            if data["filer"] == "agent" and agent is None:
                agent = {}  # no later "who applies" step here: the details are required now
            application = CreateApplicationCommand(
                user, data["item"], data["region"], data["filer"], data["subject"],
                channel="api", agent=agent).run()
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
          description: Without `page`, `errors` are all that submitting would refuse in the
            answers, `_notice` (notice not acknowledged) included; materials are judged by
            uploads and at submission, not here. With `page`, that page's alone; `pages` names
            the page of each key of `errors` and `warnings`. Unknown keys inside `answers` are
            only `warnings`; unknown top-level keys are refused (422 naming each), nothing
            saved; so is, on a returned application, a change the reviewer did not ask for
            (422, labels in `message`, keys in `errors`), and a pledge (`_pledges`) for a
            material the answers make unnecessary (422, its label in `message`,
            `materials.<key>` in `errors`). Send the version read as `If-Match` (GET's `ETag`)
            or the body's `version` (both, and they must agree); a stale save is 409,
            nothing saved. Without either the answers are merged into what is stored; the reply's
            `version` (and `ETag`) is the one saved.
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: header, name: If-Match, schema: {type: string}, description: 'The ETag read
              ("6"): another version is 409 as a stale `version` is; not a version, 400'}
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/AnswersPutSchema'}
          responses:
            200:
              description: Saved; errors and warnings are informative
              headers: {ETag: {description: the version saved, schema: {type: string}}}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/SaveResponseSchema'}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {$ref: '#/components/responses/409'}
            422: {$ref: '#/components/responses/422'}
        """
        data = schema.AnswersPutSchema().load(_json())
        application = get_application(pk)
        result = SaveAnswersCommand(application, data["answers"],
                                    expected_version(data["version"]), data["page"],
                                    user=acting_user(application)).run()
        pages = field_pages(application.version.definition, [*result.errors, *result.warnings])
        return with_etag(self.response(200, errors=result.errors, warnings=result.warnings,
                                       version=result.application.lock_version, pages=pages),
                         result.application)

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def submit(self, pk):
        """Submit; a retry with the same Idempotency-Key gets the first answer back.
        ---
        post:
          summary: Submit a draft, or resubmit a returned application after correction
          description: >-
            Every answer, material and the notice are checked against the pinned version;
            what is missing or wrong is 422 with messages per key. The Idempotency-Key header
            (a key of your own, up to 100 printable ASCII characters) is required: without it
            428. A key answers for one submission of one application: the same key with the
            same body again gets the first answer back (200, nothing submitted twice); the same
            key for another application or with another body is 409; after a return, the
            corrected application needs a new key (the first one gets 409).
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: header, name: Idempotency-Key, required: true,
             schema: {type: string, minLength: 1, maxLength: 100}}
          responses:
            200:
              description: Submitted, or the first answer to this key replayed
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/SubmittedSchema'}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {$ref: '#/components/responses/409'}
            422: {$ref: '#/components/responses/422'}
            428: {$ref: '#/components/responses/428'}
        """
        key = submission_key(request.headers)  # before the application: nothing told
        application = get_application(pk, for_update=True, options=SUBMIT_LOADS)
        result = SubmitApplicationCommand(application, key, request_hash(
            application.id, request.get_data()), user=acting_user(application),
            requester=current_user()).run()
        return self.response(result.status_code, **result.body)

    @expose("/<int:pk>/withdraw", methods=["POST"])
    @protect()
    @safe
    @handles_errors
    def withdraw(self, pk):
        """Withdraw an application before any decision; a draft is deleted instead, as on the web.
        ---
        post:
          description: >-
            Optional body `{reason}`; any other key is refused (422 naming each). Only a
            returned application, or a submitted one no step of which has been decided in this
            round: once a step is approved it stays `submitted` but is no longer withdrawable
            (409). GET /applications/<id> says which in `may_withdraw`. A draft never
            submitted cannot be withdrawn (409, `action` {method DELETE, path}): delete it
            instead with DELETE /api/v1/applications/<id>, as 我要查 offers only 删除草稿.
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: Withdrawn
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/WithdrawnSchema'}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409:
              description: >-
                Decided (a step approved too), withdrawn, changed in the meantime, or a
                draft never submitted: `action` says DELETE /api/v1/applications/<id>
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/RefusedSchema'}
            422: {$ref: '#/components/responses/422'}
        """
        application = get_application(pk)  # another's is 404 whatever the body
        data = schema.WithdrawPostSchema().load(_json())
        WithdrawApplicationCommand(application, reason=data["reason"]).run()
        return self.response(200, id=application.id, status=application.status)

    @expose("/<int:pk>", methods=["DELETE"])
    @protect()
    @safe
    @handles_errors
    def delete_draft(self, pk):
        """Delete one's own draft, never submitted, with its files (as 我要查 does); a clerk
        deletes a counter draft they entered (as the citizen, as they fill it).
        ---
        delete:
          summary: Delete one's own draft with its files
          description: >-
            Only a draft never submitted; once submitted 409 (withdraw instead). A counter
            (窗口代录) draft is deleted by the clerk who entered it.
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              description: Deleted
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/DeletedSchema'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {$ref: '#/components/responses/409'}
        """
        application = get_application(pk)
        DeleteDraftCommand(application, user=acting_user(application)).run()
        return self.response(200, id=pk, status="deleted")
