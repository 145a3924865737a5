--
-- A reporting role reads the reader schema, the document of a release and
-- the published views, and nothing else.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

INSERT INTO invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2023-01-05');
INSERT INTO invitation (invitation_id, round_id, invited_on)
SELECT k, 1, '2023-01-05' FROM generate_series(1, 20) k;
SELECT refresh_publications('2023-08-18');

CREATE ROLE regress_arrima_reporter;
SELECT grant_reporting('regress_arrima_reporter');
SELECT grant_reporting(NULL);
SELECT grant_reporting('regress_no_such_role');

-- What the role may read or write, from the catalogs: the three published
-- views and the history of what releases showed, SELECT only.  (A relation
-- added to the schema later shows up here.)
SELECT c.relname, c.relkind,
       has_table_privilege('regress_arrima_reporter', c.oid, 'SELECT') AS can_select,
       has_table_privilege('regress_arrima_reporter', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE') AS can_write
  FROM pg_class c
 WHERE c.relnamespace = 'arrima_stats'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
   AND has_table_privilege('regress_arrima_reporter', c.oid,
                           'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
 ORDER BY 1;
SELECT count(*) AS column_grants
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'arrima_stats'::regnamespace AND a.attnum > 0
   AND c.relname NOT LIKE '%\_published' AND c.relname NOT LIKE 'published\_%'
   AND has_column_privilege('regress_arrima_reporter', c.oid, a.attnum, 'SELECT, INSERT, UPDATE');
-- ... and in the reader schema: every view, SELECT only.
SELECT has_schema_privilege('regress_arrima_reporter', 'arrima_published', 'CREATE') AS can_create,
       has_schema_privilege('regress_arrima_reporter', 'arrima_published', 'USAGE') AS can_use;
SELECT c.relname, c.relkind,
       has_table_privilege('regress_arrima_reporter', c.oid, 'SELECT') AS can_select,
       has_table_privilege('regress_arrima_reporter', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE') AS can_write
  FROM pg_class c
 WHERE c.relnamespace = 'arrima_published'::regnamespace
 ORDER BY 1;
-- Functions it may call that are neither immutable (they compute from their
-- arguments only) nor trigger functions (which cannot be called): the
-- document, which reads the reader schema with the caller's rights.
-- (The immutable ones it may call, such as classify, the tally
-- aggregates and the pieces of the document, read nothing but what they
-- are given: sql/document.sql checks the pieces.)
SELECT p.oid::regprocedure
  FROM pg_proc p
 WHERE p.pronamespace = 'arrima_stats'::regnamespace
   AND has_function_privilege('regress_arrima_reporter', p.oid, 'EXECUTE')
   AND p.provolatile <> 'i' AND p.prorettype <> 'trigger'::regtype
 ORDER BY 1;

SET ROLE regress_arrima_reporter;
-- readable: the reader schema and the document
SELECT release_id, row_kind, round_id, category, invitations, expired, selected,
       invitations_published, invitations_published_status
  FROM arrima_published.round_dashboard;
SELECT row_kind, year, invitations, expired FROM arrima_published.annual_summary;
SELECT row_kind, year, category, invitations FROM arrima_published.category_summary;
SELECT release_id, as_of, counts_shown, counts_withheld, is_latest FROM arrima_published.release;
SELECT dashboard, row_kind, measure, value, status FROM arrima_published.release_count
 WHERE dashboard = 'round_dashboard' AND round_id = 1 ORDER BY measure;
SELECT count(*) FROM arrima_published.category;
SELECT left(arrima_stats.release_document(), 15), left(arrima_stats.release_document('en', 1), 15);
-- and, as before, the published views
SELECT round_id, invitations, expired, is_total, as_of FROM round_dashboard_published ORDER BY is_total;
SELECT year, invitations, expired FROM annual_summary_published;
SELECT year, category, invitations FROM category_summary_published ORDER BY row_key;
SELECT release_id, as_of, counts, withheld FROM published_release;
SELECT publication, row_key, measure, value FROM published_count
 WHERE publication = 'round_dashboard' AND value > 0 ORDER BY row_key, measure;
-- microdata, reference and raw tables, the stored publication, the releases
-- as kept (exact values, withheld ones included)
SELECT count(*) FROM invitation;
SELECT count(*) FROM invitation_round;
SELECT count(*) FROM category;
SELECT count(*) FROM publication_cell;
SELECT count(*) FROM publication_group;
SELECT count(*) FROM publication_state;
SELECT count(*) FROM release;
SELECT count(*) FROM release_group;
SELECT count(*) FROM release_cell;
SELECT count(*) FROM release_proof;
-- raw roll-ups: the views and the functions behind them
SELECT count(*) FROM round_dashboard;
SELECT count(*) FROM annual_summary;
SELECT count(*) FROM category_summary;
SELECT count(*) FROM round_dashboard('2023-08-18');
SELECT count(*) FROM annual_summary('2023-08-18');
SELECT count(*) FROM category_summary('2023-08-18');
-- the disclosure machinery
SELECT count(*) FROM disclosure_audit();
SELECT count(*) FROM disclosure_cells('{}', '{}', '{}', '{}', '{}', '{}', 5);
SELECT count(*) FROM disclosure_bounds('{}', '{}', '{}', '{}', '{}', '{}', 5, '{}', '{}', '{}');
SELECT count(*) FROM disclosure_release('{}', '{}', '{}', 1, '{}');
SELECT count(*) FROM disclosure_release_gate('{}', '{}', '{}', '{}');
SELECT count(*) FROM disclosure_release_audit('{}', '{}', '{}', NULL, true);
SELECT publish_latest_release();
-- the policy, the refresh, the schedule, the grants
SELECT * FROM disclosure_policy;
UPDATE disclosure_policy SET min_count = 1;
UPDATE disclosure_policy_setting SET min_count = 1;
INSERT INTO disclosure_policy_setting (min_count, round_to) VALUES (1, 1);
SELECT refresh_publications('2023-08-18');
-- refused with insufficient_privilege on every major: its message is "must be
-- owner" up to 16, "permission denied" (the MAINTAIN privilege) from 17 on
\set VERBOSITY sqlstate
REFRESH MATERIALIZED VIEW round_dashboard_published;
\set VERBOSITY default
SELECT schedule_refresh('0 6 * * *');
SELECT unschedule_refresh();
SELECT grant_reporting('regress_arrima_reporter');
-- nor by writing to the published views
DELETE FROM round_dashboard_published;
RESET ROLE;

-- The reader schema needs nothing in arrima_stats: a role given only the
-- schema, its views and the document reads them all (the views read the
-- release tables with their owner's rights).
CREATE ROLE regress_arrima_reader_only;
GRANT USAGE ON SCHEMA arrima_published TO regress_arrima_reader_only;
GRANT SELECT ON ALL TABLES IN SCHEMA arrima_published TO regress_arrima_reader_only;
GRANT EXECUTE ON FUNCTION release_document(text, integer) TO regress_arrima_reader_only;
SET ROLE regress_arrima_reader_only;
SELECT (SELECT count(*) FROM arrima_published.round_dashboard) AS rounds,
       (SELECT count(*) FROM arrima_published.annual_summary) AS years,
       (SELECT count(*) FROM arrima_published.category_summary) AS category_rows,
       (SELECT count(*) FROM arrima_published.release) AS releases,
       (SELECT count(*) FROM arrima_published.release_count) AS counts,
       (SELECT count(*) FROM arrima_published.category) AS categories,
       length(arrima_stats.release_document('fr')) > 0 AS document;
SELECT count(*) FROM arrima_stats.release_cell;
RESET ROLE;
DROP OWNED BY regress_arrima_reader_only;
DROP ROLE regress_arrima_reader_only;

-- revoke_reporting takes it all back.
SELECT revoke_reporting('regress_arrima_reporter');
SELECT count(*) AS grants_left
  FROM pg_class c
 WHERE c.relnamespace IN ('arrima_stats'::regnamespace, 'arrima_published'::regnamespace)
   AND has_table_privilege('regress_arrima_reporter', c.oid, 'SELECT');
SELECT has_schema_privilege('regress_arrima_reporter', 'arrima_published', 'USAGE') AS reader_schema,
       has_function_privilege('regress_arrima_reporter', 'release_document(text, integer)', 'EXECUTE')
         AS document;
-- (PUBLIC keeps USAGE on the schema, as since 0.1.0)
SET ROLE regress_arrima_reporter;
SELECT count(*) FROM round_dashboard_published;
SELECT count(*) FROM arrima_published.round_dashboard;
SELECT release_document();
RESET ROLE;
DROP ROLE regress_arrima_reporter;

-- Leave things as found.  (Releases are kept for ever; a superuser can go
-- around the triggers that keep them, as here.)
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE release, release_group, release_cell;
COMMIT;
SELECT setval('release_id_seq', 1, false);
TRUNCATE invitation, invitation_round, publication_state, publication_group, publication_cell;
REFRESH MATERIALIZED VIEW round_dashboard_published WITH NO DATA;
REFRESH MATERIALIZED VIEW annual_summary_published WITH NO DATA;
REFRESH MATERIALIZED VIEW category_summary_published WITH NO DATA;
