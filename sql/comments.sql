--
-- Every table, view, column, function and type of the extension has a
-- comment in French and in English, "français / English": BI tools show
-- them.  So has every view and column of the reader schema,
-- arrima_published, and the schema itself.  Split on ' / ', a comment must
-- have exactly two halves, neither blank, and the two must differ (a half
-- copied into the other language is no translation; "Invitations /
-- invitations" differs, as the French half starts with a capital and the
-- English one does not).
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

CREATE TEMP VIEW commented AS
SELECT 'relation' AS kind, c.oid::regclass::text AS name, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c
 WHERE c.relnamespace IN ('arrima_stats'::regnamespace, 'arrima_published'::regnamespace)
   AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
UNION ALL
SELECT 'column', c.oid::regclass::text || '.' || a.attname, col_description(c.oid, a.attnum)
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace IN ('arrima_stats'::regnamespace, 'arrima_published'::regnamespace)
   AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
UNION ALL
-- functions and aggregates
SELECT 'function', p.oid::regprocedure::text, obj_description(p.oid, 'pg_proc')
  FROM pg_proc p
 WHERE p.pronamespace = 'arrima_stats'::regnamespace
UNION ALL
-- types (not the implicit array and row types)
SELECT 'type', t.typname::text, obj_description(t.oid, 'pg_type')
  FROM pg_type t
 WHERE t.typnamespace = 'arrima_stats'::regnamespace AND t.typtype IN ('b', 'e', 'd')
   AND t.typname NOT LIKE '\_%'
UNION ALL
-- the reader schema
SELECT 'schema', n.nspname::text, obj_description(n.oid, 'pg_namespace')
  FROM pg_namespace n
 WHERE n.oid = 'arrima_published'::regnamespace;

CREATE TEMP VIEW halves AS
SELECT kind, name, comment,
       cardinality(string_to_array(comment, ' / ')) AS parts,
       btrim(split_part(comment, ' / ', 1)) AS french,
       btrim(split_part(comment, ' / ', 2)) AS english
  FROM commented;

-- what is checked, per kind
SELECT kind, count(*) > 0 AS some_checked FROM commented GROUP BY kind ORDER BY kind;
-- how many views and columns of the reader schema are checked
SELECT count(DISTINCT c.oid) AS views, count(*) AS columns
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'arrima_published'::regnamespace;

-- comments that are missing, not in two halves, with a blank half, or with
-- the same text in both (none)
SELECT kind, name, comment
  FROM halves
 WHERE comment IS NULL OR parts <> 2 OR french = '' OR english = '' OR french = english
 ORDER BY kind, name COLLATE "C";

-- what a BI tool shows for one published column
SELECT col_description('round_dashboard_published'::regclass,
                       (SELECT attnum FROM pg_attribute
                         WHERE attrelid = 'round_dashboard_published'::regclass AND attname = 'rejected'));
SELECT col_description('arrima_published.round_dashboard'::regclass,
                       (SELECT attnum FROM pg_attribute
                         WHERE attrelid = 'arrima_published.round_dashboard'::regclass AND attname = 'rejected'));

-- the comments that said what was not so: the ministry's figure is NULL
-- when it was not published (or withheld, in the published view); a
-- round's category and a year have no subtotals where there are none;
-- row_key, which no client sees as NOT NULL
SELECT c.oid::regclass AS relation, a.attname, col_description(c.oid, a.attnum)
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.oid IN ('round_dashboard'::regclass, 'round_dashboard_published'::regclass,
                 'annual_summary'::regclass, 'annual_summary_published'::regclass,
                 'category_summary_published'::regclass,
                 'arrima_published.round_dashboard'::regclass)
   AND a.attname IN ('category', 'year', 'invitations_published', 'invitations_published_status', 'row_key')
 ORDER BY 1, 2;
