-- test/data/rollup_bodies.sql: the queries the roll-ups run, as temporary
-- functions that the planner inlines, so that EXPLAIN shows the plan of a
-- roll-up's own query (a call of round_dashboard(date) itself shows a
-- Function Scan only).
--
-- For round_dashboard, annual_summary and category_summary, creates
-- pg_temp.round_dashboard_body(as_of date) ... with the function's own body
-- (prosrc, read from the catalog: this follows the functions as they
-- change), its arguments, result, volatility and parallel safety, but
-- neither STRICT nor SET: a SQL function with either is never inlined.
-- The roll-ups read group_tallies(as_of), the sums of the outcome calendar
-- (since 0.5.0): it gets a body of its own, pg_temp.group_tallies_body,
-- which the roll-ups' bodies call instead, so that their plans show the
-- scan and sums of the calendar too.
-- Call them qualified: SELECT * FROM pg_temp.round_dashboard_body('2023-08-18').
--
-- Used by sql/parallel.sql and sql/small_work_mem.sql (\i).
DO $$
DECLARE
  f record;
BEGIN
  -- group_tallies first: the others' bodies call its copy
  FOR f IN SELECT p.proname, pg_catalog.pg_get_function_arguments(p.oid) AS args,
                  pg_catalog.pg_get_function_result(p.oid) AS result, p.prosrc,
                  CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END AS volatility,
                  CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END AS parallel
             FROM pg_catalog.pg_proc p
            WHERE p.oid IN ('arrima_stats.group_tallies(date)'::regprocedure,
                            'arrima_stats.round_dashboard(date)'::regprocedure,
                            'arrima_stats.annual_summary(date)'::regprocedure,
                            'arrima_stats.category_summary(date)'::regprocedure)
            ORDER BY p.proname <> 'group_tallies' LOOP
    EXECUTE pg_catalog.format('CREATE FUNCTION pg_temp.%I(%s) RETURNS %s LANGUAGE sql %s PARALLEL %s AS %L',
                              f.proname || '_body', f.args, f.result, f.volatility, f.parallel,
                              pg_catalog.replace(f.prosrc, 'arrima_stats.group_tallies(',
                                                 'pg_temp.group_tallies_body('));
  END LOOP;
END
$$;
