--
-- The aggregates split across parallel workers: a forced parallel plan shows
-- a Partial Aggregate under Gather, workers actually launch (EXPLAIN
-- ANALYZE), and it gives the serial answer.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

INSERT INTO invitation_round (round_id, category, held_on)
  SELECT r, 'OPMO', '2022-01-01'::date + 7 * r FROM generate_series(1, 4) r;

-- 38,000 invitations of twenty kinds of history, 9,500 per round
-- (test/data/fixture_invitations.sql)
\set ECHO none
\i test/data/fixture_invitations.sql
\set ECHO all
SELECT round_id, count(*) FROM invitation GROUP BY round_id ORDER BY round_id;

CREATE TEMP TABLE serial_answer AS
  SELECT d::date AS as_of,
         (SELECT tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
                       i.notice_ground, i.decided_on, i.decision, d::date)::text
            FROM invitation i) AS by_column,
         (SELECT tally(i, d::date)::text FROM invitation i) AS by_row,
         (SELECT tally_by(i.round_id, i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                          i.notice_on, i.notice_ground, i.decided_on, i.decision, d::date)::text
            FROM invitation i) AS by_round
    FROM unnest('{2022-01-01,2022-03-01,2022-06-01,2022-09-01,2022-12-01}'::date[]) d;
SELECT as_of, by_column FROM serial_answer WHERE as_of IN ('2022-03-01', '2022-09-01') ORDER BY as_of;

-- Whether a query ran in parallel, from EXPLAIN ANALYZE: the workers each
-- Gather planned and launched (their number only: the rows each worker saw
-- vary from run to run).
CREATE FUNCTION pg_temp.workers(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query INTO plan;
  RETURN (SELECT coalesce(string_agg(format('%s: %s planned, launched > 0: %s', n ->> 'Node Type',
                                            n ->> 'Workers Planned',
                                            (n ->> 'Workers Launched')::int > 0), '; '), 'no Gather')
            FROM jsonb_path_query(plan, 'strict $.**') n
           WHERE jsonb_typeof(n) = 'object' AND n ? 'Workers Launched');
END
$$;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;   -- every row goes through a worker's partial state

EXPLAIN (COSTS OFF)
SELECT tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
             i.notice_ground, i.decided_on, i.decision, '2022-03-01')
  FROM invitation i;
EXPLAIN (COSTS OFF)
SELECT tally(i, '2022-03-01') FROM invitation i;
EXPLAIN (COSTS OFF)
SELECT tally_by(i.round_id, i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                i.notice_on, i.notice_ground, i.decided_on, i.decision, '2022-03-01')
  FROM invitation i;

-- the workers launched
SELECT pg_temp.workers($$
  SELECT tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
               i.notice_ground, i.decided_on, i.decision, '2022-03-01')
    FROM invitation i$$) AS tally_by_column;
SELECT pg_temp.workers($$SELECT tally(i, '2022-03-01') FROM invitation i$$) AS tally_by_row;
SELECT pg_temp.workers($$
  SELECT tally_by(i.round_id, i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                  i.notice_on, i.notice_ground, i.decided_on, i.decision, '2022-03-01')
    FROM invitation i$$) AS tally_by;

-- and gave the serial answers
SELECT count(*) AS dates,
       count(*) FILTER (WHERE s.by_column = (SELECT tally(i.invited_on, i.response_due_on, i.declined_on,
                                                          i.application_on, i.notice_on, i.notice_ground,
                                                          i.decided_on, i.decision, s.as_of)::text
                                               FROM invitation i)) AS by_column_same,
       count(*) FILTER (WHERE s.by_row = (SELECT tally(i, s.as_of)::text FROM invitation i)) AS by_row_same,
       count(*) FILTER (WHERE s.by_round = (SELECT tally_by(i.round_id, i.invited_on, i.response_due_on,
                                                            i.declined_on, i.application_on, i.notice_on,
                                                            i.notice_ground, i.decided_on, i.decision,
                                                            s.as_of)::text
                                              FROM invitation i)) AS by_round_same
  FROM serial_answer s;

-- grouped, as 0.1.0's round_dashboard did (sorted, not by the index)
SET enable_hashagg = off;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT i.round_id, tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
                         i.notice_ground, i.decided_on, i.decision, '2022-03-01')
  FROM invitation i GROUP BY i.round_id;
SELECT pg_temp.workers($$
  SELECT i.round_id, tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                           i.notice_on, i.notice_ground, i.decided_on, i.decision, '2022-03-01')
    FROM invitation i GROUP BY i.round_id$$) AS grouped;
SELECT i.round_id, tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
                         i.notice_ground, i.decided_on, i.decision, '2022-03-01')
  FROM invitation i GROUP BY i.round_id ORDER BY 1;
RESET enable_hashagg;
RESET enable_indexscan;
RESET enable_bitmapscan;

-- the sum of tallies is parallel too
CREATE TEMP TABLE parts AS
  SELECT i.invitation_id % 1000 AS part, tally(i, '2022-06-01') AS t FROM invitation i GROUP BY 1;
CREATE TABLE tally_parts AS SELECT * FROM parts;   -- temp tables are never scanned in parallel
ANALYZE tally_parts;
EXPLAIN (COSTS OFF) SELECT sum(t) FROM tally_parts;
SELECT pg_temp.workers($$SELECT sum(t) FROM tally_parts$$) AS sum;
SELECT sum(t)::text = (SELECT tally(i, '2022-06-01')::text FROM invitation i) AS parts_add_up
  FROM tally_parts;
DROP TABLE tally_parts;

-- the dashboard's own query (its body and group_tallies', inlined:
-- test/data/rollup_bodies.sql) sums the outcome calendar in parallel; the
-- answer is the same
\set ECHO none
\i test/data/rollup_bodies.sql
\set ECHO all
SELECT pg_temp.workers($$SELECT * FROM pg_temp.round_dashboard_body('2022-06-01')$$) AS round_dashboard;
CREATE TEMP TABLE parallel_dashboard AS SELECT * FROM pg_temp.round_dashboard_body('2022-06-01');
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SELECT * FROM round_dashboard('2022-06-01');
SELECT count(*) AS rows_differing
  FROM ((SELECT * FROM parallel_dashboard EXCEPT ALL SELECT * FROM round_dashboard('2022-06-01'))
        UNION ALL
        (SELECT * FROM round_dashboard('2022-06-01') EXCEPT ALL SELECT * FROM parallel_dashboard)) d;

TRUNCATE invitation, invitation_round;
