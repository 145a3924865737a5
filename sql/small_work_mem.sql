--
-- work_mem = 64kB: the roll-ups spill (hash aggregation in batches, sorts on
-- disk) and still give the right answers, checked against a reference that
-- classifies each invitation in plain SQL by the contract's rules and counts
-- with count(*) FILTER, computed with the default work_mem.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- 2,000 rounds over 2021-2023, in the nine shipped categories, with a
-- published figure for all but every seventh; 20 invitations each (40,000)
-- cycling through twenty kinds of history, as in parallel.sql.
INSERT INTO invitation_round (round_id, category, held_on, invitations_published)
SELECT r, (SELECT code FROM category ORDER BY code OFFSET r % 9 LIMIT 1),
       '2021-01-01'::date + (r * 547) % 1000,
       CASE WHEN r % 7 <> 0 THEN 20 END
  FROM generate_series(1, 2000) r;

INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision)
SELECT g, r.round_id, r.held_on,
       CASE WHEN k = 0 THEN r.held_on + 5 END,
       CASE WHEN k >= 2 THEN r.held_on + 10 + k END,
       CASE WHEN k IN (4, 5, 6, 7) THEN r.held_on + 40 + k END,
       CASE WHEN k IN (4, 6) THEN 'cannot_support'::notice_ground
            WHEN k IN (5, 7) THEN 'did_not_support' END,
       CASE WHEN k >= 6 THEN r.held_on + 100 + 10 * k END,
       (CASE WHEN k IN (6, 7) THEN 'cancelled'
             WHEN k IN (9, 10, 11) THEN 'rejected'
             WHEN k IN (12, 13) THEN 'refused'
             WHEN k = 14 THEN 'withdrawn'
             WHEN k >= 15 THEN 'selected' END)::decision
  FROM generate_series(1, 40000) g
  CROSS JOIN LATERAL (SELECT g % 20 AS k) kk
  JOIN invitation_round r ON r.round_id = 1 + (g - 1) / 20
 WHERE k <> 8;                                   -- cancelled needs a notice
ANALYZE invitation_round, invitation;

-- The reference: the contract's classification in SQL, as of a date.
CREATE TEMP TABLE as_of_dates AS
  SELECT d::date AS as_of FROM unnest('{2021-06-30,2022-03-15,2023-08-18}'::text[]) d;
CREATE TEMP TABLE classified AS
SELECT a.as_of, i.invitation_id, i.round_id, r.category, extract(year FROM i.invited_on)::int AS year,
       CASE WHEN i.declined_on <= a.as_of THEN 'declined'
            WHEN i.application_on IS NULL OR i.application_on > a.as_of THEN
              CASE WHEN i.response_due_on < a.as_of THEN 'expired' ELSE 'awaiting_response' END
            WHEN i.decided_on <= a.as_of THEN i.decision::text
            WHEN i.notice_on <= a.as_of THEN 'cancellation_pending'
            ELSE 'in_processing' END AS outcome,
       CASE WHEN i.notice_on <= a.as_of THEN i.notice_ground END AS notice
  FROM as_of_dates a
  JOIN invitation i ON i.invited_on <= a.as_of
  JOIN invitation_round r ON r.round_id = i.round_id;

CREATE TEMP TABLE ref_rounds AS
SELECT a.as_of, r.round_id, r.category, r.held_on,
       count(c.*) AS invitations,
       count(*) FILTER (WHERE c.outcome = 'declined') AS declined,
       count(*) FILTER (WHERE c.outcome = 'expired') AS expired,
       count(*) FILTER (WHERE c.outcome = 'rejected') AS rejected,
       count(*) FILTER (WHERE c.outcome = 'refused') AS refused,
       count(*) FILTER (WHERE c.notice = 'cannot_support') AS notices_cannot_support,
       count(*) FILTER (WHERE c.notice = 'did_not_support') AS notices_did_not_support,
       count(*) FILTER (WHERE c.outcome = 'awaiting_response') AS awaiting_response,
       count(*) FILTER (WHERE c.outcome = 'in_processing') AS in_processing,
       count(*) FILTER (WHERE c.outcome = 'cancellation_pending') AS cancellation_pending,
       count(*) FILTER (WHERE c.outcome = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE c.outcome = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE c.outcome = 'selected') AS selected,
       r.invitations_published
  FROM as_of_dates a
  JOIN invitation_round r ON r.held_on <= a.as_of
  LEFT JOIN classified c ON c.as_of = a.as_of AND c.round_id = r.round_id
 GROUP BY a.as_of, r.round_id;

CREATE TEMP TABLE ref_dashboard AS
SELECT as_of, round_id, category, held_on, invitations, declined, expired, rejected, refused,
       notices_cannot_support, notices_did_not_support, awaiting_response, in_processing,
       cancellation_pending, cancelled, withdrawn, selected, invitations_published, false AS is_total
  FROM ref_rounds
UNION ALL
SELECT as_of, NULL, NULL, NULL, sum(invitations), sum(declined), sum(expired), sum(rejected),
       sum(refused), sum(notices_cannot_support), sum(notices_did_not_support),
       sum(awaiting_response), sum(in_processing), sum(cancellation_pending), sum(cancelled),
       sum(withdrawn), sum(selected),
       CASE WHEN count(*) = count(invitations_published) THEN sum(invitations_published) END, true
  FROM ref_rounds GROUP BY as_of;

CREATE TEMP TABLE ref_category AS
SELECT as_of, year, category, count(*) AS invitations,
       count(*) FILTER (WHERE outcome = 'rejected') AS rejected,
       count(*) FILTER (WHERE outcome = 'refused') AS refused,
       count(notice) AS notices,
       count(*) FILTER (WHERE outcome = 'declined') AS declined,
       count(*) FILTER (WHERE outcome = 'expired') AS expired,
       count(*) FILTER (WHERE outcome = 'awaiting_response') AS awaiting_response,
       count(*) FILTER (WHERE outcome = 'in_processing') AS in_processing,
       count(*) FILTER (WHERE outcome = 'cancellation_pending') AS cancellation_pending,
       count(*) FILTER (WHERE outcome = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE outcome = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE outcome = 'selected') AS selected,
       count(*) FILTER (WHERE notice = 'cannot_support') AS notices_cannot_support,
       count(*) FILTER (WHERE notice = 'did_not_support') AS notices_did_not_support
  FROM classified
 GROUP BY as_of, GROUPING SETS ((year, category), (year), (category), ());

-- the reference has something in every column, at every date
SELECT as_of, count(*) AS rounds, sum(invitations) AS invitations, sum(declined) AS declined,
       sum(expired) AS expired, sum(awaiting_response) AS awaiting, sum(in_processing) AS in_processing,
       sum(cancellation_pending) AS pending, sum(cancelled) AS cancelled, sum(rejected) AS rejected,
       sum(refused) AS refused, sum(withdrawn) AS withdrawn, sum(selected) AS selected
  FROM ref_rounds GROUP BY as_of ORDER BY as_of;

-- Rows of each roll-up not in the reference, and the difference in row
-- counts, per date: all zero when right.  A view: the roll-ups run when it
-- is read, with the settings of the moment.
CREATE TEMP VIEW rollups_vs_reference AS
SELECT a.as_of,
       (SELECT count(*) FROM (SELECT * FROM round_dashboard(a.as_of)
                              EXCEPT ALL SELECT round_id, category, held_on, invitations, declined,
                                                expired, rejected, refused, notices_cannot_support,
                                                notices_did_not_support, awaiting_response,
                                                in_processing, cancellation_pending, cancelled,
                                                withdrawn, selected, invitations_published, is_total
                                           FROM ref_dashboard r WHERE r.as_of = a.as_of) x) AS dashboard_extra,
       (SELECT count(*) FROM round_dashboard(a.as_of)) - (SELECT count(*) FROM ref_dashboard r WHERE r.as_of = a.as_of) AS dashboard_rows_diff,
       (SELECT count(*) FROM (SELECT * FROM category_summary(a.as_of)
                              EXCEPT ALL SELECT year, category, invitations, rejected, refused, notices,
                                                declined, expired, awaiting_response, in_processing,
                                                cancellation_pending, cancelled, withdrawn, selected,
                                                notices_cannot_support, notices_did_not_support
                                           FROM ref_category r WHERE r.as_of = a.as_of) x) AS category_extra,
       (SELECT count(*) FROM category_summary(a.as_of)) - (SELECT count(*) FROM ref_category r WHERE r.as_of = a.as_of) AS category_rows_diff,
       (SELECT count(*) FROM (SELECT * FROM annual_summary(a.as_of)
                              EXCEPT ALL SELECT year, invitations, rejected, refused, notices, declined,
                                                expired, awaiting_response, in_processing,
                                                cancellation_pending, cancelled, withdrawn, selected
                                           FROM ref_category r
                                          WHERE r.as_of = a.as_of AND r.category IS NULL
                                            AND r.year IS NOT NULL) x) AS annual_extra,
       (SELECT count(*) FROM annual_summary(a.as_of))
       - (SELECT count(*) FROM ref_category r
           WHERE r.as_of = a.as_of AND r.category IS NULL AND r.year IS NOT NULL) AS annual_rows_diff
  FROM as_of_dates a;

-- 64kB, with hash aggregation forced (it must spill to batches), then with
-- sorts forced (they must go to disk); no index scan, which would give the
-- rows in round order and spare both
SET work_mem = '64kB';
SET max_parallel_workers_per_gather = 0;
SET enable_indexscan = off;
SET enable_bitmapscan = off;

CREATE FUNCTION pg_temp.spills(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF, COSTS OFF) ' || query INTO plan;
  RETURN (SELECT string_agg(DISTINCT CASE
                   WHEN m[1] = 'HashAgg Batches' AND m[2]::int > 1 THEN 'hash aggregation in batches'
                   WHEN m[1] = 'Sort Space Type' AND m[2] = '"Disk"' THEN 'sort on disk' END, ', ')
            FROM regexp_matches(plan::text, '"(HashAgg Batches|Sort Space Type)": ("?\w+"?)', 'g') m);
END
$$;

SET enable_sort = off;
-- the per-round aggregation of round_dashboard, as the function runs it
SELECT pg_temp.spills($$
  SELECT i.round_id, arrima_stats.tally(i.invited_on, i.response_due_on, i.declined_on,
                                        i.application_on, i.notice_on, i.notice_ground,
                                        i.decided_on, i.decision, '2023-08-18')
    FROM arrima_stats.invitation i GROUP BY i.round_id$$) AS hashed;

SELECT * FROM rollups_vs_reference ORDER BY as_of;
RESET enable_sort;

SET enable_hashagg = off;
SELECT pg_temp.spills($$
  SELECT i.round_id, i.invited_on,
         arrima_stats.tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                            i.notice_on, i.notice_ground, i.decided_on, i.decision, '2023-08-18')
    FROM arrima_stats.invitation i GROUP BY i.round_id, i.invited_on$$) AS sorted;

SELECT * FROM rollups_vs_reference ORDER BY as_of;
RESET enable_hashagg;
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET max_parallel_workers_per_gather;
RESET work_mem;

TRUNCATE invitation, invitation_round;
