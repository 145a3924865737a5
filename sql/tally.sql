--
-- The tally type: text and binary forms, addition, sum, reading counters.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- text form: 13 non-negative counters; blanks allowed around each
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13}'::tally;
SELECT ' {  0 ,0,0,0,0,0,0,0,0,0,0,0, 9223372036854775807 }  '::tally;
SELECT (('{1,2,3,4,5,6,7,8,9,10,11,12,13}'::tally)::text)::tally;

-- every malformed form is refused with a reason
\set VERBOSITY default
SELECT ''::tally;
SELECT '1,2,3,4,5,6,7,8,9,10,11,12,13'::tally;
SELECT '{}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13,14}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13} x'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,-13}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,+13}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,1e3}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,9223372036854775808}'::tally;
SELECT '{1;2;3;4;5;6;7;8;9;10;11;12;13}'::tally;
\set VERBOSITY terse

-- reading the counters back as columns
SELECT * FROM tally_counts('{13,1,2,3,4,0,0,0,0,0,3,5,6}');

-- addition; the operands are left as they were
SELECT a, b, a + b AS sum
  FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally, '{2,0,1,0,0,0,0,0,0,0,1,1,0}'::tally)) v(a, b);
SELECT '{9223372036854775807,0,0,0,0,0,0,0,0,0,0,0,0}'::tally + '{1,0,0,0,0,0,0,0,0,0,0,0,0}';

-- the sum aggregate: NULLs skipped; nothing to add is the empty tally
SELECT sum(t) FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally), (NULL),
                           ('{2,0,0,0,1,1,0,0,0,0,0,0,1}')) v(t);
SELECT sum(t) FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally)) v(t) WHERE false;
SELECT g, sum(t) FROM (VALUES (1, '{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally), (2, '{1,0,1,0,0,0,0,0,0,0,0,0,0}'),
                              (1, '{1,0,0,1,0,0,0,0,0,0,0,0,0}')) v(g, t)
 GROUP BY g ORDER BY g;

-- the transition functions called directly do not change their input
SELECT t, tally_accum(t, '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL, '2022-02-01')
  FROM (VALUES ('{5,5,0,0,0,0,0,0,0,0,0,0,0}'::tally)) v(t);
SELECT tally_accum(NULL, '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL, '2022-04-01');

-- a tally can be stored and summed later
CREATE TEMP TABLE stored (label text, t tally);
INSERT INTO stored VALUES ('a', '{3,1,1,1,0,0,0,0,0,0,0,0,0}'), ('b', '{2,0,0,0,1,1,0,0,0,0,0,1,0}');
SELECT sum(t), (tally_counts(sum(t))).invitations FROM stored;
