--
-- The tables refuse every row that breaks a rule of the contract, each with
-- a constraint named after the rule; response_due_on is filled from the
-- round; microdata is not granted to PUBLIC.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;
\set VERBOSITY terse

INSERT INTO invitation_round (round_id, category, held_on, invitations_published, response_days) VALUES
  (1, 'OPMO', '2022-01-10', 500, 60),
  (2, 'CLASSEMENT_GENERAL', '2022-02-01', NULL, 30);

-- response_due_on is the round's window counted from invited_on ...
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES
  (1, 1, '2022-01-10'), (2, 2, '2022-02-01'), (3, 1, '2022-01-12');
-- ... unless given
INSERT INTO invitation (invitation_id, round_id, invited_on, response_due_on) VALUES
  (4, 1, '2022-01-10', '2022-01-31');
SELECT invitation_id, invited_on, response_due_on FROM invitation ORDER BY invitation_id;
-- an update that clears it fills it again; one that keeps it leaves it
UPDATE invitation SET response_due_on = NULL WHERE invitation_id = 4;
UPDATE invitation SET invited_on = '2022-01-11' WHERE invitation_id = 3;
SELECT invitation_id, invited_on, response_due_on FROM invitation WHERE invitation_id IN (3, 4)
 ORDER BY invitation_id;
-- an unknown round cannot fill it, and says why
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (5, 99, '2022-01-10');
INSERT INTO invitation (invitation_id, round_id, invited_on, response_due_on)
  VALUES (5, 99, '2022-01-10', '2022-03-11');

-- Each rule broken once (invitation 1: invited 2022-01-10, due 2022-03-11).
-- every date is on or after invited_on (a notice or a decision before it
-- is before the application it needs)
INSERT INTO invitation (invitation_id, round_id, invited_on, response_due_on)
  VALUES (10, 1, '2022-01-10', '2022-01-09');
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on)
  VALUES (10, 1, '2022-01-10', '2022-01-09');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on)
  VALUES (10, 1, '2022-01-10', '2022-01-09');
INSERT INTO invitation (invitation_id, round_id, invited_on, notice_on, notice_ground)
  VALUES (10, 1, '2022-01-10', '2022-01-09', 'cannot_support');
INSERT INTO invitation (invitation_id, round_id, invited_on, decided_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-01-09', 'refused');
-- dates are real days
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (10, 1, '-infinity');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-02-01', 'infinity', 'selected');
-- not both declined and applied
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on)
  VALUES (10, 1, '2022-01-10', '2022-01-20', '2022-01-20');
-- declined_on and application_on by response_due_on
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on)
  VALUES (10, 1, '2022-01-10', '2022-03-12');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on)
  VALUES (10, 1, '2022-01-10', '2022-03-12');
-- a decision is on or after the application
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-02-01', '2022-01-31', 'selected');
-- notice_on and notice_ground both or neither
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, notice_on)
  VALUES (10, 1, '2022-01-10', '2022-02-01', '2022-03-01');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, notice_ground)
  VALUES (10, 1, '2022-01-10', '2022-02-01', 'did_not_support');
-- a notice needs an application, on or after it, and on or before any decision
INSERT INTO invitation (invitation_id, round_id, invited_on, notice_on, notice_ground)
  VALUES (10, 1, '2022-01-10', '2022-03-01', 'cannot_support');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, notice_on, notice_ground)
  VALUES (10, 1, '2022-01-10', '2022-02-01', '2022-01-31', 'cannot_support');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, notice_on, notice_ground,
                        decided_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-02-01', '2022-05-02', 'cannot_support', '2022-05-01', 'cancelled');
-- decided_on and decision both or neither
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on)
  VALUES (10, 1, '2022-01-10', '2022-02-01', '2022-05-01');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-02-01', 'selected');
-- a decision needs an application
INSERT INTO invitation (invitation_id, round_id, invited_on, decided_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-05-01', 'refused');
-- cancelled needs a notice
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-02-01', '2022-05-01', 'cancelled');
-- the same rules hold on UPDATE
UPDATE invitation SET declined_on = '2022-01-20', application_on = '2022-01-21' WHERE invitation_id = 1;
-- keys, references, NOT NULL, enum labels
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (1, 1, '2022-01-10');
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (NULL, 1, '2022-01-10');
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (10, NULL, '2022-01-10');
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (10, 1, NULL);
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
  VALUES (10, 1, '2022-01-10', '2022-02-01', '2022-05-01', 'approved');
DELETE FROM invitation_round WHERE round_id = 1;

-- Every boundary the rules allow is accepted: events on invited_on and on
-- response_due_on, a notice and a decision on the application day.
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on)
  VALUES (20, 1, '2022-01-10', '2022-01-10'), (21, 1, '2022-01-10', '2022-03-11');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, notice_on, notice_ground,
                        decided_on, decision)
  VALUES (22, 1, '2022-01-10', '2022-01-10', '2022-01-10', 'did_not_support', '2022-01-10', 'cancelled'),
         (23, 1, '2022-01-10', '2022-03-11', NULL, NULL, '2022-03-11', 'selected');
SELECT count(*) AS accepted FROM invitation WHERE invitation_id BETWEEN 20 AND 23;

-- rounds and categories
INSERT INTO invitation_round (round_id, category, held_on) VALUES (3, 'NO_SUCH_CATEGORY', '2022-01-10');
INSERT INTO invitation_round (round_id, category, held_on, response_days) VALUES (3, 'OPMO', '2022-01-10', 0);
INSERT INTO invitation_round (round_id, category, held_on, invitations_published)
  VALUES (3, 'OPMO', '2022-01-10', -1);
INSERT INTO invitation_round (round_id, category, held_on) VALUES (3, 'OPMO', 'infinity');
INSERT INTO invitation_round (round_id, category, held_on) VALUES (3, 'OPMO', NULL);
INSERT INTO category VALUES (' ', 'vide', 'blank');
INSERT INTO category VALUES ('OPMO', 'OPMO', 'duplicate');
-- users add categories
INSERT INTO category VALUES ('TEST_CATEGORY', 'Catégorie d''essai', 'Test category');
SELECT count(*) AS categories FROM category;
SELECT * FROM category WHERE code = 'TEST_CATEGORY';

-- what pg_dump keeps: every row of the rounds and invitations, and the
-- categories users added (the shipped ones come back with the extension)
SELECT unnest(extconfig)::regclass AS config_table, unnest(extcondition) AS dump_filter
  FROM pg_extension WHERE extname = 'arrima_stats' ORDER BY 1;

-- microdata and the raw roll-ups are not granted to PUBLIC
CREATE ROLE regress_arrima_nobody;
SELECT relname,
       has_table_privilege('regress_arrima_nobody', c.oid, 'SELECT') AS can_select
  FROM pg_class c
 WHERE c.relnamespace = 'arrima_stats'::regnamespace AND c.relkind IN ('r', 'v')
 ORDER BY relname;
SELECT p.oid::regprocedure AS function,
       has_function_privilege('regress_arrima_nobody', p.oid, 'EXECUTE') AS can_execute
  FROM pg_proc p
 WHERE p.pronamespace = 'arrima_stats'::regnamespace
   AND p.proname IN ('round_dashboard', 'annual_summary', 'category_summary')
 ORDER BY p.proname;
-- nor the reader schema: it is for the roles given grant_reporting()
SELECT has_schema_privilege('regress_arrima_nobody', 'arrima_published', 'USAGE') AS reader_schema_usage,
       count(*) FILTER (WHERE has_table_privilege('regress_arrima_nobody', c.oid, 'SELECT')) AS readable,
       has_function_privilege('regress_arrima_nobody', 'arrima_stats.release_document(text, integer)',
                              'EXECUTE') AS document
  FROM pg_class c WHERE c.relnamespace = 'arrima_published'::regnamespace;
SET ROLE regress_arrima_nobody;
SELECT count(*) FROM arrima_stats.invitation;
SELECT count(*) FROM arrima_stats.round_dashboard;
SELECT count(*) FROM arrima_stats.round_dashboard('2023-01-01');
SELECT count(*) FROM arrima_published.release_count;
SELECT arrima_stats.release_document();
RESET ROLE;
DROP ROLE regress_arrima_nobody;

DELETE FROM category WHERE code = 'TEST_CATEGORY';
TRUNCATE invitation, invitation_round;
