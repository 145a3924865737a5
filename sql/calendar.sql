--
-- The outcome calendar: its rows worked out by hand, kept by the triggers
-- through inserts, updates (dates, rounds), deletes, COPY, ingest(),
-- rollbacks, savepoints and TRUNCATE; calendar_check() on a calendar damaged
-- on purpose and calendar_rebuild(); group_tallies() and dashboard_series()
-- worked out by hand; the edges of the date range; privileges.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

INSERT INTO invitation_round (round_id, category, held_on, invitations_published) VALUES
  (1, 'OPMO',               '2022-01-10', NULL),
  (2, 'CLASSEMENT_GENERAL', '2021-12-31', 3),
  (3, 'PAMO_TI',            '2022-03-01', 4);     -- no invitation: zeros

-- response_due_on is invited_on + 60 days
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision) VALUES
  (1, 1, '2022-01-10', NULL, '2022-02-01', '2022-05-01', 'cannot_support', '2022-06-01', 'cancelled'),
  (2, 1, '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL),          -- due 2022-03-11, expires the 12th
  (3, 2, '2021-12-31', '2022-01-02', NULL, NULL, NULL, NULL, NULL),  -- declined
  (4, 2, '2021-12-31', NULL, '2022-03-01', NULL, NULL, '2022-03-01', 'selected'); -- applied on its
                                                                     -- last day, selected that day

-- Each change: {invitations, awaiting_response, declined, expired,
-- in_processing, cancellation_pending, rejected, refused, cancelled,
-- withdrawn, selected, notices cannot_support, notices did_not_support}.
-- Round 1, 2022:
--   2022-01-10  1 and 2 invited, awaiting           {2,2,0,...}
--   2022-02-01  1 applies                           awaiting -1, in_processing +1
--   2022-03-12  2 expires (the day after it is due)  awaiting -1, expired +1
--               (1's due date changes nothing: it applied)
--   2022-05-01  notice to 1                         in_processing -1, pending +1, notices cs +1
--   2022-06-01  1 cancelled                         pending -1, cancelled +1
-- Round 2, 2021 (invited on 2021-12-31):
--   2021-12-31  3 and 4 invited                     {2,2,0,...}
--   2022-01-02  3 declines                          awaiting -1, declined +1
--   2022-03-01  4 applies and is selected           awaiting -1, selected +1
-- Round 3: nothing.
SELECT round_id, year, day, change FROM outcome_calendar ORDER BY 1, 2, 3;
SELECT * FROM calendar_check();

-- The tally of each round and year, as of a date, from the calendar
SELECT * FROM group_tallies('2021-12-30');   -- nothing invited yet
SELECT * FROM group_tallies('2021-12-31');   -- round 2's two, awaiting
-- 2022-03-11: round 1: 1 in processing, 2 still awaiting on its last day;
-- round 2: 3 declined, 4 selected
SELECT * FROM group_tallies('2022-03-11');
SELECT * FROM group_tallies('2022-03-12');   -- 2 has expired
-- each is what the tally aggregate gives from the invitations
SELECT same, count(*) AS dates
  FROM (SELECT (SELECT string_agg(round_id || '/' || year || ' ' || tally, '; ' ORDER BY round_id, year)
                  FROM group_tallies(d::date)) IS NOT DISTINCT FROM
               (SELECT string_agg(round_id || '/' || year || ' ' || t, '; ' ORDER BY round_id, year)
                  FROM (SELECT round_id, extract(year FROM invited_on)::integer AS year,
                               tally(invited_on, response_due_on, declined_on, application_on, notice_on,
                                     notice_ground, decided_on, decision, d::date) AS t
                          FROM invitation WHERE invited_on <= d::date GROUP BY 1, 2) s) AS same
          FROM generate_series('2021-12-29'::date, '2022-06-03', '1 day') d) x
 GROUP BY same;

-- The dashboard every 31 days from 2021-12-30 to 2022-06-30: 2021-12-30,
-- 2022-01-30, 2022-03-02, 2022-04-02, 2022-05-03, 2022-06-03.  A round shows
-- from the date it is held on (round 2 from 2022-01-30, round 3 from
-- 2022-03-02); the total's published figure only when every round shown
-- has one (never here: round 1 has none).
--   2021-12-30  no round yet: a total row of zeros
--   2022-01-30  round 2: 3 declined, 4 awaiting; round 1: both awaiting
--   2022-03-02  round 2: 4 selected; round 1: 1 in processing, 2 awaiting
--               (due 2022-03-11); round 3: zeros
--   2022-04-02  round 1: 2 expired
--   2022-05-03  round 1: 1 cancellation pending, one notice cannot_support
--   2022-06-03  round 1: 1 cancelled; the notice still counts
SELECT * FROM dashboard_series('2021-12-30', '2022-06-30', '31 days');
-- the same as round_dashboard on each of those dates, and on every day
SELECT count(*) AS rows_differing
  FROM ((SELECT * FROM dashboard_series('2021-11-01', '2022-12-31'))
        EXCEPT ALL
        (SELECT d::date, r.* FROM generate_series('2021-11-01'::date, '2022-12-31', '1 day') d,
                                  round_dashboard(d::date) r)) x;
SELECT count(*) AS rows_differing
  FROM ((SELECT d::date, r.* FROM generate_series('2021-11-01'::date, '2022-12-31', '1 day') d,
                                  round_dashboard(d::date) r)
        EXCEPT ALL
        (SELECT * FROM dashboard_series('2021-11-01', '2022-12-31'))) x;
-- steps: months (as generate_series adds them), a day and some hours (each
-- date once), one date, none; bad arguments (sql/bad_input.sql has more)
SELECT DISTINCT as_of FROM dashboard_series('2022-01-31', '2022-05-31', '1 month') ORDER BY 1;
SELECT array_agg(DISTINCT as_of), count(*)
  FROM dashboard_series('2022-03-01', '2022-03-05', '1 day 5 hours');
SELECT * FROM dashboard_series('2022-03-12', '2022-03-12') WHERE is_total;
SELECT count(*) FROM dashboard_series('2022-03-12', '2022-03-11');
SELECT count(*) FROM dashboard_series(NULL, '2022-03-11');
\set VERBOSITY default
SELECT * FROM dashboard_series('2022-01-01', '2022-03-01', '0 days');
SELECT * FROM dashboard_series('2022-01-01', '2022-03-01', '-1 day');
SELECT * FROM dashboard_series('2022-03-01', '2022-03-03', '5 hours');
SELECT * FROM dashboard_series('2022-01-01', 'infinity');
\set VERBOSITY terse

-- refresh_publications() makes a release from group_tallies(): a group per
-- round and year with an invitation invited by the date (a round held
-- after the date included, out of the dashboard), and a group of zeros,
-- year NULL, for a round held by the date without any: the groups version
-- 0.4.0 made by scanning the invitations.  In a transaction rolled back,
-- with min_count 1 (nothing withheld), a round 5 held on 2022-01-15 with
-- no invitation and an invitation of round 3 sent on 2022-02-20, before
-- the round's date.
--   2022-02-25  round 1, 2022: 1 in processing, 2 awaiting; round 2, 2021:
--               3 declined, 4 awaiting; round 3, 2022: 31 awaiting, not
--               in the dashboard; round 5: zeros, year NULL
--   2022-03-12  round 1: 2 expired; round 2: 4 selected; round 3 in the
--               dashboard
BEGIN;
UPDATE disclosure_policy SET min_count = 1;
INSERT INTO invitation_round (round_id, category, held_on) VALUES (5, 'OPMO', '2022-01-15');
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (31, 3, '2022-02-20');
SELECT refresh_publications('2022-02-25');
SELECT refresh_publications('2022-03-12');
SELECT r.as_of, g.round_id, g.year, g.held_on, g.in_dashboard, g.tally
  FROM release_group g JOIN release r ON r.release_id = g.release_id
 ORDER BY r.as_of, g.round_id, g.year;
-- the same groups as 0.4.0's query over the invitations
SELECT r.as_of,
       (SELECT count(*)
          FROM (((SELECT g.round_id, g.year, g.category, g.held_on, g.in_dashboard,
                         g.invitations_published, g.tally::text
                    FROM release_group g WHERE g.release_id = r.release_id)
                 EXCEPT ALL
                 (SELECT o.round_id, extract(year FROM i.invited_on)::integer, o.category, o.held_on,
                         o.held_on <= r.as_of, o.invitations_published,
                         tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                               i.notice_on, i.notice_ground, i.decided_on, i.decision, r.as_of)::text
                    FROM invitation_round o
                    LEFT JOIN invitation i ON i.round_id = o.round_id AND i.invited_on <= r.as_of
                   WHERE o.held_on <= r.as_of OR i.invitation_id IS NOT NULL
                   GROUP BY o.round_id, extract(year FROM i.invited_on)::integer))
                UNION ALL
                ((SELECT o.round_id, extract(year FROM i.invited_on)::integer, o.category, o.held_on,
                         o.held_on <= r.as_of, o.invitations_published,
                         tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                               i.notice_on, i.notice_ground, i.decided_on, i.decision, r.as_of)::text
                    FROM invitation_round o
                    LEFT JOIN invitation i ON i.round_id = o.round_id AND i.invited_on <= r.as_of
                   WHERE o.held_on <= r.as_of OR i.invitation_id IS NOT NULL
                   GROUP BY o.round_id, extract(year FROM i.invited_on)::integer)
                 EXCEPT ALL
                 (SELECT g.round_id, g.year, g.category, g.held_on, g.in_dashboard,
                         g.invitations_published, g.tally::text
                    FROM release_group g WHERE g.release_id = r.release_id))) x) AS groups_differing
  FROM release r
 ORDER BY r.as_of;
ROLLBACK;

-- The triggers.  An update of dates: invitation 2 applies on 2022-03-05,
-- so it no longer expires on 2022-03-12 (that row goes) and leaves
-- awaiting for in processing on 2022-03-05.
UPDATE invitation SET application_on = '2022-03-05' WHERE invitation_id = 2;
SELECT round_id, year, day, change FROM outcome_calendar WHERE round_id = 1 ORDER BY 1, 2, 3;
-- a change of round: invitation 3 moves to round 1, with its year, 2021
UPDATE invitation SET round_id = 1 WHERE invitation_id = 3;
SELECT round_id, year, day, change FROM outcome_calendar ORDER BY 1, 2, 3;
-- a delete: round 2 has nothing left
DELETE FROM invitation WHERE invitation_id = 4;
SELECT count(*) AS round_2_rows FROM outcome_calendar WHERE round_id = 2;
-- an update that changes no date changes no row
CREATE TEMP TABLE calendar_before AS SELECT ctid AS tid, * FROM outcome_calendar;
UPDATE invitation SET notice_ground = notice_ground;
SELECT count(*) AS rows_rewritten
  FROM outcome_calendar c LEFT JOIN calendar_before b ON b.tid = c.ctid WHERE b.tid IS NULL;
SELECT * FROM calendar_check();

-- COPY fires the insert trigger (pg_restore loads invitation so)
COPY invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision) FROM stdin;
5	2	2021-12-31	2022-01-15	2022-04-01	refused
6	3	2022-03-01	\N	\N	\N
\.
SELECT * FROM group_tallies('2022-04-01') ORDER BY 1, 2;
SELECT * FROM calendar_check();

-- ingest(), whose INSERT ... ON CONFLICT fires the insert and the update
-- triggers: a new invitation and a corrected one
INSERT INTO invitation_staging (invitation_id, round_id, invited_on, declined_on, application_on)
VALUES ('7', '3', '2022-03-01', '2022-03-02', NULL),
       ('6', '3', '2022-03-01', NULL, '2022-03-20');
SELECT inserted, updated, rejected FROM ingest();
SELECT * FROM group_tallies('2022-04-01') WHERE round_id = 3;
SELECT * FROM calendar_check();

-- What a transaction rolls back, the calendar never saw; the same for a
-- savepoint.  TRUNCATE empties it, and rolls back too.
CREATE TEMP TABLE snapshot AS
  SELECT md5(string_agg(c::text, ',' ORDER BY c::text)) AS m FROM outcome_calendar c;
BEGIN;
DELETE FROM invitation WHERE invitation_id IN (1, 5);
UPDATE invitation SET decided_on = '2022-09-01', decision = 'selected' WHERE invitation_id = 2;
SELECT count(*) > 0 AS changed FROM calendar_check();   -- none: the triggers kept it
ROLLBACK;
SELECT (SELECT md5(string_agg(c::text, ',' ORDER BY c::text)) FROM outcome_calendar c) = m AS unchanged
  FROM snapshot;
BEGIN;
SAVEPOINT s;
DELETE FROM invitation WHERE invitation_id = 1;
ROLLBACK TO SAVEPOINT s;
UPDATE invitation SET decided_on = '2022-09-01', decision = 'rejected' WHERE invitation_id = 2;
SAVEPOINT t;
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (8, 3, '2022-03-01');
ROLLBACK TO SAVEPOINT t;
COMMIT;
SELECT * FROM group_tallies('2022-09-01') WHERE round_id IN (1, 3);
SELECT * FROM calendar_check();
BEGIN;
TRUNCATE invitation;
SELECT count(*) AS rows_after_truncate FROM outcome_calendar;
ROLLBACK;
SELECT count(*) > 0 AS rows_back FROM outcome_calendar;
SELECT * FROM calendar_check();

-- A key may have several rows (writers at the same time leave them): every
-- reader sums them, and the next write of the key folds them into one.
INSERT INTO outcome_calendar VALUES
  (1, 2022, '2022-01-10', '{1,1,0,0,0,0,0,0,0,0,0,0,0}'),
  (1, 2022, '2022-01-10', '{-1,-1,0,0,0,0,0,0,0,0,0,0,0}'),
  (3, 2022, '2022-01-10', '{0,0,0,0,0,0,0,0,0,0,0,0,0}');
SELECT count(*) AS rows_of_key FROM outcome_calendar WHERE (round_id, year, day) = (1, 2022, '2022-01-10');
SELECT * FROM calendar_check();
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (9, 1, '2022-01-10');
SELECT count(*) AS rows_of_key, sum(change) FROM outcome_calendar
 WHERE (round_id, year, day) = (1, 2022, '2022-01-10');
-- a writer in REPEATABLE READ only adds its rows (folding could fail with
-- a serialization error): the sums stay exact
BEGIN ISOLATION LEVEL REPEATABLE READ;
DELETE FROM invitation WHERE invitation_id = 9;
COMMIT;
SELECT count(*) AS rows_of_key, sum(change) FROM outcome_calendar
 WHERE (round_id, year, day) = (1, 2022, '2022-01-10');
SELECT * FROM calendar_check();
SELECT calendar_rebuild() > 0 AS rebuilt;
SELECT count(*) AS rows_of_key FROM outcome_calendar WHERE (round_id, year, day) = (1, 2022, '2022-01-10');

-- calendar_check() on a calendar damaged on purpose: a changed row, a
-- missing row, a row that should not be there; each is reported with what
-- is stored and what the invitations give
UPDATE outcome_calendar SET change = change + '{0,0,0,0,0,0,0,0,0,0,0,0,1}'
 WHERE (round_id, year, day) = (1, 2022, '2022-01-10');
DELETE FROM outcome_calendar WHERE (round_id, year, day) = (1, 2022, '2022-02-01');
INSERT INTO outcome_calendar VALUES (3, 2022, '2022-03-03', '{1,1,0,0,0,0,0,0,0,0,0,0,0}');
SELECT * FROM calendar_check();
-- the damage shows in the roll-ups; a damage that makes a count negative
-- is refused rather than shown
SELECT round_id, invitations, awaiting_response, in_processing, notices_did_not_support
  FROM round_dashboard('2022-03-03') ORDER BY is_total, round_id;
INSERT INTO outcome_calendar VALUES (3, 2022, '2022-03-04', '{0,-5,0,0,0,0,0,0,0,0,0,0,0}');
SELECT count(*) FROM round_dashboard('2022-03-04');
SELECT count(*) FROM round_dashboard('2022-03-03');
-- rebuilt: exact again
SELECT calendar_rebuild();
SELECT * FROM calendar_check();
SELECT round_id, invitations, awaiting_response, in_processing, notices_did_not_support
  FROM round_dashboard('2022-03-03') ORDER BY is_total, round_id;

-- The edges of dates.  The year is extract(year FROM invited_on): 1 BC
-- is -1.  An invitation due on the last date there is (5874897-12-31)
-- expires as of 'infinity', as the tally aggregate says.
INSERT INTO invitation_round (round_id, category, held_on) VALUES (4, 'OPMO', '0002-06-01 BC');
INSERT INTO invitation (invitation_id, round_id, invited_on, response_due_on) VALUES
  (41, 4, '0001-12-30 BC', '0001-12-31 BC'),
  (42, 4, '5874897-12-01', '5874897-12-31');
SELECT round_id, year, day, change FROM outcome_calendar WHERE round_id = 4 ORDER BY 1, 2, 3;
SELECT a.as_of, g.tally AS calendar,
       (SELECT tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on, i.notice_on,
                     i.notice_ground, i.decided_on, i.decision, a.as_of)
          FROM invitation i WHERE i.round_id = 4) AS scan
  FROM (VALUES ('0001-12-31 BC'::date), ('0001-01-01'), ('5874897-12-31'), ('infinity')) a(as_of)
  LEFT JOIN LATERAL (SELECT sum(t.tally) AS tally FROM group_tallies(a.as_of) t WHERE t.round_id = 4) g
    ON true;
SELECT * FROM annual_summary('0001-01-01') WHERE year < 1;
SELECT * FROM annual_summary('infinity') WHERE year > 3000;
SELECT * FROM calendar_check();
DELETE FROM invitation WHERE round_id = 4;
DELETE FROM invitation_round WHERE round_id = 4;

-- The aggregate itself: sign 1 or -1, finite dates; an invitation without
-- a round, invited_on or response_due_on changes nothing.  Its rows, in
-- key order, are what the triggers add.
\set VERBOSITY default
SELECT calendar_changes(0, 1, '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL);
SELECT calendar_changes(1, 1, '2022-01-10', 'infinity', NULL, NULL, NULL, NULL, NULL, NULL);
\set VERBOSITY terse
SELECT calendar_changes(s, r, i, d, NULL, NULL, NULL, NULL, NULL, NULL)
  FROM (VALUES (1, NULL::integer, '2022-01-10'::date, '2022-03-11'::date),
               (1, 1, NULL, '2022-03-11'), (1, 1, '2022-01-10', NULL)) v(s, r, i, d);
SELECT calendar_changes(s, 7, '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL)
  FROM (VALUES (1), (1), (-1)) v(s);
SELECT calendar_changes(s, 7, '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL)
  FROM (VALUES (1), (-1)) v(s);

-- Privileges: the calendar is derived from microdata; nothing of it is
-- granted to PUBLIC.  A role that may write invitation (and not the
-- calendar) keeps the calendar exact through the triggers.
CREATE ROLE regress_arrima_calendar_loader;
GRANT SELECT, INSERT, UPDATE, DELETE ON invitation TO regress_arrima_calendar_loader;
GRANT SELECT ON invitation_round TO regress_arrima_calendar_loader;
SELECT has_table_privilege('regress_arrima_calendar_loader', 'outcome_calendar', 'SELECT') AS can_read,
       has_table_privilege('regress_arrima_calendar_loader', 'outcome_calendar', 'INSERT') AS can_write;
SELECT p.oid::regprocedure AS function,
       has_function_privilege('regress_arrima_calendar_loader', p.oid, 'EXECUTE') AS can_execute
  FROM pg_proc p
 WHERE p.pronamespace = 'arrima_stats'::regnamespace
   AND p.proname IN ('calendar_apply', 'calendar_check', 'calendar_rebuild', 'group_tallies',
                     'dashboard_series')
 ORDER BY p.proname;
SET ROLE regress_arrima_calendar_loader;
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on) VALUES (10, 3, '2022-03-01');
UPDATE arrima_stats.invitation SET declined_on = '2022-03-02' WHERE invitation_id = 10;
DELETE FROM arrima_stats.invitation WHERE invitation_id = 7;
SELECT count(*) FROM arrima_stats.outcome_calendar;
SELECT * FROM arrima_stats.group_tallies('2022-04-01');
RESET ROLE;
SELECT * FROM calendar_check();
SELECT * FROM group_tallies('2022-04-01') WHERE round_id = 3;
REVOKE ALL ON invitation, invitation_round FROM regress_arrima_calendar_loader;
DROP ROLE regress_arrima_calendar_loader;

TRUNCATE invitation_staging, invitation_reject;
TRUNCATE invitation, invitation_round;
SELECT count(*) AS calendar_rows FROM outcome_calendar;
