"""The SQL that makes the queue benchmark's rows (bench/_queue_data.py), PostgreSQL: the
applications over generate_series, their decisions, and whom each open step bars."""
from __future__ import annotations


def hashed(column: str, salt: int) -> str:
    """A deterministic hash of ``column`` in [0, 2^31)."""
    return f"(hashint8({column}::bigint * 7919 + {salt}) & 2147483647)"


APPLICATIONS = f"""
WITH g AS (
  SELECT g, (:rows - g)::float / :rows AS age,
         {hashed('g', 1)} AS h1, {hashed('g', 2)} AS h2, {hashed('g', 3)} AS h3,
         {hashed('g', 4)} AS h4, {hashed('g', 5)} AS h5, {hashed('g', 6)} AS h6
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
       CASE WHEN status = 'returned' THEN h4 % 3 ELSE 0 END AS working_days_used,
       step_days
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


# Who may not decide each submitted application's current step, as app.workflow.chain.barred
# keeps it: this round's deciders of the step and, for a distinct step, every other step's.
BARRED = """
UPDATE application a SET step_barred = ',' || b.actors || ','
FROM (SELECT application_id, string_agg(actor_id::text, ',' ORDER BY actor_id) AS actors
      FROM (SELECT DISTINCT d.application_id, d.actor_id
            FROM step_decision d
            JOIN application x ON x.id = d.application_id
            JOIN bench_step s ON s.version_id = x.version_id AND s.key = x.current_step
            WHERE x.status = 'submitted' AND d.actor_id IS NOT NULL
              AND ((d.step_key = x.current_step AND d.round = x.round)
                   OR (s.is_distinct AND d.step_key <> x.current_step))) pairs
      GROUP BY application_id) b
WHERE a.id = b.application_id;
UPDATE application a SET step_signed = s.names
FROM (SELECT d.application_id, string_agg(coalesce(u.first_name, ''), chr(31) ORDER BY d.id)
             AS names
      FROM step_decision d
      JOIN application x ON x.id = d.application_id
      JOIN ab_user u ON u.id = d.actor_id
      WHERE x.status = 'submitted' AND d.step_key = x.current_step AND d.round = x.round
        AND d.decision = 'approve'
      GROUP BY d.application_id) s
WHERE a.id = s.application_id
"""
