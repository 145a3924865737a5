--
-- work_mem = 64kB: the roll-ups spill to disk (sorts on disk, a hash join
-- in batches) in the very queries they run, and still give the right
-- answers, checked against a reference that classifies each
-- invitation in plain SQL by the contract's rules and counts with
-- count(*) FILTER, computed with the default work_mem.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- 2,000 rounds over 2021-2023, in the nine shipped categories, with a
-- published figure for all but every seventh; 38,000 invitations, 19 per
-- round, of every kind of history (test/data/fixture_invitations.sql).
INSERT INTO invitation_round (round_id, category, held_on, invitations_published)
SELECT r, (SELECT code FROM category ORDER BY code OFFSET r % 9 LIMIT 1),
       '2021-01-01'::date + (r * 547) % 1000,
       CASE WHEN r % 7 <> 0 THEN 20 END
  FROM generate_series(1, 2000) r;
\set ECHO none
\i test/data/fixture_invitations.sql
\set ECHO all
SELECT count(*) AS invitations, count(DISTINCT round_id) AS rounds FROM invitation;

-- The reference (test/data/rollups_reference.sql) at three dates, and the
-- view rollups_vs_reference: per date, the rows of each roll-up not in the
-- reference and the difference in row counts, all zero when right.
CREATE TEMP TABLE as_of_dates AS
  SELECT d::date AS as_of FROM unnest('{2021-06-30,2022-03-15,2023-08-18}'::text[]) d;
\set ECHO none
\i test/data/rollups_reference.sql
\set ECHO all

-- the reference has something in every column, at every date
SELECT as_of, count(*) AS rounds, sum(invitations) AS invitations, sum(declined) AS declined,
       sum(expired) AS expired, sum(awaiting_response) AS awaiting, sum(in_processing) AS in_processing,
       sum(cancellation_pending) AS pending, sum(cancelled) AS cancelled, sum(rejected) AS rejected,
       sum(refused) AS refused, sum(withdrawn) AS withdrawn, sum(selected) AS selected
  FROM ref_rounds GROUP BY as_of ORDER BY as_of;

-- The queries the roll-ups run: each function's own body, inlined, with the
-- body of group_tallies, which sums the outcome calendar
-- (test/data/rollup_bodies.sql makes pg_temp.round_dashboard_body(date) ...).
\set ECHO none
\i test/data/rollup_bodies.sql
\set ECHO all
-- How a query spilled, from EXPLAIN ANALYZE: the nodes that went to disk
-- (a sort on disk, a hash join or a hash aggregation in batches).
CREATE FUNCTION pg_temp.spills(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF, COSTS OFF) ' || query INTO plan;
  RETURN (SELECT coalesce(string_agg(DISTINCT how, ', '), 'nothing')
            FROM jsonb_path_query(plan, 'strict $.**') n,
                 LATERAL (SELECT CASE
                   WHEN n ->> 'Sort Space Type' = 'Disk' THEN 'sort on disk'
                   WHEN n ->> 'Node Type' = 'Hash' AND (n ->> 'Hash Batches')::int > 1 THEN 'hash join in batches'
                   WHEN n ->> 'Node Type' = 'Aggregate' AND (n ->> 'HashAgg Batches')::int > 1
                     THEN 'hash aggregation in batches' END AS how) h
           WHERE jsonb_typeof(n) = 'object' AND how IS NOT NULL);
END
$$;
-- Whether running a query wrote temporary files (pg_stat_database of this
-- database: this session's statistics, flushed before they are read).
CREATE FUNCTION pg_temp.temp_files() RETURNS bigint
LANGUAGE sql AS $$ SELECT temp_files FROM pg_stat_database WHERE datname = current_database() $$;

-- 64kB; parallel query off so that one backend does the work.
SET work_mem = '64kB';
SET max_parallel_workers_per_gather = 0;

-- 1. The planner's own choices.
SELECT f AS rollup, pg_temp.spills(format('SELECT * FROM pg_temp.%I(%L)', f || '_body', '2023-08-18')) AS spilled
  FROM unnest('{round_dashboard,annual_summary,category_summary}'::text[]) f;
SELECT pg_temp.temp_files() AS temp_files_before \gset
SELECT count(*) FROM round_dashboard('2023-08-18');
SELECT count(*) FROM annual_summary('2023-08-18');
SELECT count(*) FROM category_summary('2023-08-18');
SELECT pg_stat_force_next_flush();
SELECT pg_temp.temp_files() - :temp_files_before >= 3 AS the_functions_wrote_temporary_files;
SELECT * FROM rollups_vs_reference ORDER BY as_of;

-- 2. Sorts and index scans penalized: round_dashboard joins its rounds by
-- hash, in batches.  (The calendar is still summed in the order of its
-- index: group_tallies gives its groups sorted, so no hash aggregation.)
SET enable_sort = off;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT f AS rollup, pg_temp.spills(format('SELECT * FROM pg_temp.%I(%L)', f || '_body', '2023-08-18')) AS spilled
  FROM unnest('{round_dashboard,annual_summary,category_summary}'::text[]) f;
SELECT * FROM rollups_vs_reference ORDER BY as_of;
RESET enable_sort;
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET max_parallel_workers_per_gather;
RESET work_mem;

TRUNCATE invitation, invitation_round;
