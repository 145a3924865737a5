--
-- A reporting role reads the published views and nothing else.
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
-- Functions it may call that are neither immutable (they compute from their
-- arguments only) nor trigger functions (which cannot be called): none.
-- (The immutable ones it may call, such as classify and the tally
-- aggregates, read nothing but what they are given.)
SELECT p.oid::regprocedure
  FROM pg_proc p
 WHERE p.pronamespace = 'arrima_stats'::regnamespace
   AND has_function_privilege('regress_arrima_reporter', p.oid, 'EXECUTE')
   AND p.provolatile <> 'i' AND p.prorettype <> 'trigger'::regtype
 ORDER BY 1;

SET ROLE regress_arrima_reporter;
-- readable
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
REFRESH MATERIALIZED VIEW round_dashboard_published;
SELECT schedule_refresh('0 6 * * *');
SELECT unschedule_refresh();
SELECT grant_reporting('regress_arrima_reporter');
-- nor by writing to the published views
DELETE FROM round_dashboard_published;
RESET ROLE;

-- revoke_reporting takes it all back.
SELECT revoke_reporting('regress_arrima_reporter');
SELECT count(*) AS grants_left
  FROM pg_class c
 WHERE c.relnamespace = 'arrima_stats'::regnamespace
   AND has_table_privilege('regress_arrima_reporter', c.oid, 'SELECT');
-- (PUBLIC keeps USAGE on the schema, as since 0.1.0)
SET ROLE regress_arrima_reporter;
SELECT count(*) FROM round_dashboard_published;
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
