"""/api/v1/applications/<id>/…: fill a draft, submit it and withdraw it (ApplicationApi)."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.api.applications import schema
from app.api.applications.body import read_json
from app.api.applications.errors import handles_errors, submission_key
from app.api.applications.materials import acting_user
from app.api.applications.preconditions import expected_version, with_etag
from app.api.applications.replies import field_pages
from app.api.base import safe
from app.commands.applications.access import get_application
from app.commands.applications.save import SaveAnswersCommand
from app.commands.applications.submit import (SUBMIT_LOADS, SubmitApplicationCommand,
                                              request_hash)
from app.commands.applications.withdraw import WithdrawApplicationCommand
from app.scoping import current_user


class ApplicationFiling:
    """Save answers, submit and withdraw: endpoints of ApplicationApi (a mixin: FAB registers
    what ``dir()`` finds)."""

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
            saved; so is, on a returned application, a change of anything but what the
            detail's `editable` names — what the reviewer asked about and what those answers
            make visible or required — (422, labels in `message`, keys in `errors`), and a pledge (`_pledges`) for a
            material the answers make unnecessary (422, its label in `message`,
            `materials.<key>` in `errors`). Send the version read as `If-Match` (GET's `ETag`)
            or the body's `version` (both, and they must agree); a stale save is 409,
            nothing saved. Without either the answers are merged into what is stored; the reply's
            `version` (and `ETag`) is the one saved. An agent's account past its limit of
            answers the subjects' registry records refused (AGENT_REFUSAL_RATE_LIMIT) gets 429
            with Retry-After, nothing saved.
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
            429: {$ref: '#/components/responses/429'}
        """
        data = schema.AnswersPutSchema().load(read_json())
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
        data = schema.WithdrawPostSchema().load(read_json())
        WithdrawApplicationCommand(application, reason=data["reason"]).run()
        return self.response(200, id=application.id, status=application.status)
