"""Applications (办件): a citizen's (or a clerk's) filing of one pinned item version.

Answers are one JSON document validated by the engine against the pinned version; the review
chain state (current step, deadlines, decisions) lives in columns so that queues are indexed
queries. ``lock_version`` is SQLAlchemy's version counter: a decision or a save made against a
stale copy fails instead of overwriting (SECURITY_TESTS.md E1, E2). History is AuditEvent rows
with ``object_type = "application"``, written in the same transaction as each change.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from flask_appbuilder import Model
from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, and_, or_, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import NEVER_REUSED, Scope, UtcDateTime, app_now

STATUSES = ("draft", "submitted", "returned", "approved", "refused", "withdrawn")
OPEN_STATUSES = ("draft", "submitted", "returned")
CLOSED_STATUSES = ("approved", "refused", "withdrawn")
CHANNELS = ("web", "api", "window")


class Application(Model):
    """One filing; ``region_code`` is where it is handled, ``applicant_id`` the account owner."""

    __tablename__ = "application"
    __table_args__ = (
        Index("ix_application_applicant", "applicant_id", "status"),
        # The reviewers' queue: current step and status within a region, oldest first.
        Index("ix_application_queue", "status", "current_step", "region_code", "id"),
        # Overdue and due-soon queues of a platform administrator (or a subtree too large to
        # merge per region): the deadline index in keyset order (step_deadline, id); on
        # PostgreSQL it carries the handling region and when the step is due soon, so a
        # province's walk is index-only.
        Index("ix_application_step_deadline", "status", "step_deadline", "id",
              postgresql_include=["step_region_code", "step_due_soon_from"]),
        # A reviewer's pending queue: the current step's handling region, most urgent first;
        # a city's late queues walk it per region (index-only: it carries step_due_soon_from).
        Index("ix_application_step_region", "step_region_code", "status", "step_deadline", "id",
              postgresql_include=["step_due_soon_from"]),
        Index("ix_application_version", "version_id"),
        # The dashboard (app.workflow.stats): a region subtree's applications of a period.
        Index("ix_application_region_submitted", "region_code", "submitted_at"),
        NEVER_REUSED,
    )
    #: A draft is the citizen's until it is submitted: staff see it only when they entered it
    #: at a counter themselves (only that clerk finishes and submits it, so ``entered_by``
    #: names whoever may not decide it: app.workflow.routing). A counter draft is that
    #: clerk's alone: the citizen it is for sees it once it is submitted.
    __scope__ = Scope(region="region_code", owner="applicant_id",
                      staff_condition=lambda model, user: or_(
                          model.status != "draft",
                          and_(model.channel == "window", model.entered_by_id == user.id)),
                      owner_condition=lambda model, user: or_(
                          model.status != "draft", model.channel != "window"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("item_version.id"))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    filer: Mapped[str] = mapped_column(String(10), default="self")  # self | agent
    channel: Mapped[str] = mapped_column(String(10), default="web")
    entered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    # The person the application is about (the applicant, or whom an agent files for).
    subject_name: Mapped[Optional[str]] = mapped_column(String(64))
    subject_id_number: Mapped[Optional[str]] = mapped_column(String(18))
    subject_verified_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    # An agent's (代办人) relationship to the subject (a ``relationship`` code) and address.
    agent_relationship: Mapped[Optional[str]] = mapped_column(String(10))
    agent_address: Mapped[Optional[str]] = mapped_column(String(200))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notice_acknowledged_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(12), default="draft")
    current_step: Mapped[Optional[str]] = mapped_column(String(60))
    # The region whose reviewers handle the current step (app.workflow.handling_region): set by
    # the workflow on every step change. It may lie outside ``region_code``'s subtree (a
    # cross-province transfer's sending agency), which is why it is a column the queues can use.
    step_region_code: Mapped[Optional[str]] = mapped_column(String(12))
    # Which round of review this is (incremented on every resubmission after a return).
    round: Mapped[int] = mapped_column(Integer, default=0)
    # Who may not decide the current step now, as ",12,34," (None: nobody), kept by the
    # workflow (app.workflow.chain.barred): this round's co-signers (会签) and, for a
    # ``distinct`` step, whoever decided another step. The pending queue filters on it.
    step_barred: Mapped[Optional[str]] = mapped_column(Text)
    # Who has approved the current step this round (会签), their names as they signed, in order,
    # joined by U+001F (None: nobody), kept by the workflow with ``step_barred``
    # (app.workflow.cosign): the queues show a co-signed step's progress from the row.
    step_signed: Mapped[Optional[str]] = mapped_column(Text)
    # What the reviewer flagged when returning: {"fields": {key: reason}, "materials": {key: reason}}
    return_request: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    answers_at_return: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now, onupdate=app_now)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    closed_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    step_started_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    step_deadline: Mapped[Optional[date]] = mapped_column(Date)
    # The first day the current step counts as due soon (临期), relative to its own time limit
    # (app.workflow.deadlines.due_soon_from); set with step_deadline. NULL with a deadline: a
    # step counted before it was kept, due soon by the plain DUE_SOON_DAYS rule.
    step_due_soon_from: Mapped[Optional[date]] = mapped_column(Date)
    # When the applicant last urged (催办) the current step this round, cleared when the step
    # (re)starts or pauses (app.workflow.deadlines): the queues mark the row 已催办 from it.
    step_urged_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    deadline: Mapped[Optional[date]] = mapped_column(Date)  # the statutory total
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    # Working days already used before the clock paused (returned applications).
    working_days_used: Mapped[int] = mapped_column(Integer, default=0)
    # Working days spent with the citizen after returns (补正期间), summed at each resubmission.
    paused_working_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Working days from submission to 办结/refusal, paused days excluded: set when closed, so
    # the dashboard's medians are plain SQL over this column (app.workflow.stats).
    working_days_taken: Mapped[Optional[int]] = mapped_column(Integer)
    # When the retention purge (app.commands.retention, SECURITY_TESTS.md F2) took the personal
    # content out of this closed application: answers, identity, agent, files, comments.
    anonymised_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    item: Mapped["Item"] = relationship()  # noqa: F821
    version: Mapped["ItemVersion"] = relationship()  # noqa: F821
    applicant: Mapped["BanshiUser"] = relationship(foreign_keys=[applicant_id])  # noqa: F821
    region: Mapped["Region"] = relationship()  # noqa: F821
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="application", order_by="Attachment.id")

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class Attachment(Model):
    """A material file: stored under a server-made name, original name kept as data only."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_application", "application_id", "material_key"),
                      NEVER_REUSED)
    __scope__ = Scope(region="region_code", owner="owner_id")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    material_key: Mapped[str] = mapped_column(String(60))
    region_code: Mapped[str] = mapped_column(String(12))  # the application's, for scoping
    owner_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))  # the applicant account
    original_name: Mapped[str] = mapped_column(String(300))
    storage_key: Mapped[str] = mapped_column(String(120), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
    removed_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())

    application: Mapped[Application] = relationship(back_populates="attachments")


class StepDecision(Model):
    """One reviewer's decision on one step in one round (会签 needs several approvals)."""

    __tablename__ = "step_decision"
    __table_args__ = (
        UniqueConstraint("application_id", "step_key", "round", "actor_id",
                         name="uq_step_decision_actor"),
        # A reviewer's 已办 queue, newest first: keyset on the decision id; on PostgreSQL it
        # carries what a 已办 row shows of the decision (an index-only walk, no heap visits).
        Index("ix_step_decision_actor", "actor_id", "id",
              postgresql_include=["application_id", "step_key", "decision", "at"]),
        # Returns for correction per application (the dashboard): a small partial index.
        Index("ix_step_decision_return", "application_id",
              postgresql_where=text("decision = 'return'"),
              sqlite_where=text("decision = 'return'")),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    step_key: Mapped[str] = mapped_column(String(60))
    round: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))  # None: by rule
    decision: Mapped[str] = mapped_column(String(12))  # approve | return | refuse
    comment: Mapped[Optional[str]] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)


class IdempotencyRecord(Model):
    """A submit seen with an Idempotency-Key: the same key replays the first answer (E3)."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("account_id", "key", name="uq_idempotency_account_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[Optional[int]] = mapped_column(Integer)
    response: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)


class SerialCounter(Model):
    """The last serial number issued per region and day; incremented under a row lock."""

    __tablename__ = "serial_counter"

    region_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Notification(Model):
    """The outbox: written with the change it announces, delivered later by a sender."""

    __tablename__ = "notification"
    #: ix_notification_recipient: a reader's notices (the inbox, newest first; its nav count).
    __table_args__ = (Index("ix_notification_pending", "sent_at", "id"),
                      Index("ix_notification_recipient", "recipient_id", "id"), NEVER_REUSED)
    __scope__ = Scope(region="region_code", owner="recipient_id")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"))
    #: None for the notice to an agent's subject, who may have no account: it goes to the
    #: registry's mobile (app.commands.applications.subject_notice).
    recipient_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    region_code: Mapped[Optional[str]] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(12), default="sms")
    template: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(300))
