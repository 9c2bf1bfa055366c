"""Start a draft application for the item in effect in a region, pinned to today's version.

Who files is decided here and at the wizard's "who applies" step (app.commands.applications.filer),
by the same rules: the subject's (:meth:`CreateApplicationCommand._subject`) and the agent's
(:func:`check_agent`: a relationship code of the ``relationship`` table other than 01 本人, and an
address).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import lazy_gettext as _l

from app.agent_limit import count_refusals, ensure_may_try
from app.agent_subjects import ensure_new_subject_allowed
from app.audit import record
from app.commands.applications.context import engine_context, now, today
from app.commands.applications.errors import ApplicationInvalidError, NotAllowedError
from app.engine.fields import DictEntry
from app.engine.fields.base import level_rank
from app.engine.schema import FILERS
from app.engine.variants import effective_version
from app.extensions import db
from app.models.application import CHANNELS, Application
from app.models.item import ItemVersion
from app.models.region import Region
from app.registry import get_person_registry
from app.scoping import can_write_region
from app.validators import (ValidationError, canonical_id_number, mask_id_number, normalize_text,
                            same_name)
from app.validators.text import clean_text

NOT_VERIFIED = _l("Verify your identity (实名认证) before you apply.")
AGENT_ONLY = _l("Give a relationship and an address only when filing for someone else as "
                "their agent.")
SUBJECT_ONLY = _l("Name the person you file for only when filing for someone else as their "
                  "agent (filer agent); for yourself, leave subject out.")
RELATIONSHIPS = "relationship"
SELF_CODE = "01"
ADDRESS_MAX = 200


class IdentityNotVerifiedError(NotAllowedError):
    """A citizen who has not verified their identity (实名认证) may not apply yet (403)."""

    default_message = NOT_VERIFIED


def agent_relationships(region_code: Optional[str]) -> list[DictEntry]:
    """Return the active relationship codes an agent may state (the table without 01 本人)."""
    entries = engine_context(region_code).entries(RELATIONSHIPS) or {}
    return [entry for code, entry in entries.items() if code != SELF_CODE]


def check_agent(agent: Any, region_code: Optional[str], errors: dict) -> dict:
    """Return the agent's {relationship, address} as stored; note problems in ``errors``."""
    agent = agent if isinstance(agent, dict) else {}
    relationship = agent.get("relationship")
    codes = {e.code for e in agent_relationships(region_code)}
    if not isinstance(relationship, str) or relationship not in codes:
        errors["agent.relationship"] = [_l("Choose how you are related to this person.")]
    try:
        address = clean_text(agent.get("address"), max_length=ADDRESS_MAX)
    except ValidationError as error:
        errors["agent.address"], address = [error.message], ""
    if not address:
        errors.setdefault("agent.address", [_l("Enter your address.")])
    return {"relationship": relationship, "address": address}


@dataclass
class CreateApplicationCommand:
    """Create a draft; ``subject`` ({name, id_number}) is whom an agent or a clerk files for.

    A citizen files for themself (the verified account identity) or, where the item allows
    ``agent``, for a subject; a clerk (``entered_by``, channel ``window``) always names the subject.
    A subject found in the person registry must carry the registry's name (compared as every
    name check compares, :func:`app.validators.same_name`) and is recorded as verified, under
    the registry's spelling; one not found is recorded unverified (a newborn's enrollment, say).

    ``agent`` ({relationship, address}) is checked and recorded as the wizard's filer step does
    it (:func:`check_agent`); it is refused for filer self. Left out (None) for filer agent, the
    details are asked afterwards (the web wizard's "who applies" step, SetFilerCommand).
    """

    user: Any
    item_code: Any
    region_code: Any
    filer: Any = "self"
    subject: Optional[dict] = None
    channel: str = "web"
    entered_by: Any = None
    agent: Optional[dict] = None

    def validate(self) -> ItemVersion:
        errors: dict[str, list] = {}
        if self.entered_by is None and getattr(self.user, "identity_verified_at", None) is None:
            raise IdentityNotVerifiedError()
        region = db.session.get(Region, self.region_code) if isinstance(
            self.region_code, str) else None
        version = None
        if region is None or not region.current:
            errors["region"] = [_l("There is no region with code %(code)s.",
                                   code=str(self.region_code)[:20])]
        elif level_rank(region.level) < level_rank("county"):
            errors["region"] = [_l("Choose your county or district (or a grassroots division).")]
        elif isinstance(self.item_code, str):
            version = effective_version(self.item_code, region.code, today())
        if "region" not in errors and version is None:
            errors["item"] = [_l("This item is not offered in this region.")]
        if not isinstance(self.filer, str) or self.filer not in FILERS:  # a client's typo
            errors["filer"] = [_l("filer must be one of: %(values)s (self: for yourself; agent: "
                                  "for someone else, as their agent).", values=", ".join(FILERS))]
        elif version is not None and self.filer not in version.definition.get("filers", ["self"]):
            errors["filer"] = [_l("This item cannot be filed this way.")]
        if self.channel not in CHANNELS:
            errors["channel"] = [_l("Unknown channel.")]
        if self.entered_by is not None and not can_write_region(self.region_code, self.entered_by):
            raise NotAllowedError(_l("You may only enter applications for your own region."))
        if "filer" not in errors:
            self._subject(errors)
            self._agent(errors)
        if errors:
            raise ApplicationInvalidError(errors)
        return version

    def _subject(self, errors: dict) -> None:
        """Fill the subject fields from the account or the given subject; note problems."""
        own = self.entered_by is None or self.user is not self.entered_by
        if self.filer == "self" and own:
            if self.subject is not None:  # never silently dropped: the caller meant someone
                errors["subject"] = [SUBJECT_ONLY]
            self.subject_name = getattr(self.user, "first_name", None)
            self.subject_id_number = getattr(self.user, "id_number", None)
            self.subject_verified_at = getattr(self.user, "identity_verified_at", None)
            return
        subject = self.subject if isinstance(self.subject, dict) else {}
        try:
            name = normalize_text(subject.get("name"), max_length=64)
        except ValidationError as error:
            errors["subject.name"], name = [error.message], ""
        if not name:
            errors.setdefault("subject.name", [_l("Enter the name of the person you file for.")])
        try:
            number = canonical_id_number(subject.get("id_number"), today=today())
        except ValidationError as error:
            errors["subject.id_number"], number = [error.message], None
        if number is not None and number == getattr(self.user, "id_number", None):
            errors["subject.id_number"] = [_l("To apply for yourself, choose “for myself”.")]
        self.subject_name, self.subject_id_number, self.subject_verified_at = name, number, None
        if number is None or errors:
            return
        agent = self.filer == "agent" and self.entered_by is None  # not the counter's clerk
        if agent:  # each refused name tells about a stranger's record (app.agent_limit)
            ensure_may_try(self.user, self.item_code)
        found = get_person_registry().find(number)
        # As every name check does (app.engine.people): spaces, full-width letters and the kind
        # of middle dot aside; the registry's spelling is kept.
        if found is not None and not same_name(name, found.name):
            errors["subject.name"] = [_l("The name and ID number do not match our records.")]
            if agent:
                count_refusals(self.user, number, [("subject.name", name)])
        elif found is not None:
            self.subject_name, self.subject_verified_at = found.name, now()

    def _agent(self, errors: dict) -> None:
        """Check the agent's details, if given, exactly as the wizard's filer step checks them."""
        self.agent_details: dict = {}
        if self.agent is None:
            return
        if self.filer != "agent":
            errors["agent"] = [AGENT_ONLY]
            return
        self.agent_details = check_agent(self.agent, self.region_code, errors)

    def run(self) -> Application:
        version = self.validate()
        if self.filer == "agent" and self.entered_by is None:
            ensure_new_subject_allowed(self.user, self.subject_id_number, self.item_code)
        application = Application(
            item_id=version.item_id, version_id=version.id, region_code=self.region_code,
            applicant_id=self.user.id, filer=self.filer, channel=self.channel,
            entered_by_id=getattr(self.entered_by, "id", None), subject_name=self.subject_name,
            subject_id_number=self.subject_id_number,
            subject_verified_at=self.subject_verified_at,
            agent_relationship=self.agent_details.get("relationship"),
            agent_address=self.agent_details.get("address"), answers={}, status="draft", round=0)
        db.session.add(application)
        try:
            db.session.flush()
            record("application.created", "application", application.id, self.region_code,
                   item=self.item_code, version=version.number, filer=self.filer,
                   channel=self.channel, subject=mask_id_number(self.subject_id_number),
                   subject_verified=self.subject_verified_at is not None,
                   **({"agent": self.agent_details} if self.agent_details else {}))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
