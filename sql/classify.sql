--
-- classify(invitation, as_of): every outcome and every boundary date,
-- and the tally aggregates agreeing with it day by day.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

INSERT INTO invitation_round (round_id, category, held_on) VALUES
  (1, 'OPMO', '2022-01-10');      -- 60-day window: response due 2022-03-11

INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision) VALUES
  (1,  1, '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL),                           -- never answers
  (2,  1, '2022-01-10', '2022-02-01', NULL, NULL, NULL, NULL, NULL),                   -- declines
  (3,  1, '2022-01-10', NULL, '2022-02-15', NULL, NULL, NULL, NULL),                   -- applies, no decision
  (4,  1, '2022-01-10', NULL, '2022-03-11', NULL, NULL, NULL, NULL),                   -- applies on the last day
  (5,  1, '2022-01-10', NULL, '2022-02-01', NULL, NULL, '2022-06-01', 'rejected'),
  (6,  1, '2022-01-10', NULL, '2022-02-01', NULL, NULL, '2022-06-01', 'refused'),
  (7,  1, '2022-01-10', NULL, '2022-02-01', NULL, NULL, '2022-06-01', 'withdrawn'),
  (8,  1, '2022-01-10', NULL, '2022-02-01', NULL, NULL, '2022-06-01', 'selected'),
  (9,  1, '2022-01-10', NULL, '2022-02-01', '2022-04-01', 'cannot_support', '2022-07-01', 'cancelled'),
  (10, 1, '2022-01-10', NULL, '2022-02-01', '2022-04-01', 'did_not_support', '2022-05-01', 'selected'),
  (11, 1, '2022-01-10', NULL, '2022-02-01', '2022-05-01', 'did_not_support', '2022-05-01', 'rejected'),
  (12, 1, '2022-01-10', '2022-01-10', NULL, NULL, NULL, NULL, NULL);                   -- declines the same day

-- (invitation, as_of, the outcome the contract gives)
CREATE TEMP TABLE expectation (invitation_id bigint, as_of date, expected outcome);
INSERT INTO expectation VALUES
  (1, '2022-01-09', NULL),                    -- the day before invited_on
  (1, '2022-01-10', 'awaiting_response'),     -- on invited_on
  (1, '2022-03-11', 'awaiting_response'),     -- on response_due_on
  (1, '2022-03-12', 'expired'),               -- the day after
  (1, 'infinity', 'expired'),
  (1, '-infinity', NULL),
  (2, '2022-01-31', 'awaiting_response'),
  (2, '2022-02-01', 'declined'),              -- declined_on = as_of
  (2, '2022-03-12', 'declined'),              -- declined is not expired
  (3, '2022-02-14', 'awaiting_response'),
  (3, '2022-02-15', 'in_processing'),         -- application_on = as_of
  (3, '2022-03-12', 'in_processing'),         -- applied: never expires
  (4, '2022-03-10', 'awaiting_response'),
  (4, '2022-03-11', 'in_processing'),
  (4, '2022-03-12', 'in_processing'),
  (5, '2022-05-31', 'in_processing'),
  (5, '2022-06-01', 'rejected'),              -- decided_on = as_of
  (6, '2022-06-01', 'refused'),
  (7, '2022-06-01', 'withdrawn'),
  (8, '2022-06-01', 'selected'),
  (8, 'infinity', 'selected'),
  (9, '2022-03-31', 'in_processing'),
  (9, '2022-04-01', 'cancellation_pending'),  -- notice_on = as_of
  (9, '2022-06-30', 'cancellation_pending'),
  (9, '2022-07-01', 'cancelled'),
  (10, '2022-04-30', 'cancellation_pending'),
  (10, '2022-05-01', 'selected'),             -- a notice may end in any decision
  (11, '2022-04-30', 'in_processing'),
  (11, '2022-05-01', 'rejected'),             -- notice and decision the same day
  (12, '2022-01-09', NULL),
  (12, '2022-01-10', 'declined');

SELECT e.invitation_id, e.as_of, classify(i, e.as_of) AS outcome, e.expected,
       classify(i, e.as_of) IS NOT DISTINCT FROM e.expected AS ok
  FROM expectation e JOIN invitation i USING (invitation_id)
 ORDER BY e.invitation_id, e.as_of;

-- NULLs: a NULL as_of or row gives NULL, and so does a row lacking invited_on
SELECT classify(i, NULL) IS NULL AS null_as_of FROM invitation i WHERE invitation_id = 1;
SELECT classify(NULL::invitation, '2022-03-01') IS NULL AS null_row;
SELECT classify(ROW(99, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::invitation,
                '2022-03-01') IS NULL AS row_without_dates;
-- a row built outside the table is classified by the same rules
SELECT classify(ROW(99, 1, '2022-01-10', '2022-01-20', NULL, NULL, NULL, NULL, NULL, NULL)::invitation,
                '2022-01-21') AS built_row;

-- as_of defaults to today
SELECT count(*) FILTER (WHERE classify(i) IS DISTINCT FROM classify(i, CURRENT_DATE)) AS default_differs
  FROM invitation i;

-- On every day from before the round to after the last event: classify
-- agrees with the contract's rules written as a CASE over the columns, and
-- the two tally aggregates count exactly what classify says.
WITH day AS (
  SELECT d::date AS as_of FROM generate_series('2022-01-01'::date, '2022-08-01', '1 day') d
), by_classify AS (
  SELECT day.as_of, classify(i, day.as_of) AS outcome,
         CASE WHEN day.as_of < i.invited_on THEN NULL
              WHEN i.declined_on <= day.as_of THEN 'declined'
              WHEN i.application_on IS NULL OR i.application_on > day.as_of THEN
                CASE WHEN i.response_due_on < day.as_of THEN 'expired' ELSE 'awaiting_response' END
              WHEN i.decided_on <= day.as_of THEN i.decision::text
              WHEN i.notice_on <= day.as_of THEN 'cancellation_pending'
              ELSE 'in_processing' END::outcome AS by_case,
         i.notice_ground, i.notice_on <= day.as_of AS noticed
    FROM day CROSS JOIN invitation i
), expected AS (
  SELECT as_of,
         count(*) FILTER (WHERE outcome IS DISTINCT FROM by_case) AS case_disagrees,
         format('{%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s}',
                count(outcome),
                count(*) FILTER (WHERE outcome = 'awaiting_response'),
                count(*) FILTER (WHERE outcome = 'declined'),
                count(*) FILTER (WHERE outcome = 'expired'),
                count(*) FILTER (WHERE outcome = 'in_processing'),
                count(*) FILTER (WHERE outcome = 'cancellation_pending'),
                count(*) FILTER (WHERE outcome = 'rejected'),
                count(*) FILTER (WHERE outcome = 'refused'),
                count(*) FILTER (WHERE outcome = 'cancelled'),
                count(*) FILTER (WHERE outcome = 'withdrawn'),
                count(*) FILTER (WHERE outcome = 'selected'),
                count(*) FILTER (WHERE noticed AND notice_ground = 'cannot_support'),
                count(*) FILTER (WHERE noticed AND notice_ground = 'did_not_support')) AS tally
    FROM by_classify GROUP BY as_of
), got AS (
  SELECT day.as_of,
         tally(i, day.as_of)::text AS by_row,
         tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
               i.notice_ground, i.decided_on, i.decision, day.as_of)::text AS by_column
    FROM day CROSS JOIN invitation i GROUP BY day.as_of
)
SELECT count(*) AS days,
       sum(expected.case_disagrees) AS classify_differs_from_case,
       count(*) FILTER (WHERE got.by_row = expected.tally) AS row_aggregate_agrees,
       count(*) FILTER (WHERE got.by_column = expected.tally) AS column_aggregate_agrees
  FROM got JOIN expected USING (as_of);

-- a few of those days, spelled out
SELECT d AS as_of, tally(i, d) FROM invitation i,
       unnest('{2022-01-09,2022-01-10,2022-03-12,2022-04-01,2022-07-01}'::date[]) d
 GROUP BY d ORDER BY d;

-- NULL inputs to the aggregates: a NULL as_of counts nothing; an empty
-- input gives the empty tally, not NULL
SELECT tally(i, NULL) FROM invitation i;
SELECT tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
             i.notice_ground, i.decided_on, i.decision, NULL) FROM invitation i;
SELECT tally(i, '2022-06-01') FROM invitation i WHERE false;
SELECT tally(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2022-01-01');

-- as a window aggregate, running by invitation
SELECT invitation_id, tally(i, '2022-06-01') OVER (ORDER BY invitation_id)
  FROM invitation i WHERE invitation_id <= 4 ORDER BY invitation_id;

TRUNCATE invitation, invitation_round;
