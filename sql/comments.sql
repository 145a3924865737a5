--
-- Every table, view, column and function of the extension has a comment in
-- French and in English ("français / English"): BI tools show them.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- relations and their columns without a bilingual comment
SELECT c.relname, NULL AS column_name
  FROM pg_class c
 WHERE c.relnamespace = 'arrima_stats'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
   AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE '% / %'
UNION ALL
SELECT c.relname, a.attname
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'arrima_stats'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
   AND coalesce(col_description(c.oid, a.attnum), '') NOT LIKE '% / %'
 ORDER BY 1, 2;

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
