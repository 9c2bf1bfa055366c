"""The dashboard's figures (办件统计), aggregated in SQL within what the viewer may see.

    region = stats.viewing_region(user, "130200")      # RegionNotInScope outside the subtree
    figures = stats.dashboard(user, stats.Filters(submitted_from=date(2025, 9, 1), item=None),
                              region)
    figures.totals, figures.by_item, figures.by_region, figures.by_status

Every figure is about the applications **submitted** in the period (drafts never count) in the
chosen region's subtree — and among those, only what ``app.scoping.scope_condition`` lets the
viewer see: a region never widens the scope, it narrows it.

- *median processing time*: over the approved and refused applications, ``working_days_taken``
  (working days from submission to closing, the days with the citizen after a return left out;
  written when the application closes, app.workflow.deadlines.stop). Exact — what
  ``percentile_cont(0.5)`` gives — but read off a histogram of whole days (``median``), so
  it costs no sort of the applications on either database.
- *overdue*: among the applications the bureau has to decide (all but the withdrawn) that carry
  a statutory deadline: closed after the deadline day, still under review after it (today), or
  returned when it had already passed (the clock is paused while the citizen corrects).
- *returns*: return-for-correction decisions (``StepDecision.decision == "return"``) on these
  applications, and per 100 applications.
- *by region*: per child of the chosen region (the drill-down level); applications filed at
  the chosen region itself form their own row (key ``""``).

Cost: a look-up of the chosen region's subtree codes, then one statement (``grouping``). It
groups the matching applications by their plain columns (item, region, status, working days
taken) — read through ``ix_application_region_submitted`` or one scan, returns from the
partial ``ix_step_decision_return`` — and everything else (item codes, the drill-down level,
the counts, the medians from cumulative counts) works on those groups. Nothing loops over
applications in Python: what comes back is bounded by items × child regions × statuses. The
subtree is given as constants so that PostgreSQL estimates it from ``application``'s own
statistics (``regions.subtree_codes``); the statement runs in a savepoint without JIT, with
WORK_MEM and in LOCAL_ZONE (``grouping.run``).

Modules: ``rows`` (filters, rows, figures), ``regions`` (the region in view, breadcrumb, child
rows), ``grouping`` (the statement), ``median`` (medians from the histogram), ``figures``
(the statement's rows read into the page's figures, item names).
"""
from app.workflow.stats.figures import dashboard, item_names
from app.workflow.stats.grouping import LOCAL_ZONE, WORK_MEM
from app.workflow.stats.regions import RegionNotInScope, top_region, trail, viewing_region
from app.workflow.stats.rows import DECIDED, ITSELF, OPEN, STATUSES, Figures, Filters, Row

__all__ = [
    "DECIDED", "ITSELF", "LOCAL_ZONE", "OPEN", "STATUSES", "WORK_MEM", "Figures", "Filters",
    "RegionNotInScope", "Row", "dashboard", "item_names", "top_region", "trail", "viewing_region",
]
