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
