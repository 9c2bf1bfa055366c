"""Save answers into a draft (or into what a returned application may correct).

Raw input is stored as typed, merged into the stored answers, so nothing the citizen typed is
lost; canonical answers are produced once, at submission. Two reserved keys travel with the
answers: ``_pledges`` (``{material key: true}``: a material whose definition allows a pledge
(告知承诺) is satisfied by it instead of files; one the answers make unnecessary is refused) and
``_notice`` (``true``: the item's notice was acknowledged). A ``null`` answer removes the stored
one. What is sent for a field that takes no input (``compute``, ``readonly`` — a registry answer
an agent was shown masked comes back masked —, a registry ``source``) is never kept: the
engine gives its value (app.engine.answers). A signature is kept with the server's signing
time, never one sent; a typed one is checked against its signer, an ID number against the name
beside it (app.engine.people), among the save's errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.agent_limit import count_refusals, ensure_may_try
from app.commands.applications.access import ensure_owner
from app.commands.applications.context import (agent_filing, engine_context, now, people,
                                               variables)
from app.commands.applications.correctable import correctable, flagged  # noqa: F401
from app.commands.applications.errors import (ApplicationInvalidError, StaleApplicationError,
                                              StateConflictError)
from app.commands.applications.requirements import notice_problem, refuse_inapplicable
from app.engine.answers import takes_no_input, validate_all, validate_page
from app.engine.fields import IGNORED_INPUT, get_type
from app.engine.people import people_problems, stamped
from app.engine.registry_refusals import has_registry_checks
from app.extensions import db
from app.models.application import Application

PLEDGES, NOTICE = "_pledges", "_notice"
EDITABLE = ("draft", "returned")
NOT_EDITABLE = _l("This application can no longer be changed.")
UNKNOWN = _l("There is no such question; the answer was ignored.")
TOO_LONG = _l("This is far too long to keep: at most %(max)d characters; the answer was not "
              "saved.")
NOT_ASKED = _l("The reviewer did not ask for this to be changed; the change was not saved.")
ONLY_ASKED = _l("Only what the reviewer asked about may be changed; not: %(labels)s")
TOO_MANY = _l("There are far too many rows to keep: at most %(max)d; the answer was not saved.")
#: Raw answers are kept as typed and checked at submission, so they may run past a field's
#: limits (spaces in a mobile number…) — but not without bound: a 10-million-character answer
#: was stored and then sent whole to every page that shows it.
SLACK = 256


def oversized(schema: dict, value: Any) -> Optional[str]:
    """Return why ``value`` is far past the limits of its JSON ``schema`` (a field's), or None."""
    if isinstance(value, str):
        limit = schema.get("maxLength")
        if limit is not None and len(value) > 2 * limit + SLACK:
            return str(TOO_LONG % {"max": limit})
    elif isinstance(value, list):
        limit = schema.get("maxItems")
        if limit is not None and len(value) > 2 * limit:
            return str(TOO_MANY % {"max": limit})
        items = schema.get("items") or {}
        return next(filter(None, (oversized(items, row) for row in value)), None)
    elif isinstance(value, dict):
        properties = schema.get("properties") or {}
        return next(filter(None, (oversized(properties.get(k) or {}, v)
                                  for k, v in value.items())), None)
    return None


def answer_fields(definition: dict) -> dict[str, dict]:
    """Return the fields that take an answer (top level; repeats included), by key."""
    return {f["key"]: f for page in definition.get("pages", ()) for f in page.get("fields", ())
            if get_type(f["type"]).has_answer}


def pledge_materials(definition: dict) -> set[str]:
    return {m["key"] for m in definition.get("materials", ()) if m.get("pledge")}


def ensure_editable(application: Application) -> None:
    if application.status not in EDITABLE:
        raise StateConflictError(NOT_EDITABLE)



def _echo(value: Any, stored: Any) -> bool:
    """Tell whether ``value`` sent for a field the engine fills is only what a client read:
    nothing, the stored value, or a masked one (``*`` in it, as replies mask ID numbers)."""
    return (value in (None, "") or value == stored
            or (isinstance(value, str) and "*" in value))

@dataclass
class SaveResult:
    application: Application
    errors: dict = dataclass_field(default_factory=dict)
    warnings: dict = dataclass_field(default_factory=dict)


@dataclass
class SaveAnswersCommand:
    """Merge ``answers`` into the application and validate one page (or all) informatively:
    without a page, the errors are everything submitting would refuse in the answers (the
    notice not acknowledged included); materials are judged by uploads, not here."""

    application: Application
    answers: Any
    expected_version: Optional[int] = None
    page: Optional[str] = None
    user: Any = None

    def validate(self) -> dict:
        application = self.application
        ensure_owner(application, self.user)
        ensure_editable(application)
        # An agent's answers judged by a stranger's record: none past the limit (app.agent_limit)
        self.limited = agent_filing(application) and has_registry_checks(
            application.version.definition)
        if self.limited and isinstance(self.answers, dict) and set(self.answers) - {
                PLEDGES, NOTICE}:
            ensure_may_try(application.applicant, application.item.code)
        if self.expected_version is not None and self.expected_version != application.lock_version:
            raise StaleApplicationError()
        if not isinstance(self.answers, dict):
            raise ApplicationInvalidError({"answers": [_l("Send the answers as an object.")]})
        definition = application.version.definition
        pages = [p.get("key") for p in definition.get("pages", ())]
        if self.page is not None and self.page not in pages:
            raise ApplicationInvalidError({"page": [_l("There is no such page.")]})
        known, pledgeable = answer_fields(definition), pledge_materials(definition)
        changes, self.ignored, self.refused = {}, {}, {}
        ctx, stored, moment = engine_context(application), application.answers or {}, now()
        for key, value in self.answers.items():
            if key == PLEDGES:
                changes[key] = self._pledges(value, pledgeable)
            elif key == NOTICE:
                if value is not True:
                    raise ApplicationInvalidError({NOTICE: [_l("Send true to acknowledge.")]})
                changes[key] = True
            elif key in known:
                field = known[key]
                if takes_no_input(field):
                    # computed, read-only or from the registry: the engine's value, never what
                    # was sent; said unless sent back as stored or masked as shown
                    if not _echo(value, stored.get(key)):
                        self.ignored[key] = [str(IGNORED_INPUT)]
                    continue
                if problem := oversized(get_type(field["type"]).json_schema(field, ctx), value):
                    self.refused[key] = [problem]
                else:  # a signature's time is the server's (app.engine.people)
                    changes[key] = stamped(field, value, stored.get(key), moment)
            else:
                self.ignored[str(key)[:60]] = [str(UNKNOWN)]
        if application.status == "returned":
            self._only_flagged(changes)
        if pledged := {k for k, v in changes.get(PLEDGES, {}).items() if v}:
            self._pledges_apply(changes, pledged, ctx)
        return changes

    @staticmethod
    def _pledges(value: Any, pledgeable: set[str]) -> dict:
        if not isinstance(value, dict) or any(
                k not in pledgeable or not isinstance(v, bool) for k, v in value.items()):
            raise ApplicationInvalidError({PLEDGES: [_l(
                "Send {material: true or false} for materials that allow a pledge.")]})
        return value

    def _pledges_apply(self, changes: dict, pledged: set[str], ctx) -> None:
        """Refuse (422, named by its label) a pledge for a material the answers, as this save
        leaves them, make unnecessary (无需提供): the counter's and the wizard's rule."""
        answers = {**(self.application.answers or {}), **changes}
        answers = {k: v for k, v in answers.items() if v is not None}
        refuse_inapplicable(self.application.version.definition, answers, ctx,
                            variables(self.application), pledged)

    def _only_flagged(self, changes: dict) -> None:
        """Refuse (422) changes the reviewer did not ask for, each named by its label: only
        what was flagged and what those answers make visible or required may change
        (app.commands.applications.correctable)."""
        application, stored = self.application, self.application.answers or {}
        definition, ctx = application.version.definition, engine_context(application)
        may = correctable(application, definition)
        fields, materials = may["fields"], may["materials"]
        labels = {k: ctx.text(f.get("label")) or k for k, f in answer_fields(definition).items()}
        refused = {k: labels.get(k, k) for k, v in changes.items()
                   if k not in (PLEDGES, NOTICE) and k not in fields and stored.get(k) != v}
        pledges = stored.get(PLEDGES) or {}
        names = {m["key"]: ctx.text(m.get("label")) or m["key"]
                 for m in definition.get("materials", ())}
        refused |= {f"{PLEDGES}.{k}": names.get(k, k) for k, v in changes.get(PLEDGES, {}).items()
                    if k not in materials and bool(pledges.get(k)) != v}
        if refused:
            raise ApplicationInvalidError(
                {key: [NOT_ASKED] for key in sorted(refused)},
                ONLY_ASKED % {"labels": str(_l(", ")).join(refused[key]
                                                           for key in sorted(refused))})

    def run(self) -> SaveResult:
        changes = self.validate()
        application = self.application
        merged = dict(application.answers or {})
        for key in [k for k, f in answer_fields(application.version.definition).items()
                    if takes_no_input(f)]:
            merged.pop(key, None)  # one kept by an older draft would still be shown
        for key, value in changes.items():
            if key == PLEDGES:
                pledges = {**(merged.get(PLEDGES) or {}), **value}
                merged[PLEDGES] = {k: True for k, v in pledges.items() if v}
            elif value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        if changes.get(NOTICE) and application.notice_acknowledged_at is None:
            application.notice_acknowledged_at = now()
        application.answers = merged
        try:
            db.session.flush()
        except StaleDataError as error:
            db.session.rollback()
            raise StaleApplicationError() from error
        definition, ctx = application.version.definition, engine_context(application)
        if self.page is not None:
            result = validate_page(definition, self.page, merged, ctx, variables(application))
        else:
            result = validate_all(definition, merged, ctx, variables(application))
        named = people_problems(definition, result.answers, merged, people(application),
                                result.rows)
        if self.page is None:  # the whole application: as submitting would judge the answers
            named.update(notice_problem(application, definition))
        if self.limited:  # every refusal the answers now meet, on any page, is a try
            judged = result if self.page is None else validate_all(
                definition, merged, ctx, variables(application))
            count_refusals(application.applicant, application.subject_id_number,
                           judged.refusals)
        db.session.commit()
        return SaveResult(application, {**result.errors, **named, **self.refused},
                          {**result.warnings, **self.ignored})
