--
-- The validator and the invitation table agree: the same rows are fed to
-- invitation_fault() and, read by PostgreSQL's own input functions, to an
-- INSERT into the table.  Every row one refuses, the other refuses; every
-- row one accepts, the other accepts.  The validator's own stricter reading
-- of dates is shown last.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;
\set VERBOSITY terse

-- round 1: invited 2022-01-10, due 2022-03-11 unless given; round 2: a
-- window so long that from 2022-01-10 it ends in 5874832, the last date is
-- in 5874897, and from 9999-12-31 it would end past it
INSERT INTO invitation_round (round_id, category, held_on, response_days) VALUES
  (1, 'OPMO', '2022-01-10', 60),
  (2, 'OPMO', '2022-01-10', 2145000000);

CREATE TEMP TABLE cases (n serial, expect text, LIKE invitation_staging);

-- What the table says of a staged row: each value trimmed as the validator
-- trims it, empty as NULL, then cast by PostgreSQL's input functions and
-- inserted (in a subtransaction rolled back either way): 'accepts', or the
-- constraint that refused it, or the error.
CREATE FUNCTION pg_temp.table_says(s invitation_staging) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  refused_by text;
BEGIN
  INSERT INTO arrima_stats.invitation
  SELECT v[1]::bigint, v[2]::integer, v[3]::date, v[4]::date, v[5]::date, v[6]::date, v[7]::date,
         v[8]::arrima_stats.notice_ground, v[9]::date, v[10]::arrima_stats.decision
    FROM (SELECT array_agg(nullif(btrim(x, E' \t\n\r\v\f'), '') ORDER BY i) AS v
            FROM unnest(ARRAY[s.invitation_id, s.round_id, s.invited_on, s.response_due_on,
                              s.declined_on, s.application_on, s.notice_on, s.notice_ground,
                              s.decided_on, s.decision]) WITH ORDINALITY AS u(x, i)) a;
  RAISE EXCEPTION 'accepted' USING ERRCODE = 'ZZ001';
EXCEPTION
  WHEN SQLSTATE 'ZZ001' THEN
    RETURN 'accepts';
  WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS refused_by = CONSTRAINT_NAME;
    RETURN 'refuses: ' || coalesce(nullif(refused_by, ''), left(SQLERRM, 100));
END
$$;

-- What the validator says, the row's round joined as ingest() joins it.
CREATE FUNCTION pg_temp.validator_says(s invitation_staging) RETURNS text
LANGUAGE sql AS $$
  SELECT arrima_stats.invitation_fault(s, r.response_days)
    FROM (SELECT) one
    LEFT JOIN arrima_stats.invitation_round r
           ON r.round_id = arrima_stats.staged_round_id(s.round_id)
$$;

-- Each rule of the table broken once (named after its constraint), each
-- kind of value that cannot be read, and the boundaries the rules allow.
INSERT INTO cases (expect, invitation_id, round_id, invited_on, response_due_on, declined_on,
                   application_on, notice_on, notice_ground, decided_on, decision) VALUES
  ('dates_are_finite', '1', '1', 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('dates_are_finite', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', NULL, NULL, '-infinity', 'refused'),
  ('response_due_on_not_before_invited_on', '1', '1', '2022-01-10', '2022-01-09', NULL, NULL, NULL, NULL, NULL, NULL),
  ('declined_on_not_before_invited_on', '1', '1', '2022-01-10', NULL, '2022-01-09', NULL, NULL, NULL, NULL, NULL),
  ('application_on_not_before_invited_on', '1', '1', '2022-01-10', NULL, NULL, '2022-01-09', NULL, NULL, NULL, NULL),
  ('declined_and_applied_not_both', '1', '1', '2022-01-10', NULL, '2022-01-20', '2022-01-20', NULL, NULL, NULL, NULL),
  ('declined_on_not_after_response_due_on', '1', '1', '2022-01-10', NULL, '2022-03-12', NULL, NULL, NULL, NULL, NULL),
  ('application_on_not_after_response_due_on', '1', '1', '2022-01-10', '2022-01-31', NULL, '2022-02-01', NULL, NULL, NULL, NULL),
  ('notice_on_and_notice_ground_together', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', '2022-03-01', NULL, NULL, NULL),
  ('notice_on_and_notice_ground_together', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', NULL, 'did_not_support', NULL, NULL),
  ('notice_needs_application', '1', '1', '2022-01-10', NULL, NULL, NULL, '2022-03-01', 'cannot_support', NULL, NULL),
  ('notice_on_not_before_application_on', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', '2022-01-31', 'cannot_support', NULL, NULL),
  ('notice_on_not_after_decided_on', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', '2022-05-02', 'cannot_support', '2022-05-01', 'cancelled'),
  ('decided_on_and_decision_together', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', NULL, NULL, '2022-05-01', NULL),
  ('decided_on_and_decision_together', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', NULL, NULL, NULL, 'selected'),
  ('decision_needs_application', '1', '1', '2022-01-10', NULL, NULL, NULL, NULL, NULL, '2022-05-01', 'refused'),
  ('decided_on_not_before_application_on', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', NULL, NULL, '2022-01-31', 'selected'),
  ('cancelled_needs_notice', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', NULL, NULL, '2022-05-01', 'cancelled'),
  -- keys: required, and the round exists (whether response_due_on is given
  -- or must come from it)
  ('not null', NULL, '1', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('not null', '1', ' ', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('not null', '1', '1', '', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('foreign key', '1', '99', '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL),
  ('foreign key', '1', '99', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  -- response_due_on cannot be filled past the last date
  ('date range', '1', '2', '9999-12-31', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  -- values no input function reads
  ('type', 'abc', '1', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('type', '99999999999999999999', '1', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('type', '4.0', '1', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('type', '1', '3000000000', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('type', '1', '1', '2022-13-45', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('type', '1', '1', '2022-02-29', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('type', '1', '1', '0000-01-01', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('type', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', NULL, NULL, '2022-05-01', 'Selected'),
  ('type', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', '2022-03-01', 'cannot support', NULL, NULL),
  ('type', repeat('7', 5000), '1', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  -- valid: every boundary the rules allow, and values as files spell them
  ('valid', '1', '1', '2022-01-10', NULL, '2022-01-10', NULL, NULL, NULL, NULL, NULL),
  ('valid', '1', '1', '2022-01-10', NULL, '2022-03-11', NULL, NULL, NULL, NULL, NULL),
  ('valid', '1', '1', '2022-01-10', '2022-01-10', NULL, '2022-01-10', '2022-01-10', 'did_not_support', '2022-01-10', 'cancelled'),
  ('valid', '1', '1', '2022-01-10', NULL, NULL, '2022-03-11', NULL, NULL, '2022-03-11', 'selected'),
  ('valid', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', '2022-03-01', 'cannot_support', NULL, NULL),
  ('valid', '1', '1', '2022-01-10', NULL, NULL, '2022-02-01', '2022-03-01', 'cannot_support', '2022-06-01', 'withdrawn'),
  ('valid', '1', '1', '2024-02-29', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('valid', '1', '1', '9999-12-31', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('valid', '1', '2', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('valid', '-9223372036854775808', '-0', '2022-01-10', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL),
  ('valid', '+007', E'\t1\r\n', ' 2022-01-10 ', '', '  ', NULL, NULL, NULL, NULL, ' ');
-- (-9223372036854775808 is the least bigint; -0 names round 0, added here)
INSERT INTO invitation_round (round_id, category, held_on) VALUES (0, 'OPMO', '2022-01-10');

-- What each says of every case.  A refusal by the table names its
-- constraint, or the error of the input function or trigger that refused
-- the value.
CREATE TEMP TABLE verdicts AS
SELECT c.n, c.expect, pg_temp.validator_says(s) AS validator, pg_temp.table_says(s) AS "table"
  FROM cases c,
       LATERAL (SELECT ROW(c.invitation_id, c.round_id, c.invited_on, c.response_due_on,
                           c.declined_on, c.application_on, c.notice_on, c.notice_ground,
                           c.decided_on, c.decision)::invitation_staging AS s) r;
SELECT * FROM verdicts ORDER BY n;

-- The same, counted: no row where they disagree; every rule refused by its
-- constraint; as many valid rows as written (11).
SELECT count(*) FILTER (WHERE (validator IS NULL) <> ("table" = 'accepts')) AS disagree,
       count(*) FILTER (WHERE expect NOT IN ('valid', 'not null', 'foreign key', 'date range', 'type')
                          AND "table" <> 'refuses: ' || expect) AS refused_by_another_rule,
       count(*) FILTER (WHERE validator IS NULL AND "table" = 'accepts') AS accepted_by_both,
       count(*) FILTER (WHERE validator IS NOT NULL AND "table" <> 'accepts') AS refused_by_both
  FROM verdicts;

-- And ingest() does as both say: the valid rows, each under its own id,
-- go in, the others come out with the validator's reason.
INSERT INTO invitation_staging
SELECT CASE WHEN expect = 'valid' THEN (1000 + n)::text ELSE invitation_id END,
       round_id, invited_on, response_due_on, declined_on, application_on, notice_on,
       notice_ground, decided_on, decision
  FROM cases WHERE expect = 'valid' OR invitation_id IS DISTINCT FROM '1';
INSERT INTO invitation_staging
SELECT (2000 + n)::text, round_id, invited_on, response_due_on, declined_on, application_on,
       notice_on, notice_ground, decided_on, decision
  FROM cases WHERE expect <> 'valid' AND invitation_id = '1';
SELECT inserted, updated, rejected FROM ingest();
SELECT count(*) FILTER (WHERE j.reason = pg_temp.validator_says(
                          ROW(j.invitation_id, j.round_id, j.invited_on, j.response_due_on,
                              j.declined_on, j.application_on, j.notice_on, j.notice_ground,
                              j.decided_on, j.decision)::invitation_staging)) AS same_reason,
       count(*) AS rejected
  FROM invitation_reject j;

-- Spellings PostgreSQL's date input would read, and the validator refuses
-- rather than guess: day and month in either order, a compact date, a time
-- of day, a named month, an era.
SET datestyle = 'ISO, DMY';
SELECT s AS value,
       pg_temp.validator_says(ROW('1', '1', s, NULL, NULL, NULL, NULL, NULL, NULL, NULL)) AS validator,
       s::date AS "PostgreSQL reads (DMY)"
  FROM (VALUES ('03/04/2022'), ('20220403'), ('2022-04-03 00:00:00'), ('2022-04-03T12:00'),
               ('April 3, 2022'), ('2022-04-03 AD'), ('22-04-03')) v(s);
SET datestyle = ISO;

TRUNCATE invitation, invitation_round, invitation_reject, invitation_staging;
