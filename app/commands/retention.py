"""Retention (SECURITY_TESTS.md F2): what ``flask applications purge`` deletes or anonymises.

- A **draft** never submitted whose row and files nobody has changed for ``DRAFT_RETENTION_DAYS``
  days is deleted with its files.
- A **closed** application (approved, refused, withdrawn) is anonymised once its retention period
  has passed: ``retention_years`` of the item version it is pinned to (so a later version never
  changes an older application's period, E6), else ``APPLICATION_RETENTION_YEARS``, counted from
  the day it closed.
- A **citizen account** with no sign-in (never signed in: since it was created) for
  ``ACCOUNT_RETENTION_YEARS`` and no application that is not anonymised is anonymised as a
  closed account is (app.commands.accounts), after the applications, so in the same run.
- An **SMS code** (app.commands.sms_codes) is deleted a day after it expired: nothing reads it
  by then (the resend throttle looks back a minute, a check reads the newest code and refuses it
  once expired), and for a mobile that never registered nothing else would ever delete it.
  The development SMS backend's outbox (``dev_sms_message``: mobiles and the codes' texts) goes
  in the same window: a message sent when a code was made is deleted in the run that deletes it.
- An **Idempotency-Key record** (a submit's first answer, replayed to a retry) is deleted
  ``IDEMPOTENCY_KEY_DAYS`` days after the submit. At most 365, so shorter than any retention
  period (a year or more, counted from a closing on or after the submit): an application's
  records are gone at the latest in the run that anonymises it.

Days are Asia/Shanghai days. Last touched (or closed) on day D, a draft goes on D + days and a
closed application on D + years (29 February counts to 1 March) — never a day before. Open
applications are never selected, and each one is checked again under its row lock. Every
application is its own transaction (app.commands.anonymise), so a run stopped midway loses
nothing and the next run carries on; one already anonymised is never selected again. The run
itself is one history event, ``retention.purge``, with its counts and who ran it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from app.audit import record
from app.commands import CommandError
from app.commands.accounts import AnonymiseAccountCommand, unused_accounts
from app.commands.anonymise import AnonymiseApplicationCommand, DeleteExpiredDraftCommand
from app.commands.applications.context import today as local_today
from app.commands.applications.errors import StateConflictError
from app.engine.cel_functions import CST
from app.engine.schema import RETENTION_YEARS_MAX
from app.extensions import db
from app.models.application import (CLOSED_STATUSES, Application, Attachment,
                                    IdempotencyRecord)
from app.models.item import ItemVersion
from app.models.verification import DevSmsMessage, SmsChallenge

#: What a run counts, in the order it prints them.
KINDS = ("drafts",) + CLOSED_STATUSES + ("accounts", "sms_codes", "dev_sms_messages",
                                          "idempotency_keys")
BATCH = 500
#: An SMS code is deleted this long after it expired.
SMS_CODE_KEPT = dt.timedelta(days=1)
#: IDEMPOTENCY_KEY_DAYS at most: a year of 365 days, the shortest retention period.
KEY_DAYS_MAX = 365


class RetentionSettingError(CommandError):
    """A retention setting is not a whole number in range."""


@dataclass
class PurgeResult:
    today: dt.date
    dry_run: bool
    draft_days: int
    default_years: int
    account_years: int
    key_days: int
    counts: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    files: int = 0
    failed: list = field(default_factory=list)  # (kind, id, message): application | account
    due: set = field(default_factory=set)  # a dry run: the applications it counted


def years_before(day: dt.date, years: int) -> dt.date:
    """Return the same day ``years`` earlier (28 February for a 29 February without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def day_start(day: dt.date) -> dt.datetime:
    """Return midnight at the start of ``day`` in Asia/Shanghai."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=CST)


def setting(name: str, high: int) -> int:
    """Return a retention setting, refusing anything but a whole number from 1 to ``high``."""
    value = current_app.config.get(name)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise RetentionSettingError(_l("The setting %(name)s must be a whole number from 1 to "
                                       "%(high)s, not %(value)r.", name=name, high=high,
                                       value=value))
    return value


def _versions_by_years(default: int) -> dict[int, list[int]]:
    """Return the published version ids grouped by the retention period each one states."""
    groups: dict[int, list[int]] = {}
    stated = db.session.execute(select(ItemVersion.id, ItemVersion.definition["retention_years"]))
    for version_id, years in stated:
        valid = isinstance(years, int) and not isinstance(years, bool) and years > 0
        groups.setdefault(years if valid else default, []).append(version_id)
    return groups


@dataclass
class PurgeCommand:
    """Delete expired drafts and anonymise closed applications past their period."""

    today: Optional[dt.date] = None
    dry_run: bool = False
    via: Optional[str] = None  # how it was run, for the history: "cli"
    by: Optional[str] = None  # who ran it, when no account did (the operating-system user)

    def validate(self) -> PurgeResult:
        return PurgeResult(
            today=self.today or local_today(), dry_run=self.dry_run,
            draft_days=setting("DRAFT_RETENTION_DAYS", 36500),
            default_years=setting("APPLICATION_RETENTION_YEARS", RETENTION_YEARS_MAX),
            account_years=setting("ACCOUNT_RETENTION_YEARS", RETENTION_YEARS_MAX),
            key_days=setting("IDEMPOTENCY_KEY_DAYS", KEY_DAYS_MAX))

    def run(self) -> PurgeResult:
        result = self.validate()
        draft_before = day_start(result.today - dt.timedelta(days=result.draft_days - 1))
        self._drafts(result, draft_before)
        for years, versions in sorted(_versions_by_years(result.default_years).items()):
            closed_before = day_start(years_before(result.today, years) + dt.timedelta(days=1))
            self._closed(result, years, versions, closed_before)
        # Last: an account whose last applications were anonymised above goes in the same run.
        self._accounts(result, day_start(years_before(result.today, result.account_years)))
        self._expired(result)
        if not self.dry_run:
            record("retention.purge", "retention", None, None, today=result.today.isoformat(),
                   draft_days=result.draft_days, default_years=result.default_years,
                   account_years=result.account_years, key_days=result.key_days,
                   files=result.files, failed=len(result.failed), via=self.via, by=self.by,
                   **result.counts)
            db.session.commit()
        return result

    def _drafts(self, result: PurgeResult, before: dt.datetime) -> None:
        newest_file = (select(func.max(Attachment.uploaded_at))
                       .where(Attachment.application_id == Application.id)
                       .correlate(Application).scalar_subquery())
        due = (Application.status == "draft", Application.submitted_at.is_(None),
               Application.updated_at < before, or_(newest_file.is_(None), newest_file < before))
        for application_id, _ in self._due(due, result):
            if self.dry_run:
                result.counts["drafts"] += 1
                continue
            application = db.session.get(Application, application_id)
            if application is None:  # deleted since it was selected
                continue
            command = DeleteExpiredDraftCommand(application, application.applicant,
                                                cause="retention", touched_before=before)
            if self._attempt(result, application_id, command.run):
                result.counts["drafts"] += 1
                result.files += command.files

    def _closed(self, result: PurgeResult, years: int, versions: list[int],
                before: dt.datetime) -> None:
        due = (Application.status.in_(CLOSED_STATUSES), Application.anonymised_at.is_(None),
               Application.closed_at < before, Application.version_id.in_(versions))
        for application_id, status in self._due(due, result):
            if self.dry_run:
                result.counts[status] += 1
                continue
            command = AnonymiseApplicationCommand(application_id, before, years)
            files = self._attempt(result, application_id, command.run)
            if files is not None:
                result.counts[status] += 1
                result.files += files

    def _accounts(self, result: PurgeResult, before: dt.datetime) -> None:
        """Anonymise the citizen accounts unused since ``before`` that hold no application
        still within retention (app.commands.accounts; a dry run counts them as they are)."""
        for user_id in unused_accounts(before, frozenset(result.due)):
            if self.dry_run:
                result.counts["accounts"] += 1
                continue
            command = AnonymiseAccountCommand(user_id, "retention", unused_before=before)
            if self._attempt(result, user_id, command.run, "account") is not None:
                result.counts["accounts"] += 1
                result.files += command.files

    def _expired(self, result: PurgeResult) -> None:
        """Delete the SMS codes, development SMS messages and Idempotency-Key records past
        their use (module docstring), in one statement each; committed with the run's history
        event."""
        keys_before = day_start(result.today - dt.timedelta(days=result.key_days - 1))
        codes_before = day_start(result.today) - SMS_CODE_KEPT
        code_life = dt.timedelta(seconds=current_app.config["SMS_CODE_TTL_SECONDS"])
        for kind, model, condition in (
                ("sms_codes", SmsChallenge, SmsChallenge.expires_at < codes_before),
                ("dev_sms_messages", DevSmsMessage,
                 DevSmsMessage.sent_at < codes_before - code_life),
                ("idempotency_keys", IdempotencyRecord,
                 IdempotencyRecord.created_at < keys_before)):
            result.counts[kind] = db.session.scalar(
                select(func.count()).select_from(model).where(condition)) if self.dry_run \
                else db.session.execute(delete(model).where(condition)).rowcount

    def _due(self, conditions, result: PurgeResult) -> Iterator[tuple[int, str]]:
        """Yield (id, status) of the applications meeting ``conditions``, in id order, a batch
        at a time (keyset: an application that failed is not met again in this run)."""
        after = 0
        while True:
            rows = db.session.execute(
                select(Application.id, Application.status).where(*conditions,
                                                                 Application.id > after)
                .order_by(Application.id).limit(BATCH)).all()
            if self.dry_run:
                result.files += db.session.scalar(
                    select(func.count()).select_from(Attachment).where(
                        Attachment.application_id.in_([row.id for row in rows]))) if rows else 0
                result.due.update(row.id for row in rows)
            yield from rows
            if len(rows) < BATCH:
                return
            after = rows[-1].id

    @staticmethod
    def _attempt(result: PurgeResult, application_id: int, run, kind="application") -> Any:
        """Run one application's (or account's) transaction; None when skipped or failed."""
        try:
            done = run()
        except StateConflictError:  # changed since it was selected (touched, reopened): kept
            return None
        except Exception as error:  # noqa: BLE001  one failure must not stop the others
            result.failed.append((kind, application_id, str(error) or type(error).__name__))
            return None
        return done if done is not None else True
