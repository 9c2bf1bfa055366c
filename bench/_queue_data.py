"""A province's applications for the queue benchmark, made on the server (INSERT … SELECT over
generate_series), PostgreSQL only.

    people = make_people()                       # the bench reviewer, reviewer pools, citizens
    seconds = generate(rows, people, today)      # {"applications": s, "decisions": s, …}

What the data looks like (deterministic: every value is a hash of the row number):

- Four published Hebei items (HB-1 慢特病 with county 受理 → city 会签 → city 审核, two maternity
  items and cross-province medical filing), weighted 40/20/20/20.
- Regions: the current counties of Hebei; 唐山 (the bench reviewer's city) holds ``HOME_SHARE``
  of the applications, the other cities the rest.
- Age follows the id: the newest ``OPEN_AGE`` of the table is mostly open (80% submitted, 8%
  drafts, 6% returned, the rest closed), older rows mostly closed (88% approved, 6% refused, 5%
  withdrawn, 1% still submitted). Submitted rows stand at one of their item's steps (chosen
  evenly); ``step_region_code`` is the county, or its city for a city-level step.
- Step deadlines of submitted rows run from 40 days ahead (newest) to 20 days overdue, older
  stuck rows further back, ±3 days of jitter, 2% without a deadline: thousands of rows share a
  day, so keyset pages break ties on id.
- Decisions: one per earlier step (all steps when approved, two on 会签 steps, a refusal at the
  refused step), by county or city reviewers of a pool; in 唐山 the bench reviewer takes one
  city step of 60% of the applications — so some of his pending rows are 会签 steps he already
  approved this round or ``distinct`` steps after his decision on an earlier one, which his
  queue must leave out. ``step_barred`` and ``step_signed`` are filled in from the decisions as
  the workflow keeps them (bench/_queue_sql.py).

Indexes of the two big tables are dropped before the load and built afterwards, triggers (the
foreign-key checks) are off during the load when the role may do so, and the tables are
vacuumed and analysed at the end, as a database restored from a dump would be.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from _queue_sql import APPLICATIONS, BARRED, DECISIONS, hashed

HOME_CITY = "130200"  # 唐山市
HOME_SHARE = 0.25
OPEN_AGE = 0.45
ITEMS = {  # file under app/formdefs → share of applications (percent)
    "130000-hebei/chronic_disease_outpatient.yaml": 40,
    "130000-hebei/maternity_allowance.yaml": 20,
    "130000-hebei/maternity_medical_reimbursement.yaml": 20,
    "130000-hebei/cross_province_medical_filing.yaml": 20,
}
CITIZENS = 1000
COUNTY_POOL, CITY_POOL = 6, 8


@dataclass(frozen=True)
class People:
    reviewer: int          # the bench reviewer: Reviewer at HOME_CITY
    reviewer_name: str
    county_pool: list[int]
    city_pool: list[int]
    citizens: tuple[int, int]  # first and last id of the applicant accounts


def publish_items() -> None:
    from app.commands.formdefs import LoadFormdefsCommand
    from tests.review_support import FORMDEFS

    LoadFormdefsCommand([FORMDEFS / path for path in ITEMS], publish=True).run()


def make_people() -> People:
    """Create the accounts: the bench reviewer, reviewer pools and CITIZENS applicants."""
    from sqlalchemy import text

    from app.extensions import db
    from tests.support import make_user

    reviewer = make_user("Reviewer", HOME_CITY, username="bench_reviewer")
    county = [make_user("Reviewer", "130203").id for _ in range(COUNTY_POOL)]
    city = [make_user("Reviewer", HOME_CITY).id for _ in range(CITY_POOL)]
    template = make_user("Citizen", "130203", username="bench_citizen_0")
    db.session.execute(text(
        "INSERT INTO ab_user (first_name, last_name, username, password, active, email, "
        "created_on, changed_on, region_code, session_epoch) "
        "SELECT first_name, last_name, 'bench_citizen_' || g, password, active, "
        "'bench_citizen_' || g || '@example.invalid', created_on, changed_on, region_code, 0 "
        "FROM ab_user, generate_series(1, :n) AS g WHERE id = :template"),
        {"n": CITIZENS - 1, "template": template.id})
    db.session.commit()
    return People(reviewer.id, reviewer.username, county, city,
                  (template.id, template.id + CITIZENS - 1))


def _tables() -> None:
    """Temporary look-up tables: counties (home and away), version slots, person steps."""
    from sqlalchemy import text

    from app.extensions import db

    statements = [
        "CREATE TEMP TABLE bench_home AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, code, "
        "split_part(path, '/', 2) AS city FROM region WHERE path LIKE :home AND level = 'county' "
        "AND valid_to IS NULL",
        "CREATE TEMP TABLE bench_away AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, code, "
        "split_part(path, '/', 2) AS city FROM region WHERE path LIKE '130000/%' "
        "AND path NOT LIKE :home AND level = 'county' AND valid_to IS NULL",
        "CREATE TEMP TABLE bench_step AS SELECT s.version_id, "
        "row_number() OVER (PARTITION BY s.version_id ORDER BY s.position) - 1 AS idx, s.key, "
        "coalesce(s.level, 'county') AS level, s.time_limit_days AS days, "
        "greatest(s.approvers, 1) AS approvers, "
        "count(*) OVER (PARTITION BY s.version_id) AS steps, "
        "coalesce((SELECT (e ->> 'distinct')::boolean FROM item_version v, "
        "json_array_elements(v.definition -> 'approval') AS e "
        "WHERE v.id = s.version_id AND e ->> 'key' = s.key), false) AS is_distinct "
        "FROM item_step s WHERE NOT s.automatic",
        "CREATE TEMP TABLE bench_slot (slot int, version_id int, item_id int, days int)",
    ]
    for statement in statements:
        db.session.execute(text(statement), {"home": f"130000/{HOME_CITY}/%"})
    slot = 0
    for path, share in ITEMS.items():
        code = path.rsplit("/", 1)[1].removesuffix(".yaml")
        db.session.execute(text(
            "INSERT INTO bench_slot SELECT g, v.id, v.item_id, "
            "coalesce((v.definition ->> 'time_limit_days')::int, 20) "
            "FROM item_version v JOIN item i ON i.id = v.item_id, generate_series(:a, :b) AS g "
            "WHERE i.code = :code AND i.region_code = '130000'"),
            {"a": slot, "b": slot + share - 1, "code": code})
        slot += share
    assert slot == 100
    db.session.execute(text(
        "ALTER TABLE bench_slot ADD COLUMN steps int; UPDATE bench_slot SET steps = "
        "(SELECT max(steps) FROM bench_step WHERE bench_step.version_id = bench_slot.version_id)"))


def _application_insert() -> str:
    """The INSERT over APPLICATIONS, naming every column the model requires (others added to
    the model later get their defaults)."""
    from app.models.application import Application

    given = {
        "serial": "CASE WHEN status = 'draft' THEN NULL ELSE 'B' || lpad(g::text, 10, '0') END",
        "item_id": "item_id", "version_id": "version_id", "region_code": "region",
        "applicant_id": "applicant_id", "filer": "filer", "channel": "channel",
        "subject_name": "subject_name", "subject_id_number": "subject_id_number",
        "answers": "answers", "notice_acknowledged_at": "submitted_at", "status": "status",
        "current_step": "current_step", "step_region_code": "step_region", "round": "round",
        "created_at": "at", "updated_at": "coalesce(closed_at, at)",
        "submitted_at": "submitted_at", "closed_at": "closed_at",
        "step_started_at": "step_started_at", "step_deadline": "step_deadline",
        # app.workflow.deadlines.due_soon_from, in calendar days (weekends not skipped)
        "step_due_soon_from": "step_deadline - least(2, greatest(ceil(step_days / 3.0)::int - 1,"
                              " 0))",
        "deadline": "deadline", "deadline_provisional": "false",
        "working_days_used": "working_days_used",
        "lock_version": "CASE WHEN status = 'draft' THEN 1 ELSE 2 + round END",
    }
    columns, values = [], []
    for column in Application.__table__.columns:
        if column.name in given:
            columns.append(column.name)
            values.append(given[column.name])
        elif not column.nullable and not column.primary_key and column.server_default is None:
            default = column.default.arg if column.default is not None else None
            assert isinstance(default, (int, bool, str)), f"no bench value for {column.name}"
            columns.append(column.name)
            values.append(repr(default).lower() if isinstance(default, bool) else repr(default))
    names = ", ".join(f'"{c}"' for c in columns)
    return f"INSERT INTO application ({names}) SELECT {', '.join(values)} FROM ({APPLICATIONS}) x"


def generate(rows: int, people: People, today: dt.date, now: dt.datetime) -> dict[str, float]:
    """Load ``rows`` applications and their decisions; return seconds per phase."""
    from sqlalchemy import text

    from app.extensions import db
    from app.models.application import Application, StepDecision

    seconds: dict[str, float] = {}
    tables = (Application.__table__, StepDecision.__table__)
    start = time.perf_counter()
    _tables()
    counts = dict(db.session.execute(text(
        "SELECT 'home', count(*) FROM bench_home UNION ALL SELECT 'away', count(*) "
        "FROM bench_away")).all())
    for table in tables:
        for index in table.indexes:
            db.session.execute(text(f'DROP INDEX IF EXISTS "{index.name}"'))
    try:
        with db.session.begin_nested():
            db.session.execute(text("SET LOCAL session_replication_role = replica"))
    except Exception:  # not a superuser: foreign keys are checked row by row (slower)
        pass
    db.session.execute(text("SET LOCAL synchronous_commit = off"))
    db.session.execute(text(_application_insert()), {
        "rows": rows, "home_share": int(HOME_SHARE * 1000), "open_age": OPEN_AGE,
        "n_home": counts["home"], "n_away": counts["away"], "now": now, "today": today,
        "citizen0": people.citizens[0], "citizens": CITIZENS})
    seconds["applications"] = time.perf_counter() - start
    start = time.perf_counter()
    pick, pick2 = hashed("a.id", 11), hashed("a.id", 12)
    db.session.execute(text(DECISIONS.format(pick=pick, pick2=pick2)), {
        "home": HOME_CITY, "reviewer": people.reviewer, "city_pool": people.city_pool,
        "county_pool": people.county_pool, "n_city": len(people.city_pool),
        "n_county": len(people.county_pool)})
    seconds["decisions"] = time.perf_counter() - start
    start = time.perf_counter()
    db.session.execute(text(BARRED))
    seconds["barred"] = time.perf_counter() - start
    start = time.perf_counter()
    db.session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    bind = db.session.connection()
    for table in tables:
        for index in table.indexes:
            index.create(bind)
    db.session.commit()
    seconds["indexes"] = time.perf_counter() - start
    start = time.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("application", "step_decision", "ab_user", "region", "item_step",
                      "item_version", "item"):
            connection.execute(text(f"VACUUM ANALYZE {table}"))
    seconds["vacuum analyze"] = time.perf_counter() - start
    return seconds
