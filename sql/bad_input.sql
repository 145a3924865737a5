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

--
-- Every public function given NULL, empty, infinite, out-of-range and huge
-- arguments: the answer the README gives for them, or an error that says
-- what is wrong, with its SQLSTATE, and never a whole internal query as
-- its context (whole_query: the context shows a query of more than one
-- line).  The functions of the document, which another part of the project
-- changes, are shown by their SQLSTATE only (sql/document.sql has their
-- messages).
--
CREATE FUNCTION pg_temp.try(statement text, state_only boolean DEFAULT false,
                            OUT outcome text, OUT whole_query boolean)
LANGUAGE plpgsql AS $$
DECLARE
  result text;
  state text;
  message text;
  detail text;
  context text;
BEGIN
  EXECUTE statement INTO result;
  outcome := coalesce('= ' || result, '= NULL');
  whole_query := false;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                          detail = PG_EXCEPTION_DETAIL, context = PG_EXCEPTION_CONTEXT;
  outcome := state || CASE WHEN state_only THEN ''
                           ELSE ' ' || message || coalesce(' (' || nullif(detail, '') || ')', '') END;
  -- the statement run here is in the context too: it is ours
  whole_query := replace(context, format('SQL statement "%s"', statement), '')
                 ~ 'SQL statement "[^"]*\n';
END
$$;
CREATE TEMP TABLE try_statement (n serial, statement text, state_only boolean DEFAULT false);
-- an invitation: applied 2022-02-01, selected 2022-06-01
\set inv 'ROW(1, 1, ''2022-01-10'', ''2022-03-11'', NULL, ''2022-02-01'', NULL, NULL, ''2022-06-01'', ''selected'')::arrima_stats.invitation'
INSERT INTO try_statement (statement) VALUES
  -- classification and the tallies: as of the end of time, all that
  -- happened; as of its start, nothing; NULL counts nothing
  ('SELECT arrima_stats.classify(NULL::arrima_stats.invitation, ''2023-01-01'')'),
  ('SELECT arrima_stats.classify(' || :'inv' || ', NULL)'),
  ('SELECT arrima_stats.classify(' || :'inv' || ', ''infinity'')'),
  ('SELECT arrima_stats.classify(' || :'inv' || ', ''-infinity'')'),
  ('SELECT arrima_stats.classify(' || :'inv' || ', ''5874897-12-31'')'),
  ('SELECT arrima_stats.classify(' || :'inv' || ', ''4714-11-24 BC'')'),
  ('SELECT arrima_stats.tally(i, NULL) FROM (SELECT ' || :'inv' || ' AS i) s'),
  ('SELECT arrima_stats.tally(i, ''infinity'') FROM (SELECT ' || :'inv' || ' AS i) s'),
  ('SELECT arrima_stats.tally(i, ''-infinity'') FROM (SELECT ' || :'inv' || ' AS i) s'),
  ('SELECT arrima_stats.tally(i, ''2023-01-01'') FROM (SELECT ' || :'inv' || ' AS i) s WHERE false'),
  ('SELECT arrima_stats.tally_by(NULL, (i).invited_on, (i).response_due_on, (i).declined_on, '
   '(i).application_on, (i).notice_on, (i).notice_ground, (i).decided_on, (i).decision, ''infinity'') '
   'FROM (SELECT ' || :'inv' || ' AS i) s'),
  ('SELECT arrima_stats.tally_by(2147483647, (i).invited_on, (i).response_due_on, (i).declined_on, '
   '(i).application_on, (i).notice_on, (i).notice_ground, (i).decided_on, (i).decision, NULL) '
   'FROM (SELECT ' || :'inv' || ' AS i) s'),
  ('SELECT arrima_stats.sum(t) FROM (SELECT NULL::arrima_stats.tally AS t) s'),
  ('SELECT ''{0,0,0,0,0,0,9223372036854775807,0,0,0,0,0,0}''::arrima_stats.tally '
   '+ ''{0,0,0,0,0,0,1,0,0,0,0,0,0}'''),
  ('SELECT arrima_stats.tally_counts(NULL)'),
  ('SELECT ''{1,0,2,-1,0,0,0,0,0,0,0,0,0}''::arrima_stats.tally_change::arrima_stats.tally'),
  ('SELECT ''{0,0,0,0,0,0,0,0,0,0,0,-9223372036854775807,0}''::arrima_stats.tally_change '
   '+ ''{0,0,0,0,0,0,0,0,0,0,0,-2,0}'''),
  -- the calendar
  ('SELECT arrima_stats.calendar_changes(NULL, 1, ''2022-01-10'', ''2022-03-11'', NULL, NULL, NULL, NULL, NULL, NULL)'),
  ('SELECT arrima_stats.calendar_changes(2, 1, ''2022-01-10'', ''2022-03-11'', NULL, NULL, NULL, NULL, NULL, NULL)'),
  ('SELECT arrima_stats.calendar_changes(1, 1, ''2022-01-10'', ''infinity'', NULL, NULL, NULL, NULL, NULL, NULL)'),
  ('SELECT arrima_stats.calendar_changes(1, NULL, ''2022-01-10'', ''2022-03-11'', NULL, NULL, NULL, NULL, NULL, NULL)'),
  ('SELECT count(*) FROM arrima_stats.group_tallies(NULL)'),
  ('SELECT count(*) = (SELECT count(DISTINCT (i.round_id, extract(year FROM i.invited_on))) '
   'FROM arrima_stats.invitation i) FROM arrima_stats.group_tallies(''infinity'')'),
  ('SELECT count(*) FROM arrima_stats.group_tallies(''-infinity'')'),
  -- the roll-ups: NULL no row; as of the end of time every round and the
  -- total; as of its start, the total row alone, of zeros
  ('SELECT count(*) FROM arrima_stats.round_dashboard(NULL)'),
  ('SELECT count(*) = (SELECT count(*) + 1 FROM arrima_stats.invitation_round) '
   'FROM arrima_stats.round_dashboard(''infinity'')'),
  ('SELECT count(*) = (SELECT count(*) + 1 FROM arrima_stats.invitation_round) '
   'FROM arrima_stats.round_dashboard(''5874897-12-31'')'),
  ('SELECT string_agg(format(''%s %s'', is_total, invitations), '', '') '
   'FROM arrima_stats.round_dashboard(''-infinity'')'),
  ('SELECT count(*) FROM arrima_stats.annual_summary(''-infinity'')'),
  ('SELECT count(*) = (SELECT count(DISTINCT extract(year FROM i.invited_on)) FROM arrima_stats.invitation i) '
   'FROM arrima_stats.annual_summary(''infinity'')'),
  ('SELECT string_agg(format(''%s/%s %s'', year, category, invitations), '', '') '
   'FROM arrima_stats.category_summary(''-infinity'')'),
  -- dashboard_series: at least a day a step, finite dates within the range
  -- of timestamps, at most 100,000 dates
  ('SELECT count(*) FROM arrima_stats.dashboard_series(NULL, ''2023-01-01'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''2023-01-02'', ''2023-01-01'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''-infinity'', ''2023-01-01'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''2023-01-01'', ''2023-01-03'', ''1 microsecond'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''2023-01-01'', ''2023-01-03'', ''23 hours 59 minutes'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''4713-01-01 BC'', ''294276-12-31'', ''100 years'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''2023-01-01'', ''5874897-12-31'', ''1000 years'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''2023-01-01'', ''2023-01-01'', ''178000000 years'')'),
  ('SELECT count(*) FROM arrima_stats.dashboard_series(''1800-01-01'', ''2099-12-31'')'),
  ('SELECT cardinality(arrima_stats.dashboard_series_dates(''2000-01-01'', ''2273-10-15'', ''1 day''))'),
  ('SELECT cardinality(arrima_stats.dashboard_series_dates(''2000-01-01'', ''2273-10-16'', ''1 day''))'),
  -- loading
  ('SELECT arrima_stats.invitation_fault(NULL, NULL)'),
  ('SELECT fault FROM arrima_stats.parse_staged(NULL, NULL)'),
  ('SELECT fault FROM arrima_stats.parse_staged(ROW(''1'', ''1'', ''2022-01-10'', NULL, NULL, NULL, NULL, NULL, '
   'NULL, NULL)::arrima_stats.invitation_staging, 2147483647)'),
  ('SELECT fault FROM arrima_stats.parse_staged(ROW(''1'', ''1'', ''infinity'', NULL, NULL, NULL, NULL, NULL, '
   'NULL, NULL)::arrima_stats.invitation_staging, 60)'),
  ('SELECT arrima_stats.invitation_fault(ROW(repeat(''9'', 100000), ''1'', ''2022-01-10'', NULL, NULL, NULL, NULL, '
   'NULL, NULL, NULL)::arrima_stats.invitation_staging, 60) LIKE ''invitation_id "999%'''),
  ('SELECT arrima_stats.staged_round_id(NULL)'),
  ('SELECT arrima_stats.staged_round_id('''')'),
  ('SELECT arrima_stats.staged_round_id(''99999999999'')'),
  ('SELECT arrima_stats.staged_round_id(repeat(''9'', 100000))'),
  -- releases
  ('SELECT arrima_stats.refresh_publications(NULL)'),
  ('SELECT arrima_stats.refresh_publications(''infinity'')'),
  ('SELECT arrima_stats.refresh_publications(''-infinity'')'),
  ('SELECT count(*) FROM arrima_stats.disclosure_audit(-1)'),
  ('SELECT count(*) FROM arrima_stats.disclosure_audit(2147483647)'),
  ('SELECT count(*) FROM arrima_stats.disclosure_release_audit(NULL, NULL, NULL, NULL, NULL)'),
  ('SELECT count(*) FROM arrima_stats.disclosure_release_audit(''{}'', ''{}'', ''{}'', NULL, NULL)'),
  ('SELECT count(*) FROM arrima_stats.disclosure_release(NULL, ''{}'', ''{}'', 1, ''{}'')'),
  ('SELECT count(*) FROM arrima_stats.disclosure_release(''{}'', ''{}'', ''{}'', 1, ''{}'')'),
  ('SELECT count(*) FROM arrima_stats.disclosure_release_gate(''{}'', ''{}'', ''{}'', ''{}'')'),
  ('SELECT count(*) FROM arrima_stats.disclosure_release_gate(ARRAY[NULL::arrima_stats.release], ''{}'', ''{}'', ''{}'')'),
  ('SELECT count(*) FROM arrima_stats.disclosure_cells(NULL, ''{}'', ''{}'', ''{}'', ''{}'', ''{}'', 5)'),
  ('SELECT count(*) FROM arrima_stats.disclosure_cells(''{}'', ''{}'', ''{}'', ''{}'', ''{}'', ''{}'', 5)'),
  ('SELECT count(*) FILTER (WHERE withheld) FROM arrima_stats.disclosure_cells(''{1}'', ''{2022}'', ''{OPMO}'', '
   '''{t}'', ''{10}'', ''{"{10,0,0,0,0,0,0,0,2,0,8,1,1}"}'', 2147483647)'),
  ('SELECT count(*) FROM arrima_stats.disclosure_bounds(''{}'', ''{}'', ''{}'', ''{}'', ''{}'', ''{}'', 5, '
   '''{}'', ''{}'', ''{}'')'),
  ('SELECT arrima_stats.round_count(NULL, 5)'),
  ('SELECT arrima_stats.round_count(9223372036854775807, 5)'),
  ('SELECT arrima_stats.round_count(7, 0)'),
  ('SELECT arrima_stats.schedule_refresh(NULL)'),
  ('SELECT arrima_stats.revoke_reporting(NULL)'),
  -- format_date: infinity as it is, years before Christ
  ('SELECT arrima_stats.format_date(''infinity'')'),
  ('SELECT arrima_stats.format_date(''-infinity'', ''en'')'),
  ('SELECT arrima_stats.format_date(''4714-11-24 BC'')'),
  ('SELECT arrima_stats.format_date(''0001-01-01 BC'', ''en'')'),
  ('SELECT arrima_stats.format_date(''5874897-12-31'', ''en'')'),
  ('SELECT arrima_stats.format_date(NULL)'),
  ('SELECT arrima_stats.format_date(''2023-01-01'', NULL)');
INSERT INTO try_statement (statement, state_only) VALUES
  ('SELECT arrima_stats.schedule_refresh('''')', true),
  ('SELECT arrima_stats.format_count(NULL)', true),
  ('SELECT arrima_stats.format_count(-9223372036854775808, ''en'')', true),
  ('SELECT arrima_stats.format_count(1, '''')', true),
  ('SELECT arrima_stats.html_escape(NULL)', true),
  ('SELECT length(arrima_stats.html_escape(repeat(''<&'', 500000)))', true),
  ('SELECT arrima_stats.release_document(NULL)', true),
  ('SELECT arrima_stats.release_document(''fr'', -1)', true),
  ('SELECT arrima_stats.release_document(''en'', 2147483647)', true);
\pset format unaligned
\pset fieldsep ' | '
SELECT n, statement, (pg_temp.try(statement, state_only)).* FROM try_statement ORDER BY n;
\pset format aligned

-- the last week or month before the first date there is is no date
BEGIN;
UPDATE disclosure_policy SET cadence = 'month';
SELECT * FROM pg_temp.try('SELECT arrima_stats.refresh_publications(''4714-11-24 BC'')');
ROLLBACK;
BEGIN;
UPDATE disclosure_policy SET cadence = 'week';
SELECT * FROM pg_temp.try('SELECT arrima_stats.refresh_publications(''4714-11-24 BC'')');
ROLLBACK;
