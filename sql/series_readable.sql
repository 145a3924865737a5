-- A series users can read: a count withheld after it was shown carries the
-- value shown last and its date; every withheld count comes with the
-- interval every reader can derive of it; the headline figures stay shown.
--
-- One round of 20 invitations (category OPMO), all applied on 2023-01-10;
-- 10 selected on 2023-02-01, then 2 on 2023-06-05 and 1 on 2023-06-12.
-- Worked out by hand (min_count 5: a count or a change of 1 to 4 is
-- protected):
--
--   as of        in_processing  selected
--   2023-06-01        10           10     release 1: all shown
--   2023-06-08         8           12     release 2: selected moved by 2,
--                                         withheld with in_processing
--   2023-06-15         7           13     release 3: selected moved by 3
--                                         since release 1: withheld again
--
-- What a reader of all the releases derives: selected never goes down, so
-- as of 2023-06-08 and 2023-06-15 it is at least the 10 release 1 showed;
-- with in_processing it makes the round's 20 invitations (shown), so it is
-- at most 20, and in_processing is 0 to 10.  Those are the intervals
-- releases 2 and 3 publish; the value carried is release 1's 10 as of
-- 2023-06-01.  The invitations (20, the total row's and the year's too)
-- are shown in every release.
SET search_path = arrima_stats, public;
SET datestyle = ISO;

INSERT INTO invitation_round (round_id, category, held_on, invitations_published)
VALUES (1, 'OPMO', '2023-01-02', 20);
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT k, 1, '2023-01-02', '2023-01-10',
       CASE WHEN k <= 10 THEN date '2023-02-01'
            WHEN k <= 12 THEN date '2023-06-05'
            WHEN k = 13 THEN date '2023-06-12' END,
       CASE WHEN k <= 13 THEN 'selected'::decision END
  FROM generate_series(1, 20) k;
SELECT refresh_publications('2023-06-01');
SELECT refresh_publications('2023-06-08');
SELECT refresh_publications('2023-06-15');

-- The round's counts in each release, as readers see them
SELECT release_id, as_of, measure, value, status, lower, upper, carried_value, carried_as_of
  FROM arrima_published.release_count
 WHERE dashboard = 'round_dashboard' AND row_key = '1'
   AND measure IN ('invitations', 'in_processing', 'selected')
 ORDER BY release_id, measure;

-- The same count is the same in every table that shows it
SELECT dashboard, row_key, value, lower, upper, carried_value
  FROM arrima_published.release_count
 WHERE release_id = 3 AND measure = 'selected'
 ORDER BY dashboard, row_key;

-- The headline figures, every release: the total row's and each year's
-- invitations
SELECT release_id, dashboard, row_kind, row_key, value
  FROM arrima_published.release_count
 WHERE measure = 'invitations' AND row_kind IN ('total', 'year')
 ORDER BY release_id, dashboard, row_key;

-- The dashboards of the latest release, and their intervals joined on
-- row_key: a withheld count is NULL, its interval beside it
SELECT d.row_kind, d.row_key, d.invitations, d.in_processing, d.selected,
       i.in_processing_lower, i.in_processing_upper, i.selected_lower, i.selected_upper,
       i.invitations_lower, i.invitations_upper
  FROM arrima_published.round_dashboard d
  JOIN arrima_published.round_dashboard_interval i USING (release_id, row_key)
 ORDER BY d.row_kind, d.row_key;
SELECT a.row_key, a.selected, i.selected_lower, i.selected_upper
  FROM arrima_published.annual_summary a
  JOIN arrima_published.annual_summary_interval i USING (release_id, row_key);
SELECT c.row_kind, c.row_key, c.selected, i.selected_lower, i.selected_upper
  FROM arrima_published.category_summary c
  JOIN arrima_published.category_summary_interval i USING (release_id, row_key)
 ORDER BY c.row_kind, c.row_key;

-- Summing: SUM(value) of a withheld count is no total; SUM(lower) and
-- SUM(upper) bound it
SELECT sum(value) AS sum_value, sum(lower) AS sum_lower, sum(upper) AS sum_upper,
       count(*) = count(upper) AS bounded
  FROM arrima_published.release_count
 WHERE release_id = 3 AND dashboard = 'round_dashboard' AND row_kind = 'round'
   AND measure IN ('in_processing', 'selected');

-- The series for charts: every release in order, a value or a band
SELECT release_id, measure_position, measure, value, lower, upper, carried_value
  FROM arrima_published.count_series
 WHERE dashboard = 'round_dashboard' AND row_key = '1' AND measure IN ('in_processing', 'selected');

-- Nothing carried was not shown before, in an earlier release, as of no
-- later date; every interval holds the exact value and is as published
SELECT count(*) AS carried,
       count(*) FILTER (WHERE NOT EXISTS (
         SELECT FROM release_cell p JOIN release pr USING (release_id)
          WHERE p.publication = c.dashboard AND p.row_key = c.row_key AND p.measure = c.measure
            AND NOT p.withheld AND p.value = c.carried_value AND pr.as_of = c.carried_as_of
            AND p.release_id < c.release_id)) AS never_shown
  FROM arrima_published.release_count c
 WHERE c.carried_value IS NOT NULL;
SELECT count(*) AS withheld,
       count(*) FILTER (WHERE x.value < c.lower OR x.value > c.upper) AS outside,
       count(*) FILTER (WHERE c.lower IS DISTINCT FROM x.lower OR c.upper IS DISTINCT FROM x.upper)
         AS not_as_published
  FROM arrima_published.release_count c
  JOIN release_cell x ON x.release_id = c.release_id AND x.publication = c.dashboard
                     AND x.row_key = c.row_key AND x.measure = c.measure
 WHERE c.status = 'withheld';

-- The intervals are the audit's exact bounds (the latest release's, with
-- every release)
SELECT a.measure, a.value, a.lower, a.upper, c.lower AS published_lower, c.upper AS published_upper
  FROM disclosure_audit(3) a
  JOIN release_cell c ON c.release_id = 3 AND c.publication = a.publication AND c.row_key = a.row_key
                     AND c.measure = a.measure
 WHERE a.status <> 'flow' AND a.publication = 'round_dashboard' AND a.row_key = '1'
 ORDER BY a.measure;

-- Keys and labels are short strings for ODBC clients
SELECT a.attname, format_type(a.atttypid, a.atttypmod)
  FROM pg_attribute a
 WHERE a.attrelid = 'arrima_published.release_count'::regclass AND a.attnum > 0
   AND a.atttypid NOT IN ('bigint'::regtype, 'integer'::regtype, 'date'::regtype)
 ORDER BY a.attnum;

-- A release made before 0.6.0 published no interval: its withheld counts
-- read from 0, unbounded (as a superuser could make one, around the
-- triggers that keep releases)
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE release_cell SET lower = NULL, upper = NULL WHERE release_id = 2;
SELECT measure, value, status, lower, upper, carried_value
  FROM arrima_published.release_count
 WHERE release_id = 2 AND dashboard = 'round_dashboard' AND row_key = '1'
   AND measure IN ('in_processing', 'selected')
 ORDER BY measure;
ROLLBACK;

-- The last gate holds every published interval as what readers know.
-- Release 2 publishes selected from 10 to 20 (in_processing 0 to 10).  Had
-- release 3 shown its selected (13), release 2's would be at most 13: its
-- interval narrowed to [10, 13], and in_processing's to [7, 10], narrower
-- than min_count - 1: refused.
SELECT count(*) FROM disclosure_release_gate(
         ARRAY(SELECT r FROM release r), ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT c FROM release_cell c
                WHERE c.withheld AND NOT (c.release_id = 3 AND c.measure = 'selected')),
         '{}');
-- An interval narrower than the release could publish (selected 12 to 14,
-- so in_processing 6 to 8) is refused as what readers would then know ...
SELECT count(*) FROM disclosure_release_gate(
         ARRAY(SELECT r FROM release r), ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT CASE WHEN c.release_id = 2 AND c.measure = 'selected'
                           THEN ROW(c.release_id, c.publication, c.row_key, c.round_id, c.year, c.category,
                                    c.measure, c.value, c.withheld, 12, 14)::release_cell
                           ELSE c END
                 FROM release_cell c WHERE c.withheld),
         '{}');
-- ... and one that does not hold the count's value is no interval at all
SELECT count(*) FROM disclosure_release_gate(
         ARRAY(SELECT r FROM release r), ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT CASE WHEN c.release_id = 2 AND c.measure = 'selected'
                           THEN ROW(c.release_id, c.publication, c.row_key, c.round_id, c.year, c.category,
                                    c.measure, c.value, c.withheld, 0, 5)::release_cell
                           ELSE c END
                 FROM release_cell c WHERE c.withheld),
         '{}');
-- The gate checks the primary rule itself, with each release's own policy:
-- had release 1 been made with min_count 11, its 10 selected (shown) would
-- be refused, whatever chose the withholding
SELECT count(*) FROM disclosure_release_gate(
         ARRAY(SELECT CASE WHEN r.release_id = 1 THEN ROW(1, r.as_of, r.made_at, 11, 1, 'any')::release
                           ELSE r END FROM release r),
         ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT c FROM release_cell c WHERE c.withheld),
         '{}');
-- So does a refresh, which then keeps nothing; its error is the gate's,
-- without the refresh's own statements as its context.  (Release 1 said
-- min_count 11 here as a superuser could make it, around the triggers
-- that keep releases.)
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE release SET min_count = 11 WHERE release_id = 1;
COMMIT;
SELECT refresh_publications('2023-06-22');
SELECT count(*) AS releases FROM release;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE release SET min_count = 5 WHERE release_id = 1;
COMMIT;

-- Headline figures are complements of last resort.  One release of two
-- rounds of 2023: round 1's 3 invitations all declined (withheld: small),
-- round 2's 100 all selected.  The total's declined (3) is small too, so
-- the total row needs a second withheld count besides it: its invitations
-- (103, the cheapest: no other relation of theirs lacks a withheld count)
-- or its selected (100, first withheld in the relation of the rounds'
-- selected).  Not the headline: selected, then round 2's selected and
-- invitations with it.  The total's and the year's 103 invitations are
-- shown.
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE release, release_group, release_cell;
COMMIT;
SELECT setval('release_id_seq', 1, false);
TRUNCATE invitation, invitation_round;
INSERT INTO invitation_round (round_id, category, held_on)
VALUES (1, 'OPMO', '2023-03-02'), (2, 'OPMO', '2023-04-06');
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on)
SELECT k, 1, '2023-03-02', '2023-03-10' FROM generate_series(1, 3) k;
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT 100 + k, 2, '2023-04-06', '2023-04-20', '2023-06-01', 'selected' FROM generate_series(1, 100) k;
SELECT refresh_publications('2023-08-18');
SELECT publication, row_key, measure, value, withheld
  FROM release_cell
 WHERE publication IN ('round_dashboard', 'annual_summary') AND value > 0
 ORDER BY publication, row_key, measure;

-- A zero withheld as a last resort is protected like any count.  The demo
-- data (extract of 2023-09-12), min_count 6, a release a week from
-- 2023-08-18.  As of 2023-09-08 (release 4) round 19 has 0 in processing:
-- down from 2 in release 3, whose in_processing was withheld (0 to 8).
-- The search withholds that zero when nothing else is left to withhold;
-- a withheld count then needs a partner in its row, where every other
-- count is shown, unchanged since release 1, but selected.  So selected
-- is withheld with it: the row's 956 invitations less the 147 shown make
-- in_processing + selected = 809; selected never goes down and release 1
-- showed 801, so a reader derives selected 801 to 809 and in_processing
-- 0 to 8 (0 and 809 in fact).  Before 0.6.0 was released the refresh
-- failed here ("could not protect 1 published counts"): selected was not
-- eligible, the zero having been "never withheld" when that was decided.
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE release, release_group, release_cell;
COMMIT;
SELECT setval('release_id_seq', 1, false);
TRUNCATE invitation, invitation_round;
\set ECHO none
\set extract_on 2023-09-12
\i test/data/load_rounds.sql
\i test/data/synthetic_invitations.sql
\set ECHO all
UPDATE disclosure_policy SET min_count = 6, cadence = 'week';
SELECT refresh_publications('2023-08-18');
SELECT refresh_publications('2023-08-25');
SELECT refresh_publications('2023-09-01');
SELECT refresh_publications('2023-09-08');
SELECT release_id, measure, value, withheld, lower, upper
  FROM release_cell
 WHERE publication = 'round_dashboard' AND round_id = 19
   AND (release_id = 4 OR measure IN ('in_processing', 'selected'))
 ORDER BY measure, release_id;
UPDATE disclosure_policy SET min_count = DEFAULT, cadence = DEFAULT;

-- Leave things as found: nothing published, no data.  (Releases are kept
-- for ever; a superuser can go around the triggers that keep them.)
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE release, release_group, release_cell;
COMMIT;
SELECT setval('release_id_seq', 1, false);
TRUNCATE invitation, invitation_round, publication_state, publication_group, publication_cell;
REFRESH MATERIALIZED VIEW round_dashboard_published WITH NO DATA;
REFRESH MATERIALIZED VIEW annual_summary_published WITH NO DATA;
REFRESH MATERIALIZED VIEW category_summary_published WITH NO DATA;
