--
-- The reader schema, arrima_published: what each view shows, checked by
-- hand and against the release tables; every row says what it is; a
-- withheld count is NULL and flagged, and never reaches a reader's function.
--
-- Three rounds, as of 2023-08-18 (min_count 5):
--   101  OPMO                2022-03-10  40 invitations: 30 selected, 6 rejected,
--                                        2 refused, 2 declined
--   102  CLASSEMENT_GENERAL  2023-02-09  25 invitations: 20 expired, 3 in processing,
--                                        2 withdrawn
--   103  OPMO                2023-03-16  12 invitations, all selected; the ministry
--                                        published 12
-- The 2 refused and 2 declined of round 101 and the 3 and 2 of round 102
-- are small counts (1 to 4): withheld, with complements the audit chooses.
SET client_min_messages = warning;
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- no release yet: the views are there, empty
SELECT (SELECT count(*) FROM arrima_published.round_dashboard) AS rounds,
       (SELECT count(*) FROM arrima_published.annual_summary) AS years,
       (SELECT count(*) FROM arrima_published.category_summary) AS category_rows,
       (SELECT count(*) FROM arrima_published.release) AS releases,
       (SELECT count(*) FROM arrima_published.release_count) AS counts;

INSERT INTO invitation_round (round_id, category, held_on, invitations_published) VALUES
  (101, 'OPMO', '2022-03-10', NULL),
  (102, 'CLASSEMENT_GENERAL', '2023-02-09', NULL),
  (103, 'OPMO', '2023-03-16', 12);
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on, decided_on, decision)
SELECT k, 101, '2022-03-10',
       CASE WHEN k > 38 THEN date '2022-03-20' END,
       CASE WHEN k <= 38 THEN date '2022-04-01' END,
       CASE WHEN k <= 38 THEN date '2022-06-01' END,
       CASE WHEN k <= 30 THEN 'selected' WHEN k <= 36 THEN 'rejected' WHEN k <= 38 THEN 'refused' END::decision
  FROM generate_series(1, 40) k;
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT 1000 + k, 102, '2023-02-09',
       CASE WHEN k > 20 THEN date '2023-03-01' END,
       CASE WHEN k > 23 THEN date '2023-05-01' END,
       CASE WHEN k > 23 THEN 'withdrawn'::decision END
  FROM generate_series(1, 25) k;
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT 2000 + k, 103, '2023-03-16', '2023-04-01', '2023-06-01', 'selected'
  FROM generate_series(1, 12) k;

SELECT refresh_publications('2023-08-18');

-- Round 101 as release 1 keeps it (exact, and what is withheld: for the
-- extension's owner only) ...
SELECT measure, value, withheld FROM release_cell
 WHERE release_id = 1 AND publication = 'round_dashboard' AND round_id = 101 ORDER BY measure;
-- ... and as the long view shows it: a withheld count NULL, status withheld
SELECT row_kind, round_id, held_on, category, measure, value, status, measure_label_fr, measure_label_en
  FROM arrima_published.release_count
 WHERE release_id = 1 AND dashboard = 'round_dashboard' AND round_id = 101 ORDER BY measure;

-- The round dashboard, every row: a row_kind for each, the total's keys
-- NULL because it is the total; the ministry's figure of round 103 beside
-- its shown invitations, not_published for the others and the total.
SELECT row_kind, round_id, category, category_label_en, held_on, invitations, declined, expired,
       rejected, refused, notices_cannot_support, notices_did_not_support, awaiting_response,
       in_processing, cancellation_pending, cancelled, withdrawn, selected,
       invitations_published, invitations_published_status
  FROM arrima_published.round_dashboard;
SELECT row_kind, year, invitations, rejected, refused, notices, declined, expired, in_processing,
       withdrawn, selected
  FROM arrima_published.annual_summary;
SELECT row_kind, year, category, invitations, rejected, refused, notices, declined, expired,
       in_processing, withdrawn, selected
  FROM arrima_published.category_summary;

-- Every count of every release against the release tables: the value
-- shown, rounded by the release's policy, or NULL and withheld.
CREATE TEMP VIEW reader_check AS
  SELECT count(*) AS counts,
         count(*) FILTER (WHERE p.status = 'withheld') AS withheld,
         count(*) FILTER (WHERE p.value IS DISTINCT FROM
                                CASE WHEN NOT c.withheld THEN round_count(c.value, r.round_to) END
                             OR p.status <> CASE WHEN c.withheld THEN 'withheld' ELSE 'shown' END
                             OR p.as_of <> r.as_of
                             OR p.measure_label_fr IS NULL OR p.measure_label_en IS NULL) AS wrong,
         (SELECT count(*) FROM release_cell) AS release_cells
    FROM arrima_published.release_count p
    JOIN release_cell c
      ON c.release_id = p.release_id AND c.publication = p.dashboard AND c.measure = p.measure
     AND c.round_id IS NOT DISTINCT FROM p.round_id AND c.year IS NOT DISTINCT FROM p.year
     AND (c.publication = 'round_dashboard' OR c.category IS NOT DISTINCT FROM p.category)
    JOIN release r ON r.release_id = c.release_id;
SELECT * FROM reader_check;

-- What each row is: a row_kind, and keys that agree with it.
SELECT dashboard, row_kind,
       count(DISTINCT (round_id, year, category)) AS rows,
       bool_and(round_id IS NOT NULL) AS round_id, bool_and(held_on IS NOT NULL) AS held_on,
       bool_and(year IS NOT NULL) AS year, bool_and(category IS NOT NULL) AS category,
       bool_or(round_id IS NOT NULL OR year IS NOT NULL OR category IS NOT NULL) AS any_key
  FROM arrima_published.release_count
 GROUP BY dashboard, row_kind ORDER BY dashboard, row_kind;

-- The dashboards show the release the published materialized views show,
-- row for row (the long view pivoted, the same NULLs).
SELECT (SELECT count(*) FROM (
          SELECT round_id, category, held_on, invitations, declined, expired, rejected, refused,
                 notices_cannot_support, notices_did_not_support, awaiting_response, in_processing,
                 cancellation_pending, cancelled, withdrawn, selected, invitations_published,
                 row_kind = 'total', as_of FROM arrima_published.round_dashboard
          EXCEPT ALL
          SELECT round_id, category, held_on, invitations, declined, expired, rejected, refused,
                 notices_cannot_support, notices_did_not_support, awaiting_response, in_processing,
                 cancellation_pending, cancelled, withdrawn, selected, invitations_published,
                 is_total, as_of FROM round_dashboard_published) d) AS round_differences,
       (SELECT count(*) FROM (
          SELECT year, invitations, rejected, refused, notices, declined, expired, awaiting_response,
                 in_processing, cancellation_pending, cancelled, withdrawn, selected, as_of
            FROM arrima_published.annual_summary
          EXCEPT ALL
          SELECT year, invitations, rejected, refused, notices, declined, expired, awaiting_response,
                 in_processing, cancellation_pending, cancelled, withdrawn, selected, as_of
            FROM annual_summary_published) d) AS year_differences,
       (SELECT count(*) FROM (
          SELECT year, category, invitations, rejected, refused, notices, declined, expired,
                 awaiting_response, in_processing, cancellation_pending, cancelled, withdrawn,
                 selected, notices_cannot_support, notices_did_not_support, as_of
            FROM arrima_published.category_summary
          EXCEPT ALL
          SELECT year, category, invitations, rejected, refused, notices, declined, expired,
                 awaiting_response, in_processing, cancellation_pending, cancelled, withdrawn,
                 selected, notices_cannot_support, notices_did_not_support, as_of
            FROM category_summary_published) d) AS category_differences,
       (SELECT count(*) FROM arrima_published.round_dashboard) AS rounds,
       (SELECT count(*) FROM round_dashboard_published) AS published_rounds;

-- One type per column whatever a release withheld: every count is bigint.
SELECT c.relname, string_agg(DISTINCT format_type(a.atttypid, a.atttypmod), ', ') AS count_types,
       count(*) AS count_columns
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'arrima_published'::regnamespace AND a.attnum > 0
   AND (a.attname IN (SELECT measure FROM measure) OR a.attname IN ('invitations_published', 'value'))
 GROUP BY c.relname ORDER BY c.relname;

-- A second release, as of 2023-09-01, rounded to 5: the dashboards show it,
-- the history and the long view have both.
UPDATE disclosure_policy SET round_to = 5;
SELECT refresh_publications('2023-09-01');
SELECT release_id, as_of, min_count, round_to, counts_shown, counts_withheld, is_latest,
       counts_shown + counts_withheld = (SELECT count(*) FROM release_cell c
                                          WHERE c.release_id = p.release_id) AS every_count
  FROM arrima_published.release p;
SELECT DISTINCT release_id, as_of FROM arrima_published.round_dashboard;
SELECT row_kind, round_id, invitations, declined, expired, rejected, refused, withdrawn, selected,
       invitations_published, invitations_published_status
  FROM arrima_published.round_dashboard;
SELECT * FROM reader_check;
SELECT release_id, status, count(*) FROM arrima_published.release_count GROUP BY 1, 2 ORDER BY 1, 2;

-- ------------------------------------------------------------------------
-- A reporting role's own function in a WHERE clause sees no withheld value.
-- Its function is as leaky as can be (it writes down every row it is
-- given) and as cheap (so the planner would run it first if it could).
-- ------------------------------------------------------------------------
CREATE ROLE regress_arrima_leaker;
SELECT grant_reporting('regress_arrima_leaker');
SET ROLE regress_arrima_leaker;
CREATE TEMP TABLE seen (release_id integer, dashboard text, round_id integer, year integer,
                        category text, measure text, value bigint);
CREATE FUNCTION pg_temp.leak(release_id integer, dashboard text, round_id integer, year integer,
                             category text, measure text, value bigint)
RETURNS boolean LANGUAGE plpgsql COST 0.0000001
AS $$
BEGIN
  INSERT INTO pg_temp.seen VALUES (release_id, dashboard, round_id, year, category, measure, value);
  RETURN true;
END
$$;
CREATE FUNCTION pg_temp.shout(value bigint) RETURNS boolean LANGUAGE plpgsql COST 0.0000001
AS $$
BEGIN
  RAISE NOTICE 'saw %', coalesce(value::text, 'NULL');
  RETURN true;
END
$$;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
-- every count of the long view, every release
SELECT count(*) FROM arrima_published.release_count p
 WHERE pg_temp.leak(p.release_id, p.dashboard, p.round_id, p.year, p.category, p.measure, p.value);
-- the dashboards, a count each
SELECT count(*) FROM arrima_published.round_dashboard d
 WHERE pg_temp.leak(d.release_id, 'round_dashboard', d.round_id, NULL, d.category, 'refused', d.refused);
SELECT count(*) FROM arrima_published.annual_summary d
 WHERE pg_temp.leak(d.release_id, 'annual_summary', NULL, d.year, NULL, 'in_processing', d.in_processing);
SELECT count(*) FROM arrima_published.category_summary d
 WHERE pg_temp.leak(d.release_id, 'category_summary', NULL, d.year, d.category, 'declined', d.declined);
-- 0.4.0's history of shown counts
SELECT count(*) FROM arrima_stats.published_count p
 WHERE pg_temp.leak(p.release_id, p.publication, p.round_id, p.year, p.category, p.measure, p.value);
-- what a NOTICE on every value shows of round 101 in release 1: the shown
-- values above, and NULL for the withheld
SET client_min_messages = notice;
SELECT count(*) FROM arrima_published.release_count p
 WHERE p.release_id = 1 AND p.dashboard = 'round_dashboard' AND p.round_id = 101
   AND p.measure IN ('declined', 'refused', 'rejected', 'selected') AND pg_temp.shout(p.value);
SET client_min_messages = warning;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET ROLE;
-- what the function saw, against the release tables (as their owner):
-- withheld counts only as NULL
SELECT count(*) AS seen,
       count(*) FILTER (WHERE c.withheld) AS withheld_rows,
       count(*) FILTER (WHERE c.withheld AND s.value IS NOT NULL) AS withheld_values,
       count(*) FILTER (WHERE c.release_id IS NULL) AS unknown
  FROM seen s
  LEFT JOIN release_cell c
    ON c.release_id = s.release_id AND c.publication = s.dashboard AND c.measure = s.measure
   AND c.round_id IS NOT DISTINCT FROM s.round_id AND c.year IS NOT DISTINCT FROM s.year
   AND (c.publication = 'round_dashboard' OR c.category IS NOT DISTINCT FROM s.category);

-- The masking inside the long view holds alone: with its barrier taken
-- away (by a superuser, in a transaction rolled back), the planner is free
-- to run the function in the scan of release_cell itself, and still the
-- function is given the view's value, NULL for a withheld count.
TRUNCATE seen;
BEGIN;
ALTER VIEW arrima_published.release_count RESET (security_barrier);
SET LOCAL ROLE regress_arrima_leaker;
SET LOCAL enable_hashjoin = off;
SET LOCAL enable_mergejoin = off;
SELECT count(*) FROM arrima_published.release_count p
 WHERE pg_temp.leak(p.release_id, p.dashboard, p.round_id, p.year, p.category, p.measure, p.value);
RESET ROLE;
SELECT count(*) AS seen,
       count(*) FILTER (WHERE c.withheld) AS withheld_rows,
       count(*) FILTER (WHERE c.withheld AND s.value IS NOT NULL) AS withheld_values
  FROM seen s
  JOIN release_cell c
    ON c.release_id = s.release_id AND c.publication = s.dashboard AND c.measure = s.measure
   AND c.round_id IS NOT DISTINCT FROM s.round_id AND c.year IS NOT DISTINCT FROM s.year
   AND (c.publication = 'round_dashboard' OR c.category IS NOT DISTINCT FROM s.category);
ROLLBACK;
SELECT reloptions FROM pg_class WHERE relnamespace = 'arrima_published'::regnamespace ORDER BY relname;

DROP TABLE seen;
DROP FUNCTION pg_temp.leak(integer, text, integer, integer, text, text, bigint), pg_temp.shout(bigint);
SELECT revoke_reporting('regress_arrima_leaker');
DROP ROLE regress_arrima_leaker;

-- Leave things as found.
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE release, release_group, release_cell;
COMMIT;
SELECT setval('release_id_seq', 1, false);
UPDATE disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT, cadence = DEFAULT;
TRUNCATE invitation, invitation_round, publication_state, publication_group, publication_cell;
REFRESH MATERIALIZED VIEW round_dashboard_published WITH NO DATA;
REFRESH MATERIALIZED VIEW annual_summary_published WITH NO DATA;
REFRESH MATERIALIZED VIEW category_summary_published WITH NO DATA;
