"""Reviewers' queues: pending, done, overdue, due soon — scoped, keyset-paginated, counted.

    page = pending(user, {"item": "maternity_allowance"}, after=None, limit=50)
    for entry in page.entries: entry.application.serial, entry.item.code, entry.step,
                               entry.yours_to_decide
    page.after                      # cursor of the next page, None on the last one
    count("pending", user)          # 3; COUNT_CAP + 1 means "more than COUNT_CAP"
    counts(user)                    # {"pending": 3, "done": 10, "overdue": 1, "due_soon": 2}

- ``pending``: what the user can decide now: the current step is handled by the user's region
  (app.workflow.routing) in one of the user's roles; never the user's own application; not yet
  decided by the user this round; ``distinct`` steps after another decision by the user are left
  out. Most urgent first: ``(step_deadline, id)``, steps without a deadline last.
- ``done``: the user's decisions on applications they can still see, newest first.
- ``overdue`` / ``due_soon``: open steps handled in the user's subtree (a city sees its
  counties' late steps: supervision) whose step deadline is before today / due soon — the
  step's own ``step_due_soon_from`` reached, a deadline at most
  :data:`app.workflow.deadlines.DUE_SOON_DAYS` working days away (the last third of a short
  step's limit: app.workflow.deadlines.due_soon_days); most urgent first, as pending.

Visibility for staff (:func:`visible_condition`) is ``app.scoping.scope_condition`` or "the
current step is handled in my subtree" — the second is how a cross-province transfer's sending
agency sees the application it must act on. Cursors are opaque strings; no OFFSET anywhere.

Rows are not ORM objects. ``entry.application`` is a row of :data:`COLUMNS` (what a list shows)
plus ``applicant_name`` (the account's name where the subject's is missing); ``entry.item``
(code, name, steps) is read from the pinned version's definition and ``entry.region_name``
from the region tree, both kept with the reference data (app.reference_cache: emptied when an
item version or a region is written, checked once per request). ``entry.step`` is the step
the application waits at now (None once returned or closed), in every queue; ``entry.decision``
(done) is a :class:`Decision`, with the step decided. ``entry.yours_to_decide``: the user may
decide ``entry.step`` now (app.workflow.routing.can_decide_listed: can_decide's rules on the
row's columns, the user's own decisions read from ``step_barred``; no query per row) — always
in pending, not for what the late queues list for supervision only.

Every page is an index walk in queue order, never a sort of all the matches:

- pending: ``ix_application_step_region`` at the user's region, the page and one more row.
  Whom the user's decisions bar (co-signed this round, ``distinct`` after another step) is a
  column of the row, ``step_barred``, kept by the workflow (app.workflow.chain.barred): no
  per-row look-up. The step's role is read from the definition and judged in Python
  (:func:`candidates._pending_keeps`);
- overdue / due soon (PostgreSQL): for each region of the user's subtree an index-only walk of
  the same index, at most a page each (LATERAL), the first page of those, then the rows by
  primary key; a platform administrator, and a subtree of hundreds of regions (a province:
  ``subtrees``), walks ``ix_application_step_deadline``;
- done: ``ix_step_decision_actor`` (actor_id, id) backwards, each application by primary key.

A page is one statement — another when it crosses from dated to undated steps or when dropped
rows leave it short — plus the definitions of versions not seen in this generation. The 会签
progress of its rows (``entry.cosign``) is read from their ``step_signed`` (app.workflow.cosign).
The statements are built once per shape and reused with parameters. Counts stop after
:data:`COUNT_CAP` rows: a badge never scans the table.

Modules: ``rows`` (what a row carries, the caches of items and region names), ``statements``
(scope, filters, keyset order, built statements), ``candidates`` (the pending and late
statements), ``subtrees`` (a province's subtree in them), ``pages`` (the walks), ``counting``
(capped counts).
"""
from app.workflow.queue.counting import COUNT_CAP, count, count_text, counts
from app.workflow.queue.pages import done, due_soon, overdue, pending, queue_page
from app.workflow.queue.rows import (COLUMNS, MAX_LIMIT, STATES, Decision, InvalidCursor,
                                     ItemInfo, Page, QueueEntry)
from app.workflow.queue.statements import visible_condition

__all__ = [
    "COLUMNS", "COUNT_CAP", "MAX_LIMIT", "STATES", "Decision", "InvalidCursor", "ItemInfo",
    "Page", "QueueEntry", "count", "count_text", "counts", "done", "due_soon", "overdue",
    "pending", "queue_page", "visible_condition",
]
