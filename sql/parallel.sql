--
-- The aggregates split across parallel workers: a forced parallel plan shows
-- a Partial Aggregate under Gather, and gives the serial answer.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

INSERT INTO invitation_round (round_id, category, held_on)
  SELECT r, 'OPMO', '2022-01-01'::date + 7 * r FROM generate_series(1, 4) r;

-- 40,000 invitations cycling through twenty kinds of history
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision)
SELECT g, r.round_id, r.held_on,
       CASE WHEN k = 0 THEN r.held_on + 5 END,
       CASE WHEN k >= 2 THEN r.held_on + 10 + k END,
       CASE WHEN k IN (4, 5, 6, 7) THEN r.held_on + 40 + k END,
       CASE WHEN k IN (4, 6) THEN 'cannot_support'::notice_ground
            WHEN k IN (5, 7) THEN 'did_not_support' END,
       CASE WHEN k >= 6 THEN r.held_on + 100 + 10 * k END,
       (CASE WHEN k IN (6, 7, 8) THEN 'cancelled'
             WHEN k IN (9, 10, 11) THEN 'rejected'
             WHEN k IN (12, 13) THEN 'refused'
             WHEN k = 14 THEN 'withdrawn'
             WHEN k >= 15 THEN 'selected' END)::decision
  FROM generate_series(1, 40000) g
  CROSS JOIN LATERAL (SELECT g % 20 AS k) kk
  JOIN invitation_round r ON r.round_id = 1 + (g / 20) % 4
 WHERE NOT (k = 8);                              -- cancelled needs a notice
ANALYZE invitation;

CREATE TEMP TABLE serial_answer AS
  SELECT d::date AS as_of,
         (SELECT tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
                       i.notice_ground, i.decided_on, i.decision, d::date)::text
            FROM invitation i) AS by_column,
         (SELECT tally(i, d::date)::text FROM invitation i) AS by_row
    FROM unnest('{2022-01-01,2022-03-01,2022-06-01,2022-09-01,2022-12-01}'::date[]) d;
SELECT as_of, by_column FROM serial_answer WHERE as_of IN ('2022-03-01', '2022-09-01') ORDER BY as_of;

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

SELECT count(*) AS dates,
       count(*) FILTER (WHERE s.by_column = (SELECT tally(i.invited_on, i.response_due_on, i.declined_on,
                                                          i.application_on, i.notice_on, i.notice_ground,
                                                          i.decided_on, i.decision, s.as_of)::text
                                               FROM invitation i)) AS by_column_same,
       count(*) FILTER (WHERE s.by_row = (SELECT tally(i, s.as_of)::text FROM invitation i)) AS by_row_same
  FROM serial_answer s;

-- grouped, as round_dashboard does
SET enable_hashagg = off;
EXPLAIN (COSTS OFF)
SELECT i.round_id, tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
                         i.notice_ground, i.decided_on, i.decision, '2022-03-01')
  FROM invitation i GROUP BY i.round_id;
SELECT i.round_id, tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
                         i.notice_ground, i.decided_on, i.decision, '2022-03-01')
  FROM invitation i GROUP BY i.round_id ORDER BY 1;
RESET enable_hashagg;

-- the sum of tallies is parallel too
CREATE TEMP TABLE parts AS
  SELECT i.invitation_id % 1000 AS part, tally(i, '2022-06-01') AS t FROM invitation i GROUP BY 1;
CREATE TABLE tally_parts AS SELECT * FROM parts;   -- temp tables are never scanned in parallel
ANALYZE tally_parts;
EXPLAIN (COSTS OFF) SELECT sum(t) FROM tally_parts;
SELECT sum(t)::text = (SELECT tally(i, '2022-06-01')::text FROM invitation i) AS parts_add_up
  FROM tally_parts;
DROP TABLE tally_parts;

-- the dashboard's own query plans may go parallel; the answer is the same
CREATE TEMP TABLE parallel_dashboard AS SELECT * FROM round_dashboard('2022-06-01');
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SELECT * FROM round_dashboard('2022-06-01');
SELECT count(*) AS rows_differing
  FROM (SELECT * FROM parallel_dashboard EXCEPT SELECT * FROM round_dashboard('2022-06-01')) d;

TRUNCATE invitation, invitation_round;
