--
-- release_document(): a release as one self-contained HTML document, in
-- French or English, that shows what the reader schema shows and nothing
-- more; text from the data is never markup; a withheld count is the
-- interval published with it, with the value an earlier release showed.
--
-- Two rounds (min_count 5):
--   201  a category the user added, whose labels are markup;  2023-06-01
--        1,200 invitations: 1,100 in processing, 60 expired, 37 declined,
--        3 rejected (a small count)
--   202  OPMO  2022-09-01  30 invitations: 25 selected, 3 refused, 2 declined
-- Release 1 as of 2023-09-01, made as before 0.6.0 (no interval stored);
-- release 2 as of 2023-09-10, rounded to 5; then 3 of round 201's
-- applications are refused on 2023-09-15, and release 3 as of 2023-09-20.
--
-- What a reader works out (each release shows every count but these):
--   round 202: declined + refused = 30 - 25 selected = 5, both withheld:
--     each from 0 to 5 ("≤ 5"); so are the year 2022's and OPMO's, which
--     are round 202's.
--   round 201: declined + rejected = 1,200 - 1,100 - 60 = 40; the total
--     declined, 39 (shown), less round 202's (0 to 5): declined 34 to 39,
--     so rejected 1 to 6.  The totals of rejected and refused are round
--     201's and 202's: 1 to 6 and 0 to 5.
--   release 3: round 201's refused (3, small) and in processing (1,097,
--     changed by 3) are withheld: refused + in processing = 1,100, and
--     refused never goes down from the 0 release 2 showed: 0 to 1,100
--     ("≤ 1 100"), carried "0 au 10 septembre 2023"; the year 2023's and
--     the category's the same; the total refused 0 to 1,105.
SET client_min_messages = warning;
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- Numbers and dates, each language: a narrow no-break space (U+202F, shown
-- here as _) between French thousands, a comma in English; "1er" for the
-- first of a month.
SELECT n, replace(format_count(n, 'fr'), chr(8239), '_') AS fr, format_count(n, 'en') AS en
  FROM unnest(ARRAY[0, 7, 999, 1000, 22736, 1234567, -4321, NULL]::bigint[]) n;
SELECT d, format_date(d, 'fr') AS fr, format_date(d, 'en') AS en
  FROM unnest(ARRAY['2026-12-01', '2023-08-18', '2024-02-29', NULL]::date[]) d;
SELECT html_escape('<script>alert("x")</script> & l''été') AS escaped;

-- A cell of a table, every form: a value; an interval (both bounds, from
-- 0, unbounded); x (0 and unbounded: no bound published, as releases made
-- before 0.6.0); each with the value an earlier release showed below it.
SELECT v.value, v.lower, v.upper, v.carried_value, v.carried_as_of, l.lang,
       replace(document_cell(l.lang, v.value, v.lower, v.upper, v.carried_value, v.carried_as_of),
               chr(8239), '_') AS cell
  FROM (VALUES (1200::bigint, 1200::bigint, 1200::bigint, NULL::bigint, NULL::date),
               (NULL, 5, 12, NULL, NULL),
               (NULL, 0, 12, NULL, NULL),
               (NULL, 956, NULL, NULL, NULL),
               (NULL, 0, NULL, NULL, NULL),
               (NULL, 1034, 1210, 956, '2023-08-18'),
               (NULL, 0, NULL, 22736, '2023-09-01')) v (value, lower, upper, carried_value, carried_as_of),
       (VALUES ('fr'), ('en')) l (lang)
 ORDER BY l.lang DESC, v.value NULLS LAST, v.carried_value NULLS FIRST, v.upper NULLS LAST, v.lower;

-- Errors say what to do.
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  state text;
  message text;
  hint text;
BEGIN
  EXECUTE statement;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  RETURN state || ' ' || message || coalesce(' | HINT: ' || nullif(hint, ''), '');
END
$$;
SELECT s AS statement, pg_temp.error_of(s) AS error
  FROM (VALUES ('SELECT arrima_stats.release_document()'),
               ('SELECT arrima_stats.release_document(''en'')'),
               ('SELECT arrima_stats.release_document(''de'')'),
               ('SELECT arrima_stats.release_document(NULL)'),
               ('SELECT arrima_stats.release_document(''FR'')'),
               ('SELECT arrima_stats.format_count(1, ''de'')'),
               ('SELECT arrima_stats.format_date(''2023-01-01'', NULL)'),
               ('SELECT arrima_stats.document_text(''de'')'),
               ('SELECT arrima_stats.document_cell(NULL, NULL, 1, 6, NULL, NULL)')) v (s);

INSERT INTO category (code, label_fr, label_en)
VALUES ('TEST_MARKUP', '<script>alert(''fr'')</script> & Cie "essai"', '<b>bold</b> & <i>co</i>');
INSERT INTO invitation_round (round_id, category, held_on) VALUES
  (201, 'TEST_MARKUP', '2023-06-01'),
  (202, 'OPMO', '2022-09-01');
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on, decided_on, decision)
SELECT k, 201, '2023-06-01',
       CASE WHEN k > 1163 THEN date '2023-06-10' END,
       CASE WHEN k <= 1103 THEN date '2023-06-15' END,
       CASE WHEN k <= 3 THEN date '2023-08-01' END,
       CASE WHEN k <= 3 THEN 'rejected'::decision END
  FROM generate_series(1, 1200) k;
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on, decided_on, decision)
SELECT 5000 + k, 202, '2022-09-01',
       CASE WHEN k > 28 THEN date '2022-09-10' END,
       CASE WHEN k <= 28 THEN date '2022-10-01' END,
       CASE WHEN k <= 28 THEN date '2023-01-15' END,
       CASE WHEN k <= 25 THEN 'selected' WHEN k <= 28 THEN 'refused' END::decision
  FROM generate_series(1, 30) k;
SELECT refresh_publications('2023-09-01');
-- release 1 as a release made before 0.6.0 stored it: no interval
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE release_cell SET lower = NULL, upper = NULL WHERE release_id = 1;
COMMIT;
UPDATE disclosure_policy SET round_to = 5;
SELECT refresh_publications('2023-09-10');
UPDATE disclosure_policy SET round_to = DEFAULT;
UPDATE invitation SET decided_on = '2023-09-15', decision = 'refused' WHERE invitation_id IN (4, 5, 6);
SELECT refresh_publications('2023-09-20');

-- The documents: the latest release, and releases 1 and 2, in each language.
CREATE TEMP TABLE document AS
  SELECT r.release_id, l.lang, release_document(l.lang, r.release_id) AS html
    FROM (VALUES (NULL::integer), (1), (2)) r (release_id), (VALUES ('fr'), ('en')) l (lang);
UPDATE document SET release_id = 3 WHERE release_id IS NULL;

-- Self-contained: one style sheet, one inline chart, nothing to fetch or
-- run; a user's label is text, never markup.
SELECT release_id, lang,
       html LIKE '<!DOCTYPE html>%</html>' || E'\n' AS whole,
       (length(html) - length(replace(html, '<style>', ''))) / 7 AS styles,
       (length(html) - length(replace(html, '<svg ', ''))) / 5 AS charts,
       html ~* '(<script|<link|<img|<iframe|<object|<embed|@import|url\(|src=|href=|https?:|javascript:| on[a-z]+=)'
         AS fetches_or_runs,
       html LIKE '%&lt;script&gt;alert(&#39;fr&#39;)&lt;/script&gt; &amp; Cie &quot;essai&quot;%' AS label_fr_escaped,
       html LIKE '%&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;%' AS label_en_escaped,
       html LIKE '%<b>bold%' OR html LIKE '%<i>co%' AS label_is_markup
  FROM document ORDER BY release_id, lang;

-- In its language throughout: dates, numbers, the withheld counts explained
-- with the access act, the release's policy and the intervals; x only where
-- a table shows one (release 1, made with no intervals).
SELECT release_id, lang,
       substring(html FROM '<html lang="([^"]*)"') AS html_lang,
       substring(html FROM '<h1>([^<]*)</h1>') AS title,
       replace(replace(substring(html FROM '<p class="meta">(.*?)</p>'), chr(8239), '_'),
               (SELECT format_date(r.made_at::date, lang) FROM release r WHERE r.release_id = d.release_id),
               '<made on>') AS meta,
       html LIKE '%articles 53 et 54%' AS act_fr, html LIKE '%sections 53 and 54%' AS act_en,
       coalesce(substring(html FROM 'de 1 à [0-9]+'), substring(html FROM 'from 1 to [0-9]+')) AS small,
       coalesce(substring(html FROM 'multiple de [0-9]+'), substring(html FROM 'multiple of [0-9]+'),
                substring(html FROM '(Les nombres ne sont pas arrondis|Counts are not rounded)')) AS rounding,
       html LIKE '%« 5 à 12 » pour un nombre de 5 à 12%' OR html LIKE '%"5 to 12" for a count from 5 to 12%'
         AS intervals,
       html LIKE '%« x » : nombre masqué dont aucune borne%' OR html LIKE '%"x": a withheld count for which no bound%'
         AS x_explained,
       (html LIKE '%Tableau de bord%') = (lang = 'fr') AND (html LIKE '%Dashboard of%') = (lang = 'en')
         AS one_language
  FROM document d ORDER BY release_id, lang;

-- Every row of each table, as the document shows it, against the reader
-- schema's views of the same release, formatted here as the notes say: the
-- cells of each <tr>, a withheld count as its interval (x without one) and
-- the value shown before in brackets.
CREATE TEMP VIEW document_row AS
  SELECT d.release_id, d.lang, t.tbl, r.ord,
         ARRAY(SELECT replace(regexp_replace(regexp_replace(c.cell, '^.*<t[hd][^>]*>', ''),
                                             '<span class="carried">(.*)</span>$', ' (\1)'), '&nbsp;', ' ')
                 FROM regexp_split_to_table(r.tr, '</t[hd]>') WITH ORDINALITY c (cell, n)
                WHERE c.cell ~ '<t[hd]' ORDER BY c.n) AS cells
    FROM document d
   CROSS JOIN (VALUES ('rounds'), ('years'), ('categories')) t (tbl)
   CROSS JOIN LATERAL unnest(string_to_array(
                substring(substring(d.html FROM '<section id="' || t.tbl || '">(.*?)</section>')
                          FROM '<tbody>(.*?)</tbody>'), '</tr>')) WITH ORDINALITY r (tr, ord)
   WHERE r.tr LIKE '%<t%';
CREATE FUNCTION pg_temp.expected_cell(c arrima_published.release_count, lang text) RETURNS text
LANGUAGE sql AS $$
  SELECT CASE
           WHEN c.status = 'shown' THEN arrima_stats.format_count(c.value, lang)
           WHEN c.lower = 0 AND c.upper IS NULL THEN 'x'
           WHEN c.upper IS NULL THEN '≥ ' || arrima_stats.format_count(c.lower, lang)
           WHEN c.lower = 0 THEN '≤ ' || arrima_stats.format_count(c.upper, lang)
           ELSE arrima_stats.format_count(c.lower, lang) || CASE lang WHEN 'fr' THEN ' à ' ELSE ' to ' END
                || arrima_stats.format_count(c.upper, lang)
         END
         || coalesce(' (' || arrima_stats.format_count(c.carried_value, lang)
                     || CASE lang WHEN 'fr' THEN ' au ' ELSE ' as of ' END
                     || arrima_stats.format_date(c.carried_as_of, lang) || ')', '')
$$;
CREATE TEMP VIEW view_row AS
  SELECT c.release_id, l.lang, 'rounds' AS tbl,
         CASE WHEN c.row_kind = 'total' THEN ARRAY['Total']
              ELSE ARRAY[html_escape((SELECT CASE l.lang WHEN 'fr' THEN k.label_fr ELSE k.label_en END
                                        FROM arrima_published.category k WHERE k.code = c.category)),
                         format_date(c.held_on, l.lang)] END
         || array_agg(pg_temp.expected_cell(c, l.lang) ORDER BY array_position(
                        '{invitations,declined,expired,rejected,refused,notices_cannot_support,notices_did_not_support}',
                        c.measure::text))
              FILTER (WHERE c.measure IN ('invitations', 'declined', 'expired', 'rejected', 'refused',
                                          'notices_cannot_support', 'notices_did_not_support')) AS cells
    FROM arrima_published.release_count c, (VALUES ('fr'), ('en')) l (lang)
   WHERE c.dashboard = 'round_dashboard'
   GROUP BY c.release_id, l.lang, c.row_kind, c.round_id, c.held_on, c.category
  UNION ALL
  SELECT c.release_id, l.lang, 'years',
         ARRAY[c.year::text]
         || array_agg(pg_temp.expected_cell(c, l.lang) ORDER BY array_position(
                        '{invitations,rejected,refused,notices,declined,expired}', c.measure::text))
              FILTER (WHERE c.measure IN ('invitations', 'rejected', 'refused', 'notices', 'declined', 'expired'))
    FROM arrima_published.release_count c, (VALUES ('fr'), ('en')) l (lang)
   WHERE c.dashboard = 'annual_summary'
   GROUP BY c.release_id, l.lang, c.year;
SELECT d.release_id, d.lang, d.tbl, count(*) AS rows,
       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM view_row v
                                           WHERE v.release_id = d.release_id AND v.lang = d.lang
                                             AND v.tbl = d.tbl AND v.cells = d.cells)) AS not_in_the_views,
       (SELECT count(*) FROM view_row v WHERE v.release_id = d.release_id AND v.lang = d.lang
                                          AND v.tbl = d.tbl) AS view_rows
  FROM document_row d WHERE d.tbl IN ('rounds', 'years')
 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- the rows themselves, the latest release (U+202F shown as _): the
-- intervals worked out above, and round 201's refused carried from release 2
SELECT lang, tbl, ord, replace(array_to_string(cells, ' | '), chr(8239), '_') AS cells
  FROM document_row WHERE release_id = 3 ORDER BY lang DESC, tbl DESC, ord;
-- release 1, made with no intervals: x for each withheld count
SELECT lang, tbl, ord, replace(array_to_string(cells, ' | '), chr(8239), '_') AS cells
  FROM document_row WHERE release_id = 1 AND tbl IN ('rounds', 'years') ORDER BY lang DESC, tbl DESC, ord;
-- Table 3: each withheld count as in the view: x, or an interval
SELECT d.release_id, d.lang,
       count(*) FILTER (WHERE x.cell = 'x') AS x_cells,
       count(*) FILTER (WHERE x.cell ~ '^(≤ |≥ |[0-9]+ (à|to) )') AS interval_cells,
       (SELECT count(*) FILTER (WHERE c.lower = 0 AND c.upper IS NULL) || ' x, '
               || count(*) FILTER (WHERE c.lower > 0 OR c.upper IS NOT NULL) || ' intervals'
          FROM arrima_published.release_count c
         WHERE c.release_id = d.release_id AND c.dashboard = 'category_summary' AND c.status = 'withheld'
           AND c.measure IN ('invitations', 'rejected', 'refused', 'notices', 'declined', 'expired'))
         AS withheld_in_the_view
  FROM document_row d CROSS JOIN LATERAL unnest(d.cells) x (cell)
 WHERE d.tbl = 'categories'
 GROUP BY 1, 2 ORDER BY 1, 2;

-- Chart 1: a bar per shown count, a band over each withheld count's
-- interval (never a bar of 0), an x where there is no interval; the axis
-- reaches the highest upper bound (1,100: 0 to 1,500 in steps of 500).
SELECT d.release_id, d.lang,
       (length(svg) - length(replace(svg, '<rect ', ''))) / 6
         - (length(svg) - length(replace(svg, 'class="band"', ''))) / 12
         - (length(svg) - length(replace(svg, 'class="open"', ''))) / 12 AS bars,
       (length(svg) - length(replace(svg, 'class="band"', ''))) / 12 AS bands,
       (length(svg) - length(replace(svg, 'class="x"', ''))) / 9 AS x_marks,
       (SELECT count(*) FILTER (WHERE c.status = 'shown') || ' shown, '
               || count(*) FILTER (WHERE c.status = 'withheld' AND (c.lower > 0 OR c.upper IS NOT NULL))
               || ' with an interval, '
               || count(*) FILTER (WHERE c.status = 'withheld' AND c.lower = 0 AND c.upper IS NULL) || ' without'
          FROM arrima_published.release_count c
         WHERE c.release_id = d.release_id AND c.dashboard = 'annual_summary'
           AND c.measure IN ('rejected', 'refused', 'notices', 'declined', 'expired')) AS in_the_view,
       replace(array_to_string(ARRAY(SELECT m[1] FROM regexp_matches(svg, 'class="tick">([^<]*)<', 'g') m), ' '),
               chr(8239), '_') AS axis,
       html LIKE '%<span class="swatch band"></span>%' AS band_in_legend,
       caption ~ '(Pale band: a withheld count|Bande pâle : un nombre masqué)' AS band_in_caption,
       caption ~ '(x: withheld, no bound|x : nombre masqué dont aucune borne)' AS x_in_caption
  FROM document d, substring(d.html FROM '<svg .*</svg>') svg,
       substring(d.html FROM '<figcaption>(.*?)</figcaption>') caption
 ORDER BY 1, 2;
-- worked out by hand: one year, each kind of mark.  The axis reaches 12
-- (refused's upper bound) and, a quarter above 8, notices' open band: 12,
-- in steps of 5 up to 15, at y 196, 136, 76, 16 (180 for 15).  Bars 428 *
-- 0.76 / 5 = 65.056 wide from x = 44 + 428 * 0.12 = 95.36: rejected 10, a
-- bar 120 high; refused 5 to 12, a band from y 136 to 52; notices 8 and
-- more, a band from y 100 up to the top (16), an arrow above it; declined
-- with no bound, an x; expired 0 to 3, a band from the axis to y 160.
SELECT regexp_split_to_table(
         document_chart('en', ARRAY[
           ('annual_summary', 'year', NULL, NULL, 2023, NULL, NULL, 'rejected', 10, 10, 10, NULL, NULL),
           ('annual_summary', 'year', NULL, NULL, 2023, NULL, NULL, 'refused', NULL, 5, 12, NULL, NULL),
           ('annual_summary', 'year', NULL, NULL, 2023, NULL, NULL, 'notices', NULL, 8, NULL, 6, '2023-08-18'),
           ('annual_summary', 'year', NULL, NULL, 2023, NULL, NULL, 'declined', NULL, 0, NULL, NULL, NULL),
           ('annual_summary', 'year', NULL, NULL, 2023, NULL, NULL, 'expired', NULL, 0, 3, NULL, NULL)
         ]::document_count[]),
         '(?=<(rect|path|text|line|span class="key"|figcaption))') AS chart;

-- The document's pieces compute from what they are given: immutable, none
-- a security definer, none naming a relation; release_document alone
-- reads, arrima_published only, with its caller's rights.  So any role may
-- call the pieces (as one that may call release_document must): they tell
-- it nothing it did not give them.  release_document is not PUBLIC's.
SELECT p.oid::regprocedure AS function, p.provolatile AS volatility, p.prosecdef AS definer,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_may_call,
       ARRAY(SELECT DISTINCT m[1] FROM regexp_matches(p.prosrc, '(arrima_[a-z]+\.[a-z_]+)', 'g') m
              JOIN pg_class c ON c.oid = to_regclass(m[1]) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
             ORDER BY 1) AS reads
  FROM pg_proc p
 WHERE p.pronamespace = 'arrima_stats'::regnamespace
   AND (p.proname LIKE 'document\_%' OR p.proname IN ('release_document', 'format_count', 'format_date', 'html_escape'))
 ORDER BY p.proname;

-- A reporting role gets the same document; an unknown release is an error.
CREATE ROLE regress_arrima_document_reader;
SELECT grant_reporting('regress_arrima_document_reader');
GRANT SELECT ON document TO regress_arrima_document_reader;
SET ROLE regress_arrima_document_reader;
SELECT (SELECT html FROM document WHERE release_id = 3 AND lang = 'fr') = release_document() AS same_fr,
       (SELECT html FROM document WHERE release_id = 1 AND lang = 'en') = release_document('en', 1) AS same_en_1;
SELECT pg_temp.error_of('SELECT arrima_stats.release_document(''fr'', 99)') AS error;
RESET ROLE;
SELECT revoke_reporting('regress_arrima_document_reader');
DROP TABLE document CASCADE;
DROP ROLE regress_arrima_document_reader;

-- Leave things as found.
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE release, release_group, release_cell;
COMMIT;
SELECT setval('release_id_seq', 1, false);
UPDATE disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT, cadence = DEFAULT;
TRUNCATE invitation, invitation_round, publication_state, publication_group, publication_cell;
DELETE FROM category WHERE code = 'TEST_MARKUP';
REFRESH MATERIALIZED VIEW round_dashboard_published WITH NO DATA;
REFRESH MATERIALIZED VIEW annual_summary_published WITH NO DATA;
REFRESH MATERIALIZED VIEW category_summary_published WITH NO DATA;
