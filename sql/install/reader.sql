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
