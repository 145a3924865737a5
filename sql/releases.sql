-- Releases: refresh_publications() keeps every release, withholds what the
-- releases together would give away, and audits flows beside cells.
--
-- One round of 20 invitations (category OPMO), all applied on 2023-01-10;
-- 10 selected on 2023-02-01, then one or two a week in June.  Worked out by
-- hand (min_count 5: a count or a change of 1 to 4 is protected):
--
--   as of        in_processing  selected
--   2023-06-01        10           10     release 1: no small count, all shown
--   2023-06-08         8           12     release 2: selected moved by 2 since
--                                         release 1 showed 10: withheld, and
--                                         in_processing (8) with it, else the
--                                         row's sum (20) gives selected away
--   2023-06-15         7           13     release 3: selected moved by 3 since
--                                         release 1 (by 1 since release 2,
--                                         which withheld it): withheld again,
--                                         in_processing (7) with it
--
-- What a reader of all three can say of selected as of 2023-06-15: at least
-- the 10 release 1 showed (it never goes down), at most 20 (the row's
-- sum, in_processing >= 0); so the change since release 1 is 0 to 10 and
-- the one since release 2 (itself 10 to 20) is 0 to 10: safe.
SET client_min_messages = warning;
SET search_path = arrima_stats, public;

-- From nothing: no release, no data.  (Releases are kept for ever; a
-- superuser can go around the triggers that keep them, as here and at the
-- end.)
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE release, release_group, release_cell;
COMMIT;
SELECT setval('release_id_seq', 1, false);

INSERT INTO invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2023-01-02');
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

SELECT release_id, as_of, min_count, round_to, cadence, counts, withheld
  FROM published_release ORDER BY release_id;

-- what each release showed of the round (every table shows the same two
-- counts, one round in one year and category)
SELECT c.release_id, c.measure, c.value, c.withheld
  FROM release_cell c
 WHERE c.publication = 'round_dashboard' AND c.row_key = '1'
   AND c.measure IN ('invitations', 'in_processing', 'selected')
 ORDER BY c.release_id, c.measure;
SELECT release_id, count(*) FILTER (WHERE withheld) AS withheld,
       string_agg(DISTINCT measure, ', ' ORDER BY measure) FILTER (WHERE withheld) AS measures
  FROM release_cell GROUP BY release_id ORDER BY release_id;

-- the audit of each release: its withheld counts and the flows into it
SELECT release_id, since_release_id, status, measure, value, lower, upper, safe
  FROM disclosure_audit(2)
 WHERE publication = 'round_dashboard' AND row_key = '1';
SELECT release_id, since_release_id, status, measure, value, lower, upper, safe
  FROM disclosure_audit()
 WHERE publication = 'round_dashboard' AND row_key = '1';
SELECT count(*) AS items, count(*) FILTER (WHERE NOT safe) AS unsafe FROM disclosure_audit(1);

-- Shown, release 3's selected would pin its change since release 1 to
-- exactly 3: the audit of that (hand-made) publication says so.
SELECT a.release_id, a.since_release_id, a.measure, a.value, a.lower, a.upper, a.safe
  FROM disclosure_release_audit(
         ARRAY(SELECT r FROM release r),
         ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT c FROM release_cell c
                WHERE c.withheld AND NOT (c.release_id = 3 AND c.measure = 'selected')),
         3, true) a
 WHERE a.publication = 'round_dashboard' AND a.row_key = '1'
 ORDER BY a.since_release_id NULLS FIRST, a.measure;

-- A correction: invitation 13 (selected on 2023-06-12) is deleted.  As of
-- 2023-06-22 the round has 19 invitations and 12 selected: both went down
-- since release 3 (the relation "never goes down" is left out for them, it
-- no longer holds), and a change of 1 either way is protected like any
-- other: invitations are withheld now (releases 1 to 3 showed 20).
DELETE FROM invitation WHERE invitation_id = 13;
SELECT refresh_publications('2023-06-22');
SELECT c.measure, c.value, c.withheld
  FROM release_cell c
 WHERE c.release_id = 4 AND c.publication = 'round_dashboard' AND c.row_key = '1'
   AND c.value > 0
 ORDER BY c.measure;
SELECT since_release_id, measure, value, lower, upper, safe
  FROM disclosure_audit(4)
 WHERE status = 'flow' AND publication = 'round_dashboard' AND row_key = '1'
 ORDER BY measure, since_release_id;
SELECT count(*) AS items, count(*) FILTER (WHERE NOT safe) AS unsafe FROM disclosure_audit(4);

-- Releases are kept as they were.
UPDATE release SET min_count = 1 WHERE release_id = 1;
DELETE FROM release_cell WHERE release_id = 1;
TRUNCATE release_group;

-- Policy: a cadence.  Week: as of the last Sunday on or before as_of,
-- once; month: as of the last day of the last month, once.
UPDATE disclosure_policy SET cadence = 'week';
SELECT refresh_publications('2023-06-28');   -- a Wednesday: as of Sunday 2023-06-25
SELECT refresh_publications('2023-07-01');   -- the same week: nothing new
UPDATE disclosure_policy SET cadence = 'month';
SELECT refresh_publications('2023-07-20');   -- as of 2023-06-30
SELECT refresh_publications('2023-07-31');   -- a month's end: as of itself
UPDATE disclosure_policy SET cadence = 'fortnight';
UPDATE disclosure_policy SET cadence = NULL;
SELECT release_id, as_of, cadence FROM published_release WHERE release_id > 4 ORDER BY release_id;

-- min_count 1: no count is withheld for this release's sake, no flow is
-- small; but what earlier releases withheld and has not changed since stays
-- withheld (shown, it would give their withheld counts away), and so do the
-- new round's two counts: shown with the total row's 26 invitations, 7 of
-- them would give round 1's 19 away.  round_to 5: the total of 26 shows as
-- 25, in the history too.
INSERT INTO invitation_round (round_id, category, held_on) VALUES (2, 'OPMO', '2023-07-15');
INSERT INTO invitation (invitation_id, round_id, invited_on)
SELECT 100 + k, 2, '2023-07-15' FROM generate_series(1, 7) k;
UPDATE disclosure_policy SET cadence = DEFAULT, min_count = 1, round_to = 5;
SELECT refresh_publications('2023-08-01');
SELECT c.row_key, c.measure, c.value
  FROM release_cell c
 WHERE c.release_id = 8 AND c.withheld AND c.publication = 'round_dashboard'
 ORDER BY c.row_key, c.measure;
SELECT count(*) AS items, count(*) FILTER (WHERE NOT safe) AS unsafe FROM disclosure_audit(8);
SELECT p.publication, p.row_key, p.measure, c.value AS exact, p.value AS shown
  FROM published_count p
  JOIN release_cell c USING (release_id, publication, row_key, measure)
 WHERE p.release_id = 8 AND c.value > 0
 ORDER BY p.publication, p.row_key, p.measure;
UPDATE disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT;

-- The history of what was shown never holds a withheld value.
SELECT count(*) AS withheld_in_history
  FROM published_count p
  JOIN release_cell c USING (release_id, publication, row_key, measure)
 WHERE c.withheld;

-- The published views show the latest release; after a restore (here: the
-- working tables emptied), publish_latest_release() shows it again.
SELECT as_of FROM round_dashboard_published WHERE is_total;
DELETE FROM publication_cell;
SELECT publish_latest_release();
SELECT round_id, as_of, invitations, awaiting_response, selected
  FROM round_dashboard_published ORDER BY is_total, round_id;

-- Bad calls
SELECT refresh_publications(NULL);
SELECT * FROM disclosure_audit(99);
SELECT * FROM disclosure_release(ARRAY(SELECT r FROM release r), '{}', '{}', 99, '{}');
SELECT * FROM disclosure_release(ARRAY(SELECT r FROM release r),
                                 ARRAY(SELECT g FROM release_group g),
                                 ARRAY(SELECT c FROM release_cell c WHERE c.release_id = 2), 2, '{}');
-- A stored point is a hint, checked before it counts: one that breaks the
-- rows (20 of release 1's selected moved to in_processing: -10 selected)
-- proves nothing and is not kept; the gate proves every count safe with
-- points of its own.
SELECT count(*) > 0 AS proofs, count(*) FILTER (WHERE change = '{20,-20}') AS forged_kept
  FROM disclosure_release_gate(
         ARRAY(SELECT r FROM release r), ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT c FROM release_cell c WHERE c.withheld),
         ARRAY[ROW(1, '{1,1}', '{2023,2023}', '{3,9}', '{1,1}', '{20,-20}')::release_proof]);
SELECT count(*) FROM disclosure_release_gate(
         ARRAY(SELECT r FROM release r), ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT c FROM release_cell c WHERE c.withheld),
         ARRAY[ROW(1, '{1}', '{2023,2023}', '{3,9}', '{1,1}', '{20,-20}')::release_proof]);
-- The gate names what it cannot prove.  Had release 3 shown its selected
-- (13), release 2's would be at most 13 (it never goes down), so its
-- in_processing at least 7 of the 10: [7, 10], too narrow.
SELECT count(*) FROM disclosure_release_gate(
         ARRAY(SELECT r FROM release r), ARRAY(SELECT g FROM release_group g),
         ARRAY(SELECT c FROM release_cell c
                WHERE c.withheld AND NOT (c.release_id = 3 AND c.measure = 'selected')),
         '{}');

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
