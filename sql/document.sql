--
-- release_document(): a release as one self-contained HTML document, in
-- French or English, that shows what the reader schema shows and nothing
-- more; text from the data is never markup.
--
-- Two rounds, as of 2023-09-01 (min_count 5):
--   201  a category the user added, whose labels are markup;  2023-06-01
--        1,200 invitations: 1,100 in processing, 60 expired, 37 declined,
--        3 rejected (a small count)
--   202  OPMO  2022-09-01  30 invitations: 25 selected, 3 refused, 2 declined
-- then a second release as of 2023-09-10, rounded to 5.
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
               ('SELECT arrima_stats.format_date(''2023-01-01'', NULL)')) v (s);

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
UPDATE disclosure_policy SET round_to = 5;
SELECT refresh_publications('2023-09-10');

-- The documents: the latest release, and release 1, in each language.
CREATE TEMP TABLE document AS
  SELECT r.release_id, l.lang, release_document(l.lang, r.release_id) AS html
    FROM (VALUES (NULL::integer), (1)) r (release_id), (VALUES ('fr'), ('en')) l (lang);
UPDATE document SET release_id = 2 WHERE release_id IS NULL;

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

-- In its language throughout: dates, numbers, the withheld marker explained
-- with the access act and the release's policy.
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
       (html LIKE '%Tableau de bord%') = (lang = 'fr') AND (html LIKE '%Dashboard of%') = (lang = 'en')
         AS one_language
  FROM document d ORDER BY release_id, lang;

-- Every row of each table, as the document shows it, against the reader
-- schema's views of the same release, formatted the same way: the cells of
-- each <tr> (a withheld count is x).
CREATE TEMP VIEW document_row AS
  SELECT d.release_id, d.lang, t.tbl, r.ord,
         ARRAY(SELECT m[1] FROM regexp_matches(r.tr, '>([^<]*)</t[hd]>', 'g') m) AS cells
    FROM document d
   CROSS JOIN (VALUES ('rounds'), ('years'), ('categories')) t (tbl)
   CROSS JOIN LATERAL unnest(string_to_array(
                substring(substring(d.html FROM '<section id="' || t.tbl || '">(.*?)</section>')
                          FROM '<tbody>(.*?)</tbody>'), '</tr>')) WITH ORDINALITY r (tr, ord)
   WHERE r.tr LIKE '%<t%';
CREATE TEMP VIEW view_row AS
  SELECT c.release_id, l.lang, 'rounds' AS tbl,
         CASE WHEN c.row_kind = 'total' THEN ARRAY['Total']
              ELSE ARRAY[html_escape((SELECT CASE l.lang WHEN 'fr' THEN k.label_fr ELSE k.label_en END
                                        FROM arrima_published.category k WHERE k.code = c.category)),
                         format_date(c.held_on, l.lang)] END
         || ARRAY(SELECT coalesce(format_count(v, l.lang), 'x')
                    FROM unnest(array_agg(c.value ORDER BY array_position(
                           '{invitations,declined,expired,rejected,refused,notices_cannot_support,notices_did_not_support}',
                           c.measure)) FILTER (WHERE c.measure IN ('invitations', 'declined', 'expired', 'rejected', 'refused',
                                                                   'notices_cannot_support', 'notices_did_not_support')))
                         WITH ORDINALITY u (v, o) ORDER BY o) AS cells
    FROM arrima_published.release_count c, (VALUES ('fr'), ('en')) l (lang)
   WHERE c.dashboard = 'round_dashboard'
   GROUP BY c.release_id, l.lang, c.row_kind, c.round_id, c.held_on, c.category
  UNION ALL
  SELECT c.release_id, l.lang, 'years',
         ARRAY[c.year::text]
         || ARRAY(SELECT coalesce(format_count(v, l.lang), 'x')
                    FROM unnest(array_agg(c.value ORDER BY array_position(
                           '{invitations,rejected,refused,notices,declined,expired}', c.measure))
                           FILTER (WHERE c.measure IN ('invitations', 'rejected', 'refused', 'notices',
                                                       'declined', 'expired')))
                         WITH ORDINALITY u (v, o) ORDER BY o)
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
-- the rows themselves, the latest release (U+202F shown as _)
SELECT lang, tbl, ord, replace(array_to_string(cells, ' | '), chr(8239), '_') AS cells
  FROM document_row WHERE release_id = 2 ORDER BY lang DESC, tbl DESC, ord;
-- Table 3: a withheld count is an x, a shown one its value, as in the view
SELECT d.release_id, d.lang,
       sum(cardinality(array_positions(d.cells, 'x'))) AS x_cells,
       (SELECT count(*) FROM arrima_published.release_count c
         WHERE c.release_id = d.release_id AND c.dashboard = 'category_summary' AND c.status = 'withheld'
           AND c.measure IN ('invitations', 'rejected', 'refused', 'notices', 'declined', 'expired'))
         AS withheld_in_the_view
  FROM document_row d WHERE d.tbl = 'categories'
 GROUP BY 1, 2 ORDER BY 1, 2;

-- A reporting role gets the same document; an unknown release is an error.
CREATE ROLE regress_arrima_document_reader;
SELECT grant_reporting('regress_arrima_document_reader');
GRANT SELECT ON document TO regress_arrima_document_reader;
SET ROLE regress_arrima_document_reader;
SELECT (SELECT html FROM document WHERE release_id = 2 AND lang = 'fr') = release_document() AS same_fr,
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
