------------------------------------------------------------------------
-- Roll-ups.  The functions read microdata: EXECUTE is not granted to
-- PUBLIC, nor SELECT on the views.
------------------------------------------------------------------------

-- The roll-ups are sums of group_tallies(as_of), the tally of each round
-- and year of invitation as of the date, itself summed from the outcome
-- calendar (calendar.sql): a few thousand small rows whatever the number
-- of invitations, for any as_of.
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
  WITH per_round AS (
    SELECT r.round_id, r.category, r.held_on, r.invitations_published,
           coalesce(t.tally, '{0,0,0,0,0,0,0,0,0,0,0,0,0}') AS tally
      FROM arrima_stats.invitation_round r
      LEFT JOIN (SELECT g.round_id, arrima_stats.sum(g.tally) AS tally
                   FROM arrima_stats.group_tallies(as_of) g
                  GROUP BY g.round_id) t
        ON t.round_id = r.round_id
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

CREATE FUNCTION arrima_stats.annual_summary(as_of date DEFAULT CURRENT_DATE)
RETURNS TABLE (
  year integer, invitations bigint, rejected bigint, refused bigint, notices bigint,
  declined bigint, expired bigint, awaiting_response bigint, in_processing bigint,
  cancellation_pending bigint, cancelled bigint, withdrawn bigint, selected bigint)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH per_year AS (
    SELECT g.year, arrima_stats.sum(g.tally) AS tally
      FROM arrima_stats.group_tallies(as_of) g
     GROUP BY g.year
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
  WITH cell AS (
    SELECT g.year, r.category, arrima_stats.sum(g.tally) AS tally
      FROM arrima_stats.group_tallies(as_of) g
      JOIN arrima_stats.invitation_round r ON r.round_id = g.round_id
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
