--
-- Every C function that takes arrays or tallies checks them first: a bad
-- argument is refused with SQLSTATE 22023 (invalid_parameter_value) and a
-- detail that names the rule, never an internal error (XX000) nor a wrong
-- answer.  One statement per bad input, each followed by its SQLSTATE.
--
SET search_path = arrima_stats, public;
\set VERBOSITY default

-- The groups of disclosure_cells() and disclosure_bounds(): round_id, year,
-- category, in_dashboard, invitations_published, tally, one element per
-- group.  A valid call first: 10 invitations, 2 of them cancelled after a
-- notice, 8 selected.
SELECT count(*) AS cells, count(*) FILTER (WHERE withheld) AS withheld
  FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{10}',
                        '{"{10,0,0,0,0,0,0,0,2,0,8,1,1}"}', 5);

-- arrays of different lengths
SELECT * FROM disclosure_cells('{1,2}', '{2022,2022}', '{OPMO}', '{t,t}', '{NULL,NULL}',
                               '{"{0,0,0,0,0,0,0,0,0,0,0,0,0}","{0,0,0,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- an array of two dimensions
SELECT * FROM disclosure_cells('{{1}}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                               '{"{0,0,0,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- NULL elements where none may be
SELECT * FROM disclosure_cells('{NULL}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                               '{"{0,0,0,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_cells('{1}', '{2022}', '{NULL}', '{t}', '{NULL}',
                               '{"{0,0,0,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{NULL}', '{NULL}',
                               '{"{0,0,0,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{NULL}', 5);
\echo :LAST_ERROR_SQLSTATE
-- invitations that are not the sum of the ten outcomes
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                               '{"{3,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- 3 cancelled files without a notice (0.2.0: "could not protect 2
-- withheld counts", XX000)
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                               '{"{3,0,0,0,0,0,0,0,3,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- more notices than files with an application
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                               '{"{3,0,2,0,1,0,0,0,0,0,0,1,1}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- sums past bigint: in one tally, over all the groups
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                               '{"{9223372036854775807,0,9223372036854775807,9223372036854775807,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_cells('{1,2}', '{2022,2022}', '{OPMO,OPMO}', '{t,t}', '{NULL,NULL}',
                               '{"{9223372036854775807,0,9223372036854775807,0,0,0,0,0,0,0,0,0,0}",'
                               '"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- a negative figure of the ministry
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{-1}',
                               '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- two groups for one round and year; groups that disagree about their
-- round; a group without a year that is not an empty round held by as_of
SELECT * FROM disclosure_cells('{1,1}', '{2022,2022}', '{OPMO,OPMO}', '{t,t}', '{NULL,NULL}',
                               '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}","{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_cells('{1,1}', '{2021,2022}', '{OPMO,PAMO_TI}', '{t,t}', '{NULL,NULL}',
                               '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}","{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_cells('{1}', '{NULL}', '{OPMO}', '{t}', '{NULL}',
                               '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
\echo :LAST_ERROR_SQLSTATE
-- min_count below 1
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                               '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_cells('{}', '{}', '{}', '{}', '{}', '{}', -5);
\echo :LAST_ERROR_SQLSTATE

-- disclosure_bounds() checks the same groups (0.2.0 reported the bounds
-- [3,3] of the 3 cancelled files "unsafe", as if they could be) ...
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{3,0,0,0,0,0,0,0,3,0,0,0,0}"}', 5,
                                '{round_dashboard}', '{1}', '{cancelled}');
\echo :LAST_ERROR_SQLSTATE
-- ... and the withheld cells it is given: arrays of different lengths or
-- two dimensions, NULL elements, an unknown publication, a column the
-- publication does not have, a row it does not have
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{round_dashboard,round_dashboard}', '{1}', '{declined}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{{round_dashboard}}', '{{1}}', '{{declined}}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{round_dashboard}', '{NULL}', '{declined}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{round_dashboards}', '{1}', '{declined}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{annual_summary}', '{2022}', '{notices_cannot_support}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{category_summary}', '{2021/OPMO}', '{declined}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                                '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 0,
                                '{round_dashboard}', '{1}', '{declined}');
\echo :LAST_ERROR_SQLSTATE

-- The tally type itself is a vector of 13 counters that are never
-- negative: its text and binary input refuse a negative one (sql/tally.sql
-- has every malformed form), and take any other vector, as they always
-- have (stored tallies stay readable).  A tally made by the aggregates
-- keeps the rules of invitations; the functions that rely on the rules
-- check them, as above.
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,-13}'::tally;
\echo :LAST_ERROR_SQLSTATE
SELECT '{3,0,0,0,0,0,0,0,3,0,0,0,0}'::tally AS accepted;
