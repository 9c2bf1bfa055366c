"""Urge (催办) an overdue application: the applicant asks the office to decide it.

Only the applicant account may urge, and only an application waiting for the office
(``submitted``) whose current step is overdue: its step deadline or its statutory deadline is
before today, as the reviewers' 超时 queue reads it. At most once per application and working
day: ``ApplicationUrge.day`` is today, or on a rest day the next working day, and is unique per
application. The application's row lock (PostgreSQL) makes a second urge at the same moment wait
for the first and find it; the unique constraint refuses it on any database.

The urge is written with its history event (``application.urged``: 已催办 on both sides) and
an in-app notice to every reviewer who may decide the current step now
(app.workflow.staffing, routing's own rule).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.commands.applications.access import NOT_OWNER, acting_user
from app.commands.applications.context import now, today
from app.commands.applications.errors import NotAllowedError, StateConflictError
from app.commands.notifications import IN_APP, queue_in_app
from app.engine.fields.dates import said
from app.extensions import db
from app.models.application import Application, Notification
from app.models.urge import ApplicationUrge
from app.workdays import add_working_days, is_working_day

NOT_WAITING = _l("Only an application waiting for the office's decision can be urged.")
NO_LIMIT = _l("This application has no time limit, so it cannot be urged.")
ALREADY = _l("You have already urged this application today. You can urge it again on the "
             "next working day.")


def urge_day(on: dt.date) -> dt.date:
    """Return the working day an urge made on ``on`` counts for."""
    return on if is_working_day(on) else add_working_days(on, 1).date


def due_by(application: Application) -> Optional[dt.date]:
    """Return the earliest deadline the current step runs against (step or statutory)."""
    days = [day for day in (application.step_deadline, application.deadline) if day]
    return min(days) if days else None


def overdue(application: Application, on: Optional[dt.date] = None) -> bool:
    """Tell whether ``application`` waits for the office past a deadline."""
    due = due_by(application)
    return application.status == "submitted" and due is not None and due < (on or today())


def urges(application: Application) -> list[ApplicationUrge]:
    """Return the application's urges, oldest first."""
    return list(db.session.scalars(select(ApplicationUrge).where(
        ApplicationUrge.application_id == application.id).order_by(ApplicationUrge.id)))


def urges_waiting(application: Application) -> list[ApplicationUrge]:
    """Return the urges of the step the application waits at now (this round), oldest first:
    what the reviewers' detail page shows above the answers."""
    if application.status != "submitted":
        return []
    return [urge for urge in urges(application) if urge.step_key == application.current_step
            and urge.round == application.round]


def mark_read(application: Application, user: Any) -> int:
    """Mark ``user``'s unread in-app notices of ``application`` read (the caller commits);
    return how many."""
    notices = list(db.session.scalars(select(Notification).where(
        Notification.application_id == application.id, Notification.recipient_id == user.id,
        Notification.channel == IN_APP, Notification.sent_at.is_(None))))
    for notice in notices:
        notice.sent_at = now()
    return len(notices)


def urged_on(application: Application, day: dt.date) -> bool:
    return bool(db.session.scalar(select(exists().where(
        ApplicationUrge.application_id == application.id, ApplicationUrge.day == day))))


def urged_today(application: Application) -> bool:
    """Tell whether the application was urged for this working day already."""
    return application.status == "submitted" and urged_on(application, urge_day(today()))


def urgeable(application: Application, on: Optional[dt.date] = None) -> bool:
    """Tell whether the urge button is offered: overdue and not urged this working day (the
    command checks it again under the row lock)."""
    on = on or today()
    return overdue(application, on) and not urged_on(application, urge_day(on))


def deciders_now(application: Application) -> list[int]:
    """Return the ids of the active accounts that may decide the current step now."""
    from app import workflow
    from app.workflow.routing import can_decide_listed, step_role
    from app.workflow.staffing import Staff

    step = workflow.step_of(application.version, application.current_step)
    if step is None:
        return []
    handler = application.step_region_code
    staff = Staff.load({handler}, {step_role(step)})
    return [actor.id for actor in staff.admitted(handler, step)
            if can_decide_listed(actor, application, step)]


@dataclass
class UrgeApplicationCommand:
    application: Application
    user: Any = None

    def validate(self) -> dt.date:
        application, user = self.application, acting_user(self.user)
        if application.applicant_id != user.id:
            raise NotAllowedError(NOT_OWNER)
        # Lock the row: a second urge at the same moment waits, then finds this one.
        db.session.refresh(application, with_for_update=True)
        if application.status != "submitted":
            raise StateConflictError(NOT_WAITING)
        on, due = today(), due_by(application)
        if due is None:
            raise StateConflictError(NO_LIMIT)
        if not overdue(application, on):
            raise StateConflictError(_l(
                "This application is still within its time limit (to be decided by %(date)s). "
                "You can urge it once that day has passed.", date=said(due)))
        day = urge_day(on)
        if urged_on(application, day):
            raise StateConflictError(ALREADY)
        self.user = user
        return day

    def run(self) -> ApplicationUrge:
        try:
            day = self.validate()
            application = self.application
            urge = ApplicationUrge(application_id=application.id,
                                   step_key=application.current_step, round=application.round,
                                   day=day, actor_id=self.user.id, at=now())
            db.session.add(urge)
            application.step_urged_at = urge.at  # the queues' 已催办 mark
            record("application.urged", "application", application.id,
                   application.region_code, step=application.current_step)
            self._notify(application)
            db.session.commit()
        except IntegrityError:  # the same day's urge got there first (no row lock: SQLite)
            db.session.rollback()
            raise StateConflictError(ALREADY) from None
        except Exception:
            db.session.rollback()
            raise
        return urge

    @staticmethod
    def _notify(application: Application) -> None:
        from app import workflow

        step = workflow.step_of(application.version, application.current_step)
        queue_in_app(application, deciders_now(application), "application.urged",
                     step=workflow.step_label(step, "zh"))
