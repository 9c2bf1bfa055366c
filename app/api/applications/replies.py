"""What the read endpoints of /api/v1/applications/ answer: an application as its owner or
staff may see it (the shapes are documented by app.api.applications.read_schemas).

The owner reads what 我要查's detail page shows (docs/engine.md, *Personal identifiers*): their
own data in full, except that an agent reads the subject's identifiers masked once the
application is submitted (app.commands.applications.identifiers) and the subject's registry
record beyond the declared identity masked always; list rows mask them for everyone. Staff read
what the reviewers' pages show (SECURITY_TESTS F1): ID numbers, mobiles and bank accounts
masked, and every long number inside free text masked by the same function those pages use.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from flask import url_for
from sqlalchemy import select

from app.api.applications.history import shown_history
from app.audit import application_events
from app.commands.applications.context import agent_filing
from app.commands.applications.correctable import correctable
from app.commands.applications.filer import describe_agent
from app.commands.applications.identifiers import identifiers_in_full
from app.commands.applications.timeline import cosign_pending
from app.commands.applications.urge import urgeable
from app.commands.applications.withdraw import withdrawable
from app.commands.notifications import redact
from app.engine.fields import EngineContext
from app.engine.fields.special import drawn_image
from app.engine.masked import answers_for_agent, mask_answers
from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.region_tree import region_tree
from app.validators import mask_id_number, mask_mobile, mask_name
from app.validators.masking import mask_answer
from app.views.outcomes import status_name
from app.workflow.deadlines import step_deadline_provisional


def _iso(value) -> Optional[str]:
    return value.isoformat() if value is not None else None


def step_label(definition: Mapping, key: Optional[str], ctx: EngineContext) -> Optional[str]:
    """Return the name of the definition's step ``key`` in the request locale, or None."""
    for step in definition.get("approval", ()):
        if key is not None and step["key"] == key:
            return ctx.text(step.get("name"))
    return None


def step_name(application: Application, ctx: EngineContext) -> Optional[str]:
    return step_label(application.version.definition, application.current_step, ctx)


def field_pages(definition: Mapping, keys) -> dict[str, str]:
    """Return ``{key: page key}`` for the keys (``members[2].birth`` too) of a page's field."""
    pages = {field["key"]: page.get("key") for page in definition.get("pages", ())
             for field in page.get("fields", ())}
    found = {}
    for key in keys:
        top = str(key).split("[", 1)[0].split(".", 1)[0]
        if top in pages:
            found[key] = pages[top]
    return found


def region_name(code: str, locale: str) -> Optional[str]:
    """Return a region's own name in ``locale`` (None when unknown), from the region tree."""
    node = region_tree().get(code)
    return node.name_for(locale) if node is not None else None


def summary(application: Application, ctx: EngineContext) -> dict:
    """Return a list row: masked personal data only (SECURITY_TESTS F1)."""
    applicant = application.applicant
    return {
        "id": application.id, "serial": application.serial, "status": application.status,
        # The item's own name for the status (its ``outcomes``), or None: the code decides.
        "status_name": status_name(application.version.definition, application.status, ctx),
        "item": {"code": application.item.code,
                 "name": ctx.text(application.version.definition.get("name"))},
        "region": application.region_code, "region_name": region_name(application.region_code,
                                                                      ctx.locale),
        "filer": application.filer,
        "subject_name": mask_name(application.subject_name),
        "subject_id_number": mask_id_number(application.subject_id_number),
        "applicant_mobile": mask_mobile(getattr(applicant, "mobile", None)) or None,
        "current_step": application.current_step, "step_name": step_name(application, ctx),
        "deadline": _iso(application.deadline),
        "created_at": _iso(application.created_at), "submitted_at": _iso(application.submitted_at),
    }


def masked_answers(fields_: list, answers: Mapping) -> dict:
    """Return answers as staff may read them (SECURITY_TESTS F1), repeats included."""
    by_key = {f["key"]: f for f in fields_}
    return {key: masked_value(by_key.get(key), value) for key, value in answers.items()}


def masked_value(field: Optional[Mapping], value: Any) -> Any:
    """Return one answer masked as the reviewers' pages show it, its JSON shape kept.

    ``id_card``, ``mobile`` and ``bank_account`` answers get their own mask
    (:func:`~app.validators.masking.mask_answer`, as on those pages); any other text
    goes through :func:`~app.commands.notifications.redact`, the function the reviewers' pages
    (app.views.review.display.Formatter) apply to free text, so that an ID or account number
    typed into a remark is masked here as there. A drawn signature stays whole (an image).
    """
    kind = field.get("type") if field is not None else None
    masked = mask_answer(kind, value)
    if masked is not None:
        return masked
    if kind == "repeat" and isinstance(value, list):
        return [masked_answers(field.get("fields", []), row) if isinstance(row, Mapping)
                else _redacted(row) for row in value]
    if (kind == "signature" and isinstance(value, Mapping) and value.get("kind") == "drawn"
            and drawn_image(value.get("value"), "") is not None):
        return value
    return _redacted(value)


def _redacted(value: Any) -> Any:
    """Return ``value`` with every long number in its texts masked (:func:`redact`)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = redact(value)  # a number of 15 digits or more reads as an identifier
        return value if shown == str(value) else shown
    return value


def history(application: Application, ctx: EngineContext) -> list[dict]:
    events = db.session.scalars(select(AuditEvent).where(
        *application_events(application.id))
        .order_by(AuditEvent.at, AuditEvent.id))
    definition, rows = application.version.definition, []
    for event in events:
        by = ("applicant" if event.actor_id == application.applicant_id
              else "system" if event.actor_id is None else "staff")
        detail = event.detail or {}
        row = {"action": event.action, "at": _iso(event.at), "by": by,
               "step": detail.get("step"),
               "step_name": step_label(definition, detail.get("step"), ctx)}
        if detail.get("comment"):
            row["comment"] = detail["comment"]
        if event.action == "application.approve" and cosign_pending(detail):
            row["cosign"] = cosign_pending(detail)  # signed, but the step has not passed
        rows.append(row)
    return rows


def agent(application: Application, ctx: EngineContext, owner: bool) -> Optional[dict]:
    """Return the agent who filed (name, ID number, relationship, address), or None for filer
    self.

    The owner is the agent: they get what they entered and their own ID number in full. Staff
    get what the reviewers' page shows (app.views.review.display.agent_section): the name and
    ID number masked, long numbers in the address masked.
    """
    shown = describe_agent(application, ctx)
    if shown is None or owner:
        return shown
    return {**shown, "name": mask_name(shown["name"]) if shown["name"] else None,
            "id_number": mask_id_number(shown["id_number"]) if shown["id_number"] else None,
            "address": redact(shown["address"]) if shown["address"] else None}


def _owners(fields_: list, answers: Mapping, application: Application) -> dict:
    """Return the owner's answers as 我要查 shows them: for an agent the registry's masked, and
    identifiers masked where :func:`identifiers_in_full` says so."""
    shown = answers_for_agent(fields_, answers) if agent_filing(application) else answers
    return shown if identifiers_in_full(application) else mask_answers(fields_, shown)


def editable(application: Application) -> dict[str, list[str]]:
    """Return what the correction of a returned application may change, by key: what the
    reviewer flagged and what those answers make visible or required (the save's rule)."""
    may = correctable(application)
    return {part: sorted(may[part]) for part in ("fields", "materials")}


def detail(application: Application, ctx: EngineContext, owner: bool) -> dict:
    """Return the whole application; staff get personal answers masked."""
    definition = application.version.definition
    all_fields = [f for page in definition.get("pages", ()) for f in page.get("fields", ())]
    answers = application.answers or {}
    files = [{"file_id": a.id, "material_key": a.material_key, "name": a.original_name,
              "size": a.size, "content_type": a.content_type, "sha256": a.sha256,
              "uploaded_at": _iso(a.uploaded_at),
              "url": url_for("ApplicationApi.download", pk=application.id, file_id=a.id)}
             for a in application.attachments if a.removed_at is None]
    return {
        **summary(application, ctx),
        "subject_name": application.subject_name if owner else mask_name(
            application.subject_name),
        "subject_id_number": application.subject_id_number
        if owner and identifiers_in_full(application)
        else mask_id_number(application.subject_id_number),
        "subject_verified": application.subject_verified_at is not None,
        "version": {"id": application.version_id, "number": application.version.number},
        # The owner's answers as 我要查 shows them (app.engine.masked, .identifiers).
        "answers": _owners(all_fields, answers, application) if owner
        else masked_answers(all_fields, answers),
        "materials": files,
        "return_request": application.return_request if application.status == "returned"
        else None,
        "editable": editable(application) if application.status == "returned" else None,
        "deadline_provisional": application.deadline_provisional,
        "step_deadline": _iso(application.step_deadline),
        "step_deadline_provisional": step_deadline_provisional(application),
        "closed_at": _iso(application.closed_at),
        "lock_version": application.lock_version,
        "history": shown_history(application, history(application, ctx), owner),
        "agent": agent(application, ctx, owner),
        # What POST /withdraw checks: the owner's app shows its button only when it would work.
        "may_withdraw": owner and withdrawable(application),
        "may_urge": owner and urgeable(application),  # POST …/urge (催办) would work now
    }
