------------------------------------------------------------------------
-- Roll-ups.  The functions read microdata: EXECUTE is not granted to
-- PUBLIC, nor SELECT on the views.
------------------------------------------------------------------------

-- The dashboard from one pass of tally_by over the invitations:
-- invitations after as_of count nothing in the aggregate itself, so no
-- filter is evaluated per row.  (SELECT as_of) makes as_of an
-- InitPlan's value, which the executor reads per row more cheaply than the
-- SQL function's parameter (3 % of the dashboard's instructions).
CREATE FUNCTION arrima_stats.round_dashboard(as_of date DEFAULT CURRENT_DATE)
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
COMMENT ON FUNCTION arrima_stats.round_dashboard(date) IS
  'Tableau de bord par exercice d''invitation à la date as_of, et total / dashboard per round as of a date, with a total row';

-- The annual summary from one pass of tally_by keyed by the day of
-- invitation (its number of days since 2000-01-01), then summed per year.
-- Days after as_of are left out (their invitations count nothing).
CREATE FUNCTION arrima_stats.annual_summary(as_of date DEFAULT CURRENT_DATE)
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
COMMENT ON FUNCTION arrima_stats.annual_summary(date) IS
  'Bilan par année d''invitation à la date as_of / summary per year of invitation as of a date';

CREATE FUNCTION arrima_stats.category_summary(as_of date DEFAULT CURRENT_DATE)
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
COMMENT ON FUNCTION arrima_stats.category_summary(date) IS
  'Bilan par année et catégorie, avec sous-totaux et total à la date as_of / '
  'summary per year and category of round as of a date, with subtotals and grand total';

REVOKE ALL ON FUNCTION arrima_stats.round_dashboard(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.annual_summary(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.category_summary(date) FROM PUBLIC;

CREATE VIEW arrima_stats.round_dashboard AS
  SELECT * FROM arrima_stats.round_dashboard(CURRENT_DATE);
COMMENT ON VIEW arrima_stats.round_dashboard IS
  'Tableau de bord par exercice à ce jour (données brutes) / dashboard per round as of today (raw, not for publication)';

CREATE VIEW arrima_stats.annual_summary AS
  SELECT * FROM arrima_stats.annual_summary(CURRENT_DATE);
COMMENT ON VIEW arrima_stats.annual_summary IS
  'Bilan par année à ce jour (données brutes) / summary per year as of today (raw, not for publication)';

CREATE VIEW arrima_stats.category_summary AS
  SELECT * FROM arrima_stats.category_summary(CURRENT_DATE);
COMMENT ON VIEW arrima_stats.category_summary IS
  'Bilan par année et catégorie à ce jour (données brutes) / summary per year and category as of today (raw, not for publication)';
