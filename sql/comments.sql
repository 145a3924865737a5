--
-- Every table, view, column and function of the extension has a comment in
-- French and in English ("français / English"): BI tools show them.  So
-- has every view and column of the reader schema, arrima_published.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- relations and their columns without a bilingual comment
SELECT c.oid::regclass AS relation, NULL AS column_name
  FROM pg_class c
 WHERE c.relnamespace IN ('arrima_stats'::regnamespace, 'arrima_published'::regnamespace)
   AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
   AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE '% / %'
UNION ALL
SELECT c.oid::regclass, a.attname
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace IN ('arrima_stats'::regnamespace, 'arrima_published'::regnamespace)
   AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
   AND coalesce(col_description(c.oid, a.attnum), '') NOT LIKE '% / %'
 ORDER BY 1, 2;
-- the reader schema itself, and how many views and columns it comments
SELECT obj_description('arrima_published'::regnamespace, 'pg_namespace') LIKE '% / %' AS schema_commented,
       count(DISTINCT c.oid) AS views, count(*) AS columns
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'arrima_published'::regnamespace;

-- functions and aggregates without a bilingual comment
SELECT p.oid::regprocedure AS function
  FROM pg_proc p
 WHERE p.pronamespace = 'arrima_stats'::regnamespace
   AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE '% / %'
 ORDER BY 1;

-- types (not the implicit array and row types)
SELECT t.typname
  FROM pg_type t
 WHERE t.typnamespace = 'arrima_stats'::regnamespace AND t.typtype IN ('b', 'e', 'd')
   AND t.typname NOT LIKE '\_%'
   AND coalesce(obj_description(t.oid, 'pg_type'), '') NOT LIKE '% / %'
 ORDER BY 1;

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
