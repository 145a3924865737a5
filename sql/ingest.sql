--
-- ingest(): every staged row goes into invitation or, with a reason a
-- person can act on, into invitation_reject.  Nothing staged is lost,
-- nothing is guessed, and no bad value makes ingest() fail.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;
\set VERBOSITY terse

-- round 1: a 60-day window (invited 2022-01-10: due 2022-03-11);
-- round 2: a 30-day window (invited 2022-02-01: due 2022-03-03)
INSERT INTO invitation_round (round_id, category, held_on, response_days) VALUES
  (1, 'OPMO', '2022-01-10', 60),
  (2, 'CLASSEMENT_GENERAL', '2022-02-01', 30);

-- Nothing staged: nothing done.
SELECT inserted, updated, rejected FROM ingest();

-- A CSV file as a case system exports it loads into staging whatever its
-- values (comments on each line below, by invitation_id):
--  101-105: valid.  101 due filled from round 1; 102 due given, declined;
--           103 a full cancelled file in round 2; 104 every value padded
--           with spaces (kept in staging, ignored by the validator); 105
--           quoted empty strings, which COPY keeps as '' and which count as
--           NULL; 106 a leap day.
--  abc, 99999999999999999999, empty, blank: invitation_id that is no bigint
--  201-203: round_id not an integer, out of range, no such round; 204 none
--  301-308: invited_on missing, no such day (twice), not YYYY-MM-DD
--           (day/month, a timestamp, infinity, no zero padding), year 0
--  401, 402: labels as a person would type them
--  403: a value on two lines (a quoted CSV field)
--  501: applied after the response window filled from the round
--  601 twice, and 602 staged as '602' and as '0602' (the latter with a bad
--  date): an id staged more than once is refused for every row.
COPY invitation_staging FROM STDIN (FORMAT csv, HEADER);
invitation_id,round_id,invited_on,response_due_on,declined_on,application_on,notice_on,notice_ground,decided_on,decision
101,1,2022-01-10,,,,,,,
102,1,2022-01-10,2022-02-28,2022-01-20,,,,,
103,2,2022-02-01,,,2022-02-15,2022-03-01,did_not_support,2022-04-01,cancelled
 104 , 1 ,	2022-01-10	,,,  2022-02-01  ,,,  2022-05-01  , selected 
105,1,2022-01-10,"","",,"",,"",""
106,1,2024-02-29,,,,,,,
abc,1,2022-01-10,,,,,,,
99999999999999999999,1,2022-01-10,,,,,,,
,1,2022-01-10,,,,,,,
"   ",1,2022-01-10,,,,,,,
201,x,2022-01-10,,,,,,,
202,3000000000,2022-01-10,,,,,,,
203,99,2022-01-10,,,,,,,
204,,2022-01-10,,,,,,,
301,1,,,,,,,,
302,1,2022-13-45,,,,,,,
303,1,2022-02-29,,,,,,,
304,1,10/01/2022,,,,,,,
305,1,2022-01-10 00:00:00,,,,,,,
306,1,infinity,,,,,,,
307,1,2022-1-5,,,,,,,
308,1,0000-01-01,,,,,,,
401,1,2022-01-10,,,2022-02-01,,,2022-05-01,Selected
402,1,2022-01-10,,,2022-02-01,2022-03-01,cannot support,,
403,1,"2022-01-
10",,,,,,,
501,1,2022-01-10,,,2022-06-01,,,,
601,1,2022-01-10,,,,,,,
601,1,2022-01-10,,,,,,,
602,1,2022-01-10,,,,,,,
0602,1,2022-01-32,,,,,,,
\.
-- 5,000-character values, in a key and in a label
INSERT INTO invitation_staging (invitation_id, round_id, invited_on, decision)
VALUES (repeat('9', 5000), '1', '2022-01-10', NULL),
       ('701', '1', '2022-01-10', repeat('x', 5000));

-- COPY keeps a quoted empty string as '' and an unquoted one as NULL:
-- invitation 105 has five of the one, two of the other (it goes in with
-- all seven NULL).
SELECT quote_nullable(response_due_on) AS due, quote_nullable(declined_on) AS declined,
       quote_nullable(application_on) AS application, quote_nullable(notice_on) AS notice,
       quote_nullable(notice_ground) AS ground, quote_nullable(decided_on) AS decided,
       quote_nullable(decision) AS decision
  FROM invitation_staging WHERE invitation_id = '105';

-- What was staged, to compare with what comes out.
CREATE TEMP TABLE file AS SELECT * FROM invitation_staging;
SELECT count(*) AS staged FROM file \gset

-- 32 staged: 6 valid (101-106) go in; the other 26 are refused: 4 bad ids,
-- 4 bad rounds, 9 bad invited_on (301-308, 403), 2 bad labels, 1 broken
-- rule (501), 4 rows of repeated ids (601, 601, 602, 0602), 2 of 5,000
-- characters.  6 + 26 = 32.
SELECT inserted, updated, rejected, inserted + updated + rejected = :staged AS all_accounted
  FROM ingest();
SELECT count(*) AS left_in_staging FROM invitation_staging;

-- The valid rows, typed; 101 and 103 have response_due_on filled from
-- their round (60 and 30 days); 104's padded values read as if unpadded;
-- 105's empty strings are NULL.
SELECT * FROM invitation ORDER BY invitation_id;

-- Each refused row, its raw values as staged, and why (quote_nullable shows
-- NULL apart from '' and keeps whitespace in sight); the two long ones next.
SELECT quote_nullable(invitation_id) AS invitation_id, quote_nullable(round_id) AS round_id,
       quote_nullable(invited_on) AS invited_on, reason
  FROM invitation_reject
 WHERE coalesce(length(invitation_id), 0) < 100 AND coalesce(length(decision), 0) < 100
 ORDER BY invitation_id COLLATE "C" NULLS FIRST, reason COLLATE "C";

-- The reasons for the long values quote 40 characters and give the length.
SELECT left(invitation_id, 3) AS invitation_id, length(decision) AS decision_length, reason
  FROM invitation_reject WHERE length(invitation_id) > 100 OR length(decision) > 100
 ORDER BY 1;

-- Nothing lost or changed: every refused row is a staged row, verbatim, in
-- all its columns; what is staged and not refused (6 rows) went in ...
SELECT count(*) AS rejects_not_staged
  FROM (SELECT invitation_id, round_id, invited_on, response_due_on, declined_on,
               application_on, notice_on, notice_ground, decided_on, decision
          FROM invitation_reject
        EXCEPT ALL
        TABLE file) x;
SELECT count(*) AS staged_not_rejected
  FROM (TABLE file
        EXCEPT ALL
        SELECT invitation_id, round_id, invited_on, response_due_on, declined_on,
               application_on, notice_on, notice_ground, decided_on, decision
          FROM invitation_reject) x;
-- ... and one call is one batch, at one time.
SELECT count(DISTINCT batch_id) AS batches, count(DISTINCT rejected_at) AS times
  FROM invitation_reject;
SELECT max(batch_id) AS first_batch FROM invitation_reject \gset

-- Loading the same file again: the 6 valid rows update (no duplicates),
-- the 26 others are refused again, in a new batch.
INSERT INTO invitation_staging SELECT * FROM file;
SELECT inserted, updated, rejected, batch_id - :first_batch AS later_batch FROM ingest();
SELECT count(*) AS invitations, count(DISTINCT invitation_id) AS distinct_ids FROM invitation;
SELECT batch_id - :first_batch AS batch, count(*) FROM invitation_reject GROUP BY 1 ORDER BY 1;

-- An update replaces the row: 102 applies instead of declining, and leaves
-- out response_due_on, which is filled from the round (not kept from the
-- old row); 107 is new.  Counts: 1 updated, 1 inserted.
INSERT INTO invitation_staging (invitation_id, round_id, invited_on, application_on) VALUES
  ('102', '1', '2022-01-10', '2022-02-10'),
  ('107', '2', '2022-02-01', NULL);
SELECT inserted, updated, rejected FROM ingest();
SELECT * FROM invitation WHERE invitation_id IN (102, 107) ORDER BY invitation_id;

-- The same row staged twice is a repeated id too: neither copy is taken
-- for the other, both are refused and 101 stays as it was.
INSERT INTO invitation_staging (invitation_id, round_id, invited_on, declined_on) VALUES
  ('101', '1', '2022-01-10', '2022-01-11'), ('101', '1', '2022-01-10', '2022-01-11');
SELECT inserted, updated, rejected FROM ingest();
SELECT reason FROM invitation_reject WHERE batch_id = (SELECT max(batch_id) FROM invitation_reject);
SELECT invitation_id, declined_on FROM invitation WHERE invitation_id = 101;

-- The session's DateStyle changes neither how dates are read nor how
-- reasons write them.
SET datestyle = 'SQL, DMY';
INSERT INTO invitation_staging (invitation_id, round_id, invited_on, application_on) VALUES
  ('801', '1', '2022-01-10', '2022-06-01'), ('802', '1', '2022-01-10', '2022-02-01');
SELECT inserted, updated, rejected FROM ingest();
SELECT reason FROM invitation_reject WHERE invitation_id = '801';
SET datestyle = ISO;
SELECT invitation_id, application_on FROM invitation WHERE invitation_id = 802;

-- A failed ingest() loses nothing: the staged rows are back when its
-- transaction rolls back (here because the caller's statement fails).
INSERT INTO invitation_staging (invitation_id, round_id, invited_on) VALUES ('901', '1', '2022-01-10');
SELECT inserted / 0 FROM ingest();
SELECT invitation_id FROM invitation_staging;
SELECT count(*) AS loaded_901 FROM invitation WHERE invitation_id = 901;
TRUNCATE invitation_staging;

-- The validator alone: NULL for a valid row; a NULL row has no id; a row
-- whose round is unknown (response_days NULL) names the round.
SELECT invitation_fault(ROW('1', '1', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL), 60)
         AS valid,
       invitation_fault(NULL, 60) AS null_row,
       invitation_fault(ROW('1', '7', '2022-01-10', NULL, NULL, NULL, NULL, NULL, NULL, NULL), NULL)
         AS unknown_round;
SELECT * FROM parse_staged(ROW(' 5 ', '2', '2022-02-01', NULL, NULL, ' 2022-02-20', NULL, NULL,
                               '2022-03-01', 'refused'), 30);
-- of a bad row, the values that parse; response_due_on is filled only when
-- every value parses
SELECT * FROM parse_staged(ROW('6', '2', '2022-02-01', NULL, NULL, NULL, NULL, NULL,
                               '2022-03-01', 'refused'), 30);
SELECT * FROM parse_staged(ROW('6', '2', '2022-02-01', NULL, NULL, NULL, NULL, NULL,
                               '2022-03-01', 'refuse'), 30);
SELECT staged_round_id(' 12 ') AS twelve, staged_round_id('+12') AS plus, staged_round_id('1e3') AS exp,
       staged_round_id('2147483648') AS too_big, staged_round_id('') AS empty;

-- Staged rows and rejects are personal information: not readable by PUBLIC,
-- nor ingest() callable; the rejects and the batch numbers survive a
-- pg_dump (configuration tables of the extension).
CREATE ROLE regress_arrima_ingest_nobody;
SELECT c.oid::regclass AS relation,
       has_table_privilege('regress_arrima_ingest_nobody', c.oid, 'SELECT') AS can_select,
       has_table_privilege('regress_arrima_ingest_nobody', c.oid, 'INSERT') AS can_insert,
       c.oid = ANY (e.extconfig) AS dumped
  FROM pg_class c, pg_extension e
 WHERE e.extname = 'arrima_stats'
   AND c.oid IN ('invitation_staging'::regclass, 'invitation_reject'::regclass,
                 'ingest_batch'::regclass)
 ORDER BY c.relname;
SELECT has_function_privilege('regress_arrima_ingest_nobody', 'ingest()', 'EXECUTE') AS can_ingest;
SET ROLE regress_arrima_ingest_nobody;
SELECT * FROM arrima_stats.ingest();
SELECT count(*) FROM arrima_stats.invitation_reject;
RESET ROLE;
DROP ROLE regress_arrima_ingest_nobody;

-- What the README grants a loading role is enough to stage and ingest.
CREATE ROLE regress_arrima_loader;
GRANT SELECT, INSERT, DELETE ON invitation_staging TO regress_arrima_loader;
GRANT SELECT ON invitation_round TO regress_arrima_loader;
GRANT SELECT, INSERT, UPDATE ON invitation TO regress_arrima_loader;
GRANT INSERT ON invitation_reject TO regress_arrima_loader;
GRANT USAGE ON SEQUENCE ingest_batch TO regress_arrima_loader;
GRANT EXECUTE ON FUNCTION ingest() TO regress_arrima_loader;
SET ROLE regress_arrima_loader;
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on)
  VALUES ('1001', '1', '2022-01-10'), ('1001', '1', '2022-01-10'), ('1002', '1', '2022-01-10');
SELECT inserted, updated, rejected FROM arrima_stats.ingest();
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on)
  VALUES ('1002', '1', '2022-01-11');
SELECT inserted, updated, rejected FROM arrima_stats.ingest();
RESET ROLE;
DROP OWNED BY regress_arrima_loader;
DROP ROLE regress_arrima_loader;

-- Every object of ingestion, and every column of its tables, is commented.
SELECT o AS uncommented
  FROM (SELECT format('%s.%s', a.attrelid::regclass, a.attname) AS o,
               col_description(a.attrelid, a.attnum) AS d
          FROM pg_attribute a
         WHERE a.attrelid IN ('invitation_staging'::regclass, 'invitation_reject'::regclass)
           AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT c::regclass::text, obj_description(c, 'pg_class')
          FROM unnest(ARRAY['invitation_staging'::regclass, 'invitation_reject'::regclass,
                            'ingest_batch'::regclass]::oid[]) c
        UNION ALL
        SELECT p::regprocedure::text, obj_description(p, 'pg_proc')
          FROM unnest(ARRAY['ingest()'::regprocedure,
                            'invitation_fault(invitation_staging, integer)'::regprocedure,
                            'parse_staged(invitation_staging, integer)'::regprocedure,
                            'staged_round_id(text)'::regprocedure]::oid[]) p) x
 WHERE d IS NULL OR d NOT LIKE '% / %';

TRUNCATE invitation, invitation_round, invitation_reject, invitation_staging;
