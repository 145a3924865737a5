------------------------------------------------------------------------
-- The tableau de bord as a document: a release as one self-contained HTML
-- page (inline CSS and SVG; no script, nothing fetched), in French or in
-- English, laid out like the annex of the seed's letter.
--
-- It reads arrima_published only, with its caller's rights: it shows
-- nothing the caller could not read there, and a withheld count reaches it
-- as NULL, never as its value.
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
  d integer := extract(day FROM day);
  m integer := extract(month FROM day);
  y integer := extract(year FROM day);
BEGIN
  IF lang IS DISTINCT FROM 'fr' AND lang IS DISTINCT FROM 'en' THEN
    RAISE EXCEPTION 'lang must be ''fr'' or ''en'', not %', coalesce(quote_literal(lang), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = '''fr'': French (1er décembre 2026); ''en'': English (December 1, 2026).';
  END IF;
  IF day IS NULL OR NOT isfinite(day) THEN
    RETURN day::text;
  END IF;
  IF lang = 'fr' THEN
    RETURN format('%s %s %s', CASE WHEN d = 1 THEN '1er' ELSE d::text END,
                  ('{janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre}'
                   ::text[])[m], y);
  END IF;
  RETURN format('%s %s, %s',
                ('{January,February,March,April,May,June,July,August,September,October,November,December}'
                 ::text[])[m], d, y);
END
$$;
COMMENT ON FUNCTION arrima_stats.format_date(date, text) IS
  'Date écrite en français (1er décembre 2026) ou en anglais (December 1, 2026) / '
  'a date written in French (1er décembre 2026) or English (December 1, 2026)';

CREATE FUNCTION arrima_stats.release_document(lang text DEFAULT 'fr', release_id integer DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fr boolean := lang = 'fr';
  rel record;
  t jsonb;                 -- the document's words, in its language
  round_cols text[] := '{invitations,declined,expired,rejected,refused,notices_cannot_support,notices_did_not_support}';
  summary_cols text[] := '{invitations,rejected,refused,notices,declined,expired}';
  chart_cols text[] := '{rejected,refused,notices,declined,expired}';
  chart_colors text[] := '{#223654,#095797,#4a90c8,#9cc3e4,#b58a3c}';
  first_year integer;
  rounds text;
  years text;
  categories text;
  chart text := '';
  legend text := '';
  bars text := '';
  grid text := '';
  y record;
  top_value bigint;
  step bigint;
  n_years integer;
  group_w numeric;
  bar_w numeric;
  x numeric;
  h numeric;
  k integer;
  g integer := 0;
  withheld_rule text;
  rounding_rule text;
  footer text;
  css text;
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

  t := CASE WHEN fr THEN jsonb_build_object(
    'eyebrow', 'Programme régulier des travailleurs qualifiés · Invitations Arrima',
    'title', 'Tableau de bord des invitations et de la sélection',
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
    'c_invitations', 'Nombre d''invitations',
    'c_declined', 'Candidats qui ont décliné l''invitation',
    'c_expired', 'Invitations expirées sans réponse',
    'c_rejected', 'Demandes rejetées (documents faux, trompeurs ou non fournis)',
    'c_refused', 'Demandes refusées (seuil de la grille non atteint)',
    'c_cannot', 'Motif a) : ne pourrait fournir les documents à l''appui',
    'c_did_not', 'Motif b) : n''a pas fourni les documents à l''appui',
    's_rejected', 'Demandes rejetées',
    's_refused', 'Demandes refusées',
    's_notices', 'Avis d''intention d''annulation émis',
    's_declined', 'Invitations déclinées',
    's_expired', 'Invitations expirées sans réponse',
    'year', 'Année d''invitation',
    'all_years', 'Toutes les années',
    'total', 'Total',
    'total_of', 'Total',
    'marker', 'x : nombre masqué (voir les notes).',
    'chart_note', 'Les nombres du graphique sont ceux du tableau 2.',
    'notes', 'Notes',
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
    'none', 'Aucune donnée.')
  ELSE jsonb_build_object(
    'eyebrow', 'Regular Skilled Worker Program · Arrima invitations',
    'title', 'Dashboard of invitations and selection',
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
    'c_invitations', 'Invitations',
    'c_declined', 'Candidates who declined the invitation',
    'c_expired', 'Invitations expired without an answer',
    'c_rejected', 'Applications rejected (false, misleading or missing documents)',
    'c_refused', 'Applications refused (grid pass mark not reached)',
    'c_cannot', 'Ground a): could not provide supporting documents',
    'c_did_not', 'Ground b): did not provide supporting documents',
    's_rejected', 'Applications rejected',
    's_refused', 'Applications refused',
    's_notices', 'Notices of intent to cancel issued',
    's_declined', 'Invitations declined',
    's_expired', 'Invitations expired without an answer',
    'year', 'Year of invitation',
    'all_years', 'All years',
    'total', 'Total',
    'total_of', 'Total,',
    'marker', 'x: withheld (see the notes).',
    'chart_note', 'The chart shows the figures of Table 2.',
    'notes', 'Notes',
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
    'none', 'No data.')
  END;

  withheld_rule := CASE
    WHEN fr THEN
      'Nombre masqué. En vertu des articles 53 et 54 de la <cite>Loi sur l''accès aux documents des organismes '
      'publics et sur la protection des renseignements personnels</cite>, les renseignements qui concernent une '
      'personne physique et permettent de l''identifier sont confidentiels. '
      || CASE WHEN rel.min_count <= 1 THEN 'Cette diffusion ne masque aucun petit nombre (seuil : 1).'
              WHEN rel.min_count = 2 THEN 'Un nombre égal à 1 n''est donc pas diffusé'
              ELSE pg_catalog.format('Un nombre de 1 à %s n''est donc pas diffusé',
                                     arrima_stats.format_count(rel.min_count - 1, lang)) END
      || CASE WHEN rel.min_count > 1 THEN ', non plus que les nombres qui permettraient de le déduire '
                                          'des totaux, des autres tableaux ou des diffusions précédentes.'
              ELSE '' END
    ELSE
      'Withheld. Under sections 53 and 54 of the <cite>Act respecting access to documents held by public bodies '
      'and the protection of personal information</cite> (Québec), information that concerns a natural person '
      'and allows that person to be identified is confidential. '
      || CASE WHEN rel.min_count <= 1 THEN 'This release withholds no small count (threshold: 1).'
              WHEN rel.min_count = 2 THEN 'A count of 1 is therefore not published'
              ELSE pg_catalog.format('A count from 1 to %s is therefore not published',
                                     arrima_stats.format_count(rel.min_count - 1, lang)) END
      || CASE WHEN rel.min_count > 1 THEN ', nor are the counts that would allow it to be worked out from '
                                          'the totals, the other tables or earlier releases.'
              ELSE '' END
  END;
  rounding_rule := CASE
    WHEN rel.round_to <= 1 AND fr THEN 'Les nombres ne sont pas arrondis.'
    WHEN rel.round_to <= 1 THEN 'Counts are not rounded.'
    WHEN fr THEN pg_catalog.format('Les nombres diffusés sont arrondis au multiple de %s le plus proche ; '
                                   'un total peut donc différer de la somme de ses parties.',
                                   arrima_stats.format_count(rel.round_to, lang))
    ELSE pg_catalog.format('Published counts are rounded to the nearest multiple of %s; a total may '
                           'therefore differ from the sum of its parts.',
                           arrima_stats.format_count(rel.round_to, lang))
  END;

  -- The three tables, from one reading of the release's counts: each
  -- count a cell (x when withheld), each row its cells in the table's order.
  WITH cell AS (
    SELECT c.dashboard, c.row_kind, c.round_id, c.held_on, c.year, c.category, c.measure, c.value,
           array_position(CASE c.dashboard WHEN 'round_dashboard' THEN round_cols ELSE summary_cols END,
                          c.measure) AS col
      FROM arrima_published.release_count c
     WHERE c.release_id = rel.release_id
  ), line AS (
    SELECT c.dashboard, c.row_kind, c.round_id, c.held_on, c.year, c.category,
           string_agg(CASE WHEN c.value IS NULL THEN '<td class="x">x</td>'
                           ELSE '<td>' || arrima_stats.format_count(c.value, lang) || '</td>' END,
                      '' ORDER BY c.col) FILTER (WHERE c.col IS NOT NULL) AS cells
      FROM cell c
     GROUP BY c.dashboard, c.row_kind, c.round_id, c.held_on, c.year, c.category
  ), labelled AS (
    SELECT l.*,
           arrima_stats.html_escape(coalesce(CASE WHEN fr THEN k.label_fr ELSE k.label_en END, l.category))
             AS label,
           -- Table 3: a group per year, then one of all years, each ending with its total
           CASE WHEN l.row_kind IN ('year', 'total') THEN 2 ELSE 1 END AS place
      FROM line l
      LEFT JOIN arrima_published.category k ON k.code = l.category
  ), placed AS (
    SELECT l.*, row_number() OVER (PARTITION BY l.dashboard, l.year ORDER BY l.place, l.label) AS nth
      FROM labelled l
  )
  SELECT string_agg(CASE WHEN b.row_kind = 'total'
                         THEN '<tr class="total"><th scope="row" colspan="2">' || (t->>'total') || '</th>'
                         ELSE '<tr><th scope="row">' || b.label || '</th><td class="date">'
                              || arrima_stats.format_date(b.held_on, lang) || '</td>'
                    END || b.cells || '</tr>',
                    E'\n' ORDER BY b.row_kind = 'total', b.held_on, b.round_id)
           FILTER (WHERE b.dashboard = 'round_dashboard'),
         string_agg('<tr><th scope="row">' || b.year || '</th>' || b.cells || '</tr>', E'\n' ORDER BY b.year)
           FILTER (WHERE b.dashboard = 'annual_summary'),
         string_agg(CASE WHEN b.nth = 1
                         THEN '<tr class="group"><th scope="rowgroup" colspan="7">'
                              || coalesce(b.year::text, t->>'all_years') || '</th></tr>' || E'\n'
                         ELSE '' END
                    || CASE b.row_kind
                         WHEN 'year' THEN '<tr class="subtotal"><th scope="row">' || (t->>'total_of') || ' '
                                          || b.year || '</th>'
                         WHEN 'total' THEN '<tr class="total"><th scope="row">' || (t->>'total') || '</th>'
                         ELSE '<tr><th scope="row">' || b.label || '</th>'
                       END || b.cells || '</tr>',
                    E'\n' ORDER BY b.year NULLS LAST, b.place, b.label)
           FILTER (WHERE b.dashboard = 'category_summary'),
         min(b.year) FILTER (WHERE b.dashboard = 'annual_summary')
    INTO rounds, years, categories, first_year
    FROM placed b;

  -- Chart 1: the outcomes the request asked for, grouped by year.  Bars on
  -- a scale of round steps; a withheld count is an x on the axis.
  SELECT count(DISTINCT c.year), max(c.value)
    INTO n_years, top_value
    FROM arrima_published.release_count c
   WHERE c.release_id = rel.release_id AND c.dashboard = 'annual_summary' AND c.measure = ANY (chart_cols);
  IF n_years > 0 THEN
    top_value := greatest(coalesce(top_value, 0), 1);
    -- a step of 1, 2 or 5 times a power of ten, at most five steps high
    step := power(10, floor(log(greatest(top_value / 5.0, 1))))::bigint;
    step := CASE WHEN top_value <= 5 * step THEN step WHEN top_value <= 10 * step THEN 2 * step
                 WHEN top_value <= 25 * step THEN 5 * step ELSE 10 * step END;
    top_value := ((top_value + step - 1) / step) * step;
    group_w := 428.0 / n_years;
    bar_w := group_w * 0.76 / cardinality(chart_cols);
    FOR k IN 0 .. (top_value / step)::integer LOOP
      h := 196 - 180.0 * k * step / top_value;
      grid := grid || pg_catalog.format('<line x1="44" x2="472" y1="%s" y2="%s" class="%s"/>'
                                        '<text x="39" y="%s" class="tick">%s</text>',
                                        round(h, 1), round(h, 1), CASE WHEN k = 0 THEN 'axis' ELSE 'grid' END,
                                        round(h + 3, 1), arrima_stats.format_count(k * step, lang));
    END LOOP;
    FOR y IN
      SELECT c.year, array_agg(c.value ORDER BY array_position(chart_cols, c.measure)) AS v
        FROM arrima_published.release_count c
       WHERE c.release_id = rel.release_id AND c.dashboard = 'annual_summary' AND c.measure = ANY (chart_cols)
       GROUP BY c.year ORDER BY c.year
    LOOP
      FOR k IN 1 .. cardinality(chart_cols) LOOP
        x := 44 + g * group_w + group_w * 0.12 + (k - 1) * bar_w;
        IF y.v[k] IS NULL THEN
          bars := bars || pg_catalog.format('<text x="%s" y="192" class="x">x</text>', round(x + bar_w / 2, 1));
        ELSE
          h := 180.0 * y.v[k] / top_value;
          bars := bars || pg_catalog.format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>',
                                            round(x + 0.5, 1), round(196 - h, 1), round(bar_w - 1, 1),
                                            round(h, 1), chart_colors[k]);
          IF bar_w >= 13 THEN
            bars := bars || pg_catalog.format('<text x="%s" y="%s" class="v">%s</text>', round(x + bar_w / 2, 1),
                                              round(196 - h - 3, 1), arrima_stats.format_count(y.v[k], lang));
          END IF;
        END IF;
      END LOOP;
      bars := bars || pg_catalog.format('<text x="%s" y="212" class="year">%s</text>',
                                        round(44 + (g + 0.5) * group_w, 1), y.year);
      g := g + 1;
    END LOOP;
    FOR k IN 1 .. cardinality(chart_cols) LOOP
      legend := legend || pg_catalog.format('<span class="key"><span class="swatch" style="background:%s">'
                                            '</span>%s</span>', chart_colors[k], t->>('s_' || chart_cols[k]));
    END LOOP;
    chart := '<figure class="chart"><div class="legend">' || legend || '</div>'
             || '<svg viewBox="0 0 480 218" role="img" aria-labelledby="chart1">'
             || grid || bars || '</svg><figcaption>' || (t->>'chart_note') || ' '
             || (t->>'marker') || '</figcaption></figure>';
  END IF;

  footer := pg_catalog.format('%s %s · %s %s', t->>'release', rel.release_id, t->>'as_of',
                              arrima_stats.format_date(rel.as_of, lang));
  css := $css$
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
tr.total th, tr.total td { font-weight: bold; background: #eef2f7; border-top: 1pt solid #223654;
                           border-bottom: 1pt solid #223654; }
tr.subtotal th, tr.subtotal td { font-weight: bold; border-top: 0.5pt solid #223654; }
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
.legend { font-size: 7.8pt; margin: 0 0 3pt; }
.legend .key { margin-right: 12pt; white-space: nowrap; }
.legend .swatch { display: inline-block; width: 9pt; height: 9pt; margin-right: 4pt; vertical-align: -1pt; }
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
$css$;

  RETURN '<!DOCTYPE html>' || E'\n'
    || '<html lang="' || CASE WHEN fr THEN 'fr-CA' ELSE 'en-CA' END || '">' || E'\n'
    || '<head>' || E'\n' || '<meta charset="utf-8">' || E'\n'
    || '<meta name="generator" content="arrima_stats">' || E'\n'
    || '<title>' || (t->>'title') || ' — ' || (t->>'as_of') || ' '
    || arrima_stats.format_date(rel.as_of, lang) || '</title>' || E'\n'
    || '<style>' || css || '</style>' || E'\n' || '</head>' || E'\n' || '<body>' || E'\n'
    || '<header>' || E'\n'
    || '<p class="eyebrow">' || (t->>'eyebrow') || '</p>' || E'\n'
    || '<h1>' || (t->>'title') || ' '
    || CASE WHEN first_year IS NULL THEN CASE WHEN fr THEN 'au ' ELSE 'to ' END
            WHEN fr THEN pg_catalog.format('de %s au ', first_year)
            ELSE pg_catalog.format('from %s to ', first_year) END
    || arrima_stats.format_date(rel.as_of, lang) || '</h1>' || E'\n'
    || '<p class="meta"><span>' || (t->>'as_of') || ' <b>' || arrima_stats.format_date(rel.as_of, lang)
    || '</b></span><span>' || (t->>'release') || ' <b>' || rel.release_id || '</b> ' || (t->>'made') || ' '
    || arrima_stats.format_date((rel.made_at)::date, lang) || '</span><span>' || (t->>'policy') || ' '
    || arrima_stats.format_count(rel.min_count, lang) || '</span></p>' || E'\n'
    || '</header>' || E'\n'
    || '<section id="rounds">' || E'\n' || '<h2>' || (t->>'table1') || '</h2>' || E'\n'
    || '<table>' || E'\n'
    || '<colgroup><col style="width:33%"><col style="width:11%">'
    || repeat('<col style="width:8%">', 7) || '</colgroup>' || E'\n'
    || '<thead>' || E'\n'
    || '<tr class="groups"><th scope="col" rowspan="2" class="label">' || (t->>'category') || '</th>'
    || '<th scope="col" rowspan="2" class="label">' || (t->>'date') || '</th>'
    || '<th scope="colgroup" colspan="3">' || (t->>'g_invitations') || '</th>'
    || '<th scope="colgroup" colspan="2">' || (t->>'g_decision') || '</th>'
    || '<th scope="colgroup" colspan="2">' || (t->>'g_notices') || '</th></tr>' || E'\n'
    || '<tr>' || (SELECT string_agg('<th scope="col">' || (t->>c) || '</th>', '' ORDER BY o)
                    FROM unnest('{c_invitations,c_declined,c_expired,c_rejected,c_refused,c_cannot,c_did_not}'
                                ::text[]) WITH ORDINALITY u(c, o)) || '</tr>' || E'\n'
    || '</thead>' || E'\n'
    || '<tbody>' || E'\n' || coalesce(rounds, '<tr><td colspan="9">' || (t->>'none') || '</td></tr>') || E'\n'
    || '</tbody>' || E'\n' || '</table>' || E'\n'
    || '<p class="marker">' || (t->>'marker') || '</p>' || E'\n'
    || '</section>' || E'\n'
    || '<div class="two">' || E'\n'
    || '<section id="years">' || E'\n' || '<h2>' || (t->>'table2') || '</h2>' || E'\n'
    || '<table>' || E'\n' || '<thead>' || E'\n' || '<tr><th scope="col" class="label">' || (t->>'year') || '</th>'
    || (SELECT string_agg('<th scope="col">' || (t->>c) || '</th>', '' ORDER BY o)
          FROM unnest('{c_invitations,s_rejected,s_refused,s_notices,s_declined,s_expired}'::text[])
               WITH ORDINALITY u(c, o)) || '</tr>' || E'\n'
    || '</thead>' || E'\n'
    || '<tbody>' || E'\n' || coalesce(years, '<tr><td colspan="7">' || (t->>'none') || '</td></tr>') || E'\n'
    || '</tbody>' || E'\n' || '</table>' || E'\n'
    || '<p class="marker">' || (t->>'marker') || '</p>' || E'\n'
    || '</section>' || E'\n'
    || '<section id="chart">' || E'\n' || '<h2 id="chart1">' || (t->>'chart1') || '</h2>' || E'\n'
    || coalesce(nullif(chart, ''), '<p>' || (t->>'none') || '</p>') || E'\n'
    || '</section>' || E'\n' || '</div>' || E'\n'
    || '<section id="categories">' || E'\n' || '<h2>' || (t->>'table3') || '</h2>' || E'\n'
    || '<table>' || E'\n'
    || '<colgroup><col style="width:46%">' || repeat('<col style="width:9%">', 6) || '</colgroup>' || E'\n'
    || '<thead>' || E'\n' || '<tr><th scope="col" class="label">' || (t->>'category') || '</th>'
    || (SELECT string_agg('<th scope="col">' || (t->>c) || '</th>', '' ORDER BY o)
          FROM unnest('{c_invitations,s_rejected,s_refused,s_notices,s_declined,s_expired}'::text[])
               WITH ORDINALITY u(c, o)) || '</tr>' || E'\n'
    || '</thead>' || E'\n'
    || '<tbody>' || E'\n' || coalesce(categories, '<tr><td colspan="7">' || (t->>'none') || '</td></tr>')
    || E'\n' || '</tbody>' || E'\n' || '</table>' || E'\n'
    || '<p class="marker">' || (t->>'marker') || '</p>' || E'\n'
    || '</section>' || E'\n'
    || '<section class="notes">' || E'\n' || '<h2>' || (t->>'notes') || '</h2>' || E'\n'
    || '<dl>' || E'\n'
    || '<dt>x</dt><dd>' || withheld_rule || ' ' || rounding_rule || '</dd>' || E'\n'
    || '<dt>1</dt><dd>' || (t->>'counting') || '</dd>' || E'\n'
    || '<dt>2</dt><dd>' || (t->>'glossary') || '</dd>' || E'\n'
    || '</dl>' || E'\n' || '</section>' || E'\n'
    || '<footer>' || footer || ' · ' || (t->>'made') || ' '
    || arrima_stats.format_date((rel.made_at)::date, lang) || '</footer>' || E'\n'
    || '</body>' || E'\n' || '</html>' || E'\n';
END
$$;
COMMENT ON FUNCTION arrima_stats.release_document(text, integer) IS
  'Une diffusion (par défaut la dernière) en un document HTML autonome, en français (fr) ou en anglais (en), '
  'comme l''annexe de la lettre du ministère : tableaux, graphique, nombres masqués expliqués / '
  'a release (the latest by default) as one self-contained HTML document, in French (fr) or English (en), '
  'laid out like the annex of the ministry''s letter: tables, chart, withheld counts explained; it reads '
  'arrima_published only, with the caller''s rights';
REVOKE ALL ON FUNCTION arrima_stats.release_document(text, integer) FROM PUBLIC;
