--
-- tally_by: one tally per value of an integer key, as GROUP BY key would
-- give, in key order with the NULL key last; serial and parallel.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- Twelve invitations, as of 2023-03-01.  A tally reads
-- {invitations, awaiting_response, declined, expired, in_processing,
--  cancellation_pending, rejected, refused, cancelled, withdrawn, selected,
--  notices cannot_support, notices did_not_support}.
CREATE TEMP TABLE facts (k integer, invited_on date, response_due_on date, declined_on date,
                         application_on date, notice_on date, notice_ground notice_ground,
                         decided_on date, decision decision);
INSERT INTO facts VALUES
  -- key 1: awaiting (due 03-11, after as_of), declined, expired (due 2022-12-31)
  (1, '2023-01-10', '2023-03-11', NULL, NULL, NULL, NULL, NULL, NULL),
  (1, '2023-01-10', '2023-03-11', '2023-01-20', NULL, NULL, NULL, NULL, NULL),
  (1, '2022-11-01', '2022-12-31', NULL, NULL, NULL, NULL, NULL, NULL),
  -- key 2: in processing; pending after a cannot_support notice; cancelled
  -- after a did_not_support notice; selected; refused only after as_of,
  -- so in processing
  (2, '2022-11-01', '2022-12-31', NULL, '2022-12-01', NULL, NULL, NULL, NULL),
  (2, '2022-11-01', '2022-12-31', NULL, '2022-12-01', '2023-01-15', 'cannot_support', NULL, NULL),
  (2, '2022-11-01', '2022-12-31', NULL, '2022-12-01', '2023-01-15', 'did_not_support', '2023-02-15', 'cancelled'),
  (2, '2022-11-01', '2022-12-31', NULL, '2022-12-01', NULL, NULL, '2023-02-01', 'selected'),
  (2, '2022-11-01', '2022-12-31', NULL, '2022-12-01', NULL, NULL, '2023-04-01', 'refused'),
  -- key -5: invited after as_of: the key is there, with nothing counted
  (-5, '2023-06-01', '2023-07-31', NULL, NULL, NULL, NULL, NULL, NULL),
  -- the largest key: rejected only after as_of, so pending on its notice
  (2147483647, '2022-11-01', '2022-12-31', NULL, '2022-12-01', '2023-01-15', 'did_not_support',
   '2023-03-05', 'rejected'),
  -- the NULL key: rejected, withdrawn
  (NULL, '2022-11-01', '2022-12-31', NULL, '2022-12-01', NULL, NULL, '2023-01-05', 'rejected'),
  (NULL, '2022-11-01', '2022-12-31', NULL, '2022-12-01', NULL, NULL, '2023-01-05', 'withdrawn');

-- expected:
--   -5          {0,0,0,0,0,0,0,0,0,0,0,0,0}
--   1           {3,1,1,1,0,0,0,0,0,0,0,0,0}
--   2           {5,0,0,0,2,1,0,0,1,0,1,1,1}
--   2147483647  {1,0,0,0,0,1,0,0,0,0,0,0,1}
--   NULL        {2,0,0,0,0,0,1,0,0,1,0,0,0}
SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on, notice_on,
                notice_ground, decided_on, decision, '2023-03-01')
  FROM facts;

-- as rows, through unnest, in key order with the NULL key last
SELECT t.key, t.tally
  FROM unnest((SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on,
                               notice_on, notice_ground, decided_on, decision, '2023-03-01')
                 FROM facts)) t;

-- the same as GROUP BY with the tally aggregate, at several dates
SELECT d::date AS as_of,
       (SELECT array_agg(ROW(t.key, t.tally::text) ORDER BY t.key NULLS LAST)
          FROM unnest((SELECT tally_by(k, invited_on, response_due_on, declined_on,
                                       application_on, notice_on, notice_ground, decided_on,
                                       decision, d::date)
                         FROM facts)) t)
       IS NOT DISTINCT FROM
       (SELECT array_agg(ROW(g.k, g.t::text) ORDER BY g.k NULLS LAST)
          FROM (SELECT k, tally(invited_on, response_due_on, declined_on, application_on,
                                notice_on, notice_ground, decided_on, decision, d::date) AS t
                  FROM facts GROUP BY k) g) AS same_as_group_by
  FROM unnest('{2022-10-31,2022-12-15,2023-03-01,2023-03-05,2024-01-01}'::date[]) d;

-- a NULL as_of counts nothing, but every key is there
SELECT t.key, t.tally
  FROM unnest((SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on,
                               notice_on, notice_ground, decided_on, decision, NULL)
                 FROM facts)) t;

-- a row without invited_on or response_due_on (only possible outside the
-- table) makes its key's entry and counts nothing
SELECT tally_by(k, i, r, NULL, NULL, NULL, NULL, NULL, NULL, '2023-03-01')
  FROM (VALUES (7, NULL::date, '2023-01-31'::date), (7, '2023-01-01', NULL),
               (8, '2023-01-01', '2023-01-31')) v(k, i, r);

-- no rows: no keys
SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on, notice_on,
                notice_ground, decided_on, decision, '2023-03-01')
  FROM facts WHERE false;
SELECT count(*) AS keys
  FROM unnest((SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on,
                               notice_on, notice_ground, decided_on, decision, '2023-03-01')
                 FROM facts WHERE false)) t;

-- grouped: one array per group
SELECT k > 0 AS positive,
       tally_by(k, invited_on, response_due_on, declined_on, application_on, notice_on,
                notice_ground, decided_on, decision, '2023-03-01')
  FROM facts GROUP BY 1 ORDER BY 1;

-- Parallel: each worker's map is serialized, sent and combined; the NULL
-- key too.  40,000 rows: the facts above 3,000 times over (g = 1 to 3,000),
-- keys 1 and 2 spread over 1000 + g % 1000 and 2000 + g % 1000, plus 4,000
-- invitations of the NULL key that expired.
CREATE TABLE tally_by_rows AS
  SELECT CASE WHEN f.k IN (1, 2) THEN f.k * 1000 + g % 1000 ELSE f.k END AS k,
         f.invited_on, f.response_due_on, f.declined_on, f.application_on, f.notice_on,
         f.notice_ground, f.decided_on, f.decision
    FROM facts f CROSS JOIN generate_series(1, 3000) g
  UNION ALL
  SELECT NULL, '2022-11-01', '2022-12-31', NULL, NULL, NULL, NULL, NULL, NULL
    FROM generate_series(1, 4000);
ANALYZE tally_by_rows;

CREATE TEMP TABLE serial_by AS
  SELECT d::date AS as_of,
         (SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on, notice_on,
                          notice_ground, decided_on, decision, d::date)::text
            FROM tally_by_rows) AS tallies
    FROM unnest('{2022-12-15,2023-03-01,2024-01-01}'::date[]) d;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;   -- every row goes through a worker's map

EXPLAIN (COSTS OFF)
SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on, notice_on,
                notice_ground, decided_on, decision, '2023-03-01')
  FROM tally_by_rows;

SELECT s.as_of,
       s.tallies = (SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on,
                                    notice_on, notice_ground, decided_on, decision, s.as_of)::text
                      FROM tally_by_rows) AS parallel_same
  FROM serial_by s ORDER BY s.as_of;

-- Each of keys 1000 to 1999 gets key 1's three invitations from 3 values of
-- g: {9,3,3,3,0,0,0,0,0,0,0,0,0}; each of 2000 to 2999 key 2's five, 3 times:
-- {15,0,0,0,6,3,0,0,3,0,3,3,3}; -5 nothing; 2147483647 its one invitation
-- 3,000 times: {3000,0,0,0,0,3000,0,0,0,0,0,0,3000}; NULL its two 3,000
-- times plus the 4,000 expired: {10000,0,0,4000,0,0,3000,0,0,3000,0,0,0}.
SELECT t.key, t.tally
  FROM unnest((SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on,
                               notice_on, notice_ground, decided_on, decision, '2023-03-01')
                 FROM tally_by_rows)) t
 WHERE t.key IN (-5, 1000, 1999, 2000, 2999, 2147483647) OR t.key IS NULL;

-- 2,003 keys (1 + 1000 + 1000 + 1 and NULL); 9,000 + 15,000 + 3,000 +
-- 10,000 = 37,000 invitations counted (key -5's 3,000 are not yet invited)
SELECT count(*) AS keys,
       sum((tally_counts(t.tally)).invitations) AS invitations
  FROM unnest((SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on,
                               notice_on, notice_ground, decided_on, decision, '2023-03-01')
                 FROM tally_by_rows)) t;

-- workers that find no row send no map: nothing at all gives no keys; rows
-- of one key, in a few pages, give that key alone
SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on, notice_on,
                notice_ground, decided_on, decision, '2023-03-01')
  FROM tally_by_rows WHERE k = 12345;
SELECT tally_by(k, invited_on, response_due_on, declined_on, application_on, notice_on,
                notice_ground, decided_on, decision, '2023-03-01')
  FROM tally_by_rows WHERE k = 2147483647;

RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

DROP TABLE tally_by_rows;
