#!/usr/bin/env bash
# Fuzzing with SQLsmith (Debian's sqlsmith), aimed at the extension: random
# queries for about 45 s (ARRIMA_FUZZ_SECONDS) against a database with the
# extension and some data.  The case fails if a backend crashes (the server
# logs "terminated by signal"; the query is printed), if the server stops
# answering, or if the queries did not reach every object of a listed set
# of the extension's functions, aggregates, operators and roll-ups.
#
# Aiming.  SQLsmith builds its queries from what the catalog offers: the
# relations of information_schema.tables (with --exclude-catalog, not those
# of pg_catalog and information_schema), the functions and aggregates of
# pg_proc, the types of pg_type, the operators of pg_catalog.pg_operator.
# It reads pg_proc unqualified, so its role's search_path starts with a
# schema fuzz (then pg_catalog, arrima_stats, public) whose view fuzz.pg_proc
# shows only the extension's functions and aggregates (not the type I/O and
# trigger functions, nor those taking internal) and a few built-in ones that
# make dates, integers and text, plus the harness functions below: every
# call SQLsmith writes is then a call of the extension, where before 5,920
# queries chose among PostgreSQL's 3,000 functions and never reached the
# disclosure functions, round_dashboard or tally_add.  (The operators cannot
# be narrowed that way, and SQLsmith writes operators only in comparisons.)
# The harness, in schema fuzz, is what SQLsmith cannot write by itself:
#   fuzz.some_date(), some_tally(), some_invitation(), some_staged(),
#   some_text(), fuzz.date_of(int), tally_of(int) ...
#                                     values of the extension's types (for
#                                     other types than integer SQLsmith
#                                     writes NULL, and a STRICT function is
#                                     not called on NULL)
#   fuzz.classify_next(), plus_next(), fault_next(), parse_next(),
#   accum_next(), send_next(), ingest_next() ...
#                                     the extension's functions (and the
#                                     operator +) on those values, for SQLsmith
#                                     to place in its queries: it picks a
#                                     function without arguments 2 times in
#                                     3, and most of its queries return no
#                                     row, so its own calls seldom run
#   fuzz.round_dashboard(date) ...,   the set-returning roll-ups, and
#   fuzz.publication_of(int, int),    disclosure_cells/_bounds on the
#   fuzz.bounds_of(int, int),         arrays of fuzz.groups, as text
#   fuzz.disclosure_audit()           (SQLsmith calls no set-returning
#                                     function)
#   fuzz.refresh_publications(date),  refresh_publications as the views'
#   fuzz.refresh_next()               owner (SECURITY DEFINER; rolled back
#                                     like every statement): a third release
#                                     after the two kept
#   fuzz.disclosure_next()            by turns, the C functions over the
#                                     kept releases (two, made first), given
#                                     their arrays, whole or with a release,
#                                     a group or a withheld cell left out,
#                                     for releases that exist or not;
#                                     release_document in a language and of
#                                     a release, known or not; and
#                                     publication_of, bounds_of
# and tables of values to pass: fuzz.sample (tallies, invitation rows, staged
# rows, keyed tallies, dates, keys, texts) and fuzz.groups (the array
# arguments of the disclosure functions, as refresh_publications builds
# them from the data, and broken: lengths that differ, NULL elements,
# inconsistent tallies, bad min_count).  Staged rows wait in
# invitation_staging, so that a call of ingest() has work.
#
# It runs as a role that is not a superuser, with every privilege on the
# extension's tables and functions, statement_timeout 2 s; SQLsmith runs each
# statement in a transaction that it rolls back.  The seed is printed
# (ARRIMA_FUZZ_SEED, default 1; runs restart with the next seed when SQLsmith
# stops).
#
# Measured: the extension's functions actually called (track_functions =
# all, pg_stat_user_functions: a STRICT function given a NULL is not called),
# and the aggregates in statements that succeeded (pg_stat_statements, which
# test/run preloads).  Required: every function of required_functions
# (tally_add: the operator + or the function) and every aggregate of
# required_aggregates below.
. "$(dirname "$0")/common.bash"

db=arrima_case_fuzz_sqlsmith
role=arrima_case_fuzzer
seconds=${ARRIMA_FUZZ_SECONDS:-45}
seed=${ARRIMA_FUZZ_SEED:-1}
command -v sqlsmith >/dev/null || die "sqlsmith is missing: apt-get install sqlsmith"
preloaded=$(query postgres "SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))")
[ "$preloaded" = t ] || die "the server was not started with pg_stat_statements in shared_preload_libraries"

# What the queries must reach: functions (called, pg_stat_user_functions)
# and aggregates (in a statement that succeeded).
required_functions='annual_summary category_summary classify disclosure_audit disclosure_bounds
disclosure_cells disclosure_release disclosure_release_audit disclosure_release_gate ingest
invitation_fault parse_staged publish_latest_release refresh_publications release_document
round_count round_dashboard staged_round_id tally_accum tally_accum_row tally_add tally_counts
tally_send'
required_aggregates='tally sum tally_by'

fresh_db "$db"
case_role "$role"
# pg_stat_statements in a schema the fuzzing role cannot see
psql -d "$db" -c 'CREATE EXTENSION arrima_stats' -c 'CREATE SCHEMA stats' \
     -c 'CREATE EXTENSION pg_stat_statements SCHEMA stats'
load_demo_data "$db" 0.05

psql -d "$db" -v role="$role" -v db="$db" <<'SQL'
SET client_min_messages = warning;
-- two releases kept, a week apart
SELECT arrima_stats.refresh_publications('2023-08-18') \g /dev/null
SELECT arrima_stats.refresh_publications('2023-08-25') \g /dev/null
CREATE SCHEMA fuzz;

-- Values for SQLsmith to pass around.
CREATE TABLE fuzz.sample (t arrima_stats.tally, i arrima_stats.invitation,
                          s arrima_stats.invitation_staging, k arrima_stats.keyed_tally,
                          as_of date, key integer, response_days integer, txt text);
INSERT INTO fuzz.sample
SELECT arrima_stats.tally(i, d), (array_agg(i ORDER BY i.invitation_id))[1],
       ROW(i.round_id * 7, i.round_id, min(i.invited_on), NULL, NULL, min(i.invited_on) + 5,
           NULL, NULL, NULL, NULL)::arrima_stats.invitation_staging,
       ROW(i.round_id, arrima_stats.tally(i, d))::arrima_stats.keyed_tally,
       d, i.round_id, 60, i.round_id::text
  FROM arrima_stats.invitation i
 CROSS JOIN unnest('{2021-01-01,2022-06-30,2023-08-18,2024-12-31,infinity,-infinity}'::date[]) d
 GROUP BY i.round_id, d;
INSERT INTO fuzz.sample (s, txt, response_days, as_of) VALUES
  (ROW(' 12 ', '1', '2022-01-10', '2022-03-11', '', '2022-02-01', '2022-03-01', 'cannot_support',
       '2022-04-01', 'cancelled'), ' 1 ', 60, '2022-02-28'),
  (ROW('x', '99999999999', '10/01/2022', NULL, NULL, NULL, NULL, 'Selected', NULL, 'nope'),
   '+2147483648', NULL, 'infinity'),
  (ROW(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), '', -1, NULL),
  (ROW('9223372036854775807', '-1', '0001-01-01', '9999-12-31', '2022-02-29', '2022-01-01',
       '2021-12-31', 'did_not_support', '2022-01-01', 'withdrawn'), E'\t7\n', 2147483647, '-infinity');

-- The arrays the disclosure functions take, as refresh_publications makes
-- them, and broken.
CREATE TABLE fuzz.groups (round_id integer[], year integer[], category text[], in_dashboard boolean[],
                          invitations_published integer[], tally arrima_stats.tally[], min_count integer,
                          publication text[], row_key text[], measure text[]);
INSERT INTO fuzz.groups
SELECT g.round_id, g.year, g.category, g.in_dashboard, g.invitations_published, g.tally, m,
       w.publication, w.row_key, w.measure
  FROM (SELECT array_agg(round_id ORDER BY round_id, year) AS round_id,
               array_agg(year ORDER BY round_id, year) AS year,
               array_agg(category ORDER BY round_id, year) AS category,
               array_agg(in_dashboard ORDER BY round_id, year) AS in_dashboard,
               array_agg(invitations_published ORDER BY round_id, year) AS invitations_published,
               array_agg(tally ORDER BY round_id, year) AS tally
          FROM arrima_stats.publication_group) g,
       (SELECT array_agg(publication) AS publication, array_agg(row_key) AS row_key,
               array_agg(measure) AS measure
          FROM arrima_stats.publication_cell WHERE withheld) w,
       unnest('{5,1,2,30}'::int[]) m;
INSERT INTO fuzz.groups
SELECT round_id[1:3], year[1:3], category[1:3], in_dashboard[1:3], invitations_published[1:3],
       tally[1:3], 5, publication[1:5], row_key[1:5], measure[1:5] FROM fuzz.groups LIMIT 1;
INSERT INTO fuzz.groups VALUES
  ('{1,2}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
   '{round_dashboard}', '{1}', '{declined}'),
  ('{1,1}', '{2022,2022}', '{OPMO,OPMO}', '{t,t}', '{NULL,NULL}',
   '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}","{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5, '{annual_summary}', '{2022}', '{notices}'),
  ('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{3,0,1,0,0,0,0,0,0,0,0,0,0}"}', 0, '{x}', '{y}', '{z}'),
  ('{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', NULL, '{NULL}', '{NULL}', '{NULL}'),
  ('{}', '{}', '{}', '{}', '{}', '{}', 5, '{}', '{}', '{}');

-- Staged rows for ingest() to take (each call is rolled back).
INSERT INTO arrima_stats.invitation_staging
SELECT (s).* FROM fuzz.sample WHERE s IS NOT NULL AND (s).invitation_id IS NOT NULL LIMIT 20;

-- The harness.  Values of the extension's types: SQLsmith writes integer
-- constants, and NULL for other types, and a STRICT function of the
-- extension given NULL is never called; so functions that make values,
-- with an integer or with no argument (SQLsmith picks those 2 times in 3),
-- the latter taking the next of a sequence (not rolled back: a run is
-- reproducible).
CREATE SEQUENCE fuzz.n;
CREATE FUNCTION fuzz.next() RETURNS bigint
  LANGUAGE sql AS $$ SELECT nextval('fuzz.n') $$;
CREATE FUNCTION fuzz.invitation_of(n integer) RETURNS arrima_stats.invitation
  LANGUAGE sql STABLE AS $$ SELECT i FROM arrima_stats.invitation i
                             ORDER BY i.invitation_id OFFSET abs(n::bigint % 500) LIMIT 1 $$;
CREATE FUNCTION fuzz.staged_of(n integer) RETURNS arrima_stats.invitation_staging
  LANGUAGE sql STABLE AS $$ SELECT s.s FROM fuzz.sample s WHERE s.s IS NOT NULL
                             ORDER BY s.s::text OFFSET abs(n::bigint % 30) LIMIT 1 $$;
CREATE FUNCTION fuzz.tally_of(n integer) RETURNS arrima_stats.tally
  LANGUAGE sql STABLE AS $$ SELECT s.t FROM fuzz.sample s WHERE s.t IS NOT NULL
                             ORDER BY s.t::text OFFSET abs(n::bigint % 100) LIMIT 1 $$;
CREATE FUNCTION fuzz.date_of(n integer) RETURNS date
  LANGUAGE sql IMMUTABLE AS $$ SELECT date '2021-01-01' + (n::bigint % 2000)::integer $$;
CREATE FUNCTION fuzz.some_invitation() RETURNS arrima_stats.invitation
  LANGUAGE sql AS $$ SELECT fuzz.invitation_of((fuzz.next() * 7919 % 100003)::integer) $$;
CREATE FUNCTION fuzz.some_staged() RETURNS arrima_stats.invitation_staging
  LANGUAGE sql AS $$ SELECT fuzz.staged_of(fuzz.next()::integer) $$;
CREATE FUNCTION fuzz.some_tally() RETURNS arrima_stats.tally
  LANGUAGE sql AS $$ SELECT fuzz.tally_of((fuzz.next() * 31)::integer) $$;
CREATE FUNCTION fuzz.some_date() RETURNS date
  LANGUAGE sql AS $$ SELECT CASE WHEN n % 50 = 0 THEN date 'infinity' WHEN n % 50 = 1 THEN date '-infinity'
                                 ELSE date '2020-12-01' + (n * 37 % 1400)::integer END
                       FROM fuzz.next() n $$;
CREATE FUNCTION fuzz.some_text() RETURNS text
  LANGUAGE sql AS $$ SELECT (ARRAY[' 12 ', '7', '-3', '+2147483647', '2147483648', 'x', '', ' ',
                                   '2022-02-29', '2024-02-29', '1e3', E'\t5\n', '٣',
                                   '99999999999999999999'])[1 + fuzz.next() % 14] $$;
-- calls of the extension's functions with the next values, for SQLsmith to
-- place in its queries (it picks a function without arguments 2 times in
-- 3; its own calls of the extension rarely run: most of its queries return
-- no row)
CREATE FUNCTION fuzz.classify_next() RETURNS arrima_stats.outcome
  LANGUAGE sql AS $$ SELECT arrima_stats.classify(fuzz.some_invitation(), fuzz.some_date()) $$;
CREATE FUNCTION fuzz.plus_next() RETURNS arrima_stats.tally
  LANGUAGE sql AS $$ SELECT fuzz.some_tally() OPERATOR(arrima_stats.+) fuzz.some_tally() $$;
CREATE FUNCTION fuzz.send_next() RETURNS bytea
  LANGUAGE sql AS $$ SELECT arrima_stats.tally_send(fuzz.some_tally()) $$;
CREATE FUNCTION fuzz.accum_next() RETURNS arrima_stats.tally
  LANGUAGE sql AS $$
    SELECT arrima_stats.tally_accum_row(fuzz.some_tally(), fuzz.some_invitation(), fuzz.some_date()) $$;
CREATE FUNCTION fuzz.accum_columns_next() RETURNS arrima_stats.tally
  LANGUAGE sql AS $$
    SELECT arrima_stats.tally_accum(fuzz.some_tally(), (i).invited_on, (i).response_due_on,
                                    (i).declined_on, (i).application_on, (i).notice_on,
                                    (i).notice_ground, (i).decided_on, (i).decision, fuzz.some_date())
      FROM (SELECT fuzz.some_invitation() AS i) s $$;
CREATE FUNCTION fuzz.fault_next() RETURNS text
  LANGUAGE sql AS $$ SELECT arrima_stats.invitation_fault(fuzz.some_staged(),
                                                          (ARRAY[60, NULL, 0, -5, 30])[1 + fuzz.next() % 5]) $$;
CREATE FUNCTION fuzz.parse_next() RETURNS text
  LANGUAGE sql AS $$ SELECT arrima_stats.parse_staged(fuzz.some_staged(),
                                                      (ARRAY[60, NULL, 0, 2147483647])[1 + fuzz.next() % 4])::text $$;
CREATE FUNCTION fuzz.round_id_next() RETURNS integer
  LANGUAGE sql AS $$ SELECT arrima_stats.staged_round_id(fuzz.some_text()) $$;
CREATE FUNCTION fuzz.ingest_next() RETURNS text
  LANGUAGE sql AS $$ SELECT arrima_stats.ingest()::text $$;
CREATE FUNCTION fuzz.refresh_next() RETURNS text
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT arrima_stats.refresh_publications(fuzz.some_date())::text $$;
-- the disclosure functions on the n-th set of arrays of fuzz.groups
CREATE FUNCTION fuzz.publication_of(n integer, min_count integer) RETURNS text
  LANGUAGE sql AS $$
    SELECT string_agg(x::text, ';')
      FROM (SELECT * FROM fuzz.groups OFFSET abs(n::bigint % 10) LIMIT 1) g,
           arrima_stats.disclosure_cells(g.round_id, g.year, g.category, g.in_dashboard,
                                         g.invitations_published, g.tally, min_count) x $$;
CREATE FUNCTION fuzz.bounds_of(n integer, min_count integer) RETURNS text
  LANGUAGE sql AS $$
    SELECT string_agg(x::text, ';')
      FROM (SELECT * FROM fuzz.groups OFFSET abs(n::bigint % 10) LIMIT 1) g,
           arrima_stats.disclosure_bounds(g.round_id, g.year, g.category, g.in_dashboard,
                                          g.invitations_published, g.tally, min_count,
                                          g.publication, g.row_key, g.measure) x $$;
CREATE FUNCTION fuzz.tally_plus(a arrima_stats.tally, b arrima_stats.tally) RETURNS arrima_stats.tally
  LANGUAGE sql AS $$ SELECT a OPERATOR(arrima_stats.+) b $$;
CREATE FUNCTION fuzz.round_dashboard(as_of date) RETURNS text
  LANGUAGE sql AS $$ SELECT string_agg(d::text, ';') FROM arrima_stats.round_dashboard(as_of) d $$;
CREATE FUNCTION fuzz.annual_summary(as_of date) RETURNS text
  LANGUAGE sql AS $$ SELECT string_agg(d::text, ';') FROM arrima_stats.annual_summary(as_of) d $$;
CREATE FUNCTION fuzz.category_summary(as_of date) RETURNS text
  LANGUAGE sql AS $$ SELECT string_agg(d::text, ';') FROM arrima_stats.category_summary(as_of) d $$;
CREATE FUNCTION fuzz.disclosure_audit() RETURNS text
  LANGUAGE sql AS $$ SELECT string_agg(d::text, ';') FROM arrima_stats.disclosure_audit() d $$;
CREATE FUNCTION fuzz.disclosure_cells(r integer[], y integer[], c text[], d boolean[], p integer[],
                                      t arrima_stats.tally[], m integer) RETURNS text
  LANGUAGE sql AS $$ SELECT string_agg(x::text, ';') FROM arrima_stats.disclosure_cells(r, y, c, d, p, t, m) x $$;
CREATE FUNCTION fuzz.disclosure_bounds(r integer[], y integer[], c text[], d boolean[], p integer[],
                                       t arrima_stats.tally[], m integer, pub text[], k text[],
                                       measure text[]) RETURNS text
  LANGUAGE sql AS $$ SELECT string_agg(x::text, ';')
                       FROM arrima_stats.disclosure_bounds(r, y, c, d, p, t, m, pub, k, measure) x $$;
CREATE FUNCTION fuzz.refresh_publications(as_of date) RETURNS text
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT arrima_stats.refresh_publications(as_of)::text $$;
-- the C functions over the kept releases, their arrays whole or with the
-- n-th release, group or withheld cell left out; release ids that exist
-- (1, 2) or not
CREATE FUNCTION fuzz.release_arrays(n integer, OUT r arrima_stats.release[],
                                    OUT g arrima_stats.release_group[], OUT c arrima_stats.release_cell[])
  LANGUAGE sql STABLE AS $$
    SELECT ARRAY(SELECT x FROM arrima_stats.release x
                  WHERE n % 7 <> 1 OR x.release_id <> 1 + abs(n / 7) % 2 ORDER BY x.release_id),
           ARRAY(SELECT x FROM (SELECT x, row_number() OVER (ORDER BY x.release_id, x.round_id, x.year) AS k
                                  FROM arrima_stats.release_group x) s (x, k)
                  WHERE n % 7 <> 2 OR k <> abs(n) % 80),
           ARRAY(SELECT x FROM (SELECT x, row_number() OVER (ORDER BY x.release_id, x.publication, x.row_key, x.measure) AS k
                                  FROM arrima_stats.release_cell x WHERE x.withheld) s (x, k)
                  WHERE n % 7 <> 3 OR k <> abs(n) % 400) $$;
CREATE FUNCTION fuzz.release_of(n integer) RETURNS text
  LANGUAGE sql AS $$
    SELECT pg_catalog.md5(pg_catalog.string_agg(x::text, ';'))
      FROM fuzz.release_arrays(n) a,
           arrima_stats.disclosure_release(a.r, a.g,
             ARRAY(SELECT y FROM pg_catalog.unnest(a.c) y WHERE n % 11 = 0 OR y.release_id <> 1 + abs(n) % 2),
             CASE WHEN n % 13 = 0 THEN 3 ELSE 1 + abs(n) % 2 END,
             ARRAY(SELECT p FROM arrima_stats.release_proof p)) x $$;
CREATE FUNCTION fuzz.release_audit_of(n integer) RETURNS text
  LANGUAGE sql AS $$
    SELECT pg_catalog.md5(pg_catalog.string_agg(x::text, ';'))
      FROM fuzz.release_arrays(n) a,
           arrima_stats.disclosure_release_audit(a.r, a.g, a.c,
             (ARRAY[NULL, 1, 2, 2, 9])[1 + abs(n) % 5], n % 2 = 0) x $$;
CREATE FUNCTION fuzz.gate_of(n integer) RETURNS text
  LANGUAGE sql AS $$
    SELECT pg_catalog.count(*)::text
      FROM fuzz.release_arrays(n) a,
           arrima_stats.disclosure_release_gate(a.r, a.g, a.c,
             ARRAY(SELECT p FROM arrima_stats.release_proof p WHERE n % 3 <> 0)) x $$;
CREATE FUNCTION fuzz.document_of(n integer) RETURNS text
  LANGUAGE sql AS $$
    SELECT pg_catalog.md5(arrima_stats.release_document((ARRAY['fr', 'en', 'fr', 'en', 'de'])[1 + abs(n) % 5],
                                                        (ARRAY[NULL, 1, 2, NULL, 3])[1 + abs(n / 5) % 5])) $$;
-- one of them, or of the disclosure functions of one publication, on the
-- next values (one function more for SQLsmith to pick: a crowd of them
-- would thin out its picks of the others)
CREATE FUNCTION fuzz.disclosure_next() RETURNS text
  LANGUAGE sql AS $$
    SELECT CASE n % 6 WHEN 0 THEN fuzz.release_of(n::integer) WHEN 1 THEN fuzz.release_audit_of(n::integer)
                      WHEN 2 THEN fuzz.gate_of(n::integer) WHEN 3 THEN fuzz.document_of(n::integer / 6)
                      WHEN 4 THEN fuzz.publication_of((n / 6)::integer, (ARRAY[5, 1, 2, 30])[1 + n / 6 % 4])
                      ELSE fuzz.bounds_of((n / 6)::integer, (ARRAY[5, 1, 2, 30])[1 + n / 6 % 4]) END
      FROM fuzz.next() n $$;

-- What SQLsmith sees of pg_proc.
CREATE VIEW fuzz.pg_proc AS
SELECT p.*
  FROM pg_catalog.pg_proc p
 WHERE (p.pronamespace = 'fuzz'::regnamespace AND p.prokind = 'f'
        AND p.proname NOT IN ('next', 'release_arrays', 'release_of', 'release_audit_of', 'gate_of',
                              'document_of'))
    OR (EXISTS (SELECT FROM pg_catalog.pg_depend d
                 WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                   AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e
                                      WHERE e.extname = 'arrima_stats'))
        AND p.prorettype NOT IN ('pg_catalog.trigger'::regtype, 'pg_catalog.cstring'::regtype)
        -- the document's pieces (PL/pgSQL over their arguments): release_document,
        -- which document_of reaches, calls them; a dozen more picks would thin out
        -- SQLsmith's picks of the others
        AND p.proname !~ '^document_'
        AND NOT ('pg_catalog.internal'::regtype = ANY (p.proargtypes::oid[]))
        AND NOT ('pg_catalog.cstring'::regtype = ANY (p.proargtypes::oid[])))
    OR p.oid IN ('pg_catalog.date_pli(date, integer)'::regprocedure,
                 'pg_catalog.date_mii(date, integer)'::regprocedure,
                 'pg_catalog.date_larger(date, date)'::regprocedure,
                 'pg_catalog.make_date(integer, integer, integer)'::regprocedure,
                 'pg_catalog.int4pl(integer, integer)'::regprocedure,
                 'pg_catalog.int4mi(integer, integer)'::regprocedure,
                 'pg_catalog.int8(integer)'::regprocedure,
                 'pg_catalog.textcat(text, text)'::regprocedure,
                 'pg_catalog.btrim(text)'::regprocedure,
                 'pg_catalog.max(date)'::regprocedure,
                 'pg_catalog.count("any")'::regprocedure);

GRANT USAGE ON SCHEMA fuzz TO :"role";
GRANT SELECT ON ALL TABLES IN SCHEMA fuzz TO :"role";
GRANT USAGE ON SEQUENCE fuzz.n TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA arrima_stats TO :"role";
GRANT USAGE ON SEQUENCE arrima_stats.ingest_batch TO :"role";
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA arrima_stats, fuzz TO :"role";
GRANT USAGE ON SEQUENCE arrima_stats.release_id_seq TO :"role";
-- and the reader schema, which release_document reads with its caller's rights
SELECT arrima_stats.grant_reporting(:'role') \g /dev/null
ALTER ROLE :"role" IN DATABASE :"db" SET search_path = fuzz, pg_catalog, arrima_stats, public;
ALTER ROLE :"role" IN DATABASE :"db" SET statement_timeout = '2s';
ALTER DATABASE :"db" SET track_functions = 'all';
-- its thousands of errors need not fill the server log
ALTER ROLE :"role" IN DATABASE :"db" SET log_min_messages = 'fatal';
ALTER ROLE :"role" IN DATABASE :"db" SET log_min_error_statement = 'panic';
SELECT count(*) AS functions_sqlsmith_sees FROM fuzz.pg_proc;
SELECT pg_stat_reset(), stats.pg_stat_statements_reset() \g /dev/null
SQL

log_offset=$(server_log_offset)
conn="host=$PGHOST port=$PGPORT dbname=$db user=$role"
queries=$ARRIMA_SCRATCH/queries.sql
: >"$queries"
started=$SECONDS
runs=0
crashed=
# SQLsmith stops at --max-queries or when its connection breaks; start it
# again (next seed) until the time is up.
while [ $((SECONDS - started)) -lt "$seconds" ]; do
    left=$((seconds - (SECONDS - started)))
    runs=$((runs + 1))
    rc=0
    timeout --signal=INT --kill-after=10 "$left" \
        sqlsmith --target="$conn" --seed="$((seed + runs - 1))" --max-queries=20000 \
                 --exclude-catalog --dump-all-queries --verbose \
        >"$ARRIMA_SCRATCH/run.sql" 2>"$ARRIMA_SCRATCH/run.err" || rc=$?
    cat "$ARRIMA_SCRATCH/run.sql" >>"$queries"
    if server_crashed_since "$log_offset" >"$ARRIMA_SCRATCH/crash.txt"; then
        crashed=1
        break
    fi
    case $rc in
        0|124|130) ;;       # done, or stopped by timeout
        *) echo "note: sqlsmith run $runs (seed $((seed + runs - 1))) ended with status $rc:"
           tail -n 5 "$ARRIMA_SCRATCH/run.err" ;;
    esac
done
elapsed=$((SECONDS - started))

if [ -n "$crashed" ]; then
    echo "FAIL: a backend crashed; the server log says:"
    cat "$ARRIMA_SCRATCH/crash.txt"
    echo "the last query SQLsmith sent (the one running when it crashed):"
    awk -v RS=';\n' '{ q = $0 } END { print q ";" }' "$ARRIMA_SCRATCH/run.sql"
    exit 1
fi
alive=$(query "$db" 'SELECT 1')
[ "$alive" = 1 ] || die "the server does not answer"

# Queries are separated by a line ending in ";" (--dump-all-queries).
total=$(awk -v RS=';\n' 'END { print NR }' "$queries")
echo "sqlsmith: $runs run(s) from seed $seed, $total queries in $elapsed s"
grep -E '^(queries|error rate)' "$ARRIMA_SCRATCH/run.err" | tail -n 2 || true
if ! is_int "$total" || [ "$total" -le 100 ]; then die "SQLsmith sent only '$total' queries"; fi

# The statistics of the fuzzing backends are flushed when they end.
sleep 1
psql -d "$db" -At -c 'SELECT pg_stat_clear_snapshot()' >/dev/null
echo "the extension's functions called (calls), and the statements that succeeded naming them:"
psql -d "$db" -v required_functions="$required_functions" -v required_aggregates="$required_aggregates" <<'SQL'
CREATE TEMP TABLE reached AS
SELECT p.proname::text AS name, p.prokind = 'a' AS aggregate,
       coalesce((SELECT sum(f.calls) FROM pg_stat_user_functions f WHERE f.funcid = p.oid), 0) AS calls,
       (SELECT count(*) FROM stats.pg_stat_statements s
         WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND s.query ~ ('arrima_stats\.' || p.proname || '\(')) AS statements_ok
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats');
SELECT name, aggregate, sum(calls) AS calls, max(statements_ok) AS statements_ok
  FROM reached GROUP BY name, aggregate ORDER BY name;
-- the harness
SELECT f.funcname AS harness, f.calls FROM pg_stat_user_functions f
 WHERE f.schemaname = 'fuzz' ORDER BY 1;
CREATE TEMP TABLE missed AS
SELECT r AS name, 'function' AS kind FROM regexp_split_to_table(:'required_functions', '\s+') r
 WHERE coalesce((SELECT sum(calls) FROM reached WHERE name = r AND NOT aggregate), 0) = 0
UNION ALL
SELECT r, 'aggregate' FROM regexp_split_to_table(:'required_aggregates', '\s+') r
 WHERE coalesce((SELECT max(statements_ok) FROM reached WHERE name = r AND aggregate), 0) = 0;
SELECT * FROM missed ORDER BY 1;
DO $$
BEGIN
  IF EXISTS (SELECT FROM missed) THEN
    RAISE EXCEPTION 'the queries did not reach % of the required functions and aggregates (listed above)',
      (SELECT count(*) FROM missed);
  END IF;
END
$$;
SQL
echo "ok: no crash in $total queries; every required function and aggregate reached"
