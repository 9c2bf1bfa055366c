"""Moving an application along its approval chain: enter, decide by rule, close, pause, resume.

These functions change the application (and add StepDecision/history rows for rule decisions)
in the caller's transaction; they never commit. The callers own the rest: the submit command
sets the serial, ``submitted_at`` and the statutory ``deadline`` and announces the result; the
review commands write the human StepDecision, the history event and the notification.

``when``: a step whose condition is false is skipped; a condition that cannot be evaluated
counts as true (a person looks at it rather than nobody).

``auto``: the rule decides the step when it gives true — an approval recorded as a
StepDecision with no actor and an ``application.decide`` history event naming the rule. When
it gives false (or cannot be evaluated) the step is **handed to people**: it becomes the
current step, handled by ``role`` (default Reviewer) at ``level`` (default: the application's
region), and the history says the rule did not approve. A rule never refuses or returns, nor
approves an application whose result document would print the person registry's facts empty
(app.workflow.document_facts.document_gaps): a person decides it.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Optional

from sqlalchemy import and_, or_, select

from app.audit import record
from app.commands.applications.context import variables
from app.engine.cel import ExpressionError, Scope, bind_answers, compile_expression, to_cel
from app.engine.fields import cel_kinds
from app.extensions import db
from app.models.application import Application, StepDecision
from app.workflow import deadlines
from app.workflow.document_facts import document_gaps, keep_document_facts
from app.workflow.routing import handling_region, step_of, steps

log = logging.getLogger(__name__)


def scope_for(application: Application) -> Scope:
    """Return the CEL scope of ``application``: its answers plus filer, person, region, today."""
    pages = (application.version.definition or {}).get("pages", ())
    kinds = cel_kinds(field for page in pages for field in page.get("fields", ()))
    extra = dict(variables(application))
    on = extra.pop("today", None)
    converted = {name: to_cel(value, "map" if isinstance(value, dict) else "text")
                 for name, value in extra.items()}
    return Scope({**bind_answers(application.answers or {}, kinds), **converted}, today=on)


def _where(application: Application, step: dict, setting: str) -> str:
    """Name a step's expression for the log: application, item, version, step."""
    version = application.version
    return (f"application {application.id}: {setting} of step {step.get('key')} of "
            f"{version.item.code if version else '?'}@{application.region_code} "
            f"v{version.number if version else '?'}")


def _holds(source: str, scope: Scope, application: Application, fallback: bool,
           step: dict) -> bool:
    try:
        return compile_expression(source).evaluate_bool(scope)
    except ExpressionError as error:
        log.warning("%s: %s not decided (%s); counted as %s",
                    _where(application, step, "when"), source, error.detail or error, fallback)
        return fallback


def _history(application: Application, action: str, step: dict, **detail) -> Any:
    return record(action, "application", application.id, region_code=application.region_code,
                  step=step["key"], round=application.round, **detail)


def _decide_by_rule(application: Application, step: dict, scope: Scope) -> bool:
    """Apply an ``auto`` step's rule; True when it approved the step."""
    rule = step["auto"]
    try:
        approved = compile_expression(rule).evaluate_bool(scope)
    except ExpressionError as error:
        log.warning("%s: %s failed (%s); handed to people", _where(application, step, "auto"),
                    rule, error.detail or error)
        approved = None
    if approved and document_gaps(application, lambda: scope):  # it would certify nothing: a person
        _history(application, "application.rule_referred", step, by="rule", rule=rule,
                 outcome="registry")
        return False
    if approved:
        db.session.add(StepDecision(application_id=application.id, step_key=step["key"],
                                    round=application.round, actor_id=None, decision="approve",
                                    at=deadlines.now()))
        event = _history(application, "application.decide", step, decision="approve",
                         by="rule", rule=rule)
        event.actor_id = None  # decided by the rule, not by whoever triggered it
        return True
    _history(application, "application.rule_referred", step, by="rule", rule=rule,
             outcome="error" if approved is None else "false")
    return False


def barred(application: Application, step: dict) -> Optional[str]:
    """Return who may not decide ``step`` of ``application`` now, as ",12,34," (None: nobody):
    who decided it in this round (会签 needs different people) and, for a ``distinct`` step, who
    decided another step in any round — can_decide's last two checks, kept in
    ``Application.step_barred`` for the pending queue."""
    condition = and_(StepDecision.step_key == step["key"],
                     StepDecision.round == application.round)
    if step.get("distinct"):
        condition = or_(condition, StepDecision.step_key != step["key"])
    # Decisions by people are flushed when made; no autoflush, so that the application's own
    # changes are still written in one UPDATE (lock_version moves on once).
    with db.session.no_autoflush:
        actors = sorted(set(db.session.scalars(select(StepDecision.actor_id).where(
            StepDecision.application_id == application.id, StepDecision.actor_id.is_not(None),
            condition))))
    return f",{','.join(map(str, actors))}," if actors else None


def _entered(application: Application, step: dict, reviewed: bool) -> Optional[str]:
    """Return ``step_barred`` of a step just entered: nobody has decided it in this round yet,
    so only a ``distinct`` step bars anyone — and nobody before the first review."""
    return barred(application, step) if reviewed and step.get("distinct") else None


def _begin(application: Application, step: dict, at: dt.datetime, reviewed: bool) -> None:
    application.status = "submitted"
    application.current_step = step["key"]
    application.step_region_code = handling_region(application, step)
    application.step_barred = _entered(application, step, reviewed)
    application.step_signed = None
    application.working_days_used = 0
    deadlines.restart(application, step.get("time_limit_days"), at)


def close(application: Application, status: str, at: Optional[dt.datetime] = None) -> None:
    """Close the application as ``approved`` (办结) or ``refused``; the clock stops. Approved,
    the registry facts its result document prints are kept (app.workflow.document_facts)."""
    application.status = status
    application.closed_at = at or deadlines.now()
    application.step_deadline = None
    application.step_signed = None
    deadlines.stop(application, deadlines.local_date(application.closed_at))
    if status == "approved":
        application.current_step = None
        application.step_region_code = None
        if (application.version.definition or {}).get("result_document"):
            keep_document_facts(application, scope_for(application))  # what it certifies


def _enter_from(application: Application, index: int, at: dt.datetime,
                reviewed: bool = True) -> Optional[dict]:
    """Enter the first step from ``index`` that applies (deciding rules); None when closed.
    ``reviewed``: False when no person can have decided anything yet (a first submission)."""
    chain, scope = steps(application.version), None
    if application.id is None:
        db.session.flush()
    for step in chain[index:]:
        if step.get("when") or step.get("auto"):
            scope = scope or scope_for(application)
        if step.get("when") and not _holds(step["when"], scope, application, True, step):
            continue
        if step.get("auto") and _decide_by_rule(application, step, scope):
            continue
        _begin(application, step, at, reviewed)
        return step
    close(application, "approved", at)
    return None


def start(application: Application, at: Optional[dt.datetime] = None) -> Optional[dict]:
    """Start review of a just-submitted application: enter its first applicable step.

    Sets ``status`` (``submitted``, or ``approved`` when no step is left for a person),
    ``round`` (1 for the first review), ``current_step``, ``step_region_code``,
    ``step_started_at`` and ``step_deadline``. Returns the step entered, or None when closed.
    """
    application.round = max(application.round or 0, 1)
    application.return_request = None
    return _enter_from(application, 0, at or deadlines.now(), reviewed=False)


def advance(application: Application, at: Optional[dt.datetime] = None) -> Optional[dict]:
    """Move past the current (approved) step; return the next step, or None when 办结."""
    chain = steps(application.version)
    keys = [step.get("key") for step in chain]
    index = keys.index(application.current_step) + 1 if application.current_step in keys \
        else len(keys)
    return _enter_from(application, index, at or deadlines.now())


def pause(application: Application, at: Optional[dt.datetime] = None) -> int:
    """Return the application to the citizen: the step clock stops; return the days used."""
    at = at or deadlines.now()
    application.status = "returned"
    application.step_signed = None  # the new round starts over (resume)
    return deadlines.pause(application, deadlines.local_date(at))


def resume(application: Application, at: Optional[dt.datetime] = None) -> Optional[dict]:
    """Resume review after the citizen resubmitted a returned application.

    Back to the step that returned it, in a new ``round`` (co-sign approvals start over), its
    clock continuing from ``working_days_used``; the statutory ``deadline`` moves by the working
    days the application spent with the citizen. The handling region is recomputed (a
    corrected ``region_field`` answer routes the step anew).
    """
    at = at or deadlines.now()
    step = step_of(application.version, application.current_step)
    returned_on = (application.return_request or {}).get("returned_on")
    if returned_on:
        deadlines.shift_statutory(application, dt.date.fromisoformat(returned_on),
                                  deadlines.local_date(at))
        deadlines.count_pause(application, dt.date.fromisoformat(returned_on),
                              deadlines.local_date(at))
    application.round = (application.round or 0) + 1
    if step is None:  # nothing to return to (never for a pinned version): start over
        application.working_days_used = 0
        return _enter_from(application, 0, at)
    application.status = "submitted"
    application.step_region_code = handling_region(application, step)
    application.step_barred = _entered(application, step, True)  # a new round
    application.step_signed = None
    deadlines.restart(application, step.get("time_limit_days"), at)
    return step
