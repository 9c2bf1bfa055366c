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
  queue must leave out.

Indexes of the two big tables are dropped before the load and built afterwards, triggers (the
foreign-key checks) are off during the load when the role may do so, and the tables are
vacuumed and analysed at the end, as a database restored from a dump would be.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

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
        "count(*) OVER (PARTITION BY s.version_id) AS steps "
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


def _h(column: str, salt: int) -> str:
    """A deterministic hash of ``column`` in [0, 2^31)."""
    return f"(hashint8({column}::bigint * 7919 + {salt}) & 2147483647)"


APPLICATIONS = f"""
WITH g AS (
  SELECT g, (:rows - g)::float / :rows AS age,
         {_h('g', 1)} AS h1, {_h('g', 2)} AS h2, {_h('g', 3)} AS h3, {_h('g', 4)} AS h4,
         {_h('g', 5)} AS h5, {_h('g', 6)} AS h6
  FROM generate_series(1, :rows) AS g
), p AS (
  SELECT g.*, s.version_id, s.item_id, s.days AS total_days, s.steps,
         CASE WHEN h1 % 1000 < :home_share THEN hm.code ELSE aw.code END AS region,
         CASE WHEN h1 % 1000 < :home_share THEN hm.city ELSE aw.city END AS city,
         CASE WHEN age < :open_age THEN
              CASE WHEN h3 % 100 < 80 THEN 'submitted' WHEN h3 % 100 < 88 THEN 'draft'
                   WHEN h3 % 100 < 94 THEN 'returned' WHEN h3 % 100 < 96 THEN 'withdrawn'
                   WHEN h3 % 100 < 99 THEN 'approved' ELSE 'refused' END
         ELSE CASE WHEN h3 % 100 < 88 THEN 'approved' WHEN h3 % 100 < 94 THEN 'refused'
                   WHEN h3 % 100 < 99 THEN 'withdrawn' ELSE 'submitted' END
         END AS status,
         :now - make_interval(secs => age * 730 * 86400) AS at
  FROM g
  JOIN bench_slot s ON s.slot = g.h2 % 100
  JOIN bench_home hm ON hm.n = g.h4 % :n_home
  JOIN bench_away aw ON aw.n = g.h4 % :n_away
), q AS (
  SELECT p.*, st.key AS step, st.days AS step_days,
         CASE WHEN st.level = 'city' THEN p.city ELSE p.region END AS step_region
  FROM p LEFT JOIN bench_step st ON st.version_id = p.version_id
   AND st.idx = p.h5 % p.steps
)
SELECT g, item_id, version_id, region,
       :citizen0 + h6 % :citizens AS applicant_id,
       CASE WHEN h6 % 10 = 0 THEN 'agent' ELSE 'self' END AS filer,
       (ARRAY['web', 'api', 'window'])[1 + h6 % 3] AS channel,
       (ARRAY['张','王','李','赵','刘','陈','杨','黄','周','吴'])[1 + h1 % 10]
         || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳'])[1 + h2 % 12]
         || (ARRAY['','华','明','红','英','平'])[1 + h3 % 6] AS subject_name,
       left(region, 6) || to_char(DATE '1950-01-01' + (h4 % 20000), 'YYYYMMDD')
         || lpad((h5 % 1000)::text, 3, '0') || (h6 % 10)::text AS subject_id_number,
       json_build_object(
         'name', 'x', 'cert_type', '01', 'mobile', '138' || lpad((h1 % 100000000)::text, 8, '0'),
         'disease_code', 'M0' || (h2 % 90 + 10), 'hospital', '定点医疗机构' || (h3 % 500),
         'diagnosis_date', to_char(DATE '2025-01-01' + (h4 % 400), 'YYYY-MM-DD'),
         'bank_name', '中国银行', 'bank_account', '6217' || lpad((h5 % 1000000000)::text, 15, '0'),
         'account_holder', 'x', 'address', '河北省某市某区某街道' || (h6 % 999) || '号',
         '_notice', true) AS answers,
       status,
       CASE WHEN status IN ('draft', 'approved') THEN NULL ELSE step END AS current_step,
       CASE WHEN status IN ('draft', 'approved') THEN NULL ELSE step_region END AS step_region,
       CASE WHEN status = 'draft' THEN 0 WHEN h6 % 20 = 0 THEN 2 ELSE 1 END AS round,
       at,
       CASE WHEN status = 'draft' THEN NULL ELSE at END AS submitted_at,
       CASE WHEN status IN ('approved', 'refused')
            THEN at + make_interval(days => 3 + h5 % 20) END AS closed_at,
       CASE WHEN status = 'submitted' THEN at END AS step_started_at,
       CASE WHEN status <> 'submitted' OR step_days IS NULL OR h5 % 50 = 0 THEN NULL
            WHEN age < :open_age THEN :today + (40 - round(60 * age / :open_age)::int
                                               + (h6 % 7) - 3)
            ELSE :today - 21 - (h6 % 60) END AS step_deadline,
       CASE WHEN status = 'draft' THEN NULL
            ELSE (at + make_interval(days => (total_days * 7) / 5))::date END AS deadline,
       CASE WHEN status = 'returned' THEN h4 % 3 ELSE 0 END AS working_days_used
FROM q
"""

DECISIONS = """
INSERT INTO step_decision (application_id, step_key, round, actor_id, decision, at)
SELECT a.id, s.key, a.round,
       CASE WHEN s.level = 'city' AND left(a.region_code, 4) = left(:home, 4) AND k = 1
                 AND {pick} % 100 < 60 AND s.idx = {pick2} % s.steps THEN :reviewer
            WHEN s.level = 'city' THEN (:city_pool)[1 + ({pick} + k) % :n_city]
            ELSE (:county_pool)[1 + ({pick} + k) % :n_county] END,
       CASE WHEN a.status = 'refused' AND s.key = a.current_step THEN 'refuse' ELSE 'approve' END,
       a.submitted_at + make_interval(days => 2 * s.idx::int + k)
FROM application a
JOIN bench_step s ON s.version_id = a.version_id
LEFT JOIN bench_step cur ON cur.version_id = a.version_id AND cur.key = a.current_step
CROSS JOIN LATERAL generate_series(1, s.approvers) AS k
WHERE a.status <> 'draft' AND (
      a.status = 'approved' OR s.idx < cur.idx
      OR (a.status = 'refused' AND s.idx = cur.idx AND k = 1)
      -- a 会签 step half done: one approval given this round
      OR (a.status = 'submitted' AND s.idx = cur.idx AND s.approvers > 1 AND k = 1
          AND {pick2} % 2 = 0))
"""


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
    pick, pick2 = _h("a.id", 11), _h("a.id", 12)
    db.session.execute(text(DECISIONS.format(pick=pick, pick2=pick2)), {
        "home": HOME_CITY, "reviewer": people.reviewer, "city_pool": people.city_pool,
        "county_pool": people.county_pool, "n_city": len(people.city_pool),
        "n_county": len(people.county_pool)})
    seconds["decisions"] = time.perf_counter() - start
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
