/* arrima_stats--0.2.0.sql: the install script of version 0.2.0, built by make from sql/install/ */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION arrima_stats" to load this file. \quit

------------------------------------------------------------------------
-- The schema: usable by all; what is in it is granted object by object
------------------------------------------------------------------------

GRANT USAGE ON SCHEMA arrima_stats TO PUBLIC;

-- Every name is schema-qualified and every function body runs with
-- search_path = pg_catalog, pg_temp, so objects a user creates elsewhere can
-- never stand in for the ones meant here.

------------------------------------------------------------------------
-- Enums: the outcome model (src/outcome.h mirrors them, in the same order)
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
-- Reference data: categories and invitation rounds
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

-- The shipped categories are read-only: pg_dump leaves them out (above),
-- since CREATE EXTENSION makes them again on restore, so a change to one
-- of them (a label) would be silently lost by a dump and restore, and a
-- deleted one would come back.  They are refused, with a hint; a user adds a
-- category of their own instead.  An upgrade script that must change a
-- shipped row disables the trigger around it.
CREATE FUNCTION arrima_stats.category_protect_shipped() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- the codes 0.1.0 ships, as in its pg_extension_config_dump filter
  IF TG_OP = 'TRUNCATE'
     OR OLD.code = ANY ('{OEV_ART26,OEV,OEV_HORS_CMM_ART26,OEV_HORS_CMM_ART26_ART47,OEV_HORS_CMM,'
                        'PAMO_TI,OPMO,OPMO_OEV_HORS_CMM,CLASSEMENT_GENERAL}'::text[]) THEN
    RAISE EXCEPTION 'the categories shipped with arrima_stats cannot be changed or deleted'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = CASE WHEN TG_OP = 'TRUNCATE' THEN 'TRUNCATE would delete them.'
                          ELSE format('Category %s is one of them.', OLD.code) END,
            HINT = 'pg_dump does not save them (CREATE EXTENSION makes them again), so a change '
                   'would be lost by a dump and restore.  Add a category of your own instead.';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION arrima_stats.category_protect_shipped() IS
  'Déclencheur : refuse de modifier ou supprimer les catégories livrées avec l''extension / '
  'trigger: refuses to change or delete the categories shipped with the extension';

CREATE TRIGGER category_protect_shipped
  BEFORE UPDATE OR DELETE ON arrima_stats.category
  FOR EACH ROW EXECUTE FUNCTION arrima_stats.category_protect_shipped();
CREATE TRIGGER category_protect_shipped_truncate
  BEFORE TRUNCATE ON arrima_stats.category
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.category_protect_shipped();

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

COMMENT ON COLUMN arrima_stats.category.code IS
  'Code de la catégorie / category code';
COMMENT ON COLUMN arrima_stats.category.label_fr IS
  'Libellé français (tel que publié par le ministère) / French label, as the ministry publishes it';
COMMENT ON COLUMN arrima_stats.category.label_en IS
  'Libellé anglais / English label';
COMMENT ON COLUMN arrima_stats.invitation_round.round_id IS
  'Numéro de l''exercice d''invitation / invitation round number';
COMMENT ON COLUMN arrima_stats.invitation_round.category IS
  'Catégorie de profils invités / category of the profiles invited';
COMMENT ON COLUMN arrima_stats.invitation_round.held_on IS
  'Date de l''exercice / date of the round';
COMMENT ON COLUMN arrima_stats.invitation_round.invitations_published IS
  'Nombre d''invitations publié par le ministère, s''il est connu / number of invitations the ministry published for the round, when known';
COMMENT ON COLUMN arrima_stats.invitation_round.response_days IS
  'Délai de réponse en jours (60 à ce jour) / response window in days (60 in every round so far)';

------------------------------------------------------------------------
-- Microdata: one row per invitation.  Personal information: no grant to
-- PUBLIC.  Each CHECK constraint is one rule of the table, named after it.
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
  'Déclencheur : remplit invitation.response_due_on à partir du délai de l''exercice quand il est NULL / '
  'trigger: fills invitation.response_due_on from the round''s response_days when it is NULL';

CREATE TRIGGER fill_response_due_on
  BEFORE INSERT OR UPDATE ON arrima_stats.invitation
  FOR EACH ROW WHEN (NEW.response_due_on IS NULL)
  EXECUTE FUNCTION arrima_stats.fill_response_due_on();

COMMENT ON COLUMN arrima_stats.invitation.invitation_id IS
  'Identifiant de l''invitation / invitation identifier';
COMMENT ON COLUMN arrima_stats.invitation.round_id IS
  'Exercice d''invitation / invitation round';
COMMENT ON COLUMN arrima_stats.invitation.invited_on IS
  'Date de l''invitation / date of the invitation';
COMMENT ON COLUMN arrima_stats.invitation.response_due_on IS
  'Dernier jour pour déposer la demande (par défaut : invitation + délai de l''exercice) / '
  'last day to file the application (default: invited_on + the round''s response_days)';
COMMENT ON COLUMN arrima_stats.invitation.declined_on IS
  'Date où le candidat a décliné l''invitation / date the candidate declined the invitation';
COMMENT ON COLUMN arrima_stats.invitation.application_on IS
  'Date de réception de la demande de sélection permanente / date the permanent selection application was received';
COMMENT ON COLUMN arrima_stats.invitation.notice_on IS
  'Date de l''avis d''intention d''annulation / date of the notice of intent to cancel';
COMMENT ON COLUMN arrima_stats.invitation.notice_ground IS
  'Motif de l''avis / ground of the notice';
COMMENT ON COLUMN arrima_stats.invitation.decided_on IS
  'Date de la décision finale / date of the final outcome';
COMMENT ON COLUMN arrima_stats.invitation.decision IS
  'Décision finale / final outcome';

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
-- The tally: every dashboard measure as 13 int8 counters, and the
-- aggregates that count invitations into tallies (src/tally.c, src/tally_agg.c)
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
COMMENT ON FUNCTION arrima_stats.tally_in(cstring) IS
  'Entrée texte du type tally / text input of the tally type';
COMMENT ON FUNCTION arrima_stats.tally_out(arrima_stats.tally) IS
  'Sortie texte du type tally / text output of the tally type';
COMMENT ON FUNCTION arrima_stats.tally_recv(internal) IS
  'Entrée binaire du type tally / binary input of the tally type';
COMMENT ON FUNCTION arrima_stats.tally_send(arrima_stats.tally) IS
  'Sortie binaire du type tally / binary output of the tally type';

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
COMMENT ON FUNCTION arrima_stats.tally_accum_row(arrima_stats.tally, arrima_stats.invitation, date) IS
  'Transition de l''agrégat tally(invitation, date) / transition function of the aggregate tally(invitation, date)';

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
COMMENT ON FUNCTION arrima_stats.tally_accum(arrima_stats.tally, date, date, date, date, date,
                                             arrima_stats.notice_ground, date, arrima_stats.decision, date) IS
  'Transition de l''agrégat tally sur les colonnes / transition function of the aggregate tally over the columns';

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

-- Tallies by an integer key in one aggregate: what GROUP BY key with the
-- tally aggregate gives, without the executor's grouping machinery per row
-- (see src/tally_agg.c).  round_dashboard and annual_summary use it.

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

------------------------------------------------------------------------
-- Ingestion: staging, validation in C, quarantine
------------------------------------------------------------------------

-- An analyst loads a CSV export into the staging table, where every column
-- is text so that no value can make COPY fail, then calls ingest(): each
-- staged row goes into invitation, or into invitation_reject with the
-- reason it was refused.  Nothing staged is lost or silently changed.

CREATE TABLE arrima_stats.invitation_staging (
  invitation_id   text,
  round_id        text,
  invited_on      text,
  response_due_on text,
  declined_on     text,
  application_on  text,
  notice_on       text,
  notice_ground   text,
  decided_on      text,
  decision        text
);
COMMENT ON TABLE arrima_stats.invitation_staging IS
  'Invitations à charger, telles que lues d''un fichier : chaque colonne d''invitation, en texte ; '
  'ingest() les vide / invitations to load as read from a file: every column of invitation, as text; '
  'ingest() empties it';
COMMENT ON COLUMN arrima_stats.invitation_staging.invitation_id IS
  'Entier, requis / integer, required';
COMMENT ON COLUMN arrima_stats.invitation_staging.round_id IS
  'Entier, un exercice d''invitation_round, requis / integer, a round of invitation_round, required';
COMMENT ON COLUMN arrima_stats.invitation_staging.invited_on IS
  'Date AAAA-MM-JJ, requise / date YYYY-MM-DD, required';
COMMENT ON COLUMN arrima_stats.invitation_staging.response_due_on IS
  'Date AAAA-MM-JJ ; vide : invited_on plus le délai de l''exercice / date YYYY-MM-DD; empty: '
  'invited_on plus the round''s response_days';
COMMENT ON COLUMN arrima_stats.invitation_staging.declined_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.application_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.notice_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.notice_ground IS
  'cannot_support, did_not_support ou vide / or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.decided_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.decision IS
  'rejected, refused, cancelled, withdrawn, selected ou vide / or empty';
REVOKE ALL ON arrima_stats.invitation_staging FROM PUBLIC;

CREATE SEQUENCE arrima_stats.ingest_batch;
COMMENT ON SEQUENCE arrima_stats.ingest_batch IS
  'Numéros des appels à ingest() / numbers of the calls to ingest()';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.ingest_batch', '');
REVOKE ALL ON SEQUENCE arrima_stats.ingest_batch FROM PUBLIC;

CREATE TABLE arrima_stats.invitation_reject (
  LIKE arrima_stats.invitation_staging INCLUDING COMMENTS,
  reason          text NOT NULL,
  rejected_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  batch_id        bigint NOT NULL
);
COMMENT ON TABLE arrima_stats.invitation_reject IS
  'Lignes refusées par ingest(), valeurs brutes telles que chargées, avec la raison '
  '(renseignements personnels) / rows ingest() refused, raw values as staged, with the reason '
  '(personal information)';
COMMENT ON COLUMN arrima_stats.invitation_reject.reason IS
  'Pourquoi la ligne est refusée : la colonne, la valeur et la règle / why the row was refused: '
  'the column, the value and the rule';
COMMENT ON COLUMN arrima_stats.invitation_reject.rejected_at IS
  'Moment de l''appel à ingest() / when ingest() was called';
COMMENT ON COLUMN arrima_stats.invitation_reject.batch_id IS
  'L''appel à ingest() qui l''a refusée (ingest_batch) / the call to ingest() that refused it '
  '(ingest_batch)';
CREATE INDEX invitation_reject_batch_id_idx ON arrima_stats.invitation_reject (batch_id);
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.invitation_reject', '');
REVOKE ALL ON arrima_stats.invitation_reject FROM PUBLIC;

-- The validator, in C: one staged row, the response window of its round
-- (NULL when its round_id names no round) ...
CREATE FUNCTION arrima_stats.invitation_fault(
  staged arrima_stats.invitation_staging, response_days integer)
RETURNS text
AS 'MODULE_PATHNAME', 'invitation_fault'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.invitation_fault(arrima_stats.invitation_staging, integer) IS
  'Pourquoi une ligne chargée serait refusée, NULL si elle est valide ; response_days est le délai '
  'de réponse de son exercice, NULL s''il n''existe pas / why a staged row would be refused, NULL '
  'if it is valid; response_days is the response window of its round, NULL when there is no such round';

-- ... the same, with the invitation the row makes ...
CREATE FUNCTION arrima_stats.parse_staged(
  staged arrima_stats.invitation_staging, response_days integer,
  OUT invitation_id bigint, OUT round_id integer, OUT invited_on date,
  OUT response_due_on date, OUT declined_on date, OUT application_on date,
  OUT notice_on date, OUT notice_ground arrima_stats.notice_ground,
  OUT decided_on date, OUT decision arrima_stats.decision, OUT fault text)
RETURNS record
AS 'MODULE_PATHNAME', 'parse_staged'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.parse_staged(arrima_stats.invitation_staging, integer) IS
  'Une ligne chargée lue comme l''invitation qu''elle donne (response_due_on complétée), et sa '
  'faute (invitation_fault) / a staged row read as the invitation it makes (response_due_on '
  'filled), and its fault (invitation_fault)';

-- ... and the round a staged round_id names, read the same way.
CREATE FUNCTION arrima_stats.staged_round_id(text)
RETURNS integer
AS 'MODULE_PATHNAME', 'staged_round_id'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.staged_round_id(text) IS
  'Le round_id qu''une valeur chargée désigne, lu comme le lit le validateur, NULL si ce n''est pas '
  'un entier / the round_id a staged value names, read as the validator reads it, NULL when it is '
  'not an integer';

-- One set-based statement: no subtransaction per row, and no bad value can
-- make it fail.  The staged rows are taken with DELETE ... RETURNING, so a
-- concurrent call waits for this one's row locks and then finds the rows
-- gone: no row is loaded twice, none is lost.  response_due_on is filled
-- here (by the validator) so that the table's per-row trigger does not fire.
CREATE FUNCTION arrima_stats.ingest(
  OUT inserted bigint, OUT updated bigint, OUT rejected bigint, OUT batch_id bigint)
RETURNS record
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  batch bigint := nextval('arrima_stats.ingest_batch');
BEGIN
  WITH taken AS (
    DELETE FROM arrima_stats.invitation_staging s RETURNING s
  ), parsed AS (
    -- v: the invitation the row makes, and its fault (called in the select
    -- list, which is cheaper than a function scan per row)
    SELECT t.s AS staged, arrima_stats.parse_staged(t.s, r.response_days) AS v
      FROM taken t
      LEFT JOIN arrima_stats.invitation_round r
             ON r.round_id = arrima_stats.staged_round_id((t.s).round_id)
  ), repeated AS (
    -- an invitation_id staged more than once (whether or not each row is
    -- valid): which row is right cannot be told, so none is loaded
    SELECT (p.v).invitation_id, count(*) AS copies
      FROM parsed p
     WHERE (p.v).invitation_id IS NOT NULL
     GROUP BY (p.v).invitation_id
    HAVING count(*) > 1
  ), loaded AS (
    INSERT INTO arrima_stats.invitation AS i
      (invitation_id, round_id, invited_on, response_due_on, declined_on, application_on,
       notice_on, notice_ground, decided_on, decision)
    SELECT (p.v).invitation_id, (p.v).round_id, (p.v).invited_on, (p.v).response_due_on,
           (p.v).declined_on, (p.v).application_on, (p.v).notice_on, (p.v).notice_ground,
           (p.v).decided_on, (p.v).decision
      FROM parsed p
     WHERE (p.v).fault IS NULL
       AND NOT EXISTS (SELECT FROM repeated d WHERE d.invitation_id = (p.v).invitation_id)
    ON CONFLICT (invitation_id) DO UPDATE
       SET round_id = excluded.round_id, invited_on = excluded.invited_on,
           response_due_on = excluded.response_due_on, declined_on = excluded.declined_on,
           application_on = excluded.application_on, notice_on = excluded.notice_on,
           notice_ground = excluded.notice_ground, decided_on = excluded.decided_on,
           decision = excluded.decision
    -- a row this statement inserted has no xmax; the new version of a row
    -- it updated carries the lock ON CONFLICT took on the old one
    RETURNING i.xmax = 0 AS is_new
  ), quarantined AS (
    INSERT INTO arrima_stats.invitation_reject
      (invitation_id, round_id, invited_on, response_due_on, declined_on, application_on,
       notice_on, notice_ground, decided_on, decision, reason, rejected_at, batch_id)
    SELECT (p.staged).invitation_id, (p.staged).round_id, (p.staged).invited_on,
           (p.staged).response_due_on, (p.staged).declined_on, (p.staged).application_on,
           (p.staged).notice_on, (p.staged).notice_ground, (p.staged).decided_on,
           (p.staged).decision,
           coalesce((p.v).fault, format('invitation_id %s appears %s times in this batch',
                                        d.invitation_id, d.copies)),
           now(), batch
      FROM parsed p
      LEFT JOIN repeated d ON d.invitation_id = (p.v).invitation_id
     WHERE (p.v).fault IS NOT NULL OR d.invitation_id IS NOT NULL
    RETURNING 1
  )
  SELECT count(*) FILTER (WHERE l.is_new), count(*) FILTER (WHERE NOT l.is_new),
         (SELECT count(*) FROM quarantined)
    INTO inserted, updated, rejected
    FROM loaded l;
  batch_id := batch;
END
$$;
COMMENT ON FUNCTION arrima_stats.ingest() IS
  'Charge les lignes d''invitation_staging : les valides dans invitation (ajout ou mise à jour par '
  'invitation_id), les autres dans invitation_reject avec la raison ; renvoie les nombres et le lot / '
  'loads the rows of invitation_staging: valid ones into invitation (insert or update by '
  'invitation_id), the others into invitation_reject with the reason; returns the counts and the batch';
REVOKE ALL ON FUNCTION arrima_stats.ingest() FROM PUBLIC;

------------------------------------------------------------------------
-- The disclosure policy
------------------------------------------------------------------------

-- The disclosure policy is one row.  It is kept in a config table that
-- starts empty (no row: the defaults), so that pg_dump saves a changed
-- policy and a restore does not clash with a row of the install script;
-- the view disclosure_policy always shows exactly one row, and writing to
-- it goes through the trigger below.
CREATE TABLE arrima_stats.disclosure_policy_setting (
  singleton  boolean PRIMARY KEY DEFAULT true
    CONSTRAINT disclosure_policy_setting_one_row CHECK (singleton),
  min_count  integer NOT NULL
    CONSTRAINT min_count_at_least_1 CHECK (min_count >= 1),
  round_to   integer NOT NULL
    CONSTRAINT round_to_at_least_1 CHECK (round_to >= 1),
  changed_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE arrima_stats.disclosure_policy_setting IS
  'Politique de diffusion modifiée (aucune ligne : valeurs par défaut) ; à modifier par la vue disclosure_policy / '
  'the disclosure policy as changed (no row: the defaults); change it through the view disclosure_policy';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.singleton IS
  'Toujours vrai : une seule ligne / always true: one row at most';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.min_count IS
  'Voir disclosure_policy.min_count / see disclosure_policy.min_count';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.round_to IS
  'Voir disclosure_policy.round_to / see disclosure_policy.round_to';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.changed_at IS
  'Moment de la dernière modification / when the policy was last changed';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.disclosure_policy_setting', '');

CREATE VIEW arrima_stats.disclosure_policy AS
  SELECT coalesce(s.min_count, 5) AS min_count,
         coalesce(s.round_to, 1) AS round_to,
         s.changed_at
    FROM (VALUES (true)) AS d (singleton)
    LEFT JOIN arrima_stats.disclosure_policy_setting s ON s.singleton = d.singleton;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN min_count SET DEFAULT 5;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN round_to SET DEFAULT 1;
COMMENT ON VIEW arrima_stats.disclosure_policy IS
  'Politique de diffusion, une ligne ; se modifie par UPDATE / '
  'the disclosure policy, one row; change it with UPDATE (the published views follow at the next refresh)';
COMMENT ON COLUMN arrima_stats.disclosure_policy.min_count IS
  'Seuil : un nombre de 1 à min_count - 1 n''est jamais diffusé (défaut 5 ; 1 : tout est diffusé) / '
  'threshold: a count from 1 to min_count - 1 is never published (default 5; 1 publishes every count)';
COMMENT ON COLUMN arrima_stats.disclosure_policy.round_to IS
  'Arrondi des nombres diffusés au multiple le plus proche (défaut 1 : pas d''arrondi ; 5 : convention fédérale) / '
  'published counts are rounded to the nearest multiple of this (default 1: no rounding; 5: the federal open-data convention)';
COMMENT ON COLUMN arrima_stats.disclosure_policy.changed_at IS
  'Moment de la dernière modification (NULL : valeurs par défaut) / when the policy was last changed (NULL: the defaults)';

CREATE FUNCTION arrima_stats.disclosure_policy_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    RAISE EXCEPTION 'the disclosure policy has exactly one row'
      USING ERRCODE = 'unique_violation',
            HINT = 'Change it with UPDATE arrima_stats.disclosure_policy SET min_count = ..., round_to = ...';
  ELSIF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the disclosure policy cannot be deleted'
      USING ERRCODE = 'restrict_violation',
            HINT = 'Return to the defaults with UPDATE arrima_stats.disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT';
  END IF;
  IF NEW.min_count IS NULL OR NEW.round_to IS NULL THEN
    RAISE EXCEPTION 'min_count and round_to cannot be NULL'
      USING ERRCODE = 'not_null_violation';
  END IF;
  IF NEW.min_count < 1 THEN
    RAISE EXCEPTION 'min_count must be at least 1, not %', NEW.min_count
      USING ERRCODE = 'check_violation',
            DETAIL = 'A count from 1 to min_count - 1 is withheld; min_count = 1 publishes every count.';
  END IF;
  IF NEW.round_to < 1 THEN
    RAISE EXCEPTION 'round_to must be at least 1, not %', NEW.round_to
      USING ERRCODE = 'check_violation',
            DETAIL = 'Published counts are rounded to a multiple of round_to; round_to = 1 does not round.';
  END IF;
  INSERT INTO arrima_stats.disclosure_policy_setting AS s (min_count, round_to)
  VALUES (NEW.min_count, NEW.round_to)
  ON CONFLICT (singleton) DO UPDATE
    SET min_count = EXCLUDED.min_count, round_to = EXCLUDED.round_to,
        changed_at = pg_catalog.now()
  RETURNING s.changed_at INTO NEW.changed_at;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION arrima_stats.disclosure_policy_write() IS
  'Déclencheur : valide et enregistre les modifications de disclosure_policy / '
  'trigger: checks and stores changes to disclosure_policy (UPDATE only: it has exactly one row)';

CREATE TRIGGER disclosure_policy_write
  INSTEAD OF INSERT OR UPDATE OR DELETE ON arrima_stats.disclosure_policy
  FOR EACH ROW EXECUTE FUNCTION arrima_stats.disclosure_policy_write();

------------------------------------------------------------------------
-- Publication: what was published, disclosure control (src/disclosure*.c),
-- the published views, their refresh and their audit
------------------------------------------------------------------------

-- What was published last: the policy and date it was computed with, the
-- groups of invitations behind it, and every figure with whether it is
-- withheld.  The published views are read from here, so the three always
-- come from one computation.  Exact figures, withheld ones included: no
-- grant to PUBLIC.  Not dumped: after a restore, refresh_publications().
CREATE TABLE arrima_stats.publication_state (
  singleton    boolean PRIMARY KEY DEFAULT true
    CONSTRAINT publication_state_one_row CHECK (singleton),
  as_of        date NOT NULL,
  refreshed_at timestamptz NOT NULL,
  min_count    integer NOT NULL,
  round_to     integer NOT NULL
);
COMMENT ON TABLE arrima_stats.publication_state IS
  'Paramètres de la dernière diffusion / date and policy of the last publication';
COMMENT ON COLUMN arrima_stats.publication_state.singleton IS
  'Toujours vrai : une seule ligne / always true: one row at most';
COMMENT ON COLUMN arrima_stats.publication_state.as_of IS
  'Date à laquelle les situations sont lues / the date the outcomes are read as of';
COMMENT ON COLUMN arrima_stats.publication_state.refreshed_at IS
  'Moment du calcul / when the publication was computed';
COMMENT ON COLUMN arrima_stats.publication_state.min_count IS
  'Seuil appliqué / the min_count applied';
COMMENT ON COLUMN arrima_stats.publication_state.round_to IS
  'Arrondi appliqué / the round_to applied';

CREATE TABLE arrima_stats.publication_group (
  round_id              integer NOT NULL,
  year                  integer,
  category              text NOT NULL,
  held_on               date NOT NULL,
  in_dashboard          boolean NOT NULL,
  invitations_published integer,
  tally                 arrima_stats.tally NOT NULL
);
COMMENT ON TABLE arrima_stats.publication_group IS
  'Décomptes les plus fins derrière la dernière diffusion, par exercice et année d''invitation (confidentiel) / '
  'the finest counts behind the last publication, per round and year of invitation (confidential)';
COMMENT ON COLUMN arrima_stats.publication_group.round_id IS
  'Exercice d''invitation / invitation round';
COMMENT ON COLUMN arrima_stats.publication_group.year IS
  'Année d''invitation (NULL : exercice tenu sans invitation à la date) / year of invitation (NULL: a round held with no invitation as of the date)';
COMMENT ON COLUMN arrima_stats.publication_group.category IS
  'Catégorie de l''exercice / category of the round';
COMMENT ON COLUMN arrima_stats.publication_group.held_on IS
  'Date de l''exercice / date of the round';
COMMENT ON COLUMN arrima_stats.publication_group.in_dashboard IS
  'L''exercice est tenu à la date et figure au tableau de bord / the round is held by as_of and has a row in round_dashboard';
COMMENT ON COLUMN arrima_stats.publication_group.invitations_published IS
  'Nombre d''invitations publié par le ministère / the number of invitations the ministry published for the round';
COMMENT ON COLUMN arrima_stats.publication_group.tally IS
  'Décompte exact / the exact tally';

CREATE TABLE arrima_stats.publication_cell (
  publication text NOT NULL,
  row_key     text NOT NULL,
  round_id    integer,
  year        integer,
  category    text,
  measure     text NOT NULL,
  value       bigint NOT NULL,
  withheld    boolean NOT NULL,
  PRIMARY KEY (publication, row_key, measure)
);
COMMENT ON TABLE arrima_stats.publication_cell IS
  'Chaque nombre de la dernière diffusion, exact, et s''il est masqué (confidentiel) / '
  'every figure of the last publication, exact, and whether it is withheld (confidential)';
COMMENT ON COLUMN arrima_stats.publication_cell.publication IS
  'Tableau : round_dashboard, annual_summary ou category_summary / table: round_dashboard, annual_summary or category_summary';
COMMENT ON COLUMN arrima_stats.publication_cell.row_key IS
  'Clé de la ligne, comme row_key des vues diffusées (l''année pour annual_summary) / '
  'key of the row, as the published views'' row_key (the year for annual_summary)';
COMMENT ON COLUMN arrima_stats.publication_cell.round_id IS
  'Exercice de la ligne (round_dashboard ; NULL : total) / round of the row (round_dashboard; NULL: the total)';
COMMENT ON COLUMN arrima_stats.publication_cell.year IS
  'Année de la ligne (NULL : toutes) / year of the row (NULL: all years)';
COMMENT ON COLUMN arrima_stats.publication_cell.category IS
  'Catégorie de la ligne (category_summary ; NULL : toutes) / category of the row (category_summary; NULL: all)';
COMMENT ON COLUMN arrima_stats.publication_cell.measure IS
  'Colonne du nombre / column of the figure';
COMMENT ON COLUMN arrima_stats.publication_cell.value IS
  'Valeur exacte / exact value';
COMMENT ON COLUMN arrima_stats.publication_cell.withheld IS
  'Masqué à la diffusion / withheld from publication';

-- The C core: the published tables as sums over groups, the choice of what
-- to withhold, and the audit.  Not for PUBLIC: fed real counts, they would
-- reveal them.
CREATE FUNCTION arrima_stats.disclosure_cells(
  round_id integer[], year integer[], category text[], in_dashboard boolean[],
  invitations_published integer[], tally arrima_stats.tally[], min_count integer)
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, withheld boolean)
AS 'MODULE_PATHNAME', 'disclosure_cells'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.disclosure_cells(integer[], integer[], text[], boolean[], integer[],
                                                   arrima_stats.tally[], integer) IS
  'Chaque nombre des trois tableaux diffusés, calculé des groupes (exercice, année), et s''il faut le masquer / '
  'every figure of the three published tables, from the groups (round, year), and whether to withhold it '
  '(small counts, then complements until the audit proves every withheld count safe)';

CREATE FUNCTION arrima_stats.disclosure_bounds(
  round_id integer[], year integer[], category text[], in_dashboard boolean[],
  invitations_published integer[], tally arrima_stats.tally[], min_count integer,
  withheld_publication text[], withheld_row_key text[], withheld_measure text[])
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, lower bigint, upper bigint, safe boolean)
AS 'MODULE_PATHNAME', 'disclosure_bounds'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.disclosure_bounds(integer[], integer[], text[], boolean[], integer[],
                                                    arrima_stats.tally[], integer, text[], text[], text[]) IS
  'Bornes qu''un lecteur de tous les tableaux peut déduire pour chaque nombre masqué donné / '
  'the bounds a reader of all the published tables can derive for each listed withheld figure';

REVOKE ALL ON FUNCTION arrima_stats.disclosure_cells(integer[], integer[], text[], boolean[], integer[],
                                                      arrima_stats.tally[], integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.disclosure_bounds(integer[], integer[], text[], boolean[], integer[],
                                                       arrima_stats.tally[], integer, text[], text[], text[]) FROM PUBLIC;

CREATE FUNCTION arrima_stats.round_count(count bigint, round_to integer)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN round_to <= 1 THEN count
              ELSE (count + round_to / 2) / round_to * round_to END
$$;
COMMENT ON FUNCTION arrima_stats.round_count(bigint, integer) IS
  'Nombre arrondi au multiple de round_to le plus proche (à mi-chemin : vers le haut) / '
  'a count rounded to the nearest multiple of round_to (halfway: up)';

-- The published views: the contract columns, a withheld count NULL, each
-- shown count rounded; plus as_of, refreshed_at and a non-NULL key for the
-- unique index REFRESH ... CONCURRENTLY needs (the total rows have NULL
-- round_id, year or category).  Unpopulated until refresh_publications().
CREATE MATERIALIZED VIEW arrima_stats.round_dashboard_published AS
  WITH cell AS (
    SELECT c.*,
           CASE WHEN NOT c.withheld
                THEN arrima_stats.round_count(c.value, (SELECT s.round_to FROM arrima_stats.publication_state s))
           END AS shown
      FROM arrima_stats.publication_cell c
     WHERE c.publication = 'round_dashboard'
  ), round AS (
    SELECT DISTINCT g.round_id, g.category, g.held_on, g.invitations_published
      FROM arrima_stats.publication_group g
     WHERE g.in_dashboard
  )
  SELECT c.round_id, r.category, r.held_on,
         max(c.shown) FILTER (WHERE c.measure = 'invitations') AS invitations,
         max(c.shown) FILTER (WHERE c.measure = 'declined') AS declined,
         max(c.shown) FILTER (WHERE c.measure = 'expired') AS expired,
         max(c.shown) FILTER (WHERE c.measure = 'rejected') AS rejected,
         max(c.shown) FILTER (WHERE c.measure = 'refused') AS refused,
         max(c.shown) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support,
         max(c.shown) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support,
         max(c.shown) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response,
         max(c.shown) FILTER (WHERE c.measure = 'in_processing') AS in_processing,
         max(c.shown) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending,
         max(c.shown) FILTER (WHERE c.measure = 'cancelled') AS cancelled,
         max(c.shown) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn,
         max(c.shown) FILTER (WHERE c.measure = 'selected') AS selected,
         -- the ministry's figure only beside a shown count: it would give a
         -- withheld one away; the total's only when every round has one
         CASE WHEN bool_or(c.withheld) FILTER (WHERE c.measure = 'invitations') THEN NULL
              WHEN c.round_id IS NOT NULL THEN r.invitations_published
              ELSE (SELECT CASE WHEN count(*) = count(t.invitations_published)
                                THEN sum(t.invitations_published)::integer END
                      FROM round t) END AS invitations_published,
         c.round_id IS NULL AS is_total,
         (SELECT s.as_of FROM arrima_stats.publication_state s) AS as_of,
         (SELECT s.refreshed_at FROM arrima_stats.publication_state s) AS refreshed_at,
         c.row_key
    FROM cell c
    LEFT JOIN round r ON r.round_id = c.round_id
   GROUP BY c.row_key, c.round_id, r.category, r.held_on, r.invitations_published
   ORDER BY c.round_id IS NULL, r.held_on, c.round_id
WITH NO DATA;
CREATE UNIQUE INDEX round_dashboard_published_row_key
  ON arrima_stats.round_dashboard_published (row_key);
COMMENT ON MATERIALIZED VIEW arrima_stats.round_dashboard_published IS
  'Tableau de bord par exercice, diffusable : petits nombres masqués (NULL), avec total / '
  'dashboard per round, fit to publish: small counts and their complements withheld (NULL), with a total row';

CREATE MATERIALIZED VIEW arrima_stats.annual_summary_published AS
  WITH cell AS (
    SELECT c.*,
           CASE WHEN NOT c.withheld
                THEN arrima_stats.round_count(c.value, (SELECT s.round_to FROM arrima_stats.publication_state s))
           END AS shown
      FROM arrima_stats.publication_cell c
     WHERE c.publication = 'annual_summary'
  )
  SELECT c.year,
         max(c.shown) FILTER (WHERE c.measure = 'invitations') AS invitations,
         max(c.shown) FILTER (WHERE c.measure = 'rejected') AS rejected,
         max(c.shown) FILTER (WHERE c.measure = 'refused') AS refused,
         max(c.shown) FILTER (WHERE c.measure = 'notices') AS notices,
         max(c.shown) FILTER (WHERE c.measure = 'declined') AS declined,
         max(c.shown) FILTER (WHERE c.measure = 'expired') AS expired,
         max(c.shown) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response,
         max(c.shown) FILTER (WHERE c.measure = 'in_processing') AS in_processing,
         max(c.shown) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending,
         max(c.shown) FILTER (WHERE c.measure = 'cancelled') AS cancelled,
         max(c.shown) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn,
         max(c.shown) FILTER (WHERE c.measure = 'selected') AS selected,
         (SELECT s.as_of FROM arrima_stats.publication_state s) AS as_of,
         (SELECT s.refreshed_at FROM arrima_stats.publication_state s) AS refreshed_at
    FROM cell c
   GROUP BY c.year
   ORDER BY c.year
WITH NO DATA;
CREATE UNIQUE INDEX annual_summary_published_year
  ON arrima_stats.annual_summary_published (year);
COMMENT ON MATERIALIZED VIEW arrima_stats.annual_summary_published IS
  'Bilan par année d''invitation, diffusable : petits nombres masqués (NULL) / '
  'summary per year of invitation, fit to publish: small counts and their complements withheld (NULL)';

CREATE MATERIALIZED VIEW arrima_stats.category_summary_published AS
  WITH cell AS (
    SELECT c.*,
           CASE WHEN NOT c.withheld
                THEN arrima_stats.round_count(c.value, (SELECT s.round_to FROM arrima_stats.publication_state s))
           END AS shown
      FROM arrima_stats.publication_cell c
     WHERE c.publication = 'category_summary'
  )
  SELECT c.year, c.category,
         max(c.shown) FILTER (WHERE c.measure = 'invitations') AS invitations,
         max(c.shown) FILTER (WHERE c.measure = 'rejected') AS rejected,
         max(c.shown) FILTER (WHERE c.measure = 'refused') AS refused,
         max(c.shown) FILTER (WHERE c.measure = 'notices') AS notices,
         max(c.shown) FILTER (WHERE c.measure = 'declined') AS declined,
         max(c.shown) FILTER (WHERE c.measure = 'expired') AS expired,
         max(c.shown) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response,
         max(c.shown) FILTER (WHERE c.measure = 'in_processing') AS in_processing,
         max(c.shown) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending,
         max(c.shown) FILTER (WHERE c.measure = 'cancelled') AS cancelled,
         max(c.shown) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn,
         max(c.shown) FILTER (WHERE c.measure = 'selected') AS selected,
         max(c.shown) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support,
         max(c.shown) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support,
         (SELECT s.as_of FROM arrima_stats.publication_state s) AS as_of,
         (SELECT s.refreshed_at FROM arrima_stats.publication_state s) AS refreshed_at,
         c.row_key
    FROM cell c
   GROUP BY c.row_key, c.year, c.category
   ORDER BY c.year NULLS LAST, c.category NULLS LAST
WITH NO DATA;
CREATE UNIQUE INDEX category_summary_published_row_key
  ON arrima_stats.category_summary_published (row_key);
COMMENT ON MATERIALIZED VIEW arrima_stats.category_summary_published IS
  'Bilan par année et catégorie avec sous-totaux, diffusable : petits nombres masqués (NULL) / '
  'summary per year and category with subtotals, fit to publish: small counts and their complements withheld (NULL)';

-- Compute the publication as of a date, check it, and refresh the views.
CREATE FUNCTION arrima_stats.refresh_publications(as_of date DEFAULT CURRENT_DATE)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  policy record;
  view_name text;
BEGIN
  IF as_of IS NULL THEN
    RAISE EXCEPTION 'as_of cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- one refresh at a time; readers of the published views are not blocked
  LOCK TABLE arrima_stats.publication_state IN EXCLUSIVE MODE;
  SELECT p.min_count, p.round_to INTO STRICT policy FROM arrima_stats.disclosure_policy p;

  -- the finest groups: a round's invitations by year of invitation, and a
  -- row of zeros for a round held by as_of without any
  DELETE FROM arrima_stats.publication_group;
  INSERT INTO arrima_stats.publication_group
         (round_id, year, category, held_on, in_dashboard, invitations_published, tally)
  SELECT r.round_id, extract(year FROM i.invited_on)::integer, r.category, r.held_on,
         r.held_on <= refresh_publications.as_of, r.invitations_published,
         arrima_stats.tally(i.invited_on, i.response_due_on, i.declined_on, i.application_on,
                            i.notice_on, i.notice_ground, i.decided_on, i.decision,
                            refresh_publications.as_of)
    FROM arrima_stats.invitation_round r
    LEFT JOIN arrima_stats.invitation i
           ON i.round_id = r.round_id AND i.invited_on <= refresh_publications.as_of
   WHERE r.held_on <= refresh_publications.as_of OR i.invitation_id IS NOT NULL
   GROUP BY r.round_id, extract(year FROM i.invited_on)::integer;

  DELETE FROM arrima_stats.publication_cell;
  INSERT INTO arrima_stats.publication_cell
  SELECT c.*
    FROM (SELECT coalesce(array_agg(g.round_id), '{}') AS round_id,
                 coalesce(array_agg(g.year), '{}') AS year,
                 coalesce(array_agg(g.category), '{}') AS category,
                 coalesce(array_agg(g.in_dashboard), '{}') AS in_dashboard,
                 coalesce(array_agg(g.invitations_published), '{}') AS invitations_published,
                 coalesce(array_agg(g.tally), '{}') AS tally
            FROM arrima_stats.publication_group g) g
   CROSS JOIN LATERAL arrima_stats.disclosure_cells(g.round_id, g.year, g.category, g.in_dashboard,
                                                    g.invitations_published, g.tally,
                                                    policy.min_count) c;

  -- small tables just refilled: fresh statistics keep the plans sane
  ANALYZE arrima_stats.publication_group, arrima_stats.publication_cell;

  INSERT INTO arrima_stats.publication_state AS s (as_of, refreshed_at, min_count, round_to)
  VALUES (refresh_publications.as_of, pg_catalog.now(), policy.min_count, policy.round_to)
  ON CONFLICT (singleton) DO UPDATE
    SET as_of = EXCLUDED.as_of, refreshed_at = EXCLUDED.refreshed_at,
        min_count = EXCLUDED.min_count, round_to = EXCLUDED.round_to;

  -- all three in this transaction: readers see the old tables or the new
  FOREACH view_name IN ARRAY ARRAY['round_dashboard_published', 'annual_summary_published',
                                   'category_summary_published'] LOOP
    IF (SELECT c.relispopulated FROM pg_catalog.pg_class c
         WHERE c.oid = pg_catalog.format('arrima_stats.%I', view_name)::regclass) THEN
      EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW CONCURRENTLY arrima_stats.%I', view_name);
    ELSE
      EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW arrima_stats.%I', view_name);
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION arrima_stats.refresh_publications(date) IS
  'Calcule la diffusion à la date as_of selon la politique, masque ce qu''il faut, et rafraîchit les trois vues diffusées / '
  'computes the publication as of a date under the disclosure policy, withholds what must be, and refreshes '
  'the three published views together (concurrently once populated)';
REVOKE ALL ON FUNCTION arrima_stats.refresh_publications(date) FROM PUBLIC;

-- The audit of what is published, recomputed from the stored publication.
CREATE FUNCTION arrima_stats.disclosure_audit()
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, status text, lower bigint, upper bigint, safe boolean)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
  SELECT b.publication, b.row_key, b.round_id, b.year, b.category, b.measure, b.value,
         CASE WHEN b.value BETWEEN 1 AND s.min_count - 1 THEN 'primary' ELSE 'secondary' END,
         b.lower, b.upper, b.safe
    FROM arrima_stats.publication_state s
   CROSS JOIN (SELECT coalesce(array_agg(g.round_id), '{}') AS round_id,
                      coalesce(array_agg(g.year), '{}') AS year,
                      coalesce(array_agg(g.category), '{}') AS category,
                      coalesce(array_agg(g.in_dashboard), '{}') AS in_dashboard,
                      coalesce(array_agg(g.invitations_published), '{}') AS invitations_published,
                      coalesce(array_agg(g.tally), '{}') AS tally
                 FROM arrima_stats.publication_group g) g
   CROSS JOIN (SELECT coalesce(array_agg(c.publication), '{}') AS publication,
                      coalesce(array_agg(c.row_key), '{}') AS row_key,
                      coalesce(array_agg(c.measure), '{}') AS measure
                 FROM arrima_stats.publication_cell c
                WHERE c.withheld) w
   CROSS JOIN LATERAL arrima_stats.disclosure_bounds(g.round_id, g.year, g.category, g.in_dashboard,
                                                     g.invitations_published, g.tally, s.min_count,
                                                     w.publication, w.row_key, w.measure) b
   ORDER BY b.publication, b.year NULLS LAST, b.round_id NULLS LAST, b.category NULLS LAST, b.measure
$$;
COMMENT ON FUNCTION arrima_stats.disclosure_audit() IS
  'Vérification de la diffusion : pour chaque nombre masqué, les bornes qu''un lecteur de tous les tableaux peut déduire, '
  'et s''il est protégé (écart d''au moins min_count - 1) / '
  'audit of the publication: for each withheld figure, the bounds a reader of all the published tables can '
  'derive (linear programming over every sum they show), and whether it is safe (at least min_count - 1 apart)';
REVOKE ALL ON FUNCTION arrima_stats.disclosure_audit() FROM PUBLIC;

------------------------------------------------------------------------
-- Scheduling the refresh with pg_cron
------------------------------------------------------------------------

-- Scheduling with pg_cron, which the extension does not require: the
-- functions look for it when called.
CREATE FUNCTION arrima_stats.pg_cron_check() RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  package text := pg_catalog.format('postgresql-%s-cron',
                                    pg_catalog.current_setting('server_version_num')::integer / 10000);
  cron_database text := pg_catalog.current_setting('cron.database_name', true);
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_available_extensions WHERE name = 'pg_cron') THEN
    RAISE EXCEPTION 'pg_cron is not installed'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = pg_catalog.format('Install pg_cron (on Debian: apt-get install %s), add pg_cron to '
                                     'shared_preload_libraries, set cron.database_name = %L, restart '
                                     'PostgreSQL, then CREATE EXTENSION pg_cron in this database.',
                                     package, pg_catalog.current_database());
  ELSIF cron_database IS NULL THEN
    RAISE EXCEPTION 'pg_cron is installed but not loaded'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = pg_catalog.format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, '
                                     'restart PostgreSQL, then CREATE EXTENSION pg_cron in this database.',
                                     pg_catalog.current_database());
  ELSIF cron_database <> pg_catalog.current_database() THEN
    RAISE EXCEPTION 'pg_cron runs in database %, not in this one', cron_database
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = pg_catalog.format('Set cron.database_name = %L and restart, or schedule from database %s: '
                                     'SELECT cron.schedule_in_database(''arrima_stats refresh_publications'', '
                                     '''<schedule>'', ''SELECT arrima_stats.refresh_publications()'', %L);',
                                     pg_catalog.current_database(), cron_database,
                                     pg_catalog.current_database());
  ELSE
    RAISE EXCEPTION 'the pg_cron extension is not created in this database'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'CREATE EXTENSION pg_cron;';
  END IF;
END
$$;
COMMENT ON FUNCTION arrima_stats.pg_cron_check() IS
  'Erreur explicite si pg_cron n''est pas prêt dans cette base / raises a clear error, with what to do, '
  'unless the pg_cron extension is created in this database';
REVOKE ALL ON FUNCTION arrima_stats.pg_cron_check() FROM PUBLIC;

CREATE FUNCTION arrima_stats.schedule_refresh(cron text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF cron IS NULL THEN
    RAISE EXCEPTION 'the schedule cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM arrima_stats.pg_cron_check();
  -- a job of the same name (and user) is replaced, so this can be rerun
  RETURN cron.schedule('arrima_stats refresh_publications', cron,
                       'SELECT arrima_stats.refresh_publications()');
END
$$;
COMMENT ON FUNCTION arrima_stats.schedule_refresh(text) IS
  'Planifie refresh_publications() avec pg_cron (syntaxe cron, p. ex. ''0 6 * * *'') et rend le numéro de la tâche / '
  'schedules refresh_publications() with pg_cron (cron syntax, e.g. ''0 6 * * *''; replaces an earlier schedule) '
  'and returns the job id; the job runs as the user who scheduled it';
REVOKE ALL ON FUNCTION arrima_stats.schedule_refresh(text) FROM PUBLIC;

CREATE FUNCTION arrima_stats.unschedule_refresh()
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.pg_cron_check();
  IF NOT EXISTS (SELECT FROM cron.job j
                  WHERE j.jobname = 'arrima_stats refresh_publications' AND j.username = current_user) THEN
    RETURN false;
  END IF;
  RETURN cron.unschedule('arrima_stats refresh_publications');
END
$$;
COMMENT ON FUNCTION arrima_stats.unschedule_refresh() IS
  'Retire la planification de refresh_publications() / removes the pg_cron job of schedule_refresh(); '
  'false if there was none';
REVOKE ALL ON FUNCTION arrima_stats.unschedule_refresh() FROM PUBLIC;

------------------------------------------------------------------------
-- Reporting roles
------------------------------------------------------------------------

-- A reporting role reads the published views and nothing else.
CREATE FUNCTION arrima_stats.grant_reporting(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA arrima_stats TO %s', role);
  EXECUTE pg_catalog.format('GRANT SELECT ON arrima_stats.round_dashboard_published, '
                            'arrima_stats.annual_summary_published, '
                            'arrima_stats.category_summary_published TO %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.grant_reporting(regrole) IS
  'Donne à un rôle la lecture des trois vues diffusées, et rien d''autre / '
  'grants a role what reading the three published views takes (USAGE on the schema, SELECT on the views), nothing more';
REVOKE ALL ON FUNCTION arrima_stats.grant_reporting(regrole) FROM PUBLIC;

CREATE FUNCTION arrima_stats.revoke_reporting(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  EXECUTE pg_catalog.format('REVOKE SELECT ON arrima_stats.round_dashboard_published, '
                            'arrima_stats.annual_summary_published, '
                            'arrima_stats.category_summary_published FROM %s', role);
  EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA arrima_stats FROM %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.revoke_reporting(regrole) IS
  'Retire ce que grant_reporting a donné / revokes what grant_reporting granted';
REVOKE ALL ON FUNCTION arrima_stats.revoke_reporting(regrole) FROM PUBLIC;

------------------------------------------------------------------------
-- The columns of the six dashboards: the raw views and the published ones
-- share their meanings; a published count is NULL when withheld
------------------------------------------------------------------------

DO $$
DECLARE
  col record;
  dashboard text;
BEGIN
  FOR col IN
    SELECT * FROM (VALUES
      ('round_id', 'Exercice d''invitation (NULL : ligne de total)',
                   'invitation round (NULL in the total row)'),
      ('category', 'Catégorie de l''exercice (NULL : toutes, dans les sous-totaux)',
                   'category of the round (NULL: all categories, in subtotals)'),
      ('held_on', 'Date de l''exercice', 'date of the round'),
      ('year', 'Année d''invitation (NULL : toutes, dans les sous-totaux)',
               'year of invitation (NULL: all years, in subtotals)'),
      ('invitations', 'Invitations', 'invitations'),
      ('declined', 'Invitations déclinées par le candidat', 'invitations the candidate declined'),
      ('expired', 'Invitations expirées sans réponse dans le délai',
                  'invitations that expired unanswered within the response window'),
      ('rejected', 'Demandes rejetées (faux ou trompeur, ou pièces non fournies)',
                   'applications rejected (false or misleading, or documents not provided)'),
      ('refused', 'Demandes refusées (seuil de la grille non atteint)',
                  'applications refused (below the selection grid''s pass mark)'),
      ('notices_cannot_support',
       'Avis d''intention d''annulation, motif : ne pourrait fournir les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate cannot provide supporting documents'),
      ('notices_did_not_support',
       'Avis d''intention d''annulation, motif : n''a pas fourni les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate did not provide supporting documents'),
      ('notices', 'Avis d''intention d''annulation émis, deux motifs',
                  'notices of intent to cancel issued, both grounds'),
      ('awaiting_response', 'En attente de réponse (délai en cours)', 'awaiting a response (window open)'),
      ('in_processing', 'Demandes en traitement', 'applications in processing'),
      ('cancellation_pending', 'Annulation en attente (avis envoyé, pas de décision)',
                               'cancellation pending (notice sent, no final outcome yet)'),
      ('cancelled', 'Invitations annulées', 'invitations cancelled'),
      ('withdrawn', 'Demandes retirées', 'applications withdrawn'),
      ('selected', 'Candidats sélectionnés (CSQ délivré)', 'candidates selected (CSQ issued)'),
      ('invitations_published', 'Nombre d''invitations publié par le ministère',
                                'number of invitations the ministry published, when known'),
      ('is_total', 'Ligne de total', 'the total row'),
      ('as_of', 'Date à laquelle les situations sont lues', 'the date the outcomes are read as of'),
      ('refreshed_at', 'Moment du calcul de la diffusion', 'when the publication was computed'),
      ('row_key', 'Clé de ligne non nulle (index unique)', 'non-NULL row key (for the unique index)')
    ) AS v (name, fr, en)
  LOOP
    FOREACH dashboard IN ARRAY ARRAY['round_dashboard', 'annual_summary', 'category_summary'] LOOP
      IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = pg_catalog.format('arrima_stats.%I', dashboard)::regclass
                    AND a.attname = col.name) THEN
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_stats.%I.%I IS %L',
                                  dashboard, col.name, col.fr || ' / ' || col.en);
      END IF;
      IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = pg_catalog.format('arrima_stats.%I_published', dashboard)::regclass
                    AND a.attname = col.name) THEN
        -- a published count is NULL when withheld
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_stats.%I.%I IS %L',
                                  dashboard || '_published', col.name,
                                  CASE WHEN col.name IN ('round_id', 'category', 'held_on', 'year',
                                                         'is_total', 'as_of', 'refreshed_at', 'row_key')
                                       THEN col.fr || ' / ' || col.en
                                       ELSE col.fr || ' (NULL : masqué) / ' || col.en || ' (NULL: withheld)'
                                  END);
      END IF;
    END LOOP;
  END LOOP;
END
$$;
