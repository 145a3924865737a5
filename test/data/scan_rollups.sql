-- test/data/scan_rollups.sql: the roll-ups as versions 0.3.0 and 0.4.0
-- computed them, scanning the invitations at every call (tally_by and tally
-- over arrima_stats.invitation), in a schema of their own, arrima_scan, with
-- the same names, arguments and columns: round_dashboard(as_of),
-- annual_summary(as_of), category_summary(as_of).  Their bodies are those
-- of sql/versions/arrima_stats--0.3.0.sql and sql/versions/arrima_stats--0.4.0.sql (the same
-- in both).  And release_groups(as_of): the finest groups 0.4.0's
-- refresh_publications() made a release from (its INSERT INTO
-- release_group, scanning), which 0.5.0 takes from group_tallies().
--
-- What the calendar's roll-ups and releases are checked against
-- (test/cases/calendar_random.sh, test/cases/calendar_dump_upgrade.sh) and
-- timed against (test/manual/bench_calendar.sh).  In a database with the extension:
--
--   psql ... -f test/data/scan_rollups.sql

CREATE SCHEMA IF NOT EXISTS arrima_scan;
DROP FUNCTION IF EXISTS arrima_scan.round_dashboard(date), arrima_scan.annual_summary(date),
                        arrima_scan.category_summary(date), arrima_scan.release_groups(date);

CREATE FUNCTION arrima_scan.round_dashboard(as_of date DEFAULT CURRENT_DATE)
RETURNS TABLE (
  round_id integer, category text, held_on date,
  invitations bigint, declined bigint, expired bigint, rejected bigint, refused bigint,
  notices_cannot_support bigint, notices_did_not_support bigint,
  awaiting_response bigint, in_processing bigint, cancellation_pending bigint,
  cancelled bigint, withdrawn bigint, selected bigint,
  invitations_published integer, is_total boolean)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH by_round AS (
    SELECT arrima_stats.tally_by(i.round_id, i.invited_on, i.response_due_on, i.declined_on,
                                 i.application_on, i.notice_on, i.notice_ground,
                                 i.decided_on, i.decision, (SELECT as_of)) AS tallies
      FROM arrima_stats.invitation i
  ), per_round AS (
    SELECT r.round_id, r.category, r.held_on, r.invitations_published,
           coalesce(t.tally, '{0,0,0,0,0,0,0,0,0,0,0,0,0}') AS tally
      FROM arrima_stats.invitation_round r
      LEFT JOIN (SELECT k.key, k.tally FROM by_round b, unnest(b.tallies) k) t
        ON t.key = r.round_id
     WHERE r.held_on <= as_of
  ), with_total AS (
    SELECT round_id, category, held_on, invitations_published, tally, false AS is_total
      FROM per_round
    UNION ALL
    -- the total's published figure only when every round has one
    SELECT NULL, NULL, NULL,
           CASE WHEN count(*) = count(invitations_published)
                THEN sum(invitations_published)::integer END,
           arrima_stats.sum(tally), true
      FROM per_round
  )
  SELECT w.round_id, w.category, w.held_on,
         c.invitations, c.declined, c.expired, c.rejected, c.refused,
         c.notices_cannot_support, c.notices_did_not_support,
         c.awaiting_response, c.in_processing, c.cancellation_pending,
         c.cancelled, c.withdrawn, c.selected,
         w.invitations_published, w.is_total
    FROM with_total w
   CROSS JOIN LATERAL arrima_stats.tally_counts(w.tally) c
   ORDER BY w.is_total, w.held_on, w.round_id
$$;

CREATE FUNCTION arrima_scan.annual_summary(as_of date DEFAULT CURRENT_DATE)
RETURNS TABLE (
  year integer, invitations bigint, rejected bigint, refused bigint, notices bigint,
  declined bigint, expired bigint, awaiting_response bigint, in_processing bigint,
  cancellation_pending bigint, cancelled bigint, withdrawn bigint, selected bigint)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH by_day AS (
    SELECT arrima_stats.tally_by(i.invited_on - date '2000-01-01', i.invited_on,
                                 i.response_due_on, i.declined_on, i.application_on,
                                 i.notice_on, i.notice_ground, i.decided_on, i.decision,
                                 (SELECT as_of)) AS tallies
      FROM arrima_stats.invitation i
  ), per_day AS (
    SELECT date '2000-01-01' + k.key AS invited_on, k.tally
      FROM by_day b, unnest(b.tallies) k
  ), per_year AS (
    SELECT extract(year FROM invited_on)::integer AS year, arrima_stats.sum(tally) AS tally
      FROM per_day
     WHERE invited_on <= as_of
     GROUP BY 1
  )
  SELECT y.year, c.invitations, c.rejected, c.refused,
         c.notices_cannot_support + c.notices_did_not_support,
         c.declined, c.expired, c.awaiting_response, c.in_processing,
         c.cancellation_pending, c.cancelled, c.withdrawn, c.selected
    FROM per_year y
   CROSS JOIN LATERAL arrima_stats.tally_counts(y.tally) c
   ORDER BY y.year
$$;

CREATE FUNCTION arrima_scan.category_summary(as_of date DEFAULT CURRENT_DATE)
RETURNS TABLE (
  year integer, category text, invitations bigint, rejected bigint, refused bigint,
  notices bigint, declined bigint, expired bigint, awaiting_response bigint,
  in_processing bigint, cancellation_pending bigint, cancelled bigint, withdrawn bigint,
  selected bigint, notices_cannot_support bigint, notices_did_not_support bigint)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH per_round_day AS (
    SELECT i.round_id, i.invited_on,
           arrima_stats.tally(i.invited_on, i.response_due_on, i.declined_on,
                              i.application_on, i.notice_on, i.notice_ground,
                              i.decided_on, i.decision, as_of) AS tally
      FROM arrima_stats.invitation i
     WHERE i.invited_on <= as_of
     GROUP BY i.round_id, i.invited_on
  ), cell AS (
    SELECT extract(year FROM d.invited_on)::integer AS year, r.category,
           arrima_stats.sum(d.tally) AS tally
      FROM per_round_day d
      JOIN arrima_stats.invitation_round r ON r.round_id = d.round_id
     GROUP BY 1, 2
  ), rolled AS (
    -- (year, category) cells, year subtotals, category subtotals, grand total
    SELECT year, category, arrima_stats.sum(tally) AS tally
      FROM cell
     GROUP BY GROUPING SETS ((year, category), (year), (category), ())
  )
  SELECT g.year, g.category, c.invitations, c.rejected, c.refused,
         c.notices_cannot_support + c.notices_did_not_support,
         c.declined, c.expired, c.awaiting_response, c.in_processing,
         c.cancellation_pending, c.cancelled, c.withdrawn, c.selected,
         c.notices_cannot_support, c.notices_did_not_support
    FROM rolled g
   CROSS JOIN LATERAL arrima_stats.tally_counts(g.tally) c
   ORDER BY g.year NULLS LAST, g.category NULLS LAST
$$;

-- 0.4.0's refresh_publications(): the rows of release_group for a release
-- as of a date, but its id.  One row per round and year of invitation with
-- an invitation invited by the date, and a row of zeros, year NULL, for a
-- round held by the date without any.
CREATE FUNCTION arrima_scan.release_groups(release_as_of date)
RETURNS TABLE (
  round_id integer, year integer, category text, held_on date, in_dashboard boolean,
  invitations_published integer, tally arrima_stats.tally)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT r.round_id, extract(year FROM i.invited_on)::integer, r.category, r.held_on,
         r.held_on <= release_as_of, r.invitations_published,
         arrima_stats.tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                            i.notice_on, i.notice_ground, i.decided_on, i.decision, release_as_of)
    FROM arrima_stats.invitation_round r
    LEFT JOIN arrima_stats.invitation i
           ON i.round_id = r.round_id AND i.invited_on <= release_as_of
   WHERE r.held_on <= release_as_of OR i.invitation_id IS NOT NULL
   GROUP BY r.round_id, extract(year FROM i.invited_on)::integer
$$;
