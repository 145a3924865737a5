/* arrima_stats--0.1.0--0.2.0.sql: ingestion, publication, speed */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION arrima_stats UPDATE TO '0.2.0'" to load this file. \quit

-- As in 0.1.0: every name schema-qualified, every function body with
-- search_path = pg_catalog, pg_temp, a COMMENT in French and English on
-- every object.

------------------------------------------------------------------------
-- Ingestion: staging, validation in C, quarantine
------------------------------------------------------------------------



------------------------------------------------------------------------
-- Publication: disclosure control, published views, refresh, reporting
------------------------------------------------------------------------



------------------------------------------------------------------------
-- Speed
------------------------------------------------------------------------


-- Tallies by an integer key in one aggregate: what GROUP BY key with the
-- tally aggregate gives, without the executor's grouping machinery per row
-- (see src/tally_agg.c).  round_dashboard uses it.

CREATE TYPE arrima_stats.keyed_tally AS (key integer, tally arrima_stats.tally);
COMMENT ON TYPE arrima_stats.keyed_tally IS
  'Décompte d''une valeur de clé / the tally of one value of a key (see tally_by)';

CREATE FUNCTION arrima_stats.tally_by_accum(
  internal, key integer, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS internal
AS 'MODULE_PATHNAME', 'tally_by_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_accum(internal, integer, date, date, date, date, date,
                                                arrima_stats.notice_ground, date, arrima_stats.decision, date) IS
  'Fonction de transition de tally_by / transition function of tally_by';

CREATE FUNCTION arrima_stats.tally_by_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'tally_by_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_combine(internal, internal) IS
  'Fonction de combinaison de tally_by / combine function of tally_by';

CREATE FUNCTION arrima_stats.tally_by_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'tally_by_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_serialize(internal) IS
  'Sérialisation de l''état de tally_by / serialization of the state of tally_by';

CREATE FUNCTION arrima_stats.tally_by_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'tally_by_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_deserialize(bytea, internal) IS
  'Désérialisation de l''état de tally_by / deserialization of the state of tally_by';

CREATE FUNCTION arrima_stats.tally_by_final(internal)
RETURNS arrima_stats.keyed_tally[]
AS 'MODULE_PATHNAME', 'tally_by_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_final(internal) IS
  'Fonction finale de tally_by / final function of tally_by';

CREATE AGGREGATE arrima_stats.tally_by(
  key integer, invited_on date, response_due_on date, declined_on date, application_on date,
  notice_on date, notice_ground arrima_stats.notice_ground, decided_on date,
  decision arrima_stats.decision, as_of date) (
  SFUNC = arrima_stats.tally_by_accum,
  STYPE = internal,
  FINALFUNC = arrima_stats.tally_by_final,
  COMBINEFUNC = arrima_stats.tally_by_combine,
  SERIALFUNC = arrima_stats.tally_by_serialize,
  DESERIALFUNC = arrima_stats.tally_by_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.tally_by(integer, date, date, date, date, date, arrima_stats.notice_ground,
                                           date, arrima_stats.decision, date) IS
  'Décompte des invitations à la date as_of pour chaque valeur de la clé, en ordre de clé (NULL en dernier) / '
  'tally of invitations as of a date for each value of the key, in key order (NULL last): '
  'unnest(tally_by(k, ...)) gives what SELECT k, tally(...) ... GROUP BY k gives';

-- The dashboard from one pass of tally_by over the invitations.  The same
-- answer as 0.1.0's; invitations after as_of count nothing in the aggregate
-- itself, so no filter is evaluated per row.  (SELECT as_of) makes as_of an
-- InitPlan's value, which the executor reads per row more cheaply than the
-- SQL function's parameter (3 % of the dashboard's instructions).
CREATE OR REPLACE FUNCTION arrima_stats.round_dashboard(as_of date DEFAULT CURRENT_DATE)
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

-- The annual summary from one pass of tally_by keyed by the day of
-- invitation (its number of days since 2000-01-01), then summed per year.
-- The same answer as 0.1.0's: days after as_of are left out, as its filter
-- left out their invitations.
CREATE OR REPLACE FUNCTION arrima_stats.annual_summary(as_of date DEFAULT CURRENT_DATE)
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
