/* arrima_stats--0.6.0.sql: the install script of version 0.6.0, built by make from sql/install/ */

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
  code     text PRIMARY KEY CONSTRAINT category_code_not_blank CHECK (btrim(code) <> '')
                            CONSTRAINT category_code_at_most_64 CHECK (length(code) <= 64),
  label_fr text NOT NULL CONSTRAINT category_label_fr_at_most_255 CHECK (length(label_fr) <= 255),
  label_en text NOT NULL CONSTRAINT category_label_en_at_most_255 CHECK (length(label_en) <= 255)
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
  'Exercices d''invitation, avec le nombre d''invitations publié par le ministère s''il est connu / '
  'invitation rounds, with the number of invitations the ministry published when known';
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
AS 'MODULE_PATHNAME', 'arrima_classify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.classify(arrima_stats.invitation, date) IS
  'Situation de l''invitation à la date as_of / the invitation''s outcome as of a date (NULL before invited_on)';

------------------------------------------------------------------------
-- The tally: every dashboard measure as 13 int8 counters, and the
-- aggregates that count invitations into tallies (src/tally.c, src/tally_agg.c)
------------------------------------------------------------------------

CREATE TYPE arrima_stats.tally;

CREATE FUNCTION arrima_stats.tally_in(cstring) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_out(arrima_stats.tally) RETURNS cstring
AS 'MODULE_PATHNAME', 'arrima_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_recv(internal) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_send(arrima_stats.tally) RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
AS 'MODULE_PATHNAME', 'arrima_tally_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_add(arrima_stats.tally, arrima_stats.tally) IS
  'Somme de deux décomptes / the sum of two tallies';

CREATE OPERATOR arrima_stats.+ (
  LEFTARG = arrima_stats.tally,
  RIGHTARG = arrima_stats.tally,
  FUNCTION = arrima_stats.tally_add,
  COMMUTATOR = OPERATOR(arrima_stats.+)
);
COMMENT ON OPERATOR arrima_stats.+ (arrima_stats.tally, arrima_stats.tally) IS
  'Somme de deux décomptes (tally_add) / the sum of two tallies (tally_add)';

CREATE FUNCTION arrima_stats.tally_counts(
  arrima_stats.tally,
  OUT invitations bigint, OUT awaiting_response bigint, OUT declined bigint,
  OUT expired bigint, OUT in_processing bigint, OUT cancellation_pending bigint,
  OUT rejected bigint, OUT refused bigint, OUT cancelled bigint,
  OUT withdrawn bigint, OUT selected bigint,
  OUT notices_cannot_support bigint, OUT notices_did_not_support bigint)
AS 'MODULE_PATHNAME', 'arrima_tally_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_counts(arrima_stats.tally) IS
  'Les compteurs d''un décompte en colonnes / the counters of a tally as columns';

-- Counting invitations: over whole rows ...
CREATE FUNCTION arrima_stats.tally_accum_row(arrima_stats.tally, arrima_stats.invitation, date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_accum_row' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
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
AS 'MODULE_PATHNAME', 'arrima_tally_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
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
AS 'MODULE_PATHNAME', 'arrima_tally_by_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_accum(internal, integer, date, date, date, date, date,
                                                arrima_stats.notice_ground, date, arrima_stats.decision, date) IS
  'Fonction de transition de tally_by / transition function of tally_by';

CREATE FUNCTION arrima_stats.tally_by_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_combine(internal, internal) IS
  'Fonction de combinaison de tally_by / combine function of tally_by';

CREATE FUNCTION arrima_stats.tally_by_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_by_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_serialize(internal) IS
  'Sérialisation de l''état de tally_by / serialization of the state of tally_by';

CREATE FUNCTION arrima_stats.tally_by_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_deserialize(bytea, internal) IS
  'Désérialisation de l''état de tally_by / deserialization of the state of tally_by';

CREATE FUNCTION arrima_stats.tally_by_final(internal)
RETURNS arrima_stats.keyed_tally[]
AS 'MODULE_PATHNAME', 'arrima_tally_by_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
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

------------------------------------------------------------------------
-- The outcome calendar: per round, year of invitation and day, how the
-- tally of those invitations changes that day (src/calendar.h,
-- src/calendar_agg.c).  Kept by triggers on invitation; the roll-ups read
-- it for any as_of instead of scanning the invitations.
------------------------------------------------------------------------

-- The signed counterpart of a tally (src/tally_change.c)
CREATE TYPE arrima_stats.tally_change;

CREATE FUNCTION arrima_stats.tally_change_in(cstring) RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_change_out(arrima_stats.tally_change) RETURNS cstring
AS 'MODULE_PATHNAME', 'arrima_tally_change_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_change_recv(internal) RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_change_send(arrima_stats.tally_change) RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_change_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_in(cstring) IS
  'Entrée texte du type tally_change / text input of the tally_change type';
COMMENT ON FUNCTION arrima_stats.tally_change_out(arrima_stats.tally_change) IS
  'Sortie texte du type tally_change / text output of the tally_change type';
COMMENT ON FUNCTION arrima_stats.tally_change_recv(internal) IS
  'Entrée binaire du type tally_change / binary input of the tally_change type';
COMMENT ON FUNCTION arrima_stats.tally_change_send(arrima_stats.tally_change) IS
  'Sortie binaire du type tally_change / binary output of the tally_change type';

CREATE TYPE arrima_stats.tally_change (
  INPUT = arrima_stats.tally_change_in,
  OUTPUT = arrima_stats.tally_change_out,
  RECEIVE = arrima_stats.tally_change_recv,
  SEND = arrima_stats.tally_change_send,
  INTERNALLENGTH = 104,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE arrima_stats.tally_change IS
  'Variation d''un décompte, compteurs signés / change of a tally, signed counters: '
  '{invitations, the ten outcomes in enum order, notices cannot_support, notices did_not_support}';

CREATE FUNCTION arrima_stats.tally_change_add(arrima_stats.tally_change, arrima_stats.tally_change)
RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_add(arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Somme de deux variations / the sum of two tally changes';

CREATE OPERATOR arrima_stats.+ (
  LEFTARG = arrima_stats.tally_change,
  RIGHTARG = arrima_stats.tally_change,
  FUNCTION = arrima_stats.tally_change_add,
  COMMUTATOR = OPERATOR(arrima_stats.+)
);
COMMENT ON OPERATOR arrima_stats.+ (arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Somme de deux variations (tally_change_add) / the sum of two tally changes (tally_change_add)';

CREATE FUNCTION arrima_stats.tally_change_eq(arrima_stats.tally_change, arrima_stats.tally_change)
RETURNS boolean
AS 'MODULE_PATHNAME', 'arrima_tally_change_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_eq(arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Deux variations égales, compteur par compteur / whether two tally changes are equal, counter by counter';
CREATE FUNCTION arrima_stats.tally_change_ne(arrima_stats.tally_change, arrima_stats.tally_change)
RETURNS boolean
AS 'MODULE_PATHNAME', 'arrima_tally_change_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_ne(arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Deux variations différentes / whether two tally changes differ';

CREATE OPERATOR arrima_stats.= (
  LEFTARG = arrima_stats.tally_change,
  RIGHTARG = arrima_stats.tally_change,
  FUNCTION = arrima_stats.tally_change_eq,
  COMMUTATOR = OPERATOR(arrima_stats.=),
  NEGATOR = OPERATOR(arrima_stats.<>)
);
COMMENT ON OPERATOR arrima_stats.= (arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Variations égales (tally_change_eq) / equal tally changes (tally_change_eq)';
CREATE OPERATOR arrima_stats.<> (
  LEFTARG = arrima_stats.tally_change,
  RIGHTARG = arrima_stats.tally_change,
  FUNCTION = arrima_stats.tally_change_ne,
  COMMUTATOR = OPERATOR(arrima_stats.<>),
  NEGATOR = OPERATOR(arrima_stats.=)
);
COMMENT ON OPERATOR arrima_stats.<> (arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Variations différentes (tally_change_ne) / different tally changes (tally_change_ne)';

CREATE AGGREGATE arrima_stats.sum(arrima_stats.tally_change) (
  SFUNC = arrima_stats.tally_change_add,
  STYPE = arrima_stats.tally_change,
  COMBINEFUNC = arrima_stats.tally_change_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.sum(arrima_stats.tally_change) IS
  'Somme de variations / the sum of tally changes';

-- A change with no negative counter is a tally (the sum of a round's
-- changes up to a date is its tally as of that date); a tally is the
-- change from nothing to it.
CREATE FUNCTION arrima_stats.tally(arrima_stats.tally_change) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_change_to_tally' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally(arrima_stats.tally_change) IS
  'Conversion en décompte, refusée si un compteur est négatif / '
  'the tally_change as a tally, refused (SQLSTATE 22003) when a counter is negative';
CREATE CAST (arrima_stats.tally_change AS arrima_stats.tally)
  WITH FUNCTION arrima_stats.tally(arrima_stats.tally_change);

CREATE FUNCTION arrima_stats.tally_change(arrima_stats.tally) RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_from_tally' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change(arrima_stats.tally) IS
  'Un décompte comme variation depuis rien / a tally as the change from nothing to it';
CREATE CAST (arrima_stats.tally AS arrima_stats.tally_change)
  WITH FUNCTION arrima_stats.tally_change(arrima_stats.tally) AS ASSIGNMENT;

-- The calendar.  Derived from invitation, so not dumped: restoring the
-- invitations (COPY, which fires the triggers below) makes it again.
-- Normally one row per round, year and day; writers at the same time may
-- leave a few rows for one key until a later write folds them together
-- (see calendar_apply): every reader sums them.  A change that comes to
-- nothing has no row.
CREATE TABLE arrima_stats.outcome_calendar (
  round_id integer NOT NULL,
  year     integer NOT NULL,
  day      date NOT NULL,
  change   arrima_stats.tally_change NOT NULL
);
CREATE INDEX outcome_calendar_key ON arrima_stats.outcome_calendar (round_id, year, day);
COMMENT ON TABLE arrima_stats.outcome_calendar IS
  'Calendrier des situations : par exercice, année d''invitation et jour, la variation du décompte '
  'de ces invitations ce jour-là ; tenu par des déclencheurs sur invitation (dérivé des '
  'microdonnées : non accordé à PUBLIC) / outcome calendar: per round, year of invitation and day, '
  'how the tally of those invitations changes that day; kept by triggers on invitation (derived '
  'from microdata: not granted to PUBLIC)';
COMMENT ON COLUMN arrima_stats.outcome_calendar.round_id IS
  'Exercice d''invitation / invitation round';
COMMENT ON COLUMN arrima_stats.outcome_calendar.year IS
  'Année d''invitation (invited_on) / year of invitation (invited_on)';
COMMENT ON COLUMN arrima_stats.outcome_calendar.day IS
  'Jour de la variation / day of the change';
COMMENT ON COLUMN arrima_stats.outcome_calendar.change IS
  'Décompte à ce jour moins décompte la veille ; la somme jusqu''à une date est le décompte à cette date / '
  'tally as of the day less tally as of the day before; the sum up to a date is the tally as of that date';
REVOKE ALL ON arrima_stats.outcome_calendar FROM PUBLIC;

-- The calendar's rows of a set of invitations, from the C step function
-- (src/calendar_agg.c): sign 1 adds an invitation, -1 takes it away.
CREATE FUNCTION arrima_stats.calendar_changes_accum(
  internal, sign integer, round_id integer, invited_on date, response_due_on date,
  declined_on date, application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_accum(internal, integer, integer, date, date, date, date, date,
                                                        arrima_stats.notice_ground, date, arrima_stats.decision) IS
  'Fonction de transition de calendar_changes / transition function of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_combine(internal, internal) IS
  'Fonction de combinaison de calendar_changes / combine function of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_serialize(internal) IS
  'Sérialisation de l''état de calendar_changes / serialization of the state of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_deserialize(bytea, internal) IS
  'Désérialisation de l''état de calendar_changes / deserialization of the state of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_final(internal)
RETURNS arrima_stats.outcome_calendar[]
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_final(internal) IS
  'Fonction finale de calendar_changes / final function of calendar_changes';

CREATE AGGREGATE arrima_stats.calendar_changes(
  sign integer, round_id integer, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground, decided_on date,
  decision arrima_stats.decision) (
  SFUNC = arrima_stats.calendar_changes_accum,
  STYPE = internal,
  FINALFUNC = arrima_stats.calendar_changes_final,
  COMBINEFUNC = arrima_stats.calendar_changes_combine,
  SERIALFUNC = arrima_stats.calendar_changes_serialize,
  DESERIALFUNC = arrima_stats.calendar_changes_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.calendar_changes(integer, integer, date, date, date, date, date,
                                                   arrima_stats.notice_ground, date, arrima_stats.decision) IS
  'Lignes du calendrier d''un ensemble d''invitations (signe 1 : ajoutées, -1 : retirées), en ordre de clé / '
  'the outcome calendar rows of a set of invitations (sign 1: added, -1: taken away), in key order: '
  'each invitation stepped through its own dates with the classification of classify()';

-- Adding changes to the calendar.  Writers never wait for one another
-- here: each inserts rows of its own.  In READ COMMITTED, a writer also
-- folds the rows already there for the keys it touches into its own,
-- taking only rows no one else holds (SKIP LOCKED), so that a key keeps
-- about one row.  With a transaction snapshot (REPEATABLE READ,
-- SERIALIZABLE) a row folded by another transaction since the snapshot
-- would be a serialization failure: such a writer only adds its rows, and
-- a later writer folds them.
CREATE FUNCTION arrima_stats.calendar_apply(changes arrima_stats.outcome_calendar[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF coalesce(pg_catalog.cardinality(changes), 0) = 0 THEN
    RETURN;
  END IF;
  IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    INSERT INTO arrima_stats.outcome_calendar (round_id, year, day, change)
    SELECT k.round_id, k.year, k.day, k.change FROM pg_catalog.unnest(changes) k;
    RETURN;
  END IF;
  WITH mine AS (
    SELECT k.round_id, k.year, k.day, k.change FROM pg_catalog.unnest(changes) k
  ), held AS (
    -- the keys of changes are unique: a join
    SELECT c.ctid AS tid
      FROM arrima_stats.outcome_calendar c
      JOIN mine m ON m.round_id = c.round_id AND m.year = c.year AND m.day = c.day
       FOR UPDATE OF c SKIP LOCKED
  ), folded AS (
    DELETE FROM arrima_stats.outcome_calendar c
     WHERE c.ctid = ANY (ARRAY(SELECT h.tid FROM held h))
    RETURNING c.round_id, c.year, c.day, c.change
  )
  INSERT INTO arrima_stats.outcome_calendar (round_id, year, day, change)
  SELECT u.round_id, u.year, u.day, arrima_stats.sum(u.change)
    FROM (SELECT m.round_id, m.year, m.day, m.change FROM mine m
          UNION ALL
          SELECT f.round_id, f.year, f.day, f.change FROM folded f) u
   GROUP BY u.round_id, u.year, u.day
  HAVING arrima_stats.sum(u.change) OPERATOR(arrima_stats.<>) '{0,0,0,0,0,0,0,0,0,0,0,0,0}';
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_apply(arrima_stats.outcome_calendar[]) IS
  'Ajoute des variations au calendrier (déclencheurs) / adds changes to the outcome calendar '
  '(the triggers): never waits for another writer';
REVOKE ALL ON FUNCTION arrima_stats.calendar_apply(arrima_stats.outcome_calendar[]) FROM PUBLIC;

-- The triggers: one per statement, with its transition tables, so that a
-- statement of a million rows (ingest(), COPY) makes one pass.  SECURITY
-- DEFINER: a role that may write invitation need not be granted the
-- calendar.
CREATE FUNCTION arrima_stats.calendar_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.calendar_apply(
    (SELECT arrima_stats.calendar_changes(1, n.round_id, n.invited_on, n.response_due_on,
                                          n.declined_on, n.application_on, n.notice_on,
                                          n.notice_ground, n.decided_on, n.decision)
       FROM new_rows n));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_insert() IS
  'Déclencheur : ajoute au calendrier les invitations insérées / '
  'trigger: adds the inserted invitations to the outcome calendar';

CREATE FUNCTION arrima_stats.calendar_after_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.calendar_apply(
    (SELECT arrima_stats.calendar_changes(r.sign, r.round_id, r.invited_on, r.response_due_on,
                                          r.declined_on, r.application_on, r.notice_on,
                                          r.notice_ground, r.decided_on, r.decision)
       FROM (SELECT -1 AS sign, o.* FROM old_rows o
             UNION ALL
             SELECT 1, n.* FROM new_rows n) r));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_update() IS
  'Déclencheur : retire du calendrier les invitations d''avant la mise à jour, ajoute celles d''après / '
  'trigger: takes the invitations as they were out of the outcome calendar, adds them as they are';

CREATE FUNCTION arrima_stats.calendar_after_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.calendar_apply(
    (SELECT arrima_stats.calendar_changes(-1, o.round_id, o.invited_on, o.response_due_on,
                                          o.declined_on, o.application_on, o.notice_on,
                                          o.notice_ground, o.decided_on, o.decision)
       FROM old_rows o));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_delete() IS
  'Déclencheur : retire du calendrier les invitations supprimées / '
  'trigger: takes the deleted invitations out of the outcome calendar';

CREATE FUNCTION arrima_stats.calendar_after_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM arrima_stats.outcome_calendar;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_truncate() IS
  'Déclencheur : vide le calendrier quand invitation est vidée / '
  'trigger: empties the outcome calendar when invitation is truncated';

-- SECURITY DEFINER: no one calls them but the triggers (firing a trigger
-- checks no privilege on its function)
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_insert() FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_update() FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_delete() FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_truncate() FROM PUBLIC;

CREATE TRIGGER calendar_after_insert
  AFTER INSERT ON arrima_stats.invitation
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_insert();
CREATE TRIGGER calendar_after_update
  AFTER UPDATE ON arrima_stats.invitation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_update();
CREATE TRIGGER calendar_after_delete
  AFTER DELETE ON arrima_stats.invitation
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_delete();
CREATE TRIGGER calendar_after_truncate
  AFTER TRUNCATE ON arrima_stats.invitation
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_truncate();

-- For operators and tests: the calendar made again from the invitations,
-- and the difference between what is stored and what the invitations give.
CREATE FUNCTION arrima_stats.calendar_rebuild()
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  changes arrima_stats.outcome_calendar[];
  made bigint;
BEGIN
  -- no writer of invitation meanwhile (their changes would be counted
  -- twice, or lost); readers of the calendar go on
  LOCK TABLE arrima_stats.invitation IN SHARE MODE;
  LOCK TABLE arrima_stats.outcome_calendar IN EXCLUSIVE MODE;
  -- a query that writes nothing, so that it may run in parallel
  SELECT arrima_stats.calendar_changes(1, i.round_id, i.invited_on, i.response_due_on,
                                       i.declined_on, i.application_on, i.notice_on,
                                       i.notice_ground, i.decided_on, i.decision)
    INTO changes
    FROM arrima_stats.invitation i;
  DELETE FROM arrima_stats.outcome_calendar;
  INSERT INTO arrima_stats.outcome_calendar (round_id, year, day, change)
  SELECT k.round_id, k.year, k.day, k.change FROM pg_catalog.unnest(changes) k;
  GET DIAGNOSTICS made = ROW_COUNT;
  RETURN made;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_rebuild() IS
  'Refait le calendrier à partir des invitations, renvoie son nombre de lignes (après une restauration '
  'sans déclencheurs, par exemple) / makes the outcome calendar again from the invitations and returns '
  'its number of rows (after a restore with triggers disabled, for instance)';
REVOKE ALL ON FUNCTION arrima_stats.calendar_rebuild() FROM PUBLIC;

CREATE FUNCTION arrima_stats.calendar_check()
RETURNS TABLE (round_id integer, year integer, day date,
               stored arrima_stats.tally_change, computed arrima_stats.tally_change)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH stored AS (
    SELECT c.round_id, c.year, c.day, arrima_stats.sum(c.change) AS change
      FROM arrima_stats.outcome_calendar c
     GROUP BY c.round_id, c.year, c.day
    HAVING arrima_stats.sum(c.change) OPERATOR(arrima_stats.<>) '{0,0,0,0,0,0,0,0,0,0,0,0,0}'
  ), computed AS (
    SELECT k.round_id, k.year, k.day, k.change
      FROM (SELECT arrima_stats.calendar_changes(1, i.round_id, i.invited_on, i.response_due_on,
                                                 i.declined_on, i.application_on, i.notice_on,
                                                 i.notice_ground, i.decided_on, i.decision) AS changes
              FROM arrima_stats.invitation i) a
     CROSS JOIN LATERAL pg_catalog.unnest(a.changes) k
  )
  SELECT coalesce(s.round_id, c.round_id), coalesce(s.year, c.year), coalesce(s.day, c.day),
         s.change, c.change
    FROM stored s
    FULL JOIN computed c ON c.round_id = s.round_id AND c.year = s.year AND c.day = s.day
   WHERE s.change IS NULL OR c.change IS NULL
      OR s.change OPERATOR(arrima_stats.<>) c.change
   ORDER BY 1, 2, 3
$$;
COMMENT ON FUNCTION arrima_stats.calendar_check() IS
  'Compare le calendrier à celui que donnent les invitations ; renvoie chaque jour qui diffère '
  '(aucune ligne : il est exact) / compares the outcome calendar with the one the invitations give; '
  'returns every round, year and day that differs (no row: it is exact)';
REVOKE ALL ON FUNCTION arrima_stats.calendar_check() FROM PUBLIC;

-- What the roll-ups and the publication are computed from: the tally of
-- each round and year of invitation as of a date, summed from the calendar.
CREATE FUNCTION arrima_stats.group_tallies(as_of date)
RETURNS TABLE (round_id integer, year integer, tally arrima_stats.tally)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT g.round_id, g.year, g.tally
    FROM (SELECT c.round_id, c.year, arrima_stats.sum(c.change)::arrima_stats.tally AS tally
            FROM arrima_stats.outcome_calendar c
           WHERE c.day <= as_of
           GROUP BY c.round_id, c.year) g
   -- the groups with an invitation invited by as_of (rows left by
   -- invitations since taken away may sum to nothing)
   WHERE (arrima_stats.tally_counts(g.tally)).invitations > 0
   ORDER BY g.round_id, g.year
$$;
COMMENT ON FUNCTION arrima_stats.group_tallies(date) IS
  'Décompte de chaque exercice et année d''invitation à la date as_of, tiré du calendrier : une ligne '
  'par (exercice, année) ayant une invitation au plus tard à cette date / the tally of each round and '
  'year of invitation as of a date, from the outcome calendar: one row per (round, year) with an '
  'invitation invited on or before as_of';
REVOKE ALL ON FUNCTION arrima_stats.group_tallies(date) FROM PUBLIC;

-- The dates of a dashboard series: from_date, then every step while on or
-- before to_date, at most 100,000 of them; each argument checked, so that
-- a bad one is refused with what is wrong (22023), not with an error of
-- the query that uses them.
CREATE FUNCTION arrima_stats.dashboard_series_dates(from_date date, to_date date, step interval)
RETURNS date[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  max_dates CONSTANT integer := 100000;
  n bigint;
  dates date[];
BEGIN
  IF NOT (isfinite(from_date) AND isfinite(to_date)) THEN
    RAISE EXCEPTION 'the dates of a series must be finite, not % and %', from_date, to_date
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF step < interval '1 day' THEN
    RAISE EXCEPTION 'the step of a series must be at least one day, not %', step
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A dashboard is as of a date: a shorter step gives no other dates.';
  END IF;
  BEGIN
    -- one more than the most there may be, to tell a series too long
    SELECT count(*), coalesce(array_agg(DISTINCT s.d::date ORDER BY s.d::date), '{}')
      INTO n, dates
      FROM (SELECT generate_series(from_date::timestamp, to_date::timestamp, step) AS d
             LIMIT max_dates + 1) s;
  EXCEPTION WHEN datetime_field_overflow THEN
    RAISE EXCEPTION 'the dates of a series must stay within the range of timestamps, '
                    '4713-01-01 BC to 294276-12-31'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('From %s to %s every %s, a date of the series, or the step after the last, '
                            'falls outside it.', from_date, to_date, step);
  END;
  IF n > max_dates THEN
    RAISE EXCEPTION 'a series has at most % dates', max_dates
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('From %s to %s every %s makes more.', from_date, to_date, step),
            HINT = 'Take a longer step or a shorter period.';
  END IF;
  RETURN dates;
END
$$;
COMMENT ON FUNCTION arrima_stats.dashboard_series_dates(date, date, interval) IS
  'Les dates d''une série de tableaux de bord (from_date, puis chaque pas jusqu''à to_date, au plus 100 000), '
  'arguments vérifiés / the dates of a dashboard series (from_date, then every step up to to_date, at most '
  '100,000), its arguments checked (SQLSTATE 22023): finite dates within the range of timestamps, a step of '
  'at least one day';

-- The round dashboard at every step between two dates, in one pass over
-- the calendar: each change is put in the first date of the series on or
-- after its day, and the changes are summed cumulatively per round.  A SQL
-- function: an error in its query names the function, not the query.
CREATE FUNCTION arrima_stats.dashboard_series(from_date date, to_date date,
                                              step interval DEFAULT '1 day')
RETURNS TABLE (
  as_of date, round_id integer, category text, held_on date,
  invitations bigint, declined bigint, expired bigint, rejected bigint, refused bigint,
  notices_cannot_support bigint, notices_did_not_support bigint,
  awaiting_response bigint, in_processing bigint, cancellation_pending bigint,
  cancelled bigint, withdrawn bigint, selected bigint,
  invitations_published integer, is_total boolean)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH series AS (
    -- from_date, then every step while on or before to_date
    SELECT arrima_stats.dashboard_series_dates(from_date, to_date, step) AS dates
  ), dates AS (
    SELECT pg_catalog.unnest(s.dates) AS as_of FROM series s
  ), round AS (
    -- the rounds held by the last date; a round is shown from its held_on on
    SELECT r.round_id, r.held_on
      FROM arrima_stats.invitation_round r, series s
     WHERE r.held_on <= s.dates[pg_catalog.cardinality(s.dates)]
  ), changes AS (
    -- each change counts from the first date of the series on or after
    -- its day and its round's held_on (width_bucket: how many dates come
    -- before)
    SELECT c.round_id,
           s.dates[pg_catalog.width_bucket(GREATEST(c.day, r.held_on) - 1, s.dates) + 1]
             AS as_of,
           arrima_stats.sum(c.change) AS change
      FROM arrima_stats.outcome_calendar c
      JOIN round r ON r.round_id = c.round_id
     CROSS JOIN series s
     WHERE GREATEST(c.day, r.held_on) <= s.dates[pg_catalog.cardinality(s.dates)]
     GROUP BY 1, 2
  ), cumulated AS (
    -- the sum of the changes up to each date, per round
    SELECT d.as_of, r.round_id,
           arrima_stats.sum(ch.change) OVER (PARTITION BY r.round_id ORDER BY d.as_of) AS change
      FROM round r
      JOIN dates d ON d.as_of >= r.held_on
      LEFT JOIN changes ch ON ch.round_id = r.round_id AND ch.as_of = d.as_of
  ), shown AS (
    SELECT u.as_of, r.round_id, r.category, r.held_on, r.invitations_published,
           coalesce(u.change, '{0,0,0,0,0,0,0,0,0,0,0,0,0}')::arrima_stats.tally AS tally
      FROM cumulated u
      JOIN arrima_stats.invitation_round r ON r.round_id = u.round_id
  ), with_total AS (
    SELECT s.as_of, s.round_id, s.category, s.held_on, s.invitations_published, s.tally,
           false AS is_total
      FROM shown s
    UNION ALL
    -- as round_dashboard: the total's published figure only when every
    -- round has one
    SELECT d.as_of, NULL, NULL, NULL,
           CASE WHEN count(s.round_id) = count(s.invitations_published)
                THEN sum(s.invitations_published)::integer END,
           arrima_stats.sum(s.tally), true
      FROM dates d
      LEFT JOIN shown s ON s.as_of = d.as_of
     GROUP BY d.as_of
  )
  -- the counters read from one call of tally_counts per row (a lateral
  -- function scan would make a tuplestore per row)
  SELECT w.as_of, w.round_id, w.category, w.held_on,
         (w.c).invitations, (w.c).declined, (w.c).expired, (w.c).rejected, (w.c).refused,
         (w.c).notices_cannot_support, (w.c).notices_did_not_support,
         (w.c).awaiting_response, (w.c).in_processing, (w.c).cancellation_pending,
         (w.c).cancelled, (w.c).withdrawn, (w.c).selected,
         w.invitations_published, w.is_total
    FROM (SELECT t.as_of, t.round_id, t.category, t.held_on, t.invitations_published,
                 t.is_total, arrima_stats.tally_counts(t.tally) AS c
            FROM with_total t
          OFFSET 0) w
   ORDER BY w.as_of, w.is_total, w.held_on, w.round_id;
$$;
COMMENT ON FUNCTION arrima_stats.dashboard_series(date, date, interval) IS
  'Le tableau de bord par exercice à chaque pas entre deux dates (une ligne par date et exercice, et un '
  'total par date), tiré du calendrier en une passe / the round dashboard at every step from from_date '
  'to to_date (one row per date and round, and a total row per date), from the outcome calendar in one pass';
REVOKE ALL ON FUNCTION arrima_stats.dashboard_series(date, date, interval) FROM PUBLIC;

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
AS 'MODULE_PATHNAME', 'arrima_invitation_fault'
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
AS 'MODULE_PATHNAME', 'arrima_parse_staged'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.parse_staged(arrima_stats.invitation_staging, integer) IS
  'Une ligne chargée lue comme l''invitation qu''elle donne (response_due_on complétée), et sa '
  'faute (invitation_fault) / a staged row read as the invitation it makes (response_due_on '
  'filled), and its fault (invitation_fault)';

-- ... and the round a staged round_id names, read the same way.
CREATE FUNCTION arrima_stats.staged_round_id(text)
RETURNS integer
AS 'MODULE_PATHNAME', 'arrima_staged_round_id'
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
  changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  cadence    text NOT NULL DEFAULT 'any'
    CONSTRAINT cadence_known CHECK (cadence IN ('any', 'week', 'month'))
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
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.cadence IS
  'Voir disclosure_policy.cadence / see disclosure_policy.cadence';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.disclosure_policy_setting', '');

CREATE VIEW arrima_stats.disclosure_policy AS
  SELECT coalesce(s.min_count, 5) AS min_count,
         coalesce(s.round_to, 1) AS round_to,
         s.changed_at,
         coalesce(s.cadence, 'any') AS cadence
    FROM (VALUES (true)) AS d (singleton)
    LEFT JOIN arrima_stats.disclosure_policy_setting s ON s.singleton = d.singleton;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN min_count SET DEFAULT 5;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN round_to SET DEFAULT 1;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN cadence SET DEFAULT 'any';
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
COMMENT ON COLUMN arrima_stats.disclosure_policy.cadence IS
  'Cadence des diffusions : any (à toute date, défaut), week (à la fin de la dernière semaine, dimanche), '
  'month (à la fin du dernier mois), une seule diffusion par date / '
  'cadence of the releases: any (as of any date, the default), week (as of the last Sunday), month (as of '
  'the last day of the last month), one release per date';

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
            HINT = 'Return to the defaults with UPDATE arrima_stats.disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT, cadence = DEFAULT';
  END IF;
  IF NEW.min_count IS NULL OR NEW.round_to IS NULL OR NEW.cadence IS NULL THEN
    RAISE EXCEPTION 'min_count, round_to and cadence cannot be NULL'
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
  IF NEW.cadence NOT IN ('any', 'week', 'month') THEN
    RAISE EXCEPTION 'cadence must be any, week or month, not %', NEW.cadence
      USING ERRCODE = 'check_violation',
            DETAIL = 'any: a release as of any date; week: as of the last Sunday; month: as of the '
                     'last day of the last month, one release per date.';
  END IF;
  INSERT INTO arrima_stats.disclosure_policy_setting AS s (min_count, round_to, cadence)
  VALUES (NEW.min_count, NEW.round_to, NEW.cadence)
  ON CONFLICT (singleton) DO UPDATE
    SET min_count = EXCLUDED.min_count, round_to = EXCLUDED.round_to,
        cadence = EXCLUDED.cadence, changed_at = pg_catalog.now()
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
-- withheld (the latest release, releases.sql, as refresh_publications()
-- made it).  The published views are read from here, so the three always
-- come from one computation.  Exact figures, withheld ones included: no
-- grant to PUBLIC.  Not dumped (the releases are): after a restore,
-- publish_latest_release().
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
AS 'MODULE_PATHNAME', 'arrima_disclosure_cells'
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
AS 'MODULE_PATHNAME', 'arrima_disclosure_bounds'
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

-- Every row of the last publication as it is shown, one column per count:
-- a withheld count NULL, the others rounded to the policy's round_to.  The
-- one pivot the three published views select from.  Not granted to anyone:
-- the published views are materialized, so reading them never reads this.
CREATE VIEW arrima_stats.publication_row AS
  WITH cell AS (
    SELECT c.publication, c.row_key, c.round_id, c.year, c.category, c.measure, c.withheld,
           CASE WHEN NOT c.withheld
                THEN arrima_stats.round_count(c.value, (SELECT s.round_to FROM arrima_stats.publication_state s))
           END AS shown
      FROM arrima_stats.publication_cell c
  )
  SELECT c.publication, c.row_key, c.round_id, c.year, c.category,
         max(c.shown) FILTER (WHERE c.measure = 'invitations') AS invitations,
         max(c.shown) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response,
         max(c.shown) FILTER (WHERE c.measure = 'declined') AS declined,
         max(c.shown) FILTER (WHERE c.measure = 'expired') AS expired,
         max(c.shown) FILTER (WHERE c.measure = 'in_processing') AS in_processing,
         max(c.shown) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending,
         max(c.shown) FILTER (WHERE c.measure = 'rejected') AS rejected,
         max(c.shown) FILTER (WHERE c.measure = 'refused') AS refused,
         max(c.shown) FILTER (WHERE c.measure = 'cancelled') AS cancelled,
         max(c.shown) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn,
         max(c.shown) FILTER (WHERE c.measure = 'selected') AS selected,
         max(c.shown) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support,
         max(c.shown) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support,
         max(c.shown) FILTER (WHERE c.measure = 'notices') AS notices,
         bool_or(c.withheld) FILTER (WHERE c.measure = 'invitations') AS invitations_withheld,
         (SELECT s.as_of FROM arrima_stats.publication_state s) AS as_of,
         (SELECT s.refreshed_at FROM arrima_stats.publication_state s) AS refreshed_at
    FROM cell c
   GROUP BY c.publication, c.row_key, c.round_id, c.year, c.category;
COMMENT ON VIEW arrima_stats.publication_row IS
  'Chaque ligne de la dernière diffusion telle que montrée, un nombre par colonne (NULL : masqué), '
  'd''où les trois vues diffusées sont tirées ; accordée à personne / '
  'every row of the last publication as shown, one count per column (NULL: withheld, the others '
  'rounded), which the three published views are made from; granted to no one';
COMMENT ON COLUMN arrima_stats.publication_row.publication IS
  'Tableau : round_dashboard, annual_summary ou category_summary / table: round_dashboard, annual_summary or category_summary';
COMMENT ON COLUMN arrima_stats.publication_row.row_key IS
  'Clé de la ligne dans son tableau / key of the row in its table';
COMMENT ON COLUMN arrima_stats.publication_row.round_id IS
  'Exercice de la ligne (round_dashboard ; NULL : total) / round of the row (round_dashboard; NULL: the total)';
COMMENT ON COLUMN arrima_stats.publication_row.year IS
  'Année de la ligne (NULL : toutes, ou round_dashboard) / year of the row (NULL: all years, or round_dashboard)';
COMMENT ON COLUMN arrima_stats.publication_row.category IS
  'Catégorie de la ligne (category_summary ; NULL : toutes) / category of the row (category_summary; NULL: all)';
COMMENT ON COLUMN arrima_stats.publication_row.invitations_withheld IS
  'Le nombre d''invitations est masqué / the number of invitations is withheld';
COMMENT ON COLUMN arrima_stats.publication_row.as_of IS
  'Date à laquelle les situations sont lues / the date the outcomes are read as of';
COMMENT ON COLUMN arrima_stats.publication_row.refreshed_at IS
  'Moment du calcul de la diffusion / when the publication was computed';

-- The published views: the contract columns, a withheld count NULL, each
-- shown count rounded; plus as_of, refreshed_at and a non-NULL key for the
-- unique index REFRESH ... CONCURRENTLY needs (the total rows have NULL
-- round_id, year or category).  Unpopulated until refresh_publications().
CREATE MATERIALIZED VIEW arrima_stats.round_dashboard_published AS
  WITH round AS (
    SELECT DISTINCT g.round_id, g.category, g.held_on, g.invitations_published
      FROM arrima_stats.publication_group g
     WHERE g.in_dashboard
  )
  SELECT p.round_id, r.category, r.held_on,
         p.invitations, p.declined, p.expired, p.rejected, p.refused,
         p.notices_cannot_support, p.notices_did_not_support,
         p.awaiting_response, p.in_processing, p.cancellation_pending,
         p.cancelled, p.withdrawn, p.selected,
         -- the ministry's figure only beside a shown count: it would give a
         -- withheld one away; the total's only when every round has one
         CASE WHEN p.invitations_withheld THEN NULL
              WHEN p.round_id IS NOT NULL THEN r.invitations_published
              ELSE (SELECT CASE WHEN count(*) = count(t.invitations_published)
                                THEN sum(t.invitations_published)::integer END
                      FROM round t) END AS invitations_published,
         p.round_id IS NULL AS is_total,
         p.as_of, p.refreshed_at, p.row_key
    FROM arrima_stats.publication_row p
    LEFT JOIN round r ON r.round_id = p.round_id
   WHERE p.publication = 'round_dashboard'
   ORDER BY p.round_id IS NULL, r.held_on, p.round_id
WITH NO DATA;
CREATE UNIQUE INDEX round_dashboard_published_row_key
  ON arrima_stats.round_dashboard_published (row_key);
COMMENT ON MATERIALIZED VIEW arrima_stats.round_dashboard_published IS
  'Tableau de bord par exercice, diffusable : petits nombres masqués (NULL), avec total / '
  'dashboard per round, fit to publish: small counts and their complements withheld (NULL), with a total row';

CREATE MATERIALIZED VIEW arrima_stats.annual_summary_published AS
  SELECT p.year, p.invitations, p.rejected, p.refused, p.notices, p.declined, p.expired,
         p.awaiting_response, p.in_processing, p.cancellation_pending, p.cancelled,
         p.withdrawn, p.selected, p.as_of, p.refreshed_at
    FROM arrima_stats.publication_row p
   WHERE p.publication = 'annual_summary'
   ORDER BY p.year
WITH NO DATA;
CREATE UNIQUE INDEX annual_summary_published_year
  ON arrima_stats.annual_summary_published (year);
COMMENT ON MATERIALIZED VIEW arrima_stats.annual_summary_published IS
  'Bilan par année d''invitation, diffusable : petits nombres masqués (NULL) / '
  'summary per year of invitation, fit to publish: small counts and their complements withheld (NULL)';

CREATE MATERIALIZED VIEW arrima_stats.category_summary_published AS
  SELECT p.year, p.category, p.invitations, p.rejected, p.refused, p.notices, p.declined,
         p.expired, p.awaiting_response, p.in_processing, p.cancellation_pending, p.cancelled,
         p.withdrawn, p.selected, p.notices_cannot_support, p.notices_did_not_support,
         p.as_of, p.refreshed_at, p.row_key
    FROM arrima_stats.publication_row p
   WHERE p.publication = 'category_summary'
   ORDER BY p.year NULLS LAST, p.category NULLS LAST
WITH NO DATA;
CREATE UNIQUE INDEX category_summary_published_row_key
  ON arrima_stats.category_summary_published (row_key);
COMMENT ON MATERIALIZED VIEW arrima_stats.category_summary_published IS
  'Bilan par année et catégorie avec sous-totaux, diffusable : petits nombres masqués (NULL) / '
  'summary per year and category with subtotals, fit to publish: small counts and their complements withheld (NULL)';

------------------------------------------------------------------------
-- Releases: every publication refresh_publications() made, kept as
-- readers saw it, and disclosure control over all of them together
-- (src/disclosure_series.c, src/disclosure_release.c)
------------------------------------------------------------------------

-- A release: the date its outcomes are read as of, when it was made, and
-- the policy in force.  Kept for ever and never changed (release_keep),
-- saved by pg_dump, with its groups and its cells below.
CREATE SEQUENCE arrima_stats.release_id_seq AS integer;
COMMENT ON SEQUENCE arrima_stats.release_id_seq IS
  'Numéros des diffusions / numbers of the releases';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.release_id_seq', '');

CREATE TABLE arrima_stats.release (
  release_id integer PRIMARY KEY,
  as_of      date NOT NULL,
  made_at    timestamptz NOT NULL,
  min_count  integer NOT NULL CONSTRAINT release_min_count_at_least_1 CHECK (min_count >= 1),
  round_to   integer NOT NULL CONSTRAINT release_round_to_at_least_1 CHECK (round_to >= 1),
  cadence    text NOT NULL
    CONSTRAINT release_cadence_known CHECK (cadence IN ('any', 'week', 'month'))
);
COMMENT ON TABLE arrima_stats.release IS
  'Chaque diffusion faite par refresh_publications(), gardée telle quelle / '
  'every release refresh_publications() made, kept as it was (never changed nor deleted)';
COMMENT ON COLUMN arrima_stats.release.release_id IS
  'Numéro de la diffusion, dans l''ordre où elles ont été faites / number of the release, in the order they were made';
COMMENT ON COLUMN arrima_stats.release.as_of IS
  'Date à laquelle les situations sont lues / the date the outcomes are read as of';
COMMENT ON COLUMN arrima_stats.release.made_at IS
  'Moment où la diffusion a été faite / when the release was made';
COMMENT ON COLUMN arrima_stats.release.min_count IS
  'Seuil de la politique en vigueur / min_count of the policy in force';
COMMENT ON COLUMN arrima_stats.release.round_to IS
  'Arrondi de la politique en vigueur / round_to of the policy in force';
COMMENT ON COLUMN arrima_stats.release.cadence IS
  'Cadence de la politique en vigueur : any, week ou month / cadence of the policy in force: any, week or month';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.release', '');

CREATE TABLE arrima_stats.release_group (
  release_id            integer NOT NULL,
  round_id              integer NOT NULL,
  year                  integer,
  category              text NOT NULL,
  held_on               date NOT NULL,
  in_dashboard          boolean NOT NULL,
  invitations_published integer,
  tally                 arrima_stats.tally NOT NULL
);
CREATE UNIQUE INDEX release_group_key
  ON arrima_stats.release_group (release_id, round_id, coalesce(year, -1));
COMMENT ON TABLE arrima_stats.release_group IS
  'Décomptes les plus fins derrière chaque diffusion, par exercice et année d''invitation (confidentiel) / '
  'the finest counts behind each release, per round and year of invitation (confidential)';
COMMENT ON COLUMN arrima_stats.release_group.release_id IS
  'Diffusion / release';
COMMENT ON COLUMN arrima_stats.release_group.round_id IS
  'Exercice d''invitation / invitation round';
COMMENT ON COLUMN arrima_stats.release_group.year IS
  'Année d''invitation (NULL : exercice tenu sans invitation à la date) / year of invitation (NULL: a round held with no invitation as of the date)';
COMMENT ON COLUMN arrima_stats.release_group.category IS
  'Catégorie de l''exercice / category of the round';
COMMENT ON COLUMN arrima_stats.release_group.held_on IS
  'Date de l''exercice / date of the round';
COMMENT ON COLUMN arrima_stats.release_group.in_dashboard IS
  'L''exercice est tenu à la date et figure au tableau de bord / the round is held by as_of and has a row in round_dashboard';
COMMENT ON COLUMN arrima_stats.release_group.invitations_published IS
  'Nombre d''invitations publié par le ministère / the number of invitations the ministry published for the round';
COMMENT ON COLUMN arrima_stats.release_group.tally IS
  'Décompte exact / the exact tally';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.release_group', '');

CREATE TABLE arrima_stats.release_cell (
  release_id  integer NOT NULL,
  publication text NOT NULL,
  row_key     text NOT NULL,
  round_id    integer,
  year        integer,
  category    text,
  measure     text NOT NULL,
  value       bigint NOT NULL,
  withheld    boolean NOT NULL,
  lower       bigint,
  upper       bigint,
  PRIMARY KEY (release_id, publication, row_key, measure),
  CONSTRAINT release_cell_interval_of_withheld CHECK (withheld OR (lower IS NULL AND upper IS NULL)),
  CONSTRAINT release_cell_interval_holds_value
    CHECK (lower IS NULL OR (lower <= value AND (upper IS NULL OR value <= upper))),
  CONSTRAINT release_cell_upper_has_lower CHECK (upper IS NULL OR lower IS NOT NULL)
);
-- the releases that showed a count, for the value a later one carries
CREATE INDEX release_cell_count ON arrima_stats.release_cell (publication, row_key, measure, release_id)
  WHERE NOT withheld;
COMMENT ON TABLE arrima_stats.release_cell IS
  'Chaque nombre de chaque diffusion, exact, et s''il est masqué (confidentiel) / '
  'every figure of every release, exact, and whether it is withheld (confidential)';
COMMENT ON COLUMN arrima_stats.release_cell.release_id IS
  'Diffusion / release';
COMMENT ON COLUMN arrima_stats.release_cell.publication IS
  'Tableau : round_dashboard, annual_summary ou category_summary / table: round_dashboard, annual_summary or category_summary';
COMMENT ON COLUMN arrima_stats.release_cell.row_key IS
  'Clé de la ligne dans son tableau / key of the row in its table';
COMMENT ON COLUMN arrima_stats.release_cell.round_id IS
  'Exercice de la ligne (round_dashboard ; NULL : total) / round of the row (round_dashboard; NULL: the total)';
COMMENT ON COLUMN arrima_stats.release_cell.year IS
  'Année de la ligne (NULL : toutes) / year of the row (NULL: all years)';
COMMENT ON COLUMN arrima_stats.release_cell.category IS
  'Catégorie de la ligne (category_summary ; NULL : toutes) / category of the row (category_summary; NULL: all)';
COMMENT ON COLUMN arrima_stats.release_cell.measure IS
  'Colonne du nombre / column of the figure';
COMMENT ON COLUMN arrima_stats.release_cell.value IS
  'Valeur exacte / exact value';
COMMENT ON COLUMN arrima_stats.release_cell.withheld IS
  'Masqué à la diffusion / withheld from the release';
COMMENT ON COLUMN arrima_stats.release_cell.lower IS
  'Nombre masqué : borne inférieure diffusée avec lui, celle que tout lecteur peut déduire (NULL : montré, ou '
  'diffusion faite avant la version 0.6.0) / a withheld count: the least value published with it, what every '
  'reader can derive (NULL: shown, or a release made before version 0.6.0)';
COMMENT ON COLUMN arrima_stats.release_cell.upper IS
  'Nombre masqué : borne supérieure diffusée avec lui (NULL : pas de borne, ou pas d''intervalle diffusé) / '
  'a withheld count: the greatest value published with it (NULL: unbounded, or no interval published)';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.release_cell', '');

-- A release is never changed nor deleted: readers may have kept it, and
-- the audit of every later release assumes it.
CREATE FUNCTION arrima_stats.release_keep() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'releases cannot be changed or deleted'
    USING ERRCODE = 'object_not_in_prerequisite_state',
          DETAIL = format('%s on %s.%s was refused.', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
          HINT = 'Readers may have kept every release, and the audit of each new one takes '
                 'them all into account: a release once made stays as it was.';
END
$$;
COMMENT ON FUNCTION arrima_stats.release_keep() IS
  'Déclencheur : refuse de modifier ou supprimer une diffusion / trigger: refuses to change or delete a release';
CREATE TRIGGER release_keep BEFORE UPDATE OR DELETE ON arrima_stats.release
  FOR EACH ROW EXECUTE FUNCTION arrima_stats.release_keep();
CREATE TRIGGER release_keep_truncate BEFORE TRUNCATE ON arrima_stats.release
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.release_keep();
CREATE TRIGGER release_keep BEFORE UPDATE OR DELETE ON arrima_stats.release_group
  FOR EACH ROW EXECUTE FUNCTION arrima_stats.release_keep();
CREATE TRIGGER release_keep_truncate BEFORE TRUNCATE ON arrima_stats.release_group
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.release_keep();
CREATE TRIGGER release_keep BEFORE UPDATE OR DELETE ON arrima_stats.release_cell
  FOR EACH ROW EXECUTE FUNCTION arrima_stats.release_keep();
CREATE TRIGGER release_keep_truncate BEFORE TRUNCATE ON arrima_stats.release_cell
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.release_keep();

-- Points of the reader's unknowns (changes from the true values, by the
-- round, year, unknown and first release of each) that proved the releases
-- safe at the last gate: where the next audit starts, so that a release
-- costs what changed rather than all that was kept.  Hints only (every one
-- is checked against the rows before it counts for anything), kept by each
-- refresh while they prove something: not dumped.  Confidential like the
-- exact counts.
CREATE TABLE arrima_stats.release_proof (
  point    integer PRIMARY KEY,
  round_id integer[] NOT NULL,
  year     integer[] NOT NULL,
  unknown  smallint[] NOT NULL,
  since    integer[] NOT NULL,
  change   double precision[] NOT NULL
);
-- Thousands of changes a point: stored out of line but not compressed
-- (pglz took a quarter of a refresh, for little, when each rewrote them all).
ALTER TABLE arrima_stats.release_proof
  ALTER COLUMN round_id SET STORAGE EXTERNAL, ALTER COLUMN year SET STORAGE EXTERNAL,
  ALTER COLUMN unknown SET STORAGE EXTERNAL, ALTER COLUMN since SET STORAGE EXTERNAL,
  ALTER COLUMN change SET STORAGE EXTERNAL;
COMMENT ON TABLE arrima_stats.release_proof IS
  'Points qui ont prouvé les diffusions sûres à la dernière vérification, d''où part la suivante (confidentiel ; '
  'chaque diffusion garde ceux qui servent encore et ajoute les siens) / '
  'points that proved the releases safe at the last audit, where the next one starts (confidential; each refresh '
  'keeps those still used and adds its own)';
COMMENT ON COLUMN arrima_stats.release_proof.point IS
  'Numéro du point, qu''il garde tant qu''il sert / number of the point, kept while it is used';
COMMENT ON COLUMN arrima_stats.release_proof.round_id IS
  'Exercice de chaque inconnue que le point change / round of each unknown the point changes';
COMMENT ON COLUMN arrima_stats.release_proof.year IS
  'Année d''invitation de chaque inconnue / year of invitation of each unknown';
COMMENT ON COLUMN arrima_stats.release_proof.unknown IS
  'Laquelle des douze inconnues du groupe (les dix situations, puis les deux motifs d''avis) / '
  'which of the group''s twelve unknowns (the ten outcomes, then the two notice grounds)';
COMMENT ON COLUMN arrima_stats.release_proof.since IS
  'Diffusion depuis laquelle l''inconnue garde sa valeur / release from which the unknown keeps its value';
COMMENT ON COLUMN arrima_stats.release_proof.change IS
  'Écart à la vraie valeur / change from the true value';

-- The C core over a series of releases.  Not for PUBLIC: fed real counts,
-- they would reveal them.
CREATE FUNCTION arrima_stats.disclosure_release(
  releases arrima_stats.release[], groups arrima_stats.release_group[],
  cells arrima_stats.release_cell[], release_id integer, proofs arrima_stats.release_proof[])
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, withheld boolean, lower bigint, upper bigint)
AS 'MODULE_PATHNAME', 'arrima_disclosure_release'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.disclosure_release(arrima_stats.release[], arrima_stats.release_group[],
                                                     arrima_stats.release_cell[], integer,
                                                     arrima_stats.release_proof[]) IS
  'Chaque nombre d''une nouvelle diffusion (ses groupes donnés, pas ses cellules), s''il faut le masquer '
  'compte tenu de toutes les autres et, s''il l''est, l''intervalle à diffuser avec lui / '
  'every figure of a new release (its groups given, not its cells), whether to withhold it given '
  'everything the other releases show and, if so, the interval to publish with it (proofs: the points the '
  'last audit stored, to start from)';
REVOKE ALL ON FUNCTION arrima_stats.disclosure_release(arrima_stats.release[], arrima_stats.release_group[],
                                                        arrima_stats.release_cell[], integer,
                                                        arrima_stats.release_proof[]) FROM PUBLIC;

CREATE FUNCTION arrima_stats.disclosure_release_gate(
  releases arrima_stats.release[], groups arrima_stats.release_group[],
  cells arrima_stats.release_cell[], proofs arrima_stats.release_proof[])
RETURNS SETOF arrima_stats.release_proof
AS 'MODULE_PATHNAME', 'arrima_disclosure_release_gate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.disclosure_release_gate(arrima_stats.release[], arrima_stats.release_group[],
                                                          arrima_stats.release_cell[],
                                                          arrima_stats.release_proof[]) IS
  'Dernière vérification : chaque nombre masqué et chaque flux de toutes les diffusions, tels que diffusés ; '
  'une erreur nomme le premier qui n''est pas protégé, sinon les points qui le prouvent (un point gardé avec '
  'son numéro, un nouveau avec un numéro après les leurs) / '
  'the last gate: every withheld figure and every flow of every release, audited as published; an error '
  'names the first one that is not safe, else the points that prove them safe are returned (a stored one with '
  'its number, one found since with a number after theirs)';
REVOKE ALL ON FUNCTION arrima_stats.disclosure_release_gate(arrima_stats.release[], arrima_stats.release_group[],
                                                             arrima_stats.release_cell[],
                                                             arrima_stats.release_proof[]) FROM PUBLIC;

-- The points the last disclosure_release() of the session found while it
-- withheld: hints for the last gate (each is checked against its rows like
-- a stored one), numbered NULL as not stored yet.  Returned once.
CREATE FUNCTION arrima_stats.disclosure_release_points()
RETURNS SETOF arrima_stats.release_proof
AS 'MODULE_PATHNAME', 'arrima_disclosure_release_points'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION arrima_stats.disclosure_release_points() IS
  'Points trouvés par le dernier disclosure_release() de la session, pour la dernière vérification '
  '(une seule fois) / the points the last disclosure_release() of the session found, for the last gate '
  '(returned once)';
REVOKE ALL ON FUNCTION arrima_stats.disclosure_release_points() FROM PUBLIC;

CREATE FUNCTION arrima_stats.disclosure_release_audit(
  releases arrima_stats.release[], groups arrima_stats.release_group[],
  cells arrima_stats.release_cell[], release_id integer, exact boolean)
RETURNS TABLE (release_id integer, since_release_id integer, publication text, row_key text,
               round_id integer, year integer, category text, measure text, value bigint,
               lower bigint, upper bigint, safe boolean)
AS 'MODULE_PATHNAME', 'arrima_disclosure_release_audit'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.disclosure_release_audit(arrima_stats.release[], arrima_stats.release_group[],
                                                           arrima_stats.release_cell[], integer, boolean) IS
  'Bornes qu''un lecteur de toutes les diffusions peut déduire pour chaque nombre masqué et chaque flux '
  '(variation d''un nombre entre deux diffusions) d''une diffusion (NULL : de toutes) / '
  'the bounds a reader of every release can derive for each withheld figure and each flow (the change '
  'of a figure between two releases) of a release (NULL: of all), exact or only as far as proving it safe takes';
REVOKE ALL ON FUNCTION arrima_stats.disclosure_release_audit(arrima_stats.release[], arrima_stats.release_group[],
                                                              arrima_stats.release_cell[], integer, boolean) FROM PUBLIC;

-- What readers saw: every release, and every count it showed (rounded as
-- shown; never a withheld value).  For reporting roles and BI charts over
-- time.
CREATE VIEW arrima_stats.published_release AS
  SELECT r.release_id, r.as_of, r.made_at, r.min_count, r.round_to, r.cadence,
         count(c.*) AS counts,
         count(c.*) FILTER (WHERE c.withheld) AS withheld
    FROM arrima_stats.release r
    LEFT JOIN arrima_stats.release_cell c ON c.release_id = r.release_id
   GROUP BY r.release_id;
COMMENT ON VIEW arrima_stats.published_release IS
  'Chaque diffusion faite : sa date, sa politique, ses nombres montrés et masqués / '
  'every release made: its date, its policy, how many counts it showed and withheld';
COMMENT ON COLUMN arrima_stats.published_release.release_id IS
  'Numéro de la diffusion / number of the release';
COMMENT ON COLUMN arrima_stats.published_release.as_of IS
  'Date à laquelle les situations sont lues / the date the outcomes are read as of';
COMMENT ON COLUMN arrima_stats.published_release.made_at IS
  'Moment où la diffusion a été faite / when the release was made';
COMMENT ON COLUMN arrima_stats.published_release.min_count IS
  'Seuil : un nombre de 1 à min_count - 1 n''est pas montré / threshold: a count from 1 to min_count - 1 is not shown';
COMMENT ON COLUMN arrima_stats.published_release.round_to IS
  'Les nombres montrés sont arrondis à ce multiple / shown counts are rounded to this multiple';
COMMENT ON COLUMN arrima_stats.published_release.cadence IS
  'Cadence des diffusions : any, week ou month / cadence of the releases: any, week or month';
COMMENT ON COLUMN arrima_stats.published_release.counts IS
  'Nombres de la diffusion, tous tableaux / counts of the release, every table';
COMMENT ON COLUMN arrima_stats.published_release.withheld IS
  'Nombres masqués / counts withheld';

CREATE VIEW arrima_stats.published_count AS
  SELECT c.release_id, r.as_of, c.publication, c.row_key, c.round_id, c.year, c.category,
         c.measure, arrima_stats.round_count(c.value, r.round_to) AS value
    FROM arrima_stats.release_cell c
    JOIN arrima_stats.release r ON r.release_id = c.release_id
   WHERE NOT c.withheld;
COMMENT ON VIEW arrima_stats.published_count IS
  'Chaque nombre montré par chaque diffusion, tel que montré (jamais un nombre masqué) / '
  'every count each release showed, as shown (never a withheld one): the history for charts over time';
COMMENT ON COLUMN arrima_stats.published_count.release_id IS
  'Diffusion / release';
COMMENT ON COLUMN arrima_stats.published_count.as_of IS
  'Date à laquelle les situations sont lues / the date the outcomes are read as of';
COMMENT ON COLUMN arrima_stats.published_count.publication IS
  'Tableau : round_dashboard, annual_summary ou category_summary / table: round_dashboard, annual_summary or category_summary';
COMMENT ON COLUMN arrima_stats.published_count.row_key IS
  'Clé de la ligne dans son tableau (total : la ligne du total) / key of the row in its table (total: the total row)';
COMMENT ON COLUMN arrima_stats.published_count.round_id IS
  'Exercice de la ligne (round_dashboard ; NULL : total) / round of the row (round_dashboard; NULL: the total)';
COMMENT ON COLUMN arrima_stats.published_count.year IS
  'Année de la ligne (NULL : toutes) / year of the row (NULL: all years)';
COMMENT ON COLUMN arrima_stats.published_count.category IS
  'Catégorie de la ligne (category_summary ; NULL : toutes) / category of the row (category_summary; NULL: all)';
COMMENT ON COLUMN arrima_stats.published_count.measure IS
  'Colonne du nombre / column of the count';
COMMENT ON COLUMN arrima_stats.published_count.value IS
  'Nombre montré (arrondi selon la politique de la diffusion) / the count shown (rounded as the release''s policy says)';

-- Put the latest release in the working tables and refresh the published
-- views from them (concurrently once populated): all three in the caller's
-- transaction, so readers see the old tables or the new.
CREATE FUNCTION arrima_stats.publish_latest_release()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  latest integer := (SELECT max(r.release_id) FROM arrima_stats.release r);
  view_name text;
BEGIN
  DELETE FROM arrima_stats.publication_state;
  DELETE FROM arrima_stats.publication_group;
  DELETE FROM arrima_stats.publication_cell;
  INSERT INTO arrima_stats.publication_state (as_of, refreshed_at, min_count, round_to)
  SELECT r.as_of, r.made_at, r.min_count, r.round_to
    FROM arrima_stats.release r WHERE r.release_id = latest;
  INSERT INTO arrima_stats.publication_group
         (round_id, year, category, held_on, in_dashboard, invitations_published, tally)
  SELECT g.round_id, g.year, g.category, g.held_on, g.in_dashboard, g.invitations_published, g.tally
    FROM arrima_stats.release_group g WHERE g.release_id = latest;
  INSERT INTO arrima_stats.publication_cell
         (publication, row_key, round_id, year, category, measure, value, withheld)
  SELECT c.publication, c.row_key, c.round_id, c.year, c.category, c.measure, c.value, c.withheld
    FROM arrima_stats.release_cell c WHERE c.release_id = latest;
  -- small tables just refilled: fresh statistics keep the plans sane
  ANALYZE arrima_stats.publication_group, arrima_stats.publication_cell;

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
COMMENT ON FUNCTION arrima_stats.publish_latest_release() IS
  'Montre la dernière diffusion dans les vues diffusées (après une restauration, par exemple) / '
  'shows the latest release in the published views (after a restore, for instance): no new release is made';
REVOKE ALL ON FUNCTION arrima_stats.publish_latest_release() FROM PUBLIC;

-- Make a release as of a date (or, if the policy asks for a cadence, as of
-- the last week's or month's end), audit it with every kept release, keep
-- it, and show it.
CREATE FUNCTION arrima_stats.refresh_publications(as_of date DEFAULT CURRENT_DATE)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  policy record;
  release_as_of date;
  new_id integer;
  proofs arrima_stats.release_proof[] := ARRAY(SELECT p FROM arrima_stats.release_proof p);
  err_state text;
  err_message text;
  err_detail text;
  err_hint text;
BEGIN
  IF as_of IS NULL THEN
    RAISE EXCEPTION 'as_of cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF NOT isfinite(as_of) THEN
    RAISE EXCEPTION 'as_of must be a finite date, not %', as_of
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A release is as of a day (by default today).';
  END IF;
  -- one release at a time; readers of the published views are not blocked
  LOCK TABLE arrima_stats.release IN EXCLUSIVE MODE;
  SELECT p.min_count, p.round_to, p.cadence INTO STRICT policy FROM arrima_stats.disclosure_policy p;

  -- a cadence: as of the last Sunday, or the last day of a month, on or before as_of
  BEGIN
    release_as_of := CASE policy.cadence
                       WHEN 'week' THEN as_of - extract(isodow FROM as_of)::integer % 7
                       -- (31 December ends a month: the last date there is, too)
                       WHEN 'month' THEN CASE WHEN extract(month FROM as_of) = 12 AND
                                                   extract(day FROM as_of) = 31 THEN as_of
                                              ELSE (as_of + 1) - extract(day FROM as_of + 1)::integer
                                         END
                       ELSE as_of
                     END;
  EXCEPTION WHEN datetime_field_overflow THEN
    RAISE EXCEPTION 'no release can be made as of % with the cadence %', as_of, policy.cadence
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'The end of the week or month before it falls outside the dates there are.';
  END;
  IF policy.cadence <> 'any' AND
     EXISTS (SELECT FROM arrima_stats.release r WHERE r.as_of = release_as_of) THEN
    RAISE NOTICE 'a release as of % was already made: nothing to publish', release_as_of
      USING DETAIL = pg_catalog.format('The policy''s cadence is %s.', policy.cadence);
    RETURN;
  END IF;

  new_id := nextval('arrima_stats.release_id_seq');
  INSERT INTO arrima_stats.release (release_id, as_of, made_at, min_count, round_to, cadence)
  VALUES (new_id, release_as_of, pg_catalog.now(), policy.min_count, policy.round_to, policy.cadence);

  -- the finest groups: a round's invitations by year of invitation (from
  -- the outcome calendar: one row per round and year with an invitation
  -- invited by the date), and a row of zeros, year NULL, for a round held
  -- by the date without any
  INSERT INTO arrima_stats.release_group
         (release_id, round_id, year, category, held_on, in_dashboard, invitations_published, tally)
  SELECT new_id, r.round_id, g.year, r.category, r.held_on,
         r.held_on <= release_as_of, r.invitations_published,
         coalesce(g.tally, '{0,0,0,0,0,0,0,0,0,0,0,0,0}')
    FROM arrima_stats.invitation_round r
    LEFT JOIN arrima_stats.group_tallies(release_as_of) g ON g.round_id = r.round_id
   WHERE r.held_on <= release_as_of OR g.round_id IS NOT NULL;

  -- what to withhold, given everything the kept releases showed; an
  -- error of the withholding or of the last gate is raised as they raise
  -- it, without the statement below as its context
  BEGIN
    INSERT INTO arrima_stats.release_cell
           (release_id, publication, row_key, round_id, year, category, measure, value, withheld, lower, upper)
    SELECT new_id, c.*
      FROM arrima_stats.disclosure_release(
             ARRAY(SELECT r FROM arrima_stats.release r),
             ARRAY(SELECT g FROM arrima_stats.release_group g),
             ARRAY(SELECT c FROM arrima_stats.release_cell c WHERE c.withheld),
             new_id, proofs) c;

    -- the last gate: every withheld count and every flow of every release,
    -- audited again as they will be published, whatever chose the
    -- withholding (the points it found, like the stored ones, are hints, each
    -- checked against the rows); an error (nothing published) if one is not
    -- safe, else the points that proved them all, for the next: the stored
    -- ones still used keep their rows, the others go, the new ones are added
    proofs := proofs || ARRAY(SELECT p FROM arrima_stats.disclosure_release_points() p);
    proofs := ARRAY(SELECT p FROM arrima_stats.disclosure_release_gate(
                      ARRAY(SELECT r FROM arrima_stats.release r),
                      ARRAY(SELECT g FROM arrima_stats.release_group g),
                      ARRAY(SELECT c FROM arrima_stats.release_cell c WHERE c.withheld),
                      proofs) p);
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    GET STACKED DIAGNOSTICS err_state = RETURNED_SQLSTATE, err_message = MESSAGE_TEXT,
                            err_detail = PG_EXCEPTION_DETAIL, err_hint = PG_EXCEPTION_HINT;
    IF err_detail = '' AND err_hint = '' THEN
      RAISE EXCEPTION USING ERRCODE = err_state, MESSAGE = err_message;
    ELSIF err_hint = '' THEN
      RAISE EXCEPTION USING ERRCODE = err_state, MESSAGE = err_message, DETAIL = err_detail;
    ELSIF err_detail = '' THEN
      RAISE EXCEPTION USING ERRCODE = err_state, MESSAGE = err_message, HINT = err_hint;
    ELSE
      RAISE EXCEPTION USING ERRCODE = err_state, MESSAGE = err_message, DETAIL = err_detail,
                            HINT = err_hint;
    END IF;
  END;
  DELETE FROM arrima_stats.release_proof p
   WHERE p.point <> ALL (ARRAY(SELECT u.point FROM unnest(proofs) u));
  INSERT INTO arrima_stats.release_proof
  SELECT u.* FROM unnest(proofs) u
   WHERE NOT EXISTS (SELECT FROM arrima_stats.release_proof p WHERE p.point = u.point);

  PERFORM arrima_stats.publish_latest_release();
END
$$;
COMMENT ON FUNCTION arrima_stats.refresh_publications(date) IS
  'Fait une diffusion à la date as_of (ou à la fin de la dernière semaine ou du dernier mois selon la cadence) : '
  'masque ce qu''il faut compte tenu de toutes les diffusions gardées, la vérifie, la garde et la montre / '
  'makes a release as of a date (or of the last week''s or month''s end, as the policy''s cadence says): '
  'withholds what it must given every kept release, audits it with all of them, keeps it and shows it '
  'in the published views';
REVOKE ALL ON FUNCTION arrima_stats.refresh_publications(date) FROM PUBLIC;

-- The audit of a release (by default the latest) against every kept one:
-- each withheld count and each flow into or out of it, exact bounds.
CREATE FUNCTION arrima_stats.disclosure_audit(release_id integer DEFAULT NULL)
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, status text, lower bigint, upper bigint, safe boolean,
               release_id integer, since_release_id integer)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
  SELECT a.publication, a.row_key, a.round_id, a.year, a.category, a.measure, a.value,
         CASE WHEN a.since_release_id IS NOT NULL THEN 'flow'
              WHEN a.value BETWEEN 1 AND r.min_count - 1 THEN 'primary'
              ELSE 'secondary' END,
         a.lower, a.upper, a.safe, a.release_id, a.since_release_id
    FROM arrima_stats.disclosure_release_audit(
           ARRAY(SELECT r FROM arrima_stats.release r),
           ARRAY(SELECT g FROM arrima_stats.release_group g),
           ARRAY(SELECT c FROM arrima_stats.release_cell c WHERE c.withheld),
           coalesce(disclosure_audit.release_id,
                    (SELECT max(r.release_id) FROM arrima_stats.release r)),
           true) a
    JOIN arrima_stats.release r ON r.release_id = a.release_id
   ORDER BY a.since_release_id IS NOT NULL, a.publication, a.year NULLS LAST,
            a.round_id NULLS LAST, a.category NULLS LAST, a.measure, a.since_release_id
$$;
COMMENT ON FUNCTION arrima_stats.disclosure_audit(integer) IS
  'Vérification d''une diffusion (par défaut la dernière) avec toutes les diffusions gardées : pour chaque nombre '
  'masqué et chaque flux (variation d''un nombre depuis ou jusqu''à une autre diffusion), les bornes qu''un lecteur '
  'peut déduire, et s''il est protégé (écart d''au moins min_count - 1) / '
  'audit of a release (the latest by default) with every kept release: for each withheld figure and each flow '
  '(the change of a figure between it and another release, value = the change), the bounds a reader of every '
  'release can derive (linear programming), and whether it is safe (at least min_count - 1 apart)';
REVOKE ALL ON FUNCTION arrima_stats.disclosure_audit(integer) FROM PUBLIC;

------------------------------------------------------------------------
-- The reader schema, arrima_published: only what a reporting role may
-- read, as plain views (every client lists them under its default table
-- types), each row saying what it is.
--
-- The views belong to the extension's owner and read the release tables
-- with the owner's rights; a reporting role needs no right on
-- arrima_stats' tables.  A withheld count is made NULL inside
-- release_count, the one view that reads release_cell's exact values, and
-- every other view of the schema is built on it, so no row with a withheld
-- value ever reaches a query's own WHERE clause.  Each view is a
-- security_barrier besides: a function a reader puts in a WHERE clause
-- sees only rows the view returns.
------------------------------------------------------------------------

CREATE SCHEMA arrima_published;
COMMENT ON SCHEMA arrima_published IS
  'Ce que peut lire un rôle de diffusion : tableaux de bord de la dernière diffusion, historique des diffusions, '
  'chaque nombre diffusé (arrima_stats.grant_reporting) / '
  'what a reporting role may read: the dashboards of the latest release, the history of the releases, '
  'every published count (arrima_stats.grant_reporting)';

-- The measures of the dashboards, with their labels: data for the long
-- view and the document.  Shipped with the extension, not user data.
CREATE TABLE arrima_stats.measure (
  measure  text PRIMARY KEY,
  position smallint NOT NULL UNIQUE,
  label_fr text NOT NULL,
  label_en text NOT NULL
);
COMMENT ON TABLE arrima_stats.measure IS
  'Les nombres des tableaux de bord et leurs libellés / the counts of the dashboards and their labels';
COMMENT ON COLUMN arrima_stats.measure.measure IS
  'Nom du nombre, comme la colonne des tableaux de bord / name of the count, as the dashboards'' column';
COMMENT ON COLUMN arrima_stats.measure.position IS
  'Rang dans les tableaux de bord / order in the dashboards';
COMMENT ON COLUMN arrima_stats.measure.label_fr IS
  'Libellé français / French label';
COMMENT ON COLUMN arrima_stats.measure.label_en IS
  'Libellé anglais / English label';
INSERT INTO arrima_stats.measure (measure, position, label_fr, label_en) VALUES
  ('invitations', 1, 'Invitations', 'Invitations'),
  ('declined', 2, 'Invitations déclinées par le candidat', 'Invitations declined by the candidate'),
  ('expired', 3, 'Invitations expirées sans réponse du candidat', 'Invitations expired without an answer'),
  ('rejected', 4, 'Demandes rejetées (documents faux ou trompeurs, ou non fournis)',
                  'Applications rejected (false or misleading documents, or documents not provided)'),
  ('refused', 5, 'Demandes refusées (seuil de la grille de sélection non atteint)',
                 'Applications refused (below the selection grid''s pass mark)'),
  ('notices', 6, 'Avis d''intention d''annulation émis', 'Notices of intent to cancel issued'),
  ('notices_cannot_support', 7,
   'Avis d''intention d''annulation : motifs de penser que le candidat ne peut fournir les documents '
   'qui appuient sa déclaration d''intérêt',
   'Notices of intent to cancel: reason to believe the candidate cannot provide documents supporting '
   'the declaration of interest'),
  ('notices_did_not_support', 8,
   'Avis d''intention d''annulation : le candidat n''a pas fourni les documents qui appuient sa '
   'déclaration d''intérêt',
   'Notices of intent to cancel: the candidate did not provide documents supporting the declaration '
   'of interest'),
  ('awaiting_response', 9, 'Invitations en attente de réponse', 'Invitations awaiting an answer'),
  ('in_processing', 10, 'Demandes en traitement', 'Applications in processing'),
  ('cancellation_pending', 11, 'Annulations en attente (avis envoyé, pas de décision)',
                               'Cancellations pending (notice sent, no final decision yet)'),
  ('cancelled', 12, 'Invitations annulées', 'Invitations cancelled'),
  ('withdrawn', 13, 'Demandes retirées', 'Applications withdrawn'),
  ('selected', 14, 'Candidats sélectionnés (CSQ délivré)', 'Candidates selected (CSQ issued)');

-- Every count of every release, as shown: the one view that reads the
-- exact values, and makes a withheld one NULL before anything else sees it.
-- Beside each count: the interval every reader can derive of it (the value
-- itself when shown; for a withheld count, what the release published with
-- it), and, for a withheld count, the value an earlier release showed last,
-- which every reader holds already.  Keys and labels are varchar(n), so
-- that ODBC clients (Excel, Power BI) read them as short strings.
CREATE VIEW arrima_published.release_count WITH (security_barrier) AS
  SELECT c.release_id, r.as_of, c.publication::varchar(16) AS dashboard,
         (CASE
            WHEN c.publication = 'round_dashboard' AND c.round_id IS NOT NULL THEN 'round'
            WHEN c.publication = 'annual_summary' THEN 'year'
            WHEN c.publication = 'category_summary' AND c.year IS NOT NULL AND c.category IS NOT NULL
              THEN 'year_category'
            WHEN c.publication = 'category_summary' AND c.year IS NOT NULL THEN 'year'
            WHEN c.publication = 'category_summary' AND c.category IS NOT NULL THEN 'category'
            ELSE 'total'
          END)::varchar(13) AS row_kind,
         c.round_id, g.held_on, c.year, coalesce(c.category, g.category)::varchar(64) AS category,
         c.measure::varchar(32) AS measure,
         CASE WHEN NOT c.withheld THEN arrima_stats.round_count(c.value, r.round_to) END AS value,
         (CASE WHEN c.withheld THEN 'withheld' ELSE 'shown' END)::varchar(8) AS status,
         m.label_fr::varchar(255) AS measure_label_fr, m.label_en::varchar(255) AS measure_label_en,
         c.row_key::varchar(80) AS row_key,
         CASE WHEN NOT c.withheld THEN arrima_stats.round_count(c.value, r.round_to)
              ELSE coalesce(c.lower, 0) END AS lower,
         CASE WHEN NOT c.withheld THEN arrima_stats.round_count(c.value, r.round_to)
              ELSE c.upper END AS upper,
         carried.value AS carried_value, carried.as_of AS carried_as_of
    FROM arrima_stats.release_cell c
    JOIN arrima_stats.release r ON r.release_id = c.release_id
    JOIN arrima_stats.measure m ON m.measure = c.measure
    LEFT JOIN (SELECT DISTINCT rg.release_id, rg.round_id, rg.category, rg.held_on
                 FROM arrima_stats.release_group rg) g
           ON g.release_id = c.release_id AND g.round_id = c.round_id
    -- the last value an earlier release (made before, as of a date no later)
    -- showed of a count this one withholds
    LEFT JOIN LATERAL (
      SELECT arrima_stats.round_count(p.value, pr.round_to) AS value, pr.as_of
        FROM arrima_stats.release_cell p
        JOIN arrima_stats.release pr ON pr.release_id = p.release_id
       WHERE c.withheld AND NOT p.withheld
         AND p.publication = c.publication AND p.row_key = c.row_key AND p.measure = c.measure
         AND p.release_id < c.release_id AND pr.as_of <= r.as_of
       ORDER BY pr.as_of DESC, p.release_id DESC
       LIMIT 1) carried ON true;
COMMENT ON VIEW arrima_published.release_count IS
  'Chaque nombre de chaque diffusion, une ligne par nombre : montré (arrondi comme diffusé) ou masqué (NULL), '
  'avec l''intervalle que tout lecteur peut en déduire et, s''il est masqué, la dernière valeur montrée avant / '
  'every count of every release, one row per count: shown (rounded as published) or withheld (value NULL, '
  'status withheld), with the interval every reader can derive of it and, when withheld, the last value an '
  'earlier release showed';
COMMENT ON COLUMN arrima_published.release_count.release_id IS
  'Diffusion (voir arrima_published.release) / release (see arrima_published.release)';
COMMENT ON COLUMN arrima_published.release_count.as_of IS
  'Date à laquelle les situations sont lues / the date the outcomes are read as of';
COMMENT ON COLUMN arrima_published.release_count.dashboard IS
  'Tableau de bord du nombre : round_dashboard, annual_summary ou category_summary / '
  'dashboard the count is in: round_dashboard, annual_summary or category_summary';
COMMENT ON COLUMN arrima_published.release_count.row_kind IS
  'Sorte de ligne : round (un exercice), total, year (une année), category (une catégorie, toutes années), '
  'year_category (une année et une catégorie) / kind of row: round (one round), total, year (one year), '
  'category (one category, all years), year_category (one year and one category)';
COMMENT ON COLUMN arrima_published.release_count.round_id IS
  'Exercice d''invitation (lignes round ; NULL ailleurs) / invitation round (round rows; NULL in the others)';
COMMENT ON COLUMN arrima_published.release_count.held_on IS
  'Date de l''exercice (lignes round ; NULL ailleurs) / date of the round (round rows; NULL in the others)';
COMMENT ON COLUMN arrima_published.release_count.year IS
  'Année d''invitation (lignes year et year_category ; NULL ailleurs) / '
  'year of invitation (year and year_category rows; NULL in the others)';
COMMENT ON COLUMN arrima_published.release_count.category IS
  'Code de la catégorie : celle de l''exercice (lignes round), de la ligne (category, year_category) ; '
  'NULL dans les lignes de toutes les catégories / category code: the round''s (round rows), the row''s '
  '(category, year_category rows); NULL in rows over every category (total, year)';
COMMENT ON COLUMN arrima_published.release_count.measure IS
  'Nombre : la colonne du tableau de bord (invitations, declined, expired ...) / '
  'the count: the dashboard''s column (invitations, declined, expired ...)';
COMMENT ON COLUMN arrima_published.release_count.value IS
  'Valeur montrée, arrondie selon la politique de la diffusion ; NULL si masquée (status withheld) / '
  'the value shown, rounded as the release''s policy says; NULL when withheld (status withheld)';
COMMENT ON COLUMN arrima_published.release_count.status IS
  'shown : nombre montré ; withheld : nombre masqué (articles 53 et 54 de la Loi sur l''accès), value NULL / '
  'shown: the count is shown; withheld: withheld (sections 53 and 54 of the access act), value NULL';
COMMENT ON COLUMN arrima_published.release_count.measure_label_fr IS
  'Libellé français du nombre / French label of the count';
COMMENT ON COLUMN arrima_published.release_count.measure_label_en IS
  'Libellé anglais du nombre / English label of the count';
COMMENT ON COLUMN arrima_published.release_count.row_key IS
  'Clé de la ligne dans son tableau de bord (exercice, total, année, année/catégorie), comme la colonne row_key '
  'des tableaux de bord / key of the row in its dashboard (round, total, year, year/category), as the '
  'dashboards'' row_key column';
COMMENT ON COLUMN arrima_published.release_count.lower IS
  'Borne inférieure que tout lecteur peut déduire : la valeur si elle est montrée ; pour un nombre masqué, celle '
  'diffusée avec lui (0 pour les diffusions faites avant la version 0.6.0) / '
  'the least value every reader can derive: the value when shown; for a withheld count, the one published with '
  'it (0 for releases made before version 0.6.0)';
COMMENT ON COLUMN arrima_published.release_count.upper IS
  'Borne supérieure que tout lecteur peut déduire : la valeur si elle est montrée ; NULL : pas de borne / '
  'the greatest value every reader can derive: the value when shown; NULL: unbounded';
COMMENT ON COLUMN arrima_published.release_count.carried_value IS
  'Nombre masqué : la dernière valeur qu''une diffusion antérieure en a montrée (NULL : montré, ou jamais montré) / '
  'a withheld count: the last value an earlier release showed of it (NULL: shown now, or never shown)';
COMMENT ON COLUMN arrima_published.release_count.carried_as_of IS
  'Date (as_of) de la diffusion qui a montré carried_value / as_of of the release that showed carried_value';

-- The history of the releases.  (The counts are subqueries, so that a
-- query that does not read them, max(release_id) say, does not count.)
CREATE VIEW arrima_published.release WITH (security_barrier) AS
  SELECT r.release_id, r.as_of, r.made_at, r.min_count, r.round_to, r.cadence::varchar(5) AS cadence,
         (SELECT count(*) FROM arrima_stats.release_cell c
           WHERE c.release_id = r.release_id AND NOT c.withheld) AS counts_shown,
         (SELECT count(*) FROM arrima_stats.release_cell c
           WHERE c.release_id = r.release_id AND c.withheld) AS counts_withheld,
         r.release_id = (SELECT max(l.release_id) FROM arrima_stats.release l) AS is_latest
    FROM arrima_stats.release r
   ORDER BY r.release_id;
COMMENT ON VIEW arrima_published.release IS
  'Chaque diffusion faite : sa date, sa politique, ses nombres montrés et masqués / '
  'every release made: its date, its policy, how many counts it showed and withheld';
COMMENT ON COLUMN arrima_published.release.release_id IS
  'Numéro de la diffusion / number of the release';
COMMENT ON COLUMN arrima_published.release.as_of IS
  'Date à laquelle les situations sont lues / the date the outcomes are read as of';
COMMENT ON COLUMN arrima_published.release.made_at IS
  'Moment où la diffusion a été faite / when the release was made';
COMMENT ON COLUMN arrima_published.release.min_count IS
  'Seuil : un nombre de 1 à min_count - 1 n''est pas montré, ni ce qui permettrait de le déduire / '
  'threshold: a count from 1 to min_count - 1 is not shown, nor what would give it away';
COMMENT ON COLUMN arrima_published.release.round_to IS
  'Les nombres montrés sont arrondis à ce multiple (1 : pas d''arrondi) / '
  'shown counts are rounded to this multiple (1: not rounded)';
COMMENT ON COLUMN arrima_published.release.cadence IS
  'Cadence des diffusions : any, week ou month / cadence of the releases: any, week or month';
COMMENT ON COLUMN arrima_published.release.counts_shown IS
  'Nombres montrés, tous tableaux / counts shown, every dashboard';
COMMENT ON COLUMN arrima_published.release.counts_withheld IS
  'Nombres masqués, tous tableaux / counts withheld, every dashboard';
COMMENT ON COLUMN arrima_published.release.is_latest IS
  'La dernière diffusion, celle des tableaux de bord / the latest release, the one the dashboards show';

CREATE VIEW arrima_published.category WITH (security_barrier) AS
  SELECT k.code::varchar(64) AS code, k.label_fr::varchar(255) AS label_fr,
         k.label_en::varchar(255) AS label_en
    FROM arrima_stats.category k
   ORDER BY k.code;
COMMENT ON VIEW arrima_published.category IS
  'Catégories d''exercices d''invitation et leurs libellés / categories of invitation rounds and their labels';
COMMENT ON COLUMN arrima_published.category.code IS
  'Code de la catégorie, comme la colonne category des autres vues / category code, as the other views'' category column';
COMMENT ON COLUMN arrima_published.category.label_fr IS
  'Libellé français / French label';
COMMENT ON COLUMN arrima_published.category.label_en IS
  'Libellé anglais / English label';

-- The three dashboards of the latest release, pivoted from release_count.
CREATE VIEW arrima_published.round_dashboard WITH (security_barrier) AS
  WITH cell AS (
    SELECT c.*
      FROM arrima_published.release_count c
     WHERE c.dashboard = 'round_dashboard'
       AND c.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
  ), round AS (
    SELECT DISTINCT g.round_id, g.invitations_published
      FROM arrima_stats.release_group g
     WHERE g.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
       AND g.in_dashboard
  ), dashboard AS (
    SELECT c.release_id, c.as_of, c.row_kind, c.row_key, c.round_id, c.category, c.held_on,
           max(c.value) FILTER (WHERE c.measure = 'invitations') AS invitations,
           max(c.value) FILTER (WHERE c.measure = 'declined') AS declined,
           max(c.value) FILTER (WHERE c.measure = 'expired') AS expired,
           max(c.value) FILTER (WHERE c.measure = 'rejected') AS rejected,
           max(c.value) FILTER (WHERE c.measure = 'refused') AS refused,
           max(c.value) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support,
           max(c.value) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support,
           max(c.value) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response,
           max(c.value) FILTER (WHERE c.measure = 'in_processing') AS in_processing,
           max(c.value) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending,
           max(c.value) FILTER (WHERE c.measure = 'cancelled') AS cancelled,
           max(c.value) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn,
           max(c.value) FILTER (WHERE c.measure = 'selected') AS selected
      FROM cell c
     GROUP BY c.release_id, c.as_of, c.row_kind, c.row_key, c.round_id, c.category, c.held_on
  )
  SELECT d.release_id, d.as_of, d.row_kind, d.round_id, d.category,
         k.label_fr::varchar(255) AS category_label_fr, k.label_en::varchar(255) AS category_label_en,
         d.held_on,
         d.invitations, d.declined, d.expired, d.rejected, d.refused,
         d.notices_cannot_support, d.notices_did_not_support,
         d.awaiting_response, d.in_processing, d.cancellation_pending,
         d.cancelled, d.withdrawn, d.selected,
         -- the ministry's figure only beside a shown count of invitations (it
         -- would give a withheld one away); the total's only when every round
         -- has one
         (CASE WHEN d.invitations IS NULL THEN NULL
               WHEN d.row_kind = 'round'
                 THEN (SELECT r.invitations_published FROM round r WHERE r.round_id = d.round_id)
               ELSE (SELECT CASE WHEN count(*) = count(r.invitations_published)
                                 THEN sum(r.invitations_published) END
                       FROM round r)
          END)::bigint AS invitations_published,
         (CASE WHEN d.invitations IS NULL THEN 'withheld'
               WHEN d.row_kind = 'round'
                    AND (SELECT r.invitations_published FROM round r WHERE r.round_id = d.round_id) IS NULL
                 THEN 'not_published'
               WHEN d.row_kind = 'total'
                    AND (SELECT count(*) <> count(r.invitations_published) FROM round r)
                 THEN 'not_published'
               ELSE 'shown'
          END)::varchar(13) AS invitations_published_status,
         d.row_key
    FROM dashboard d
    LEFT JOIN arrima_stats.category k ON k.code = d.category
   ORDER BY d.row_kind = 'total', d.held_on, d.round_id;
COMMENT ON VIEW arrima_published.round_dashboard IS
  'Tableau de bord par exercice d''invitation de la dernière diffusion, et total (row_kind) ; nombre masqué : NULL / '
  'dashboard per invitation round of the latest release, and the total row (row_kind); a withheld count is NULL';

CREATE VIEW arrima_published.annual_summary WITH (security_barrier) AS
  SELECT c.release_id, c.as_of, c.row_kind, c.year,
         max(c.value) FILTER (WHERE c.measure = 'invitations') AS invitations,
         max(c.value) FILTER (WHERE c.measure = 'rejected') AS rejected,
         max(c.value) FILTER (WHERE c.measure = 'refused') AS refused,
         max(c.value) FILTER (WHERE c.measure = 'notices') AS notices,
         max(c.value) FILTER (WHERE c.measure = 'declined') AS declined,
         max(c.value) FILTER (WHERE c.measure = 'expired') AS expired,
         max(c.value) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response,
         max(c.value) FILTER (WHERE c.measure = 'in_processing') AS in_processing,
         max(c.value) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending,
         max(c.value) FILTER (WHERE c.measure = 'cancelled') AS cancelled,
         max(c.value) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn,
         max(c.value) FILTER (WHERE c.measure = 'selected') AS selected,
         c.row_key
    FROM arrima_published.release_count c
   WHERE c.dashboard = 'annual_summary'
     AND c.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
   GROUP BY c.release_id, c.as_of, c.row_kind, c.row_key, c.year
   ORDER BY c.year;
COMMENT ON VIEW arrima_published.annual_summary IS
  'Bilan par année d''invitation de la dernière diffusion ; nombre masqué : NULL / '
  'summary per year of invitation of the latest release; a withheld count is NULL';

CREATE VIEW arrima_published.category_summary WITH (security_barrier) AS
  WITH summary AS (
    SELECT c.release_id, c.as_of, c.row_kind, c.row_key, c.year, c.category,
           max(c.value) FILTER (WHERE c.measure = 'invitations') AS invitations,
           max(c.value) FILTER (WHERE c.measure = 'rejected') AS rejected,
           max(c.value) FILTER (WHERE c.measure = 'refused') AS refused,
           max(c.value) FILTER (WHERE c.measure = 'notices') AS notices,
           max(c.value) FILTER (WHERE c.measure = 'declined') AS declined,
           max(c.value) FILTER (WHERE c.measure = 'expired') AS expired,
           max(c.value) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response,
           max(c.value) FILTER (WHERE c.measure = 'in_processing') AS in_processing,
           max(c.value) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending,
           max(c.value) FILTER (WHERE c.measure = 'cancelled') AS cancelled,
           max(c.value) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn,
           max(c.value) FILTER (WHERE c.measure = 'selected') AS selected,
           max(c.value) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support,
           max(c.value) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support
      FROM arrima_published.release_count c
     WHERE c.dashboard = 'category_summary'
       AND c.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
     GROUP BY c.release_id, c.as_of, c.row_kind, c.row_key, c.year, c.category
  )
  SELECT s.release_id, s.as_of, s.row_kind, s.year, s.category,
         k.label_fr::varchar(255) AS category_label_fr, k.label_en::varchar(255) AS category_label_en,
         s.invitations, s.rejected, s.refused, s.notices, s.declined, s.expired,
         s.awaiting_response, s.in_processing, s.cancellation_pending, s.cancelled,
         s.withdrawn, s.selected, s.notices_cannot_support, s.notices_did_not_support,
         s.row_key
    FROM summary s
    LEFT JOIN arrima_stats.category k ON k.code = s.category
   ORDER BY s.year NULLS LAST, s.category NULLS LAST;
COMMENT ON VIEW arrima_published.category_summary IS
  'Bilan par année et catégorie de la dernière diffusion, avec sous-totaux par année et par catégorie et total '
  '(row_kind) ; nombre masqué : NULL / '
  'summary per year and category of the latest release, with subtotals per year and per category and the '
  'total (row_kind); a withheld count is NULL';

-- The intervals of the three dashboards of the latest release, one row
-- per dashboard row and two columns per count (<count>_lower and
-- <count>_upper: the value twice when shown), to join to the dashboards on
-- release_id and row_key: SUM(<count>_lower) and SUM(<count>_upper) bound
-- any total a reader builds (while no upper is NULL).

CREATE VIEW arrima_published.round_dashboard_interval WITH (security_barrier) AS
  SELECT c.release_id, c.as_of, c.row_kind, c.row_key, c.round_id, c.category, c.held_on,
         max(c.lower) FILTER (WHERE c.measure = 'invitations') AS invitations_lower,
         max(c.upper) FILTER (WHERE c.measure = 'invitations') AS invitations_upper,
         max(c.lower) FILTER (WHERE c.measure = 'declined') AS declined_lower,
         max(c.upper) FILTER (WHERE c.measure = 'declined') AS declined_upper,
         max(c.lower) FILTER (WHERE c.measure = 'expired') AS expired_lower,
         max(c.upper) FILTER (WHERE c.measure = 'expired') AS expired_upper,
         max(c.lower) FILTER (WHERE c.measure = 'rejected') AS rejected_lower,
         max(c.upper) FILTER (WHERE c.measure = 'rejected') AS rejected_upper,
         max(c.lower) FILTER (WHERE c.measure = 'refused') AS refused_lower,
         max(c.upper) FILTER (WHERE c.measure = 'refused') AS refused_upper,
         max(c.lower) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support_lower,
         max(c.upper) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support_upper,
         max(c.lower) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support_lower,
         max(c.upper) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support_upper,
         max(c.lower) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response_lower,
         max(c.upper) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response_upper,
         max(c.lower) FILTER (WHERE c.measure = 'in_processing') AS in_processing_lower,
         max(c.upper) FILTER (WHERE c.measure = 'in_processing') AS in_processing_upper,
         max(c.lower) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending_lower,
         max(c.upper) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending_upper,
         max(c.lower) FILTER (WHERE c.measure = 'cancelled') AS cancelled_lower,
         max(c.upper) FILTER (WHERE c.measure = 'cancelled') AS cancelled_upper,
         max(c.lower) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn_lower,
         max(c.upper) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn_upper,
         max(c.lower) FILTER (WHERE c.measure = 'selected') AS selected_lower,
         max(c.upper) FILTER (WHERE c.measure = 'selected') AS selected_upper
    FROM arrima_published.release_count c
   WHERE c.dashboard = 'round_dashboard'
     AND c.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
   GROUP BY c.release_id, c.as_of, c.row_kind, c.row_key, c.round_id, c.category, c.held_on
   ORDER BY c.row_kind = 'total', c.held_on, c.round_id;
COMMENT ON VIEW arrima_published.round_dashboard_interval IS
  'Intervalles du tableau de bord par exercice de la dernière diffusion : pour chaque nombre, les bornes que tout '
  'lecteur peut déduire (la valeur deux fois si elle est montrée), à joindre au tableau de bord par row_key / '
  'intervals of the dashboard per round of the latest release: for each count, the least and greatest values every '
  'reader can derive (the value twice when shown), to join to the dashboard on row_key';

CREATE VIEW arrima_published.annual_summary_interval WITH (security_barrier) AS
  SELECT c.release_id, c.as_of, c.row_kind, c.row_key, c.year,
         max(c.lower) FILTER (WHERE c.measure = 'invitations') AS invitations_lower,
         max(c.upper) FILTER (WHERE c.measure = 'invitations') AS invitations_upper,
         max(c.lower) FILTER (WHERE c.measure = 'rejected') AS rejected_lower,
         max(c.upper) FILTER (WHERE c.measure = 'rejected') AS rejected_upper,
         max(c.lower) FILTER (WHERE c.measure = 'refused') AS refused_lower,
         max(c.upper) FILTER (WHERE c.measure = 'refused') AS refused_upper,
         max(c.lower) FILTER (WHERE c.measure = 'notices') AS notices_lower,
         max(c.upper) FILTER (WHERE c.measure = 'notices') AS notices_upper,
         max(c.lower) FILTER (WHERE c.measure = 'declined') AS declined_lower,
         max(c.upper) FILTER (WHERE c.measure = 'declined') AS declined_upper,
         max(c.lower) FILTER (WHERE c.measure = 'expired') AS expired_lower,
         max(c.upper) FILTER (WHERE c.measure = 'expired') AS expired_upper,
         max(c.lower) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response_lower,
         max(c.upper) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response_upper,
         max(c.lower) FILTER (WHERE c.measure = 'in_processing') AS in_processing_lower,
         max(c.upper) FILTER (WHERE c.measure = 'in_processing') AS in_processing_upper,
         max(c.lower) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending_lower,
         max(c.upper) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending_upper,
         max(c.lower) FILTER (WHERE c.measure = 'cancelled') AS cancelled_lower,
         max(c.upper) FILTER (WHERE c.measure = 'cancelled') AS cancelled_upper,
         max(c.lower) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn_lower,
         max(c.upper) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn_upper,
         max(c.lower) FILTER (WHERE c.measure = 'selected') AS selected_lower,
         max(c.upper) FILTER (WHERE c.measure = 'selected') AS selected_upper
    FROM arrima_published.release_count c
   WHERE c.dashboard = 'annual_summary'
     AND c.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
   GROUP BY c.release_id, c.as_of, c.row_kind, c.row_key, c.year
   ORDER BY c.year;
COMMENT ON VIEW arrima_published.annual_summary_interval IS
  'Intervalles du tableau de bord par année de la dernière diffusion : pour chaque nombre, les bornes que tout '
  'lecteur peut déduire (la valeur deux fois si elle est montrée), à joindre au tableau de bord par row_key / '
  'intervals of the dashboard per year of the latest release: for each count, the least and greatest values every '
  'reader can derive (the value twice when shown), to join to the dashboard on row_key';

CREATE VIEW arrima_published.category_summary_interval WITH (security_barrier) AS
  SELECT c.release_id, c.as_of, c.row_kind, c.row_key, c.year, c.category,
         max(c.lower) FILTER (WHERE c.measure = 'invitations') AS invitations_lower,
         max(c.upper) FILTER (WHERE c.measure = 'invitations') AS invitations_upper,
         max(c.lower) FILTER (WHERE c.measure = 'rejected') AS rejected_lower,
         max(c.upper) FILTER (WHERE c.measure = 'rejected') AS rejected_upper,
         max(c.lower) FILTER (WHERE c.measure = 'refused') AS refused_lower,
         max(c.upper) FILTER (WHERE c.measure = 'refused') AS refused_upper,
         max(c.lower) FILTER (WHERE c.measure = 'notices') AS notices_lower,
         max(c.upper) FILTER (WHERE c.measure = 'notices') AS notices_upper,
         max(c.lower) FILTER (WHERE c.measure = 'declined') AS declined_lower,
         max(c.upper) FILTER (WHERE c.measure = 'declined') AS declined_upper,
         max(c.lower) FILTER (WHERE c.measure = 'expired') AS expired_lower,
         max(c.upper) FILTER (WHERE c.measure = 'expired') AS expired_upper,
         max(c.lower) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response_lower,
         max(c.upper) FILTER (WHERE c.measure = 'awaiting_response') AS awaiting_response_upper,
         max(c.lower) FILTER (WHERE c.measure = 'in_processing') AS in_processing_lower,
         max(c.upper) FILTER (WHERE c.measure = 'in_processing') AS in_processing_upper,
         max(c.lower) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending_lower,
         max(c.upper) FILTER (WHERE c.measure = 'cancellation_pending') AS cancellation_pending_upper,
         max(c.lower) FILTER (WHERE c.measure = 'cancelled') AS cancelled_lower,
         max(c.upper) FILTER (WHERE c.measure = 'cancelled') AS cancelled_upper,
         max(c.lower) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn_lower,
         max(c.upper) FILTER (WHERE c.measure = 'withdrawn') AS withdrawn_upper,
         max(c.lower) FILTER (WHERE c.measure = 'selected') AS selected_lower,
         max(c.upper) FILTER (WHERE c.measure = 'selected') AS selected_upper,
         max(c.lower) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support_lower,
         max(c.upper) FILTER (WHERE c.measure = 'notices_cannot_support') AS notices_cannot_support_upper,
         max(c.lower) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support_lower,
         max(c.upper) FILTER (WHERE c.measure = 'notices_did_not_support') AS notices_did_not_support_upper
    FROM arrima_published.release_count c
   WHERE c.dashboard = 'category_summary'
     AND c.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
   GROUP BY c.release_id, c.as_of, c.row_kind, c.row_key, c.year, c.category
   ORDER BY c.year NULLS LAST, c.category NULLS LAST;
COMMENT ON VIEW arrima_published.category_summary_interval IS
  'Intervalles du tableau de bord par année et catégorie de la dernière diffusion : pour chaque nombre, les bornes que tout '
  'lecteur peut déduire (la valeur deux fois si elle est montrée), à joindre au tableau de bord par row_key / '
  'intervals of the dashboard per year and category of the latest release: for each count, the least and greatest values every '
  'reader can derive (the value twice when shown), to join to the dashboard on row_key';

-- Every count over the releases, for charts: a line through the values
-- shown, a band (lower to upper) where a count is withheld, the last value
-- shown beside it.
CREATE VIEW arrima_published.count_series WITH (security_barrier) AS
  SELECT c.release_id, c.as_of, c.dashboard, c.row_kind, c.row_key, c.round_id, c.held_on, c.year,
         c.category, c.measure, m.position AS measure_position, c.value, c.status, c.lower, c.upper,
         c.carried_value, c.carried_as_of, c.measure_label_fr, c.measure_label_en
    FROM arrima_published.release_count c
    JOIN arrima_stats.measure m ON m.measure = c.measure
   ORDER BY c.release_id,
            array_position('{round_dashboard,annual_summary,category_summary}'::text[], c.dashboard::text),
            c.row_kind IN ('total', 'category'), c.year NULLS LAST, c.held_on NULLS LAST, c.round_id NULLS LAST,
            c.category NULLS LAST, m.position;
COMMENT ON VIEW arrima_published.count_series IS
  'Chaque nombre au fil des diffusions, dans l''ordre des diffusions puis des tableaux et des lignes : valeur '
  'montrée, ou intervalle et dernière valeur montrée s''il est masqué (pour les graphiques) / '
  'every count over the releases, ordered by release, then dashboard and row: the value shown, or when withheld '
  'the interval and the last value shown (for charts: a line where shown, a band where withheld)';
COMMENT ON COLUMN arrima_published.count_series.measure_position IS
  'Rang du nombre dans les tableaux de bord / order of the count in the dashboards';

-- The columns of the three dashboards: the keys, then each count with its
-- label, NULL when withheld.
DO $$
DECLARE
  col record;
  dashboard text;
BEGIN
  FOR col IN
    SELECT v.name, v.fr, v.en FROM (VALUES
      ('release_id', 'Diffusion (la dernière ; voir arrima_published.release)',
                     'release (the latest; see arrima_published.release)'),
      ('as_of', 'Date à laquelle les situations sont lues', 'the date the outcomes are read as of'),
      ('round_id', 'Exercice d''invitation (lignes round ; NULL dans la ligne total)',
                   'invitation round (round rows; NULL in the total row)'),
      ('held_on', 'Date de l''exercice (lignes round ; NULL dans la ligne total)',
                  'date of the round (round rows; NULL in the total row)'),
      ('invitations_published',
       'Nombre d''invitations publié par le ministère pour l''exercice ; NULL : le ministère ne l''a pas publié '
       '(not_published), ou le nombre d''invitations est masqué (withheld) : voir invitations_published_status',
       'number of invitations the ministry published for the round; NULL: the ministry did not publish one '
       '(not_published), or the count of invitations is withheld (withheld): see invitations_published_status'),
      ('invitations_published_status',
       'shown : montré ; not_published : non publié par le ministère (pour le total : pas pour tous les exercices) ; '
       'withheld : masqué avec le nombre d''invitations, qu''il révélerait',
       'shown; not_published: the ministry did not publish it (for the total: not for every round); '
       'withheld: withheld with the count of invitations, which it would give away')
    ) AS v (name, fr, en)
  LOOP
    EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.round_dashboard.%I IS %L',
                              col.name, col.fr || ' / ' || col.en);
  END LOOP;
  FOREACH dashboard IN ARRAY ARRAY['annual_summary', 'category_summary'] LOOP
    EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.release_id IS %L', dashboard,
                              'Diffusion (la dernière ; voir arrima_published.release) / '
                              'release (the latest; see arrima_published.release)');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.as_of IS %L', dashboard,
                              'Date à laquelle les situations sont lues / the date the outcomes are read as of');
  END LOOP;
  COMMENT ON COLUMN arrima_published.round_dashboard.row_kind IS
    'Sorte de ligne : round (un exercice) ou total (tous les exercices) / '
    'kind of row: round (one round) or total (every round)';
  COMMENT ON COLUMN arrima_published.round_dashboard.category IS
    'Code de la catégorie de l''exercice (NULL dans la ligne total) / code of the round''s category (NULL in the total row)';
  COMMENT ON COLUMN arrima_published.annual_summary.row_kind IS
    'Sorte de ligne : year (une année d''invitation) / kind of row: year (one year of invitation)';
  COMMENT ON COLUMN arrima_published.annual_summary.year IS
    'Année d''invitation / year of invitation';
  COMMENT ON COLUMN arrima_published.category_summary.row_kind IS
    'Sorte de ligne : year_category (une année et une catégorie), year (une année, toutes catégories), '
    'category (une catégorie, toutes années), total / kind of row: year_category (one year and one category), '
    'year (one year, every category), category (one category, every year), total';
  COMMENT ON COLUMN arrima_published.category_summary.year IS
    'Année d''invitation (lignes year_category et year ; NULL dans les lignes category et total) / '
    'year of invitation (year_category and year rows; NULL in the category and total rows)';
  COMMENT ON COLUMN arrima_published.category_summary.category IS
    'Code de la catégorie (lignes year_category et category ; NULL dans les lignes year et total) / '
    'category code (year_category and category rows; NULL in the year and total rows)';
  FOREACH dashboard IN ARRAY ARRAY['round_dashboard', 'category_summary'] LOOP
    EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.category_label_fr IS %L', dashboard,
                              'Libellé français de la catégorie / French label of the category');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.category_label_en IS %L', dashboard,
                              'Libellé anglais de la catégorie / English label of the category');
  END LOOP;
  -- the counts, and their intervals
  FOR col IN SELECT m.measure, m.label_fr, m.label_en FROM arrima_stats.measure m LOOP
    FOREACH dashboard IN ARRAY ARRAY['round_dashboard', 'annual_summary', 'category_summary'] LOOP
      IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = pg_catalog.format('arrima_published.%I', dashboard)::regclass
                    AND a.attname = col.measure) THEN
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.%I IS %L', dashboard, col.measure,
                                  col.label_fr || ' (NULL : masqué) / ' || col.label_en || ' (NULL: withheld)');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.%I IS %L', dashboard || '_interval',
                                  col.measure || '_lower',
                                  col.label_fr || ' : borne inférieure (la valeur si elle est montrée) / '
                                  || col.label_en || ': least value (the value when shown)');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.%I IS %L', dashboard || '_interval',
                                  col.measure || '_upper',
                                  col.label_fr || ' : borne supérieure (la valeur si elle est montrée ; NULL : '
                                  'pas de borne) / ' || col.label_en
                                  || ': greatest value (the value when shown; NULL: unbounded)');
      END IF;
    END LOOP;
  END LOOP;
  -- the row keys, and every column a view shares with the one it is made from
  FOREACH dashboard IN ARRAY ARRAY['round_dashboard', 'annual_summary', 'category_summary'] LOOP
    EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.row_key IS %L', dashboard,
                              'Clé de la ligne (exercice, total, année, année/catégorie), pour joindre '
                              || dashboard || '_interval et release_count / key of the row (round, total, year, '
                              'year/category), to join ' || dashboard || '_interval and release_count');
  END LOOP;
  FOR col IN
    SELECT t.relname AS target, a.attname AS name, d.description
      FROM (VALUES ('round_dashboard_interval', 'round_dashboard'),
                   ('annual_summary_interval', 'annual_summary'),
                   ('category_summary_interval', 'category_summary'),
                   ('count_series', 'release_count')) v (target, source)
      JOIN pg_catalog.pg_class t
        ON t.oid = pg_catalog.format('arrima_published.%I', v.target)::regclass
      JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0
      JOIN pg_catalog.pg_attribute sa
        ON sa.attrelid = pg_catalog.format('arrima_published.%I', v.source)::regclass AND sa.attname = a.attname
      JOIN pg_catalog.pg_description d
        ON d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid = sa.attrelid AND d.objsubid = sa.attnum
  LOOP
    EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_published.%I.%I IS %L', col.target, col.name,
                              col.description);
  END LOOP;
END
$$;

-- 0.4.0's history of shown counts, for reporting roles in arrima_stats, is
-- a security barrier too: a reader's function in a WHERE clause sees only
-- the shown counts it returns.
ALTER VIEW arrima_stats.published_count SET (security_barrier = true);

------------------------------------------------------------------------
-- The tableau de bord as a document: a release as one self-contained HTML
-- page (inline CSS and SVG; no script, nothing fetched), in French or in
-- English, laid out like the annex of the seed's letter.
--
-- It reads arrima_published only, with its caller's rights: it shows
-- nothing the caller could not read there, and a withheld count reaches it
-- as NULL, never as its value (with the interval published for it, and the
-- value an earlier release showed, both public).
--
-- release_document() does the reading; its pieces (the words, the style,
-- a cell, the tables, the chart, the notes) compute from their arguments
-- only: IMMUTABLE, they read no table or view, so none can reveal what it is
-- not given.  Like format_count(), any role may call them, as a role that
-- may call release_document() must.
------------------------------------------------------------------------

CREATE FUNCTION arrima_stats.html_escape(content text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT replace(replace(replace(replace(replace(content, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
                         '"', '&quot;'), '''', '&#39;')
$$;
COMMENT ON FUNCTION arrima_stats.html_escape(text) IS
  'Texte échappé pour HTML (& < > " '') / text escaped for HTML (& < > " ''): never markup';

CREATE FUNCTION arrima_stats.format_count(value bigint, lang text DEFAULT 'fr')
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF lang IS DISTINCT FROM 'fr' AND lang IS DISTINCT FROM 'en' THEN
    RAISE EXCEPTION 'lang must be ''fr'' or ''en'', not %', coalesce(quote_literal(lang), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = '''fr'': French (12 345, with a narrow no-break space); ''en'': English (12,345).';
  END IF;
  -- a separator before each group of three digits that ends the number
  RETURN regexp_replace(value::text, '(\d)(?=(\d{3})+$)',
                        '\1' || CASE lang WHEN 'fr' THEN chr(8239) ELSE ',' END, 'g');
END
$$;
COMMENT ON FUNCTION arrima_stats.format_count(bigint, text) IS
  'Nombre écrit en français (12 345, espace fine insécable) ou en anglais (12,345) / '
  'a count written in French (12 345, narrow no-break space) or English (12,345); NULL for NULL';

CREATE FUNCTION arrima_stats.format_date(day date, lang text DEFAULT 'fr')
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d integer;
  m integer;
  y integer;
BEGIN
  IF lang IS DISTINCT FROM 'fr' AND lang IS DISTINCT FROM 'en' THEN
    RAISE EXCEPTION 'lang must be ''fr'' or ''en'', not %', coalesce(quote_literal(lang), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = '''fr'': French (1er décembre 2026); ''en'': English (December 1, 2026).';
  END IF;
  -- infinity and -infinity have no day, month or year: written as they are
  IF day IS NULL OR NOT isfinite(day) THEN
    RETURN day::text;
  END IF;
  d := extract(day FROM day);
  m := extract(month FROM day);
  y := extract(year FROM day);
  IF lang = 'fr' THEN
    RETURN format('%s %s %s%s', CASE WHEN d = 1 THEN '1er' ELSE d::text END,
                  ('{janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre}'
                   ::text[])[m], abs(y), CASE WHEN y < 0 THEN ' av. J.-C.' END);
  END IF;
  RETURN format('%s %s, %s%s',
                ('{January,February,March,April,May,June,July,August,September,October,November,December}'
                 ::text[])[m], d, abs(y), CASE WHEN y < 0 THEN ' BC' END);
END
$$;
COMMENT ON FUNCTION arrima_stats.format_date(date, text) IS
  'Date écrite en français (1er décembre 2026) ou en anglais (December 1, 2026) / '
  'a date written in French (1er décembre 2026) or English (December 1, 2026)';

-- A count as the document is given it: a row of
-- arrima_published.release_count, with its category's label in the
-- document's language.
CREATE TYPE arrima_stats.document_count AS (
  dashboard     text,
  row_kind      text,
  round_id      integer,
  held_on       date,
  year          integer,
  category      text,
  label         text,
  measure       text,
  value         bigint,
  lower         bigint,
  upper         bigint,
  carried_value bigint,
  carried_as_of date
);
COMMENT ON TYPE arrima_stats.document_count IS
  'Un nombre tel que release_document le passe à ses parties : une ligne de arrima_published.release_count '
  '(valeur NULL si masquée, intervalle, valeur reportée) et le libellé de sa catégorie dans la langue du document / '
  'a count as release_document hands it to its pieces: a row of arrima_published.release_count (value NULL when '
  'withheld, interval, carried value) and its category''s label in the document''s language';

-- The words of the document, in its language.  Any other language is an
-- error, which every piece raises through this.
CREATE FUNCTION arrima_stats.document_text(lang text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF lang = 'fr' THEN
    RETURN jsonb_build_object(
      'eyebrow', 'Programme régulier des travailleurs qualifiés · Invitations Arrima',
      'title', 'Tableau de bord des invitations et de la sélection',
      'from_to', 'de %s au %s',
      'to', 'au %s',
      'as_of', 'Situation au',
      'release', 'Diffusion',
      'made', 'faite le',
      'policy', 'Seuil de diffusion',
      'table1', 'Tableau 1 — Invitations, décisions et avis d''intention d''annulation par exercice d''invitation',
      'table2', 'Tableau 2 — Par année d''invitation',
      'chart1', 'Graphique 1 — Décisions et avis par année d''invitation',
      'table3', 'Tableau 3 — Par année d''invitation et catégorie d''exercice',
      'category', 'Catégorie de l''exercice d''invitation',
      'date', 'Date de l''exercice',
      'g_invitations', 'Invitations réalisées',
      'g_decision', 'Décision finale',
      'g_notices', 'Intention d''annulation de l''invitation',
      'round_heads', jsonb_build_object(
        'invitations', 'Nombre d''invitations',
        'declined', 'Candidats qui ont décliné l''invitation',
        'expired', 'Invitations expirées sans réponse',
        'rejected', 'Demandes rejetées (documents faux, trompeurs ou non fournis)',
        'refused', 'Demandes refusées (seuil de la grille non atteint)',
        'notices_cannot_support', 'Motif a) : ne pourrait fournir les documents à l''appui',
        'notices_did_not_support', 'Motif b) : n''a pas fourni les documents à l''appui'),
      'summary_heads', jsonb_build_object(
        'invitations', 'Nombre d''invitations',
        'rejected', 'Demandes rejetées',
        'refused', 'Demandes refusées',
        'notices', 'Avis d''intention d''annulation émis',
        'declined', 'Invitations déclinées',
        'expired', 'Invitations expirées sans réponse'),
      'year', 'Année d''invitation',
      'all_years', 'Toutes les années',
      'total', 'Total',
      'total_of', 'Total',
      'interval', '%s à %s',
      'carried', '%s&nbsp;au %s',
      'marker', 'Nombres masqués : voir la note 1.',
      'chart_note', 'Les nombres du graphique sont ceux du tableau 2.',
      'band', 'Nombre masqué : son intervalle',
      'chart_bands', 'Bande pâle : un nombre masqué, de la borne inférieure à la borne supérieure de son intervalle '
                     '(jusqu''en haut, avec une flèche, s''il n''a pas de borne supérieure).',
      'chart_x', 'x : nombre masqué dont aucune borne n''a été diffusée.',
      'notes', 'Notes',
      'withheld', 'Nombres masqués. En vertu des articles 53 et 54 de la <cite>Loi sur l''accès aux documents des '
                  'organismes publics et sur la protection des renseignements personnels</cite>, les renseignements '
                  'qui concernent une personne physique et permettent de l''identifier sont confidentiels.',
      'threshold_1', 'Cette diffusion ne masque aucun petit nombre (seuil : 1).',
      'threshold_2', 'Un nombre égal à 1 n''est donc pas diffusé, non plus que les nombres qui permettraient de le '
                     'déduire des totaux, des autres tableaux ou des diffusions précédentes.',
      'threshold', 'Un nombre de 1 à %s n''est donc pas diffusé, non plus que les nombres qui permettraient de le '
                   'déduire des totaux, des autres tableaux ou des diffusions précédentes.',
      'intervals', 'À la place d''un nombre masqué figure l''intervalle de ses valeurs possibles, tel que tout '
                   'lecteur peut le déduire de l''ensemble des nombres diffusés (cette diffusion, les précédentes et '
                   'leurs intervalles) : « 5 à 12 » pour un nombre de 5 à 12, « ≤ 12 » pour un nombre de 0 à 12, '
                   '« ≥ 5 » pour un nombre de 5 ou plus. En petit sous l''intervalle : la dernière valeur qu''une '
                   'diffusion précédente a montrée de ce nombre, et la date de cette diffusion ; elle était déjà '
                   'publique.',
      'no_interval', '« x » : nombre masqué dont aucune borne n''a été diffusée (les diffusions faites avant la '
                     'version 0.6.0 d''arrima_stats ne publiaient pas d''intervalle).',
      'not_rounded', 'Les nombres ne sont pas arrondis.',
      'rounded', 'Les nombres diffusés sont arrondis au multiple de %s le plus proche ; un total peut donc différer '
                 'de la somme de ses parties.',
      'counting', 'Chaque invitation compte une fois, selon sa situation à la date de la diffusion : déclinée, '
                  'expirée, demande rejetée ou refusée (ou invitation annulée, demande retirée, candidat sélectionné, '
                  'dossier en cours). Les avis d''intention d''annulation sont comptés à leur émission, quelle que '
                  'soit la décision finale, selon leur motif : a) le ministère a des motifs de penser que le '
                  'candidat ne peut pas fournir les documents qui appuient ce qu''il a déclaré dans sa déclaration '
                  'd''intérêt ; b) le candidat n''a pas fourni ces documents. Les années sont celles de l''invitation.',
      'glossary', 'BDI : banque des déclarations d''intérêt. RE : ressortissant étranger. OEV : offre d''emploi '
                  'validée. CMM : Communauté métropolitaine de Montréal. PAMO-TI : Plan d''action gouvernemental '
                  'pour la lutte contre la rareté de la main-d''œuvre dans le secteur des technologies de '
                  'l''information. OPMO : Opération main-d''œuvre. RIQ : Règlement sur l''immigration au Québec ; '
                  'personnes visées par l''article 26 du RIQ : personnes qui détiennent un visa diplomatique. '
                  'LIQ : Loi sur l''immigration au Québec ; personnes visées par l''article 47 de la LIQ : '
                  'personnes invitées par dérogation. MIFI : ministère de l''Immigration, de la Francisation et '
                  'de l''Intégration.',
      'none', 'Aucune donnée.');
  END IF;
  IF lang = 'en' THEN
    RETURN jsonb_build_object(
      'eyebrow', 'Regular Skilled Worker Program · Arrima invitations',
      'title', 'Dashboard of invitations and selection',
      'from_to', 'from %s to %s',
      'to', 'to %s',
      'as_of', 'As of',
      'release', 'Release',
      'made', 'made on',
      'policy', 'Publication threshold',
      'table1', 'Table 1 — Invitations, decisions and notices of intent to cancel by invitation round',
      'table2', 'Table 2 — By year of invitation',
      'chart1', 'Chart 1 — Decisions and notices by year of invitation',
      'table3', 'Table 3 — By year of invitation and category of round',
      'category', 'Category of the invitation round',
      'date', 'Date of the round',
      'g_invitations', 'Invitations issued',
      'g_decision', 'Final decision',
      'g_notices', 'Intent to cancel the invitation',
      'round_heads', jsonb_build_object(
        'invitations', 'Invitations',
        'declined', 'Candidates who declined the invitation',
        'expired', 'Invitations expired without an answer',
        'rejected', 'Applications rejected (false, misleading or missing documents)',
        'refused', 'Applications refused (grid pass mark not reached)',
        'notices_cannot_support', 'Ground a): could not provide supporting documents',
        'notices_did_not_support', 'Ground b): did not provide supporting documents'),
      'summary_heads', jsonb_build_object(
        'invitations', 'Invitations',
        'rejected', 'Applications rejected',
        'refused', 'Applications refused',
        'notices', 'Notices of intent to cancel issued',
        'declined', 'Invitations declined',
        'expired', 'Invitations expired without an answer'),
      'year', 'Year of invitation',
      'all_years', 'All years',
      'total', 'Total',
      'total_of', 'Total,',
      'interval', '%s to %s',
      'carried', '%s&nbsp;as&nbsp;of %s',
      'marker', 'Withheld counts: see note 1.',
      'chart_note', 'The chart shows the figures of Table 2.',
      'band', 'Withheld: its interval',
      'chart_bands', 'Pale band: a withheld count, from the lower to the upper bound of its interval (up to the top, '
                     'with an arrow, when it has no upper bound).',
      'chart_x', 'x: withheld, no bound published.',
      'notes', 'Notes',
      'withheld', 'Withheld counts. Under sections 53 and 54 of the <cite>Act respecting access to documents held by '
                  'public bodies and the protection of personal information</cite> (Québec), information that '
                  'concerns a natural person and allows that person to be identified is confidential.',
      'threshold_1', 'This release withholds no small count (threshold: 1).',
      'threshold_2', 'A count of 1 is therefore not published, nor are the counts that would allow it to be worked '
                     'out from the totals, the other tables or earlier releases.',
      'threshold', 'A count from 1 to %s is therefore not published, nor are the counts that would allow it to be '
                   'worked out from the totals, the other tables or earlier releases.',
      'intervals', 'In place of a withheld count stands the interval of its possible values, as any reader can work '
                   'it out from all the counts published (this release, the earlier ones and their intervals): '
                   '"5 to 12" for a count from 5 to 12, "≤ 12" for a count from 0 to 12, "≥ 5" for a count of 5 or '
                   'more. Below the interval, in small type: the last value an earlier release showed of the count, '
                   'and the date of that release; it was already public.',
      'no_interval', '"x": a withheld count for which no bound was published (releases made before version 0.6.0 '
                     'of arrima_stats published no interval).',
      'not_rounded', 'Counts are not rounded.',
      'rounded', 'Published counts are rounded to the nearest multiple of %s; a total may therefore differ from '
                 'the sum of its parts.',
      'counting', 'Each invitation counts once, as it stood on the date of the release: declined, expired, '
                  'application rejected or refused (or invitation cancelled, application withdrawn, candidate '
                  'selected, file in progress). Notices of intent to cancel are counted when issued, whatever the '
                  'final decision, by ground: a) the ministry has reason to believe the candidate cannot provide '
                  'documents supporting what the declaration of interest stated; b) the candidate did not provide '
                  'those documents. Years are years of invitation.',
      'glossary', 'BDI: the pool of declarations of interest (banque des déclarations d''intérêt). RE: foreign '
                  'national (ressortissant étranger). OEV: validated job offer (offre d''emploi validée). CMM: '
                  'Montreal Metropolitan Community. PAMO-TI: government action plan against the labour shortage in '
                  'information technology. OPMO: labour shortage operation (Opération main-d''œuvre). RIQ: '
                  'Regulation respecting immigration to Québec; persons covered by RIQ section 26: holders of a '
                  'diplomatic visa. LIQ: Québec Immigration Act; persons covered by LIQ section 47: persons invited '
                  'by exemption. MIFI: Ministère de l''Immigration, de la Francisation et de l''Intégration.',
      'none', 'No data.');
  END IF;
  RAISE EXCEPTION 'lang must be ''fr'' or ''en'', not %', coalesce(quote_literal(lang), 'NULL')
    USING ERRCODE = 'invalid_parameter_value',
          HINT = '''fr'': the document in French; ''en'': in English.';
END
$$;
COMMENT ON FUNCTION arrima_stats.document_text(text) IS
  'Les mots du document d''une diffusion, en français (fr) ou en anglais (en), par clé / '
  'the words of a release''s document, in French (fr) or English (en), by key';

-- The style sheet; the footer of each printed page is the release's.
CREATE FUNCTION arrima_stats.document_style(footer text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT $css$
@page { size: landscape; margin: 12mm 12mm 14mm 12mm;
  @bottom-left { content: "$css$ || footer || $css$"; font: 7pt "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; color: #5b6670; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 7pt "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; color: #5b6670; } }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; font-size: 8pt;
       line-height: 1.25; color: #1b1f23; margin: 0; }
@media screen { body { max-width: 1160px; margin: 24px auto; padding: 0 24px; } }
header { border-bottom: 2.5pt solid #095797; padding-bottom: 7pt; margin-bottom: 4pt; }
.eyebrow { margin: 0; font-size: 7.5pt; font-weight: bold; letter-spacing: 0.06em; text-transform: uppercase;
           color: #095797; }
h1 { margin: 3pt 0 5pt; font-size: 16pt; line-height: 1.15; color: #223654; }
.meta { margin: 0; font-size: 8.5pt; color: #333; }
.meta b { color: #223654; }
.meta span + span::before { content: "·"; margin: 0 7pt; color: #8a96a3; }
h2 { margin: 13pt 0 5pt; font-size: 10.5pt; color: #223654; break-after: avoid; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { padding: 2pt 4pt; border-bottom: 0.5pt solid #cfd7df; vertical-align: top; }
thead th { background: #e6edf5; color: #223654; font-size: 7.3pt; font-weight: bold; line-height: 1.2;
           text-align: center; vertical-align: bottom; border: 0.5pt solid #ffffff; }
thead tr.groups th { background: #223654; color: #ffffff; font-size: 7.8pt; vertical-align: middle; }
thead th.label { text-align: left; }
tbody th { text-align: left; font-weight: normal; }
td { text-align: right; white-space: nowrap; }
td.date { text-align: left; }
td.x { color: #6a737d; }
td.w { color: #44505c; font-style: italic; }
td .carried { display: block; font-size: 6.3pt; line-height: 1.2; font-style: normal; color: #6a737d;
              white-space: normal; }
tr.total th, tr.total td { font-weight: bold; background: #eef2f7; border-top: 1pt solid #223654;
                           border-bottom: 1pt solid #223654; }
tr.subtotal th, tr.subtotal td { font-weight: bold; border-top: 0.5pt solid #223654; }
tr.total td .carried, tr.subtotal td .carried { font-weight: normal; }
tr.group th { padding-top: 6pt; font-weight: bold; color: #095797; border-bottom: 0.75pt solid #095797; }
p.marker { margin: 3pt 0 0; font-size: 7.5pt; color: #444; }
.chart { margin: 0; break-inside: avoid; }
.chart svg { display: block; width: 100%; height: auto; }
.chart text { font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; fill: #333; }
.chart .tick { font-size: 8px; text-anchor: end; fill: #5b6670; }
.chart .v { font-size: 7px; text-anchor: middle; }
.chart .x { font-size: 8px; text-anchor: middle; fill: #6a737d; font-weight: bold; }
.chart .year { font-size: 9px; text-anchor: middle; font-weight: bold; fill: #223654; }
.chart .grid { stroke: #e1e6eb; stroke-width: 1; }
.chart .axis { stroke: #223654; stroke-width: 1.2; }
.chart .band { fill-opacity: 0.3; stroke-width: 1; stroke-dasharray: 3 1.5; }
.chart .open { fill-opacity: 0.3; }
.chart .edge { fill: none; stroke-width: 1; stroke-dasharray: 3 1.5; }
.chart .arrow { fill: none; stroke-width: 1.2; }
.legend { font-size: 7.8pt; margin: 0 0 3pt; }
.legend .key { margin-right: 12pt; white-space: nowrap; }
.legend .swatch { display: inline-block; width: 9pt; height: 9pt; margin-right: 4pt; vertical-align: -1pt; }
.legend .swatch.band { box-sizing: border-box; background: #d2d7dc; border: 0.75pt dashed #5b6670; }
figcaption { font-size: 7.5pt; color: #444; }
.two { display: flex; gap: 16pt; align-items: flex-start; break-inside: avoid; }
.two > #years { flex: 0 0 54%; }
.two > #chart { flex: 1 1 0; min-width: 0; }
section.notes { break-inside: avoid; font-size: 7.8pt; border-top: 0.75pt solid #cfd7df; margin-top: 12pt; }
section.notes h2 { margin-top: 8pt; }
section.notes dl { display: grid; grid-template-columns: 1.4em 1fr; gap: 3pt 6pt; margin: 0; }
section.notes dt { font-weight: bold; }
section.notes dd { margin: 0; }
footer { margin-top: 10pt; font-size: 7.5pt; color: #5b6670; }
$css$
$$;
COMMENT ON FUNCTION arrima_stats.document_style(text) IS
  'La feuille de style du document d''une diffusion (écran, impression Letter ou A4 à l''italienne), avec le pied '
  'de page donné / the style sheet of a release''s document (screen, print on Letter or A4 landscape), with the '
  'footer given';

-- The counts the document shows of each dashboard, in the order of its
-- columns.
CREATE FUNCTION arrima_stats.document_columns(dashboard text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE dashboard
           WHEN 'round_dashboard'
             THEN '{invitations,declined,expired,rejected,refused,notices_cannot_support,notices_did_not_support}'
           WHEN 'annual_summary' THEN '{invitations,rejected,refused,notices,declined,expired}'
           WHEN 'category_summary' THEN '{invitations,rejected,refused,notices,declined,expired}'
         END::text[]
$$;
COMMENT ON FUNCTION arrima_stats.document_columns(text) IS
  'Les nombres que le document montre d''un tableau de bord (round_dashboard, annual_summary, category_summary), '
  'dans l''ordre de ses colonnes / the counts the document shows of a dashboard (round_dashboard, annual_summary, '
  'category_summary), in the order of its columns';

-- One count as a cell of a table: its value; when withheld, the interval
-- published with it (« 5 à 12 », « ≤ 12 » from 0, « ≥ 5 » unbounded), or x
-- when it has no bound (0 and unbounded: releases made before 0.6.0), and
-- below it the value an earlier release showed, with that release's date.
CREATE FUNCTION arrima_stats.document_cell(lang text, value bigint, lower bigint, upper bigint,
                                           carried_value bigint, carried_as_of date)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE
           WHEN value IS NOT NULL THEN '<td>' || arrima_stats.format_count(value, lang) || '</td>'
           ELSE CASE
                  WHEN coalesce(lower, 0) = 0 AND upper IS NULL THEN '<td class="x">x'
                  WHEN upper IS NULL THEN '<td class="w">≥ ' || arrima_stats.format_count(lower, lang)
                  WHEN coalesce(lower, 0) = 0 THEN '<td class="w">≤ ' || arrima_stats.format_count(upper, lang)
                  ELSE '<td class="w">' || pg_catalog.format(t->>'interval', arrima_stats.format_count(lower, lang),
                                                             arrima_stats.format_count(upper, lang))
                END
                || CASE WHEN carried_value IS NOT NULL
                        THEN '<span class="carried">'
                             || pg_catalog.format(t->>'carried', arrima_stats.format_count(carried_value, lang),
                                                  replace(arrima_stats.format_date(carried_as_of, lang),
                                                          ' ', '&nbsp;'))
                             || '</span>'
                        ELSE '' END
                || '</td>'
         END
    FROM arrima_stats.document_text(lang) t
$$;
COMMENT ON FUNCTION arrima_stats.document_cell(text, bigint, bigint, bigint, bigint, date) IS
  'Un nombre en cellule de tableau : sa valeur ; masqué, son intervalle (« 5 à 12 », « ≤ 12 », « ≥ 5 », x sans '
  'borne) et la dernière valeur montrée avec sa date / one count as a table cell: its value; when withheld, its '
  'interval ("5 to 12", "≤ 12", "≥ 5", x with no bound) and the last value shown with its date';

-- The rows of a dashboard: a row's keys, its label (HTML-escaped) and its
-- cells, in the order of document_columns.
CREATE FUNCTION arrima_stats.document_rows(lang text, dashboard text, counts arrima_stats.document_count[])
RETURNS TABLE (row_kind text, round_id integer, held_on date, year integer, label text, cells text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT c.row_kind, c.round_id, c.held_on, c.year, arrima_stats.html_escape(c.label),
         string_agg(arrima_stats.document_cell(lang, c.value, c.lower, c.upper, c.carried_value, c.carried_as_of),
                    '' ORDER BY array_position(arrima_stats.document_columns(document_rows.dashboard), c.measure))
    FROM unnest(counts) c
   WHERE c.dashboard = document_rows.dashboard
     AND c.measure = ANY (arrima_stats.document_columns(document_rows.dashboard))
   GROUP BY c.row_kind, c.round_id, c.held_on, c.year, c.category, c.label
$$;
COMMENT ON FUNCTION arrima_stats.document_rows(text, text, arrima_stats.document_count[]) IS
  'Les lignes d''un tableau de bord dans le document : clés, libellé échappé pour HTML, cellules / '
  'the rows of a dashboard in the document: keys, label escaped for HTML, cells';

-- A table of the document: its title, its head (the counts' columns from
-- the words, after the keys' columns), the rows given, and the mark.
CREATE FUNCTION arrima_stats.document_table(lang text, dashboard text, body text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT '<section id="' || f.id || '">' || E'\n' || '<h2>' || (t->>f.title) || '</h2>' || E'\n'
         || '<table>' || E'\n' || f.colgroup || '<thead>' || E'\n' || f.head_start
         || (SELECT string_agg('<th scope="col">' || (t->f.heads->>m) || '</th>', '' ORDER BY o)
               FROM unnest(arrima_stats.document_columns(document_table.dashboard)) WITH ORDINALITY u (m, o))
         || '</tr>' || E'\n' || '</thead>' || E'\n'
         || '<tbody>' || E'\n'
         || coalesce(body, '<tr><td colspan="' || f.span || '">' || (t->>'none') || '</td></tr>') || E'\n'
         || '</tbody>' || E'\n' || '</table>' || E'\n'
         || '<p class="marker">' || (t->>'marker') || '</p>' || E'\n'
         || '</section>' || E'\n'
    FROM arrima_stats.document_text(lang) t
   CROSS JOIN LATERAL (VALUES
     ('round_dashboard', 'rounds', 'table1', 'round_heads', 9,
      '<colgroup><col style="width:30%"><col style="width:10%">' || repeat('<col style="width:8.5%">', 7)
      || '</colgroup>' || E'\n',
      '<tr class="groups"><th scope="col" rowspan="2" class="label">' || (t->>'category') || '</th>'
      || '<th scope="col" rowspan="2" class="label">' || (t->>'date') || '</th>'
      || '<th scope="colgroup" colspan="3">' || (t->>'g_invitations') || '</th>'
      || '<th scope="colgroup" colspan="2">' || (t->>'g_decision') || '</th>'
      || '<th scope="colgroup" colspan="2">' || (t->>'g_notices') || '</th></tr>' || E'\n' || '<tr>'),
     ('annual_summary', 'years', 'table2', 'summary_heads', 7, '',
      '<tr><th scope="col" class="label">' || (t->>'year') || '</th>'),
     ('category_summary', 'categories', 'table3', 'summary_heads', 7,
      '<colgroup><col style="width:46%">' || repeat('<col style="width:9%">', 6) || '</colgroup>' || E'\n',
      '<tr><th scope="col" class="label">' || (t->>'category') || '</th>')
   ) f (dashboard, id, title, heads, span, colgroup, head_start)
   WHERE f.dashboard = document_table.dashboard
$$;
COMMENT ON FUNCTION arrima_stats.document_table(text, text, text) IS
  'Un tableau du document (round_dashboard, annual_summary ou category_summary) : titre, en-tête, lignes données, '
  'renvoi aux notes / a table of the document (round_dashboard, annual_summary or category_summary): title, head, '
  'the rows given, the pointer to the notes';

-- Table 1: a row per round, by date, then the total row.
CREATE FUNCTION arrima_stats.document_rounds(lang text, counts arrima_stats.document_count[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT arrima_stats.document_table(lang, 'round_dashboard',
           (SELECT string_agg(CASE WHEN r.row_kind = 'total'
                                   THEN '<tr class="total"><th scope="row" colspan="2">' || (t->>'total') || '</th>'
                                   ELSE '<tr><th scope="row">' || r.label || '</th><td class="date">'
                                        || arrima_stats.format_date(r.held_on, lang) || '</td>'
                              END || r.cells || '</tr>',
                              E'\n' ORDER BY r.row_kind = 'total', r.held_on, r.round_id)
              FROM arrima_stats.document_rows(lang, 'round_dashboard', counts) r))
    FROM arrima_stats.document_text(lang) t
$$;
COMMENT ON FUNCTION arrima_stats.document_rounds(text, arrima_stats.document_count[]) IS
  'Le tableau 1 du document : une ligne par exercice d''invitation, puis le total / '
  'Table 1 of the document: a row per invitation round, then the total';

-- Table 2: a row per year of invitation.
CREATE FUNCTION arrima_stats.document_years(lang text, counts arrima_stats.document_count[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT arrima_stats.document_table(lang, 'annual_summary',
           (SELECT string_agg('<tr><th scope="row">' || r.year || '</th>' || r.cells || '</tr>', E'\n'
                              ORDER BY r.year)
              FROM arrima_stats.document_rows(lang, 'annual_summary', counts) r))
$$;
COMMENT ON FUNCTION arrima_stats.document_years(text, arrima_stats.document_count[]) IS
  'Le tableau 2 du document : une ligne par année d''invitation / Table 2 of the document: a row per year of '
  'invitation';

-- Table 3: a group per year, then one of all years; in each, a row per
-- category, then the group's total.
CREATE FUNCTION arrima_stats.document_categories(lang text, counts arrima_stats.document_count[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT arrima_stats.document_table(lang, 'category_summary',
           (SELECT string_agg(CASE WHEN r.nth = 1
                                   THEN '<tr class="group"><th scope="rowgroup" colspan="7">'
                                        || coalesce(r.year::text, t->>'all_years') || '</th></tr>' || E'\n'
                                   ELSE '' END
                              || CASE r.row_kind
                                   WHEN 'year' THEN '<tr class="subtotal"><th scope="row">' || (t->>'total_of')
                                                    || ' ' || r.year || '</th>'
                                   WHEN 'total' THEN '<tr class="total"><th scope="row">' || (t->>'total') || '</th>'
                                   ELSE '<tr><th scope="row">' || r.label || '</th>'
                                 END || r.cells || '</tr>',
                              E'\n' ORDER BY r.year NULLS LAST, r.last, r.label)
              FROM (SELECT d.*, d.row_kind IN ('year', 'total') AS last,
                           row_number() OVER (PARTITION BY d.year ORDER BY d.row_kind IN ('year', 'total'), d.label)
                             AS nth
                      FROM arrima_stats.document_rows(lang, 'category_summary', counts) d) r))
    FROM arrima_stats.document_text(lang) t
$$;
COMMENT ON FUNCTION arrima_stats.document_categories(text, arrima_stats.document_count[]) IS
  'Le tableau 3 du document : par année d''invitation puis toutes années, une ligne par catégorie et le total / '
  'Table 3 of the document: per year of invitation then all years, a row per category and the total';

-- Chart 1: the outcomes the request asked for, grouped by year.  Bars on
-- a scale of round steps; a withheld count is a pale band over its
-- interval (open to the top of the axis, with an arrow, when it has no
-- upper bound), or an x on the axis when it has no bound at all.
CREATE FUNCTION arrima_stats.document_chart(lang text, counts arrima_stats.document_count[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t jsonb := arrima_stats.document_text(lang);
  measures text[] := '{rejected,refused,notices,declined,expired}';
  colors text[] := '{#223654,#095797,#4a90c8,#9cc3e4,#b58a3c}';
  years integer[];
  top_value bigint;        -- at the top of the axis
  step bigint;             -- between two lines of the grid
  group_w numeric;         -- a year's bars
  bar_w numeric;
  c arrima_stats.document_count;
  g integer;
  k integer;
  x numeric;               -- a bar's left edge
  y_low numeric;           -- a band's lower edge
  y_high numeric;          -- ... and its upper edge
  grid text := '';
  marks text := '';
  legend text := '';
  bands boolean := false;
  blanks boolean := false;
BEGIN
  years := ARRAY(SELECT DISTINCT u.year FROM unnest(counts) u
                  WHERE u.dashboard = 'annual_summary' AND u.measure = ANY (measures) ORDER BY 1);
  IF cardinality(years) = 0 THEN
    RETURN '<section id="chart">' || E'\n' || '<h2 id="chart1">' || (t->>'chart1') || '</h2>' || E'\n'
           || '<p>' || (t->>'none') || '</p>' || E'\n' || '</section>' || E'\n';
  END IF;
  -- The axis reaches every value and upper bound, and a quarter above an
  -- open band's lower bound; a step of 1, 2 or 5 times a power of ten, at
  -- most five steps high.
  SELECT greatest(max(coalesce(u.value, u.upper)),
                  ceil(1.25 * max(u.lower) FILTER (WHERE u.value IS NULL AND u.upper IS NULL)), 1)
    INTO top_value
    FROM unnest(counts) u
   WHERE u.dashboard = 'annual_summary' AND u.measure = ANY (measures);
  step := power(10, floor(log(greatest(top_value / 5.0, 1))))::bigint;
  step := CASE WHEN top_value <= 5 * step THEN step WHEN top_value <= 10 * step THEN 2 * step
               WHEN top_value <= 25 * step THEN 5 * step ELSE 10 * step END;
  top_value := ((top_value + step - 1) / step) * step;
  group_w := 428.0 / cardinality(years);
  bar_w := group_w * 0.76 / cardinality(measures);
  FOR k IN 0 .. (top_value / step)::integer LOOP
    y_low := 196 - 180.0 * k * step / top_value;
    grid := grid || pg_catalog.format('<line x1="44" x2="472" y1="%s" y2="%s" class="%s"/>'
                                      '<text x="39" y="%s" class="tick">%s</text>',
                                      round(y_low, 1), round(y_low, 1), CASE WHEN k = 0 THEN 'axis' ELSE 'grid' END,
                                      round(y_low + 3, 1), arrima_stats.format_count(k * step, lang));
  END LOOP;
  FOR g IN 1 .. cardinality(years) LOOP
    FOR c IN
      SELECT u.* FROM unnest(counts) u
       WHERE u.dashboard = 'annual_summary' AND u.year = years[g] AND u.measure = ANY (measures)
       ORDER BY array_position(measures, u.measure)
    LOOP
      k := array_position(measures, c.measure);
      x := 44 + (g - 1) * group_w + group_w * 0.12 + (k - 1) * bar_w;
      y_low := 196 - 180.0 * coalesce(c.value, c.lower, 0) / top_value;
      y_high := 196 - 180.0 * c.upper / top_value;
      IF c.value IS NOT NULL THEN
        marks := marks || pg_catalog.format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>',
                                            round(x + 0.5, 1), round(y_low, 1), round(bar_w - 1, 1),
                                            round(196 - y_low, 1), colors[k]);
        IF bar_w >= 13 THEN
          marks := marks || pg_catalog.format('<text x="%s" y="%s" class="v">%s</text>', round(x + bar_w / 2, 1),
                                              round(y_low - 3, 1), arrima_stats.format_count(c.value, lang));
        END IF;
      ELSIF c.upper IS NOT NULL THEN
        bands := true;
        marks := marks || pg_catalog.format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" '
                                            'class="band"/>',
                                            round(x + 1, 1), round(y_high, 1), round(bar_w - 2, 1),
                                            round(greatest(y_low - y_high, 1), 1), colors[k], colors[k]);
      ELSIF c.lower > 0 THEN
        -- open: from the lower bound up to the top of the axis, an arrow above
        bands := true;
        marks := marks || pg_catalog.format('<rect x="%s" y="16" width="%s" height="%s" fill="%s" class="open"/>'
                                            '<path d="M%s 16V%sH%sV16" stroke="%s" class="edge"/>'
                                            '<path d="M%s 14L%s 9L%s 14" stroke="%s" class="arrow"/>',
                                            round(x + 1, 1), round(bar_w - 2, 1), round(y_low - 16, 1), colors[k],
                                            round(x + 1, 1), round(y_low, 1), round(x + bar_w - 1, 1), colors[k],
                                            round(x + bar_w / 2 - 4, 1), round(x + bar_w / 2, 1),
                                            round(x + bar_w / 2 + 4, 1), colors[k]);
      ELSE
        blanks := true;
        marks := marks || pg_catalog.format('<text x="%s" y="192" class="x">x</text>', round(x + bar_w / 2, 1));
      END IF;
    END LOOP;
    marks := marks || pg_catalog.format('<text x="%s" y="212" class="year">%s</text>',
                                        round(44 + (g - 0.5) * group_w, 1), years[g]);
  END LOOP;
  FOR k IN 1 .. cardinality(measures) LOOP
    legend := legend || pg_catalog.format('<span class="key"><span class="swatch" style="background:%s">'
                                          '</span>%s</span>', colors[k], t->'summary_heads'->>measures[k]);
  END LOOP;
  IF bands THEN
    legend := legend || '<span class="key"><span class="swatch band"></span>' || (t->>'band') || '</span>';
  END IF;
  RETURN '<section id="chart">' || E'\n' || '<h2 id="chart1">' || (t->>'chart1') || '</h2>' || E'\n'
         || '<figure class="chart"><div class="legend">' || legend || '</div>'
         || '<svg viewBox="0 0 480 218" role="img" aria-labelledby="chart1">' || grid || marks || '</svg>'
         || '<figcaption>' || (t->>'chart_note')
         || CASE WHEN bands THEN ' ' || (t->>'chart_bands') ELSE '' END
         || CASE WHEN blanks THEN ' ' || (t->>'chart_x') ELSE '' END
         || '</figcaption></figure>' || E'\n' || '</section>' || E'\n';
END
$$;
COMMENT ON FUNCTION arrima_stats.document_chart(text, arrima_stats.document_count[]) IS
  'Le graphique 1 du document (SVG) : décisions et avis par année, une bande sur l''intervalle d''un nombre masqué / '
  'Chart 1 of the document (SVG): decisions and notices per year, a band over a withheld count''s interval';

-- The notes: the withheld counts (the access act, the release's threshold,
-- the intervals and carried values, x only where the tables show one, the
-- rounding), how invitations are counted, the glossary.
CREATE FUNCTION arrima_stats.document_notes(lang text, min_count integer, round_to integer,
                                            counts arrima_stats.document_count[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT '<section class="notes">' || E'\n' || '<h2>' || (t->>'notes') || '</h2>' || E'\n' || '<dl>' || E'\n'
         || '<dt>1</dt><dd>' || (t->>'withheld') || ' '
         || CASE WHEN min_count <= 1 THEN t->>'threshold_1'
                 WHEN min_count = 2 THEN t->>'threshold_2'
                 ELSE pg_catalog.format(t->>'threshold', arrima_stats.format_count(min_count - 1, lang)) END
         || ' ' || (t->>'intervals')
         || CASE WHEN EXISTS (SELECT FROM unnest(counts) c
                               WHERE c.value IS NULL AND coalesce(c.lower, 0) = 0 AND c.upper IS NULL
                                 AND c.measure = ANY (arrima_stats.document_columns(c.dashboard)))
                 THEN ' ' || (t->>'no_interval') ELSE '' END
         || ' ' || CASE WHEN round_to <= 1 THEN t->>'not_rounded'
                        ELSE pg_catalog.format(t->>'rounded', arrima_stats.format_count(round_to, lang)) END
         || '</dd>' || E'\n'
         || '<dt>2</dt><dd>' || (t->>'counting') || '</dd>' || E'\n'
         || '<dt>3</dt><dd>' || (t->>'glossary') || '</dd>' || E'\n'
         || '</dl>' || E'\n' || '</section>' || E'\n'
    FROM arrima_stats.document_text(lang) t
$$;
COMMENT ON FUNCTION arrima_stats.document_notes(text, integer, integer, arrima_stats.document_count[]) IS
  'Les notes du document : nombres masqués (loi sur l''accès, seuil, intervalles, valeurs reportées, arrondi), '
  'comptage des invitations, glossaire / the notes of the document: withheld counts (access act, threshold, '
  'intervals, carried values, rounding), how invitations are counted, glossary';

-- The document: the release's counts read once from arrima_published, with
-- the caller's rights, and handed to the pieces, which it puts together.
CREATE FUNCTION arrima_stats.release_document(lang text DEFAULT 'fr', release_id integer DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rel record;
  counts arrima_stats.document_count[];
  t jsonb;
  first_year integer;
  as_of text;
  footer text;
BEGIN
  IF lang IS DISTINCT FROM 'fr' AND lang IS DISTINCT FROM 'en' THEN
    RAISE EXCEPTION 'lang must be ''fr'' or ''en'', not %', coalesce(quote_literal(lang), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'release_document(''fr'') writes the document in French, release_document(''en'') in English.';
  END IF;
  SELECT r.* INTO rel
    FROM arrima_published.release r
   WHERE r.release_id = coalesce(release_document.release_id,
                                 (SELECT max(l.release_id) FROM arrima_published.release l));
  IF NOT FOUND THEN
    IF release_document.release_id IS NULL THEN
      RAISE EXCEPTION 'there is no release yet'
        USING ERRCODE = 'no_data_found',
              HINT = 'arrima_stats.refresh_publications(), run by the extension''s owner, makes one.';
    END IF;
    RAISE EXCEPTION 'release % does not exist', release_document.release_id
      USING ERRCODE = 'no_data_found',
            HINT = 'SELECT release_id, as_of FROM arrima_published.release lists the releases.';
  END IF;

  -- Everything the document shows, read once: each count of the release as
  -- the reader schema shows it (a withheld one NULL, with its interval and
  -- the value shown before), with its category's label.
  counts := ARRAY(
    SELECT (c.dashboard, c.row_kind, c.round_id, c.held_on, c.year, c.category,
            coalesce(CASE WHEN lang = 'fr' THEN k.label_fr ELSE k.label_en END, c.category),
            c.measure, c.value, c.lower, c.upper, c.carried_value, c.carried_as_of)::arrima_stats.document_count
      FROM arrima_published.release_count c
      LEFT JOIN arrima_published.category k ON k.code = c.category
     WHERE c.release_id = rel.release_id);

  t := arrima_stats.document_text(lang);
  first_year := (SELECT min(c.year) FROM unnest(counts) c WHERE c.dashboard = 'annual_summary');
  as_of := arrima_stats.format_date(rel.as_of, lang);
  footer := pg_catalog.format('%s %s · %s %s', t->>'release', rel.release_id, t->>'as_of', as_of);
  RETURN '<!DOCTYPE html>' || E'\n'
    || '<html lang="' || CASE WHEN lang = 'fr' THEN 'fr-CA' ELSE 'en-CA' END || '">' || E'\n'
    || '<head>' || E'\n' || '<meta charset="utf-8">' || E'\n'
    || '<meta name="generator" content="arrima_stats">' || E'\n'
    || '<title>' || (t->>'title') || ' — ' || (t->>'as_of') || ' ' || as_of || '</title>' || E'\n'
    || '<style>' || arrima_stats.document_style(footer) || '</style>' || E'\n' || '</head>' || E'\n'
    || '<body>' || E'\n'
    || '<header>' || E'\n'
    || '<p class="eyebrow">' || (t->>'eyebrow') || '</p>' || E'\n'
    || '<h1>' || (t->>'title') || ' '
    || CASE WHEN first_year IS NULL THEN pg_catalog.format(t->>'to', as_of)
            ELSE pg_catalog.format(t->>'from_to', first_year, as_of) END || '</h1>' || E'\n'
    || '<p class="meta"><span>' || (t->>'as_of') || ' <b>' || as_of || '</b></span><span>'
    || (t->>'release') || ' <b>' || rel.release_id || '</b> ' || (t->>'made') || ' '
    || arrima_stats.format_date((rel.made_at)::date, lang) || '</span><span>' || (t->>'policy') || ' '
    || arrima_stats.format_count(rel.min_count, lang) || '</span></p>' || E'\n'
    || '</header>' || E'\n'
    || arrima_stats.document_rounds(lang, counts)
    || '<div class="two">' || E'\n'
    || arrima_stats.document_years(lang, counts)
    || arrima_stats.document_chart(lang, counts)
    || '</div>' || E'\n'
    || arrima_stats.document_categories(lang, counts)
    || arrima_stats.document_notes(lang, rel.min_count, rel.round_to, counts)
    || '<footer>' || footer || ' · ' || (t->>'made') || ' '
    || arrima_stats.format_date((rel.made_at)::date, lang) || '</footer>' || E'\n'
    || '</body>' || E'\n' || '</html>' || E'\n';
END
$$;
COMMENT ON FUNCTION arrima_stats.release_document(text, integer) IS
  'Une diffusion (par défaut la dernière) en un document HTML autonome, en français (fr) ou en anglais (en), '
  'comme l''annexe de la lettre du ministère : tableaux, graphique, nombres masqués donnés par leur intervalle / '
  'a release (the latest by default) as one self-contained HTML document, in French (fr) or English (en), '
  'laid out like the annex of the ministry''s letter: tables, chart, withheld counts given as their interval; it '
  'reads arrima_published only, with the caller''s rights';
REVOKE ALL ON FUNCTION arrima_stats.release_document(text, integer) FROM PUBLIC;

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

-- A reporting role reads the reader schema, arrima_published, and the
-- document of a release; and, as before 0.5.0, the published views and
-- the history of what the releases showed in arrima_stats.  Nothing else.
CREATE FUNCTION arrima_stats.grant_reporting(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA arrima_published TO %s', role);
  -- the schema holds only what a reporting role may read: all of it
  EXECUTE pg_catalog.format('GRANT SELECT ON ALL TABLES IN SCHEMA arrima_published TO %s', role);
  EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION arrima_stats.release_document(text, integer) TO %s',
                            role);
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA arrima_stats TO %s', role);
  EXECUTE pg_catalog.format('GRANT SELECT ON arrima_stats.round_dashboard_published, '
                            'arrima_stats.annual_summary_published, '
                            'arrima_stats.category_summary_published, '
                            'arrima_stats.published_release, '
                            'arrima_stats.published_count TO %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.grant_reporting(regrole) IS
  'Donne à un rôle la lecture du schéma arrima_published (toutes ses vues), le document d''une diffusion, les '
  'trois vues diffusées et l''historique montré, et rien d''autre / '
  'grants a role what reading the schema arrima_published (every view in it), the document of a release '
  '(release_document), the three published views and the history of what releases showed takes (USAGE on the '
  'schemas, SELECT on the views, EXECUTE on release_document), nothing more';
REVOKE ALL ON FUNCTION arrima_stats.grant_reporting(regrole) FROM PUBLIC;

CREATE FUNCTION arrima_stats.revoke_reporting(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  EXECUTE pg_catalog.format('REVOKE SELECT ON arrima_stats.round_dashboard_published, '
                            'arrima_stats.annual_summary_published, '
                            'arrima_stats.category_summary_published, '
                            'arrima_stats.published_release, '
                            'arrima_stats.published_count FROM %s', role);
  EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA arrima_stats FROM %s', role);
  EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION arrima_stats.release_document(text, integer) FROM %s',
                            role);
  EXECUTE pg_catalog.format('REVOKE SELECT ON ALL TABLES IN SCHEMA arrima_published FROM %s', role);
  EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA arrima_published FROM %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.revoke_reporting(regrole) IS
  'Retire ce que grant_reporting a donné / revokes what grant_reporting granted';
REVOKE ALL ON FUNCTION arrima_stats.revoke_reporting(regrole) FROM PUBLIC;

------------------------------------------------------------------------
-- The columns of the six dashboards: the raw views and the published ones
-- share their meanings; a published count is NULL when withheld.  And the
-- counts of publication_row, the published views' one pivot.  (The
-- reader schema's dashboards have their own, reader.sql.)
------------------------------------------------------------------------

DO $$
DECLARE
  col record;
  dashboard text;
  -- the columns that are not counts
  keys text[] := ARRAY['round_id', 'category', 'held_on', 'year', 'is_total', 'as_of',
                       'refreshed_at', 'row_key'];
BEGIN
  FOR col IN
    SELECT * FROM (VALUES
      -- (name, the dashboard it is for, or NULL: every one, French, English)
      ('round_id', NULL, 'Exercice d''invitation (NULL : ligne de total)',
                         'invitation round (NULL in the total row)'),
      ('category', 'round_dashboard', 'Catégorie de l''exercice (NULL : ligne de total)',
                                      'category of the round (NULL in the total row)'),
      ('category', 'category_summary', 'Catégorie de l''exercice (NULL : toutes, dans les sous-totaux)',
                                       'category of the round (NULL: all categories, in subtotals)'),
      ('held_on', NULL, 'Date de l''exercice', 'date of the round'),
      ('year', 'annual_summary', 'Année d''invitation', 'year of invitation'),
      ('year', 'category_summary', 'Année d''invitation (NULL : toutes, dans les sous-totaux)',
                                   'year of invitation (NULL: all years, in subtotals)'),
      ('invitations', NULL, 'Invitations', 'invitations'),
      ('declined', NULL, 'Invitations déclinées par le candidat', 'invitations the candidate declined'),
      ('expired', NULL, 'Invitations expirées sans réponse dans le délai',
                        'invitations that expired unanswered within the response window'),
      ('rejected', NULL, 'Demandes rejetées (faux ou trompeur, ou pièces non fournies)',
                         'applications rejected (false or misleading, or documents not provided)'),
      ('refused', NULL, 'Demandes refusées (seuil de la grille non atteint)',
                        'applications refused (below the selection grid''s pass mark)'),
      ('notices_cannot_support', NULL,
       'Avis d''intention d''annulation, motif : ne pourrait fournir les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate cannot provide supporting documents'),
      ('notices_did_not_support', NULL,
       'Avis d''intention d''annulation, motif : n''a pas fourni les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate did not provide supporting documents'),
      ('notices', NULL, 'Avis d''intention d''annulation émis, deux motifs',
                        'notices of intent to cancel issued, both grounds'),
      ('awaiting_response', NULL, 'En attente de réponse (délai en cours)', 'awaiting a response (window open)'),
      ('in_processing', NULL, 'Demandes en traitement', 'applications in processing'),
      ('cancellation_pending', NULL, 'Annulation en attente (avis envoyé, pas de décision)',
                                     'cancellation pending (notice sent, no final outcome yet)'),
      ('cancelled', NULL, 'Invitations annulées', 'invitations cancelled'),
      ('withdrawn', NULL, 'Demandes retirées', 'applications withdrawn'),
      ('selected', NULL, 'Candidats sélectionnés (CSQ délivré)', 'candidates selected (CSQ issued)'),
      ('invitations_published', NULL,
       'Nombre d''invitations publié par le ministère (NULL : non publié ; ligne de total : la somme, '
       's''il est publié pour chaque exercice)',
       'number of invitations the ministry published (NULL: not published; in the total row, the sum when '
       'it is published for every round)'),
      ('is_total', NULL, 'Ligne de total', 'the total row'),
      ('as_of', NULL, 'Date à laquelle les situations sont lues', 'the date the outcomes are read as of'),
      ('refreshed_at', NULL, 'Moment du calcul de la diffusion', 'when the publication was computed'),
      ('row_key', NULL,
       'Clé unique de la ligne : numéro de l''exercice ou total, année/catégorie (pour l''index unique de '
       'REFRESH … CONCURRENTLY) ; jamais NULL, bien que la colonne soit dite nullable',
       'unique key of the row: the round number or total, year/category (for the unique index '
       'REFRESH … CONCURRENTLY needs); never NULL, though clients see a nullable column')
    ) AS v (name, for_dashboard, fr, en)
  LOOP
    FOREACH dashboard IN ARRAY ARRAY['round_dashboard', 'annual_summary', 'category_summary'] LOOP
      CONTINUE WHEN col.for_dashboard <> dashboard;
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
                                  CASE WHEN col.name = ANY (keys)
                                       THEN col.fr || ' / ' || col.en
                                       -- not published, or withheld: it would give a withheld count away
                                       WHEN col.name = 'invitations_published'
                                       THEN 'Nombre d''invitations publié par le ministère (NULL : non publié, '
                                            'ou masqué avec le nombre d''invitations, qu''il révélerait) / '
                                            'number of invitations the ministry published (NULL: not '
                                            'published, or withheld with the count of invitations, which it '
                                            'would give away)'
                                       ELSE col.fr || ' (NULL : masqué) / ' || col.en || ' (NULL: withheld)'
                                  END);
      END IF;
    END LOOP;
    -- the counts of publication_row, which the published views are made
    -- from, as theirs (its other columns are commented with it)
    IF col.name <> ALL (keys)
       AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = 'arrima_stats.publication_row'::regclass
                      AND a.attname = col.name) THEN
      EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_stats.publication_row.%I IS %L', col.name,
                                col.fr || ' (NULL : masqué) / ' || col.en || ' (NULL: withheld)');
    END IF;
  END LOOP;
END
$$;
