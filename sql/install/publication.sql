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
