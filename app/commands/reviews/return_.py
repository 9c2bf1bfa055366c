"""Return the application to the citizen for correction (一次性告知: everything at once).

``missing`` is ``{"fields": {key: reason}, "materials": {key: reason}}``: at least one entry,
every key one the applicant was asked for (:func:`returnable_keys`: a field shown and answered
or required, a material that applies — required, needed or optional — or given), every
reason a non-empty text. It is stored as ``return_request`` together with ``step``,
``comment``, ``returned_on`` (ISO date) and ``round``; ``answers_at_return`` keeps the answers
as they were, so the citizen side can show (and limit) what changes. The step clock pauses
(``working_days_used``) until :func:`app.workflow.resume`.
"""
from __future__ import annotations

import copy
from typing import Any, Optional

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app import workflow
from app.commands.notifications import redact
from app.commands.applications.context import engine_context, variables
from app.commands.applications.requirements import (active_attachments, condition_scope,
                                                    material_requirement, valid_pledges)
from app.commands.reviews.base import ReviewCommand
from app.engine.answers import page_states, takes_no_input
from app.engine.fields import cel_kinds
from app.models.application import Application
from app.validators import ValidationError
from app.validators.text import clean_text
from app.workflow import deadlines

REASON_MAX = 500
KINDS = ("fields", "materials")
REGISTERED = _l("The applicant cannot change %(field)s: it comes from the registration, which "
                "is corrected where the person is insured.")
COMPUTED = _l("The applicant cannot change %(field)s: it is computed from other answers; "
              "return those instead.")
NOT_APPLICABLE = _l("%(material)s does not apply under the applicant's answers (they were told "
                    "there is nothing to provide): it cannot be asked for.")


def returnable_keys(application: Application) -> dict[str, set[str]]:
    """Return the field and material keys a return may name: what the applicant was asked
    and can change.

    Fields: those the citizen's wizard showed under these answers (the engine's own
    ``visible_when``, on the pinned version) that were answered or required, except those that
    take no input (registry, read-only, computed: :func:`fixed_fields`). Materials: those that
    apply under these answers (:func:`applies`: optional ones too, given or not — a reviewer
    may need one), or given anyway (a file, a pledge).
    ``fixed``: the shown fields the applicant cannot change (offered greyed, never ticked).
    """
    definition = application.version.definition or {}
    answers = application.answers or {}
    facts = variables(application)
    states = page_states(definition, answers, engine_context(application, "zh"), facts)
    shown = {key for state in states.values()
             for key in state.visible & (state.required | set(answers))}
    fields = [f for page in definition.get("pages", ()) for f in page.get("fields", ())]
    shown &= set(cel_kinds(fields))
    fixed = {f["key"] for f in fields if f["key"] in shown and takes_no_input(f)}
    scope = condition_scope(definition, answers, facts)
    given = {a.material_key for a in active_attachments(application)} | set(
        valid_pledges(application, definition))
    return {"fields": shown - fixed, "fixed": fixed,
            "materials": {m["key"] for m in definition.get("materials", ())
                          if m.get("key") and (m["key"] in given or applies(m, scope))}}


def applies(material: dict, scope) -> bool:
    """Tell whether a material applies under the answers: required, needed (``required_when``
    true) or optional — all of which a return may ask for; not one whose ``required_when`` is
    false (the applicant was told there is nothing to provide)."""
    return material_requirement(material, scope) != "not_needed"


def material_reason(application: Application, key: str) -> Any:
    """Return why a return may not name material ``key``: it does not apply under the answers
    (named by its label), or the item has no such material."""
    material = next((m for m in (application.version.definition or {}).get("materials", ())
                     if m.get("key") == key), None)
    if material is None:
        return _l("%(key)s is not part of this application.", key=key)
    label = engine_context(application, str(get_locale() or "zh")).text(material.get("label"))
    return NOT_APPLICABLE % {"material": label or key}


def fixed_reason(application: Application, key: str) -> Any:
    """Return why the applicant cannot change field ``key`` (computed, or from the
    registration: corrected where the person is insured)."""
    field = next((f for page in (application.version.definition or {}).get("pages", ())
                  for f in page.get("fields", ()) if f.get("key") == key), {})
    label = engine_context(application, str(get_locale() or "zh")).text(field.get("label"))
    return (COMPUTED if field.get("compute") else REGISTERED) % {"field": label or key}


class ReturnCommand(ReviewCommand):
    """Return for correction: status ``returned``, the request stored, the clock paused."""

    decision = "return"

    def __init__(self, application_id: Any, actor: Any, comment: Optional[str] = None,
                 expected_version: Optional[int] = None, missing: Optional[dict] = None,
                 step: Optional[str] = None) -> None:
        super().__init__(application_id, actor, comment, expected_version, step)
        self.missing = missing
        self.clean: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}

    def check_input(self, application: Application, step: dict) -> dict[str, list]:
        missing = self.missing if isinstance(self.missing, dict) else None
        if missing is None or set(missing) - set(KINDS):
            return {"missing": [str(_l('Name what is missing as {"fields": {key: reason}, '
                                       '"materials": {key: reason}}.'))]}
        known, errors = returnable_keys(application), {}
        for kind in KINDS:
            entries = missing.get(kind) or {}
            if not isinstance(entries, dict):
                errors[f"missing.{kind}"] = [str(_l("Give a reason per key."))]
                continue
            for key, reason in entries.items():
                where = f"missing.{kind}.{key}"
                if kind == "fields" and key in known["fixed"]:
                    errors[where] = [str(fixed_reason(application, key))]
                    continue
                if key not in known[kind]:
                    errors[where] = [str(material_reason(application, key)) if kind == "materials"
                                     else str(_l("%(key)s is not part of this application.",
                                                 key=key))]
                    continue
                try:
                    text = clean_text(reason, max_length=REASON_MAX)
                except ValidationError as error:
                    errors[where] = [str(error)]
                    continue
                if not text:
                    errors[where] = [str(_l("Say what is wrong or missing."))]
                else:
                    self.clean[kind][key] = redact(text)
        if not errors and not any(self.clean.values()):
            errors["missing"] = [str(_l("Name at least one field or material to correct."))]
        return errors

    def apply(self, application: Application, step: dict) -> tuple[str, dict]:
        now = deadlines.now()
        application.return_request = {
            **self.clean, "step": step["key"], "comment": self.comment,
            "returned_on": deadlines.local_date(now).isoformat(), "round": application.round}
        application.answers_at_return = copy.deepcopy(application.answers or {})
        used = workflow.pause(application, now)
        keys = {kind: sorted(self.clean[kind]) for kind in KINDS}
        # A counter application is corrected by the counter, not by the citizen (ensure_owner).
        template = "review.returned_at_counter" if application.channel == "window" \
            else "review.returned"
        return template, {"missing": keys, "working_days_used": used}
