/* arrima_stats--0.2.0--0.3.0.sql: prefixed C symbols, one pivot for the published views, comments */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION arrima_stats UPDATE TO '0.3.0'" to load this file. \quit

------------------------------------------------------------------------
-- Every C function bound to the main library under its arrima_ symbol.
--
-- 0.1.0 and 0.2.0 name the symbols without the prefix (classify, tally_in
-- ...).  Installed from their scripts today, they are bound to
-- $libdir/arrima_stats_legacy, which forwards each call to arrima_<name>;
-- installed before 0.3.0, to $libdir/arrima_stats under the old name,
-- which the library no longer exports.  Either way, from here on every C
-- function is MODULE_PATHNAME's arrima_<name>: same signature, same
-- attributes, only the link symbol changes.
------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION arrima_stats.classify(arrima_stats.invitation, as_of date DEFAULT CURRENT_DATE)
RETURNS arrima_stats.outcome
AS 'MODULE_PATHNAME', 'arrima_classify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_in(cstring) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_out(arrima_stats.tally) RETURNS cstring
AS 'MODULE_PATHNAME', 'arrima_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_recv(internal) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_send(arrima_stats.tally) RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_add(arrima_stats.tally, arrima_stats.tally)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_counts(
  arrima_stats.tally,
  OUT invitations bigint, OUT awaiting_response bigint, OUT declined bigint,
  OUT expired bigint, OUT in_processing bigint, OUT cancellation_pending bigint,
  OUT rejected bigint, OUT refused bigint, OUT cancelled bigint,
  OUT withdrawn bigint, OUT selected bigint,
  OUT notices_cannot_support bigint, OUT notices_did_not_support bigint)
AS 'MODULE_PATHNAME', 'arrima_tally_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_accum_row(arrima_stats.tally, arrima_stats.invitation, date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_accum_row' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_accum(
  arrima_stats.tally, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_accum(
  internal, key integer, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_by_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_final(internal)
RETURNS arrima_stats.keyed_tally[]
AS 'MODULE_PATHNAME', 'arrima_tally_by_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.invitation_fault(
  staged arrima_stats.invitation_staging, response_days integer)
RETURNS text
AS 'MODULE_PATHNAME', 'arrima_invitation_fault'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.parse_staged(
  staged arrima_stats.invitation_staging, response_days integer,
  OUT invitation_id bigint, OUT round_id integer, OUT invited_on date,
  OUT response_due_on date, OUT declined_on date, OUT application_on date,
  OUT notice_on date, OUT notice_ground arrima_stats.notice_ground,
  OUT decided_on date, OUT decision arrima_stats.decision, OUT fault text)
RETURNS record
AS 'MODULE_PATHNAME', 'arrima_parse_staged'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.staged_round_id(text)
RETURNS integer
AS 'MODULE_PATHNAME', 'arrima_staged_round_id'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.disclosure_cells(
  round_id integer[], year integer[], category text[], in_dashboard boolean[],
  invitations_published integer[], tally arrima_stats.tally[], min_count integer)
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, withheld boolean)
AS 'MODULE_PATHNAME', 'arrima_disclosure_cells'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.disclosure_bounds(
  round_id integer[], year integer[], category text[], in_dashboard boolean[],
  invitations_published integer[], tally arrima_stats.tally[], min_count integer,
  withheld_publication text[], withheld_row_key text[], withheld_measure text[])
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, lower bigint, upper bigint, safe boolean)
AS 'MODULE_PATHNAME', 'arrima_disclosure_bounds'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
------------------------------------------------------------------------
-- One pivot for the published views.
--
-- 0.2.0's three published views each pivot publication_cell themselves;
-- they are made again, with the same columns, types, order, unique indexes
-- and comments, over one view that pivots them all, publication_row.  A
-- materialized view's query cannot be changed in place, so each old one is
-- renamed, the new one created, and the old one's owner, comments
-- (relation and columns) and privileges (grant_reporting's) carried over
-- before it is dropped; one that was populated is refreshed, from the
-- stored publication: the same rows.  A user's view that reads one of them
-- stops the update (see README, Upgrading).
------------------------------------------------------------------------

ALTER MATERIALIZED VIEW arrima_stats.round_dashboard_published RENAME TO round_dashboard_published_0_2_0;
ALTER INDEX arrima_stats.round_dashboard_published_row_key RENAME TO round_dashboard_published_row_key_0_2_0;
ALTER MATERIALIZED VIEW arrima_stats.annual_summary_published RENAME TO annual_summary_published_0_2_0;
ALTER INDEX arrima_stats.annual_summary_published_year RENAME TO annual_summary_published_year_0_2_0;
ALTER MATERIALIZED VIEW arrima_stats.category_summary_published RENAME TO category_summary_published_0_2_0;
ALTER INDEX arrima_stats.category_summary_published_row_key RENAME TO category_summary_published_row_key_0_2_0;

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

-- (Its counts' comments are those of the published views: below.)

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

DO $$
DECLARE
  name text;
  old regclass;
  new regclass;
  old_owner regrole;
  grant_ record;
  col record;
BEGIN
  FOREACH name IN ARRAY ARRAY['round_dashboard_published', 'annual_summary_published',
                              'category_summary_published'] LOOP
    old := pg_catalog.format('arrima_stats.%I', name || '_0_2_0')::regclass;
    new := pg_catalog.format('arrima_stats.%I', name)::regclass;

    SELECT c.relowner INTO old_owner FROM pg_catalog.pg_class c WHERE c.oid = old;
    EXECUTE pg_catalog.format('ALTER MATERIALIZED VIEW %s OWNER TO %s', new, old_owner);

    -- comments: the column's own; publication_row's counts take theirs
    EXECUTE pg_catalog.format('COMMENT ON MATERIALIZED VIEW %s IS %L', new,
                              pg_catalog.obj_description(old, 'pg_class'));
    FOR col IN
      SELECT a.attname, pg_catalog.col_description(old, a.attnum) AS description
        FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = old AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
      EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', new, col.attname, col.description);
      IF col.description LIKE '%(NULL: withheld)'
         AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid = 'arrima_stats.publication_row'::regclass
                        AND a.attname = col.attname) THEN
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_stats.publication_row.%I IS %L',
                                  col.attname, col.description);
      END IF;
    END LOOP;

    -- privileges granted on the view and on its columns, by the owner
    FOR grant_ IN
      SELECT NULL::name AS attname, g.grantee, g.privilege_type, g.is_grantable
        FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) g
       WHERE c.oid = old AND g.grantee <> c.relowner
      UNION ALL
      SELECT a.attname, g.grantee, g.privilege_type, g.is_grantable
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
       CROSS JOIN LATERAL pg_catalog.aclexplode(a.attacl) g
       WHERE c.oid = old AND g.grantee <> c.relowner
    LOOP
      EXECUTE pg_catalog.format('GRANT %s %s ON %s TO %s %s', grant_.privilege_type,
                                CASE WHEN grant_.attname IS NOT NULL
                                     THEN pg_catalog.format('(%I)', grant_.attname) ELSE '' END,
                                new,
                                CASE WHEN grant_.grantee = 0 THEN 'PUBLIC'
                                     ELSE grant_.grantee::regrole::text END,
                                CASE WHEN grant_.is_grantable THEN 'WITH GRANT OPTION' ELSE '' END);
    END LOOP;

    IF (SELECT c.relispopulated FROM pg_catalog.pg_class c WHERE c.oid = old) THEN
      EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s', new);
    END IF;

    BEGIN
      EXECUTE pg_catalog.format('DROP MATERIALIZED VIEW %s', old);
    EXCEPTION WHEN dependent_objects_still_exist THEN
      RAISE EXCEPTION 'arrima_stats.% is read by objects outside the extension', name
        USING ERRCODE = 'dependent_objects_still_exist',
              DETAIL = 'Version 0.3.0 makes the published views again, so nothing may depend on them.',
              HINT = 'Drop the views that read it, run ALTER EXTENSION arrima_stats UPDATE, '
                     'then make them again.';
    END;
  END LOOP;
END
$$;

-- The grants above were made by this script, so PostgreSQL recorded them as
-- the views' initial privileges (pg_init_privs), which pg_dump leaves out of
-- a dump: a restore (CREATE EXTENSION, then the dump's GRANTs) would lose
-- them.  A fresh install records none for these views; nor does this.
DELETE FROM pg_catalog.pg_init_privs i
 WHERE i.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
   AND i.objoid IN ('arrima_stats.round_dashboard_published'::pg_catalog.regclass,
                    'arrima_stats.annual_summary_published'::pg_catalog.regclass,
                    'arrima_stats.category_summary_published'::pg_catalog.regclass);

------------------------------------------------------------------------
-- Comments: the French of invitation_round's says what the English says;
-- the operator + has one.
------------------------------------------------------------------------

COMMENT ON TABLE arrima_stats.invitation_round IS
  'Exercices d''invitation, avec le nombre d''invitations publié par le ministère s''il est connu / '
  'invitation rounds, with the number of invitations the ministry published when known';
COMMENT ON OPERATOR arrima_stats.+ (arrima_stats.tally, arrima_stats.tally) IS
  'Somme de deux décomptes (tally_add) / the sum of two tallies (tally_add)';
