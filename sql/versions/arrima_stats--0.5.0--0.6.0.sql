/* arrima_stats--0.5.0--0.6.0.sql: what changes from 0.5.0 to 0.6.0 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION arrima_stats UPDATE TO '0.6.0'" to load this file. \quit

------------------------------------------------------------------------
-- Category codes and labels fit the reader views' varchar(n)
------------------------------------------------------------------------
DO $$
DECLARE
  long_one text := (SELECT k.code FROM arrima_stats.category k
                     WHERE length(k.code) > 64 OR length(k.label_fr) > 255 OR length(k.label_en) > 255
                     ORDER BY k.code LIMIT 1);
BEGIN
  IF long_one IS NOT NULL THEN
    RAISE EXCEPTION 'category % is too long for version 0.6.0', pg_catalog.quote_literal(long_one)
      USING ERRCODE = 'string_data_right_truncation',
            DETAIL = 'From 0.6.0 a category code has at most 64 characters and each label at most 255, '
                     'as the reader views show them (varchar).',
            HINT = 'Shorten it (UPDATE arrima_stats.category ...), then update the extension again.';
  END IF;
END
$$;
ALTER TABLE arrima_stats.category
  ADD CONSTRAINT category_code_at_most_64 CHECK (length(code) <= 64),
  ADD CONSTRAINT category_label_fr_at_most_255 CHECK (length(label_fr) <= 255),
  ADD CONSTRAINT category_label_en_at_most_255 CHECK (length(label_en) <= 255);

------------------------------------------------------------------------
-- The interval published with each withheld count
------------------------------------------------------------------------
-- Releases made before keep NULL: they published no interval.
ALTER TABLE arrima_stats.release_cell
  ADD COLUMN lower bigint,
  ADD COLUMN upper bigint,
  ADD CONSTRAINT release_cell_interval_of_withheld CHECK (withheld OR (lower IS NULL AND upper IS NULL)),
  ADD CONSTRAINT release_cell_interval_holds_value
    CHECK (lower IS NULL OR (lower <= value AND (upper IS NULL OR value <= upper))),
  ADD CONSTRAINT release_cell_upper_has_lower CHECK (upper IS NULL OR lower IS NOT NULL);
CREATE INDEX release_cell_count ON arrima_stats.release_cell (publication, row_key, measure, release_id)
  WHERE NOT withheld;
COMMENT ON COLUMN arrima_stats.release_cell.lower IS
  'Nombre masqué : borne inférieure diffusée avec lui, celle que tout lecteur peut déduire (NULL : montré, ou '
  'diffusion faite avant la version 0.6.0) / a withheld count: the least value published with it, what every '
  'reader can derive (NULL: shown, or a release made before version 0.6.0)';
COMMENT ON COLUMN arrima_stats.release_cell.upper IS
  'Nombre masqué : borne supérieure diffusée avec lui (NULL : pas de borne, ou pas d''intervalle diffusé) / '
  'a withheld count: the greatest value published with it (NULL: unbounded, or no interval published)';

DROP FUNCTION arrima_stats.disclosure_release(arrima_stats.release[], arrima_stats.release_group[],
                                              arrima_stats.release_cell[], integer,
                                              arrima_stats.release_proof[]);
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

CREATE OR REPLACE FUNCTION arrima_stats.refresh_publications(as_of date DEFAULT CURRENT_DATE)
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
BEGIN
  IF as_of IS NULL THEN
    RAISE EXCEPTION 'as_of cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- one release at a time; readers of the published views are not blocked
  LOCK TABLE arrima_stats.release IN EXCLUSIVE MODE;
  SELECT p.min_count, p.round_to, p.cadence INTO STRICT policy FROM arrima_stats.disclosure_policy p;

  -- a cadence: as of the last Sunday, or the last day of a month, on or before as_of
  release_as_of := CASE policy.cadence
                     WHEN 'week' THEN as_of - extract(isodow FROM as_of)::integer % 7
                     WHEN 'month' THEN (date_trunc('month', as_of + 1) - interval '1 day')::date
                     ELSE as_of
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

  -- what to withhold, given everything the kept releases showed
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
  -- withholding; an error (nothing published) if one is not safe, else the
  -- points that proved them all, for the next
  DELETE FROM arrima_stats.release_proof;
  INSERT INTO arrima_stats.release_proof
  SELECT * FROM arrima_stats.disclosure_release_gate(
           ARRAY(SELECT r FROM arrima_stats.release r),
           ARRAY(SELECT g FROM arrima_stats.release_group g),
           ARRAY(SELECT c FROM arrima_stats.release_cell c WHERE c.withheld),
           proofs);

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

------------------------------------------------------------------------
-- The reader schema: intervals, carried values, series, varchar keys
------------------------------------------------------------------------
-- Its views change column types (text to varchar(n)): they are made again,
-- and the roles that read them (those grant_reporting() gave the schema)
-- are granted them again, below.
DROP VIEW arrima_published.round_dashboard, arrima_published.annual_summary,
          arrima_published.category_summary, arrima_published.release, arrima_published.category,
          arrima_published.release_count;

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

CREATE OR REPLACE FUNCTION arrima_stats.grant_reporting(role regrole)
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
CREATE OR REPLACE FUNCTION arrima_stats.revoke_reporting(role regrole)
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

-- The roles that read the reader schema read it again, its new views too.
-- Grants made by this script are recorded as the objects' initial
-- privileges (pg_init_privs), which pg_dump leaves out of a dump: a restore
-- (CREATE EXTENSION, then the dump's GRANTs) would lose them.  So the
-- initial privileges are put back as they were, those of a fresh install.
DO $$
DECLARE
  reader regrole;
  initial pg_catalog.pg_init_privs[] := ARRAY(
    SELECT i FROM pg_catalog.pg_init_privs i
     WHERE EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = i.classoid AND d.objid = i.objoid AND d.deptype = 'e'
                      AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
                                         WHERE e.extname = 'arrima_stats')));
BEGIN
  FOR reader IN
    SELECT g.grantee::regrole
      FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) g
     WHERE n.nspname = 'arrima_published'
       AND g.privilege_type = 'USAGE' AND g.grantee <> n.nspowner AND g.grantee <> 0
     ORDER BY g.grantee::regrole::text
  LOOP
    PERFORM arrima_stats.grant_reporting(reader);
  END LOOP;
  IF FOUND THEN
    DELETE FROM pg_catalog.pg_init_privs i
     WHERE EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = i.classoid AND d.objid = i.objoid AND d.deptype = 'e'
                      AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
                                         WHERE e.extname = 'arrima_stats'));
    INSERT INTO pg_catalog.pg_init_privs SELECT (k).* FROM unnest(initial) k;
  END IF;
END
$$;

------------------------------------------------------------------------
-- The document in named pieces
--
-- release_document() reads arrima_published once, with its caller's
-- rights, and hands what it read to its pieces (the words, the style, a
-- cell, the tables, the chart, the notes): each computes from its
-- arguments only (IMMUTABLE, no relation read), so none can reveal what it
-- is not given, and, like format_count(), any role may call them, as a
-- role that may call release_document() must: the roles granted it keep
-- it.  A withheld count now reads as the interval published with it, with
-- the value an earlier release showed; chart 1 draws a band over it.
-- (CREATE OR REPLACE keeps release_document's privileges.)
------------------------------------------------------------------------

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
CREATE OR REPLACE FUNCTION arrima_stats.release_document(lang text DEFAULT 'fr', release_id integer DEFAULT NULL)
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

------------------------------------------------------------------------
-- Errors that say what is wrong (issue 20)
------------------------------------------------------------------------
-- dashboard_series: its dates checked by a function of their own (finite,
-- within the range of timestamps, a step of at least one day, at most
-- 100,000 dates: else 22023), and its query in a SQL function, so that an
-- error in it names the function, not the whole query.
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
CREATE OR REPLACE FUNCTION arrima_stats.dashboard_series(from_date date, to_date date,
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

-- format_date: infinity and -infinity reach their own branch (the
-- declarations no longer extract fields from them); years before Christ
-- written as such.
CREATE OR REPLACE FUNCTION arrima_stats.format_date(day date, lang text DEFAULT 'fr')
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

-- refresh_publications: as_of must be finite, and the end of its week or
-- month a date (22023); a month's end computed on dates, not timestamps.
CREATE OR REPLACE FUNCTION arrima_stats.refresh_publications(as_of date DEFAULT CURRENT_DATE)
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

  -- what to withhold, given everything the kept releases showed
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
  -- withholding; an error (nothing published) if one is not safe, else the
  -- points that proved them all, for the next
  DELETE FROM arrima_stats.release_proof;
  INSERT INTO arrima_stats.release_proof
  SELECT * FROM arrima_stats.disclosure_release_gate(
           ARRAY(SELECT r FROM arrima_stats.release r),
           ARRAY(SELECT g FROM arrima_stats.release_group g),
           ARRAY(SELECT c FROM arrima_stats.release_cell c WHERE c.withheld),
           proofs);

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

------------------------------------------------------------------------
-- Releases at any cadence: the points the withholding found are handed to
-- the last gate, which checks each against its rows like a stored one,
-- instead of finding them again; the stored points keep their numbers
-- while they prove something, so that a refresh writes what changed
------------------------------------------------------------------------

COMMENT ON TABLE arrima_stats.release_proof IS
  'Points qui ont prouvé les diffusions sûres à la dernière vérification, d''où part la suivante (confidentiel ; '
  'chaque diffusion garde ceux qui servent encore et ajoute les siens) / '
  'points that proved the releases safe at the last audit, where the next one starts (confidential; each refresh '
  'keeps those still used and adds its own)';
COMMENT ON COLUMN arrima_stats.release_proof.point IS
  'Numéro du point, qu''il garde tant qu''il sert / number of the point, kept while it is used';

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

COMMENT ON FUNCTION arrima_stats.disclosure_release_gate(arrima_stats.release[], arrima_stats.release_group[],
                                                          arrima_stats.release_cell[],
                                                          arrima_stats.release_proof[]) IS
  'Dernière vérification : chaque nombre masqué et chaque flux de toutes les diffusions, tels que diffusés ; '
  'une erreur nomme le premier qui n''est pas protégé, sinon les points qui le prouvent (un point gardé avec '
  'son numéro, un nouveau avec un numéro après les leurs) / '
  'the last gate: every withheld figure and every flow of every release, audited as published; an error '
  'names the first one that is not safe, else the points that prove them safe are returned (a stored one with '
  'its number, one found since with a number after theirs)';

CREATE OR REPLACE FUNCTION arrima_stats.refresh_publications(as_of date DEFAULT CURRENT_DATE)
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
