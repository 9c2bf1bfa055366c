"""/api/v1/applications/: start a draft and delete one (ApplicationApi).

A clerk (staff holding the window-entry permission) files for a walk-in citizen exactly as the
counter pages do: ``POST /`` with the citizen as ``subject`` and ``identity_checked: true`` runs
WindowEntryCommand (channel ``window``, the clerk recorded, the citizen's account or a
placeholder they claim at 实名认证), and the clerk's later calls on that application act as the
citizen while app.commands.reviews.window.counter_applicant allows it.
"""
from __future__ import annotations

from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l

from app.api.applications import schema
from app.api.applications.body import read_json
from app.api.applications.errors import handles_errors
from app.api.applications.materials import acting_user, enters_at_window
from app.api.applications.reads import is_staff
from app.api.base import safe
from app.commands.applications.access import get_application
from app.commands.applications.create import AGENT_ONLY, CreateApplicationCommand
from app.commands.applications.delete import DeleteDraftCommand
from app.commands.applications.errors import ApplicationInvalidError
from app.commands.reviews.window import WindowEntryCommand
from app.scoping import current_user

#: WindowEntryCommand's error keys as the payload names them.
SUBJECT_KEYS = {"name": "subject.name", "id_number": "subject.id_number"}


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


class ApplicationDrafts:
    """Create and delete drafts: endpoints of ApplicationApi (a mixin: FAB registers what
    ``dir()`` finds)."""

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
            An agent's account is limited in the different people it starts drafts for
            (AGENT_SUBJECT_RATE_LIMIT) and in the answers the subjects' registry records
            refused (AGENT_REFUSAL_RATE_LIMIT, a subject's name among them): past either, 429
            with Retry-After, nothing created.
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
            429: {$ref: '#/components/responses/429'}
        """
        data = schema.ApplicationPostSchema().load(read_json())
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
