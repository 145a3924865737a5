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
