"""Change who files a draft: the applicant for themself, or an agent for a subject (代办).

    SetFilerCommand(application, "agent", subject={"name": …, "id_number": …},
                    agent={"relationship": "04", "address": "…"}, expected_version=3).run()

The subject and the agent are checked exactly as :class:`CreateApplicationCommand` checks them
(same registry match, same "recorded verified when found" rule, the same ``check_agent``), so
an API client giving them at creation meets the wizard's rules. The agent's relationship (a code
of the ``relationship`` table other than 01 本人) and address are not answers of the item: they
are columns of the application (``agent_relationship``, ``agent_address``), which reviewers are
shown and :func:`agent_details` reads, and each change is recorded in the application's history
(``application.filer_set``). Only a draft may change its filer: after a submission the
subject is what was reviewed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.agent_subjects import ensure_new_subject_allowed
from app.audit import record
from app.commands.applications.access import ensure_owner
from app.commands.applications.create import (RELATIONSHIPS, CreateApplicationCommand,
                                              check_agent)
from app.commands.applications.errors import (ApplicationInvalidError,
                                              StaleApplicationError, StateConflictError,
                                              commit_or_stale)
from app.commands.applications.save import NOT_EDITABLE
from app.engine.fields import EngineContext
from app.extensions import db
from app.models.application import Application
from app.validators import mask_id_number

EVENT = "application.filer_set"


def agent_details(application: Application) -> dict:
    """Return the agent's relationship and address, or {} (self, or none recorded)."""
    if application.filer != "agent":
        return {}
    details = {"relationship": application.agent_relationship,
               "address": application.agent_address}
    return {key: value for key, value in details.items() if value}


def describe_agent(application: Application, ctx: EngineContext) -> Optional[dict]:
    """Return the agent as recorded: name and ID number (the verified account holder's own),
    relationship code and its name in ``ctx``'s language, address; None for filer self.
    Unmasked: the agent reads their own in full; callers mask for staff."""
    if application.filer != "agent":
        return None
    code = application.agent_relationship or None
    entry = (ctx.entries(RELATIONSHIPS) or {}).get(code or "")
    return {"name": getattr(application.applicant, "first_name", None) or None,
            "id_number": getattr(application.applicant, "id_number", None) or None,
            "relationship": code,
            "relationship_name": ctx.text(entry.label) if entry is not None else None,
            "address": application.agent_address or None}


@dataclass
class SetFilerCommand:
    application: Application
    filer: Any
    subject: Optional[dict] = None
    agent: Optional[dict] = None
    expected_version: Optional[int] = None
    user: Any = None

    def validate(self) -> tuple[CreateApplicationCommand, dict]:
        application = self.application
        user = ensure_owner(application, self.user)
        if application.status != "draft":
            raise StateConflictError(NOT_EDITABLE)
        if self.expected_version is not None and self.expected_version != application.lock_version:
            raise StaleApplicationError()
        if self.filer not in application.version.definition.get("filers", ["self"]):
            raise ApplicationInvalidError({"filer": [_l("This item cannot be filed this way.")]})
        errors: dict[str, list] = {}
        # The same subject rules as at creation (registry match, verification record).
        probe = CreateApplicationCommand(user, application.item.code, application.region_code,
                                         self.filer, self.subject)
        probe._subject(errors)
        details = self._agent(errors) if self.filer == "agent" else {}
        if errors:
            raise ApplicationInvalidError(errors)
        return probe, details

    def _agent(self, errors: dict) -> dict:
        return check_agent(self.agent, self.application.region_code, errors)

    def run(self) -> Application:
        try:
            probe, details = self.validate()
        except Exception:
            db.session.rollback()
            raise
        application = self.application
        unchanged = (application.filer == self.filer
                     and application.subject_id_number == probe.subject_id_number
                     and application.subject_name == probe.subject_name
                     and agent_details(application) == details)
        if unchanged:
            return application
        if self.filer == "agent" and probe.subject_id_number != application.subject_id_number:
            ensure_new_subject_allowed(application.applicant, probe.subject_id_number,
                                       application.item.code)
        application.filer = self.filer
        application.subject_name = probe.subject_name
        application.subject_id_number = probe.subject_id_number
        application.subject_verified_at = probe.subject_verified_at
        application.agent_relationship = details.get("relationship")
        application.agent_address = details.get("address")
        record(EVENT, "application", application.id, application.region_code,
               filer=self.filer, subject=mask_id_number(probe.subject_id_number),
               subject_verified=probe.subject_verified_at is not None,
               **({"agent": details} if details else {}))
        commit_or_stale()
        return application
