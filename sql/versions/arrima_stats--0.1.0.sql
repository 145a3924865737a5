/* arrima_stats--0.1.0.sql: reference data, microdata, classification, roll-ups */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION arrima_stats" to load this file. \quit

-- The schema is usable by all; what is in it is granted object by object.
GRANT USAGE ON SCHEMA arrima_stats TO PUBLIC;

-- Every name is schema-qualified and every function body runs with
-- search_path = pg_catalog, pg_temp, so objects a user creates elsewhere can
-- never stand in for the ones meant here.

------------------------------------------------------------------------
-- Enums
------------------------------------------------------------------------

CREATE TYPE arrima_stats.notice_ground AS ENUM ('cannot_support', 'did_not_support');
COMMENT ON TYPE arrima_stats.notice_ground IS
  'Motif de l''avis d''intention d''annulation / ground of a notice of intent to cancel: '
  'cannot_support (reason to believe the candidate cannot provide supporting documents), '
  'did_not_support (the candidate did not provide them)';

CREATE TYPE arrima_stats.decision AS ENUM ('rejected', 'refused', 'cancelled', 'withdrawn', 'selected');
COMMENT ON TYPE arrima_stats.decision IS
  'Décision finale / final outcome of an application';

CREATE TYPE arrima_stats.outcome AS ENUM (
  'awaiting_response', 'declined', 'expired', 'in_processing', 'cancellation_pending',
  'rejected', 'refused', 'cancelled', 'withdrawn', 'selected');
COMMENT ON TYPE arrima_stats.outcome IS
  'Situation d''une invitation à une date / what has become of an invitation as of a date';

------------------------------------------------------------------------
-- Reference data
------------------------------------------------------------------------

CREATE TABLE arrima_stats.category (
  code     text PRIMARY KEY CONSTRAINT category_code_not_blank CHECK (btrim(code) <> ''),
  label_fr text NOT NULL,
  label_en text NOT NULL
);
COMMENT ON TABLE arrima_stats.category IS
  'Catégories d''exercices d''invitation / categories of invitation rounds';

INSERT INTO arrima_stats.category (code, label_fr, label_en) VALUES
  ('OEV_ART26',
   'RE dans la BDI avec une OEV et personnes visées par l''article 26 du RIQ',
   'Foreign nationals in the pool with a validated job offer, and persons covered by RIQ section 26'),
  ('OEV',
   'RE dans la BDI avec une OEV',
   'Foreign nationals in the pool with a validated job offer'),
  ('OEV_HORS_CMM_ART26',
   'RE dans la BDI avec une OEV hors CMM et personnes visées par l''article 26 du RIQ',
   'Foreign nationals in the pool with a validated job offer outside the Montreal metropolitan community, and persons covered by RIQ section 26'),
  ('OEV_HORS_CMM_ART26_ART47',
   'RE dans la BDI avec une OEV hors CMM et personnes visées par l''article 26 du RIQ et 47 de la LIQ',
   'Foreign nationals in the pool with a validated job offer outside the Montreal metropolitan community, persons covered by RIQ section 26, and persons invited by exemption (LIQ section 47)'),
  ('OEV_HORS_CMM',
   'RE dans la BDI avec une OEV hors CMM',
   'Foreign nationals in the pool with a validated job offer outside the Montreal metropolitan community'),
  ('PAMO_TI',
   'PAMO-TI',
   'Government action plan against the labour shortage in information technology'),
  ('OPMO',
   'OPMO',
   'Labour shortage operation (Opération main-d''œuvre) occupations'),
  ('OPMO_OEV_HORS_CMM',
   'OPMO+ OEV hors CMM',
   'Labour shortage operation occupations, or a validated job offer outside the Montreal metropolitan community'),
  ('CLASSEMENT_GENERAL',
   'Classement général',
   'General ranking by score');

-- pg_dump keeps the rows users add; the shipped ones come with the extension.
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.category',
  $$WHERE code NOT IN ('OEV_ART26', 'OEV', 'OEV_HORS_CMM_ART26', 'OEV_HORS_CMM_ART26_ART47',
                       'OEV_HORS_CMM', 'PAMO_TI', 'OPMO', 'OPMO_OEV_HORS_CMM', 'CLASSEMENT_GENERAL')$$);

CREATE TABLE arrima_stats.invitation_round (
  round_id              integer PRIMARY KEY,
  category              text NOT NULL REFERENCES arrima_stats.category,
  held_on               date NOT NULL
    CONSTRAINT held_on_is_finite CHECK (pg_catalog.isfinite(held_on)),
  invitations_published integer
    CONSTRAINT invitations_published_not_negative CHECK (invitations_published >= 0),
  response_days         integer NOT NULL DEFAULT 60
    CONSTRAINT response_days_positive CHECK (response_days > 0)
);
COMMENT ON TABLE arrima_stats.invitation_round IS
  'Exercices d''invitation / invitation rounds, with the number of invitations the ministry published when known';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.invitation_round', '');

------------------------------------------------------------------------
-- Microdata: one row per invitation.  Personal information: no grant to
-- PUBLIC.  Each CHECK constraint is one rule of the contract, named after it.
------------------------------------------------------------------------

CREATE TABLE arrima_stats.invitation (
  invitation_id   bigint PRIMARY KEY,
  round_id        integer NOT NULL REFERENCES arrima_stats.invitation_round,
  invited_on      date NOT NULL,
  response_due_on date NOT NULL,
  declined_on     date,
  application_on  date,
  notice_on       date,
  notice_ground   arrima_stats.notice_ground,
  decided_on      date,
  decision        arrima_stats.decision,

  CONSTRAINT dates_are_finite CHECK (
    pg_catalog.isfinite(invited_on) AND pg_catalog.isfinite(response_due_on)
    AND pg_catalog.isfinite(declined_on) AND pg_catalog.isfinite(application_on)
    AND pg_catalog.isfinite(notice_on) AND pg_catalog.isfinite(decided_on)),
  CONSTRAINT response_due_on_not_before_invited_on CHECK (response_due_on >= invited_on),
  CONSTRAINT declined_on_not_before_invited_on CHECK (declined_on >= invited_on),
  CONSTRAINT application_on_not_before_invited_on CHECK (application_on >= invited_on),
  -- notice_on and decided_on come on or after application_on, so on or
  -- after invited_on too
  CONSTRAINT declined_and_applied_not_both
    CHECK (declined_on IS NULL OR application_on IS NULL),
  CONSTRAINT declined_on_not_after_response_due_on CHECK (declined_on <= response_due_on),
  CONSTRAINT application_on_not_after_response_due_on CHECK (application_on <= response_due_on),
  CONSTRAINT notice_on_and_notice_ground_together
    CHECK ((notice_on IS NULL) = (notice_ground IS NULL)),
  CONSTRAINT notice_needs_application CHECK (notice_on IS NULL OR application_on IS NOT NULL),
  CONSTRAINT notice_on_not_before_application_on CHECK (notice_on >= application_on),
  CONSTRAINT notice_on_not_after_decided_on CHECK (notice_on <= decided_on),
  CONSTRAINT decided_on_and_decision_together
    CHECK ((decided_on IS NULL) = (decision IS NULL)),
  CONSTRAINT decision_needs_application CHECK (decided_on IS NULL OR application_on IS NOT NULL),
  CONSTRAINT decided_on_not_before_application_on CHECK (decided_on >= application_on),
  CONSTRAINT cancelled_needs_notice CHECK (decision <> 'cancelled' OR notice_on IS NOT NULL)
);
COMMENT ON TABLE arrima_stats.invitation IS
  'Une ligne par invitation (renseignements personnels) / one row per invitation (personal information)';
CREATE INDEX invitation_round_id_idx ON arrima_stats.invitation (round_id);
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.invitation', '');
REVOKE ALL ON arrima_stats.invitation FROM PUBLIC;

-- response_due_on, when a row omits it, is the round's response window
-- counted from invited_on.
CREATE FUNCTION arrima_stats.fill_response_due_on() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.round_id IS NULL THEN
    RETURN NEW;                 -- the NOT NULL constraint will say so
  END IF;
  SELECT NEW.invited_on + r.response_days INTO NEW.response_due_on
    FROM arrima_stats.invitation_round r
   WHERE r.round_id = NEW.round_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'invitation round % does not exist', NEW.round_id
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = 'response_due_on is NULL and can only be filled from an existing round.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION arrima_stats.fill_response_due_on() IS
  'Trigger: fills invitation.response_due_on from the round''s response_days when it is NULL';

CREATE TRIGGER fill_response_due_on
  BEFORE INSERT OR UPDATE ON arrima_stats.invitation
  FOR EACH ROW WHEN (NEW.response_due_on IS NULL)
  EXECUTE FUNCTION arrima_stats.fill_response_due_on();

------------------------------------------------------------------------
-- Classification
------------------------------------------------------------------------

CREATE FUNCTION arrima_stats.classify(arrima_stats.invitation, as_of date DEFAULT CURRENT_DATE)
RETURNS arrima_stats.outcome
AS 'MODULE_PATHNAME', 'classify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.classify(arrima_stats.invitation, date) IS
  'Situation de l''invitation à la date as_of / the invitation''s outcome as of a date (NULL before invited_on)';

------------------------------------------------------------------------
-- The tally: every dashboard measure as 13 int8 counters
------------------------------------------------------------------------

CREATE TYPE arrima_stats.tally;

CREATE FUNCTION arrima_stats.tally_in(cstring) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_out(arrima_stats.tally) RETURNS cstring
AS 'MODULE_PATHNAME', 'tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_recv(internal) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_send(arrima_stats.tally) RETURNS bytea
AS 'MODULE_PATHNAME', 'tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE arrima_stats.tally (
  INPUT = arrima_stats.tally_in,
  OUTPUT = arrima_stats.tally_out,
  RECEIVE = arrima_stats.tally_recv,
  SEND = arrima_stats.tally_send,
  INTERNALLENGTH = 104,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE arrima_stats.tally IS
  'Décompte des invitations / counts of invitations: {invitations, the ten outcomes in enum order, '
  'notices cannot_support, notices did_not_support}';

CREATE FUNCTION arrima_stats.tally_add(arrima_stats.tally, arrima_stats.tally)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'tally_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_add(arrima_stats.tally, arrima_stats.tally) IS
  'Somme de deux décomptes / the sum of two tallies';

CREATE OPERATOR arrima_stats.+ (
  LEFTARG = arrima_stats.tally,
  RIGHTARG = arrima_stats.tally,
  FUNCTION = arrima_stats.tally_add,
  COMMUTATOR = OPERATOR(arrima_stats.+)
);

CREATE FUNCTION arrima_stats.tally_counts(
  arrima_stats.tally,
  OUT invitations bigint, OUT awaiting_response bigint, OUT declined bigint,
  OUT expired bigint, OUT in_processing bigint, OUT cancellation_pending bigint,
  OUT rejected bigint, OUT refused bigint, OUT cancelled bigint,
  OUT withdrawn bigint, OUT selected bigint,
  OUT notices_cannot_support bigint, OUT notices_did_not_support bigint)
AS 'MODULE_PATHNAME', 'tally_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_counts(arrima_stats.tally) IS
  'Les compteurs d''un décompte en colonnes / the counters of a tally as columns';

-- Counting invitations: over whole rows ...
CREATE FUNCTION arrima_stats.tally_accum_row(arrima_stats.tally, arrima_stats.invitation, date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'tally_accum_row' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE arrima_stats.tally(arrima_stats.invitation, as_of date) (
  SFUNC = arrima_stats.tally_accum_row,
  STYPE = arrima_stats.tally,
  COMBINEFUNC = arrima_stats.tally_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.tally(arrima_stats.invitation, date) IS
  'Décompte des invitations à la date as_of / tally of invitations as of a date';

-- ... and over the columns, which is cheaper: no row is formed per invitation.
CREATE FUNCTION arrima_stats.tally_accum(
  arrima_stats.tally, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'tally_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE arrima_stats.tally(
  invited_on date, response_due_on date, declined_on date, application_on date,
  notice_on date, notice_ground arrima_stats.notice_ground, decided_on date,
  decision arrima_stats.decision, as_of date) (
  SFUNC = arrima_stats.tally_accum,
  STYPE = arrima_stats.tally,
  COMBINEFUNC = arrima_stats.tally_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.tally(date, date, date, date, date, arrima_stats.notice_ground,
                                        date, arrima_stats.decision, date) IS
  'Décompte des invitations à la date as_of, colonne par colonne / tally of invitations as of a date, from their columns';

CREATE AGGREGATE arrima_stats.sum(arrima_stats.tally) (
  SFUNC = arrima_stats.tally_add,
  STYPE = arrima_stats.tally,
  COMBINEFUNC = arrima_stats.tally_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.sum(arrima_stats.tally) IS
  'Somme de décomptes / the sum of tallies';

------------------------------------------------------------------------
-- Roll-ups.  The functions read microdata: EXECUTE is not granted to
-- PUBLIC, nor SELECT on the views.
------------------------------------------------------------------------

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
      LEFT JOIN (SELECT i.round_id,
                        arrima_stats.tally(i.invited_on, i.response_due_on, i.declined_on,
                                           i.application_on, i.notice_on, i.notice_ground,
                                           i.decided_on, i.decision, as_of) AS tally
                   FROM arrima_stats.invitation i
                  WHERE i.invited_on <= as_of
                  GROUP BY i.round_id) t ON t.round_id = r.round_id
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
  -- tally per invitation date first (a few hundred dates), then per year
  WITH per_day AS (
    SELECT i.invited_on,
           arrima_stats.tally(i.invited_on, i.response_due_on, i.declined_on,
                              i.application_on, i.notice_on, i.notice_ground,
                              i.decided_on, i.decision, as_of) AS tally
      FROM arrima_stats.invitation i
     WHERE i.invited_on <= as_of
     GROUP BY i.invited_on
  ), per_year AS (
    SELECT extract(year FROM invited_on)::integer AS year, arrima_stats.sum(tally) AS tally
      FROM per_day
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
