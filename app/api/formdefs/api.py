"""/api/v1/formdefs/ — import a definition as a draft and publish a draft (CONTRACT.md §4).

Thin glue over the commands `flask formdefs load` and the designer use: an import runs
``formdefs load``'s lint and save (app.commands.formdef_text), a publish runs
PublishItemCommand, whose lint blocks on problems and reports warnings. Both answer to the
designer's permission (``ItemDesigner``: ``can_edit`` to import, ``can_publish`` to publish)
and, like the designer, only for items owned by a region of the caller's subtree
(app.scoping; a platform administrator: any). Every change is audited by the commands.
"""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.api.base import BanshiApi, safe
from app.api.catalog.api import json_response
from app.api.formdefs.body import definition_text, stated_revision, version_numbers
from app.api.formdefs.errors import handles_formdef_errors
from app.api.formdefs.region_arg import owner_region
from app.api.formdefs.schema import (FormdefErrorSchema, FormdefImportedSchema,
                                     FormdefPublishedSchema, FormdefVersionsSchema)
from app.commands.formdef_errors import NothingToPublishError
from app.commands.formdef_text import LoadFormdefTextCommand, ensure_region_writable
from app.commands.parent_pin import parent_version_arg
from app.commands.publish import PublishItemCommand
from app.commands.schedule import version_states
from app.commands.version_history import publishers
from app.extensions import db
from app.models.item import Item
from app.models.region import Region
from app.scoping import scope_condition
from app.views.admin.items import PERMISSION
from app.workflow.staffing import gap_json, publish_gaps


def _outcome(result) -> tuple[object, str]:
    """Return the one item a text imported and what happened to it."""
    for name in ("created", "updated", "unchanged"):
        if getattr(result, name):
            return getattr(result, name)[0], name
    raise LookupError("an import that lints saves one item")


class FormdefApi(BanshiApi):
    """Import definitions (YAML or JSON) as drafts; publish an item's draft."""

    resource_name = "formdefs"
    openapi_spec_tag = "Definitions"
    openapi_spec_component_schemas = (FormdefImportedSchema, FormdefPublishedSchema,
                                      FormdefErrorSchema, FormdefVersionsSchema)
    class_permission_name = PERMISSION
    method_permission_name = {"post": "edit", "publish": "publish", "versions": "list"}

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @handles_formdef_errors
    def post(self):
        """Import one definition as the draft of its item (never published).
        ---
        post:
          summary: Import a definition (CONTRACT.md §3) as a draft, as `flask formdefs load`
          description: >-
            The body is one definition as YAML or JSON (at most 2 MB; YAML aliases and nesting
            past 50 levels are refused). It is linted as `flask formdefs lint` does: any
            problem answers 422 and changes nothing, each problem in `errors.definition` as
            `<body>:LINE: message` (LINE is the body's; a JSON body YAML would read
            differently is checked re-indented, two spaces, and LINE is that form's) and in
            `problems` as `{line, message}`. A region administrator may import only items
            owned by a region of their subtree: another `region` answers 403, checked before
            lint. A new item answers 201 (`result: created`), a changed draft 201 (`updated`),
            the draft as it already was 200 (`unchanged`, nothing stored); each with the
            `revision` of the draft, also as the `ETag` header (the number in double quotes). Imports of one item at the
            same moment are applied one after the other, each replacing the draft the one
            before left: every changed draft is one revision more, none is lost. To replace
            only the draft you read, send its revision as `If-Match` (the number, bare or
            quoted as the ETag; the designer's forms carry the same revision): a draft now at another revision, or an item with no
            draft yet, answers 409 with the `revision` of the draft now (null: no draft) and
            changes nothing. Without `If-Match` the import replaces whatever draft there is.
          parameters:
          - in: header
            name: If-Match
            required: false
            description: The revision of the draft this definition replaces (`3` or `"3"`)
            schema: {type: string, example: '"3"'}
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          requestBody:
            required: true
            content:
              application/yaml:
                schema: {type: string}
              application/json:
                schema: {type: object}
          responses:
            200:
              description: Unchanged
              headers:
                ETag:
                  description: The revision of the draft, in double quotes
                  schema: {type: string}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/FormdefImportedSchema'}
            201:
              description: Created or updated as a draft
              headers:
                ETag:
                  description: The revision of the draft, in double quotes
                  schema: {type: string}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/FormdefImportedSchema'}
            400:
              description: '`If-Match` is not a revision (a whole number)'
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
            401: {$ref: '#/components/responses/401'}
            403:
              description: Not the designer's permission, or `region` outside the caller's
                subtree (`errors.region`)
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
            409:
              description: The draft is not at the `If-Match` revision (`revision`, its
                revision now; null when the item has no draft yet), or another import created
                the same item at the same moment
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
            413: {$ref: '#/components/responses/413'}
            415:
              description: The body is neither YAML nor JSON
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
            422:
              description: Lint problems (`errors.definition`, `problems`); nothing changed
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
        """
        revision = stated_revision()
        command = LoadFormdefTextCommand(text=definition_text(), expected_revision=revision)
        result = command.run()
        item, outcome = _outcome(result)
        revision, latest = result.revisions[item.id], item.latest_version
        response = json_response(200 if outcome == "unchanged" else 201, {
            "code": item.code, "region": item.region_code, "status": "draft",
            "result": outcome, "revision": revision, "item_status": item.status,
            "published_version": latest.number if latest is not None else None,
            "warnings": [str(warning) for warning in command.warnings]})
        response.headers["ETag"] = f'"{revision}"'
        return response

    @expose("/<code>/publish", methods=["POST"])
    @protect()
    @safe
    @handles_formdef_errors
    def publish(self, code):
        """Publish the draft of item ``code`` owned by region ``region``.
        ---
        post:
          summary: Publish an item's draft as its next version, as the designer does
          description: >-
            `region` is the item's owner: the province's for an item, the region's own for a
            variant. The draft is linted first: problems answer 422 (`errors.definition`, as
            `code@region:LINE: message` at the lines of the stored draft) and publish nothing;
            warnings are returned with the version, and in `staffing` the steps that no active
            account could decide in some region where they would be handled (a warning: staff
            can be added after publishing). A draft the newest version already
            publishes answers 422 (`errors.draft`, and that `version`); a variant whose parent
            is not published, 422. A region administrator may publish only items of their
            subtree (403). The draft's `effective_from` may not be before today (China time;
            today: in effect at once), nor for a variant before the day the parent version it
            is built on takes effect, none included: 422 `errors.effective_from`, naming that
            version and day. A variant is built on the parent's newest version, or on the one
            in effect today when `parent_version` names it (it may then start at once, keeping
            those rules until published again), else 422 `errors.parent_version`. A version
            scheduled for a later day never takes effect when the new one starts on or before
            its day (no date: at once); such a publish answers 422 `errors.supersede` with the
            `scheduled` versions, until `supersede` names each of them: it is then published
            and they are marked superseded (`supersedes`, and `GET .../versions`).
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          - {in: query, name: region, required: true, schema: {type: string}}
          - in: query
            name: supersede
            required: false
            description: The numbers of the scheduled versions this publish may supersede
              (`supersede=4`, repeated or comma-separated)
            schema: {type: array, items: {type: integer}}
            style: form
            explode: true
          - {in: query, name: parent_version, required: false, schema: {type: integer},
             description: "For a variant: the parent version to build on (default newest)"}
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          responses:
            200:
              description: The new version
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/FormdefPublishedSchema'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403:
              description: Not the designer's permission, or `region` outside the caller's
                subtree (`errors.region`)
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
            404:
              description: No such item, or no region of code `region` (`errors.region`)
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
            409: {$ref: '#/components/responses/409'}
            422:
              description: Lint problems (`errors.definition`, `problems`), nothing to publish
                (`errors.draft`, `version`), a parent not yet published (`errors.draft`), an
                effective date before today (`errors.effective_from`), a parent version not to
                build on (`errors.parent_version`) or scheduled versions to confirm
                (`errors.supersede`, `scheduled`)
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
        """
        region = owner_region(self)
        if not isinstance(region, Region):
            return region
        ensure_region_writable(region.code)
        supersede = version_numbers(request.args.getlist("supersede"))
        if supersede is None:
            message = str(_l("supersede: give the numbers of scheduled versions (supersede=4)."))
            return self.response(422, message=message, errors={"supersede": [message]})
        pin = parent_version_arg(request.args.getlist("parent_version"))
        command = PublishItemCommand(code, region.code, supersede=supersede, parent_version=pin)
        version = command.run()
        if not command.created:
            raise NothingToPublishError(version.number)
        return json_response(200, {
            "code": code, "region": region.code, "version": version.number,
            "effective_from": version.effective_from.isoformat()
            if version.effective_from else None,
            "supersedes": [{"version": v.number, "effective_from": v.effective_from.isoformat()}
                           for v in command.superseded],
            "warnings": [str(warning) for warning in command.warnings],
            "staffing": [gap_json(gap) for gap in publish_gaps(version.definition, region.code)]})

    @expose("/<code>/versions", methods=["GET"])
    @protect()
    @safe
    @handles_formdef_errors
    def versions(self, code):
        """List the published versions of item ``code`` owned by region ``region``.
        ---
        get:
          summary: The published versions of an item, newest first, each with its state
          description: >-
            `state` is `in_effect`, `scheduled` (from `effective_from`), `superseded` (a
            newer version, `by`, starts no later: it never takes effect), `replaced` (it was
            in effect until `by`) or `retired`; `state_name` says it in the request's language;
            `published_by` is the username of the account that published it (null: the
            command line). Only items of the caller's subtree (404 otherwise).
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          - {in: query, name: region, required: true, schema: {type: string}}
          - {in: query, name: _l_, schema: {type: string, enum: [zh, en]}}
          responses:
            200:
              description: The versions
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/FormdefVersionsSchema'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403: {$ref: '#/components/responses/403'}
            404:
              description: No such item, or no region of code `region` (`errors.region`)
              content:
                application/json: {schema: {$ref: '#/components/schemas/FormdefErrorSchema'}}
        """
        region = owner_region(self)
        if not isinstance(region, Region):
            return region
        item = db.session.scalar(select(Item).where(
            Item.code == code, Item.region_code == region.code, scope_condition(Item)))
        if item is None:
            return self.response(404, message=str(_l('no item "%(code)s" of region %(region)s',
                                                      code=code, region=region.code)))
        published_by = publishers(item)
        return json_response(200, {"code": code, "region": region.code, "versions": [
            {"version": s.version.number, "state": s.state, "state_name": str(s.label),
             "published_by": published_by.get(s.version.number),
             "by": s.by.number if s.by is not None else None,
             "effective_from": s.version.effective_from.isoformat()
             if s.version.effective_from else None,
             "published_at": s.version.published_at.isoformat()}
            for s in version_states(item)]})
