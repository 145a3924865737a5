#!/usr/bin/env bash
# Fuzzing with SQLsmith (Debian's sqlsmith): random queries over the whole
# catalog against a database with the extension and some data, for about a
# minute (ARRIMA_FUZZ_SECONDS, default 60); the case fails if a backend
# crashes (the server logs "terminated by signal"), and prints the query.
#
# SQLsmith builds its queries from what the catalog offers: tables, columns,
# operators, functions and aggregates of every schema.  To make it reach the
# extension more often than its share of the 3,000 functions of pg_catalog,
# the database also has a table public.fuzz_sample with columns of the
# extension's types (a tally, an invitation row, a date): expressions of
# those types are what the extension's functions and operators take.  It
# runs as a role that is not a superuser (so that functions such as
# pg_terminate_backend or lo_export do no harm), with every privilege on the
# extension's tables and functions, statement_timeout 2 s and the search_path
# arrima_stats, public.  SQLsmith runs each statement (INSERT, UPDATE, DELETE,
# MERGE too) in a transaction that it rolls back.
#
# Reported: how many queries ran, how many named an object of the extension,
# and how often each function of the extension was called.  The case fails
# if no query called a function of the extension.
. "$(dirname "$0")/common.bash"

db=arrima_case_fuzz_sqlsmith
role=arrima_case_fuzzer
seconds=${ARRIMA_FUZZ_SECONDS:-60}
seed=${ARRIMA_FUZZ_SEED:-1}
command -v sqlsmith >/dev/null || { echo "sqlsmith is missing: apt-get install sqlsmith"; exit 1; }

fresh_db "$db"
drop_role() {
    psql -d postgres -c 'SET client_min_messages = warning' \
         -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
}
drop_role_now() { drop_role || true; }
case_on_exit drop_role_now
psql -d postgres -c 'SET client_min_messages = warning' -c "DROP ROLE IF EXISTS $role" \
     -c "CREATE ROLE $role LOGIN"
psql -d "$db" -c 'CREATE EXTENSION arrima_stats'
load_demo_data "$db" 0.05

psql -d "$db" -v role="$role" -v db="$db" <<'SQL'
-- expressions of the extension's types for SQLsmith to pass around
CREATE TABLE public.fuzz_sample (t arrima_stats.tally, i arrima_stats.invitation, as_of date);
INSERT INTO public.fuzz_sample
SELECT arrima_stats.tally(i, d), (array_agg(i ORDER BY i.invitation_id))[1], d
  FROM arrima_stats.invitation i
 CROSS JOIN unnest('{2021-01-01,2022-06-30,2023-08-18,2024-12-31,infinity,-infinity}'::date[]) d
 GROUP BY i.round_id, d;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA arrima_stats, public TO :"role";
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA arrima_stats TO :"role";
ALTER ROLE :"role" IN DATABASE :"db" SET statement_timeout = '2s';
-- its thousands of errors need not fill the server log
ALTER ROLE :"role" IN DATABASE :"db" SET log_min_messages = 'fatal';
ALTER ROLE :"role" IN DATABASE :"db" SET log_min_error_statement = 'panic';
SELECT count(*) AS fuzz_sample_rows FROM public.fuzz_sample;
SQL

log_offset=$(server_log_offset)
conn="host=$PGHOST port=$PGPORT dbname=$db user=$role options=-csearch_path=arrima_stats,public"
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
                 --dump-all-queries --verbose \
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

# Queries are separated by a line ending in ";" (--dump-all-queries).
stats=$(awk -v RS=';\n' '
    { n++ }
    /arrima_stats\./ { ext++ }
    /fuzz_sample/ { sample++ }
    END { printf "%d %d %d\n", n, ext, sample }' "$queries")
read -r total ext sample <<<"$stats"
echo "sqlsmith: $runs run(s), $total queries in $((SECONDS - started)) s (seed $seed);" \
     "$ext named an object of arrima_stats, $sample read public.fuzz_sample"
echo "last run's summary:"
grep -E '^(queries|error rate)' "$ARRIMA_SCRATCH/run.err" | tail -n 2 || true

# Calls per function of the extension.
psql -d "$db" -At <<'SQL' >"$ARRIMA_SCRATCH/functions.txt"
SELECT DISTINCT p.proname
  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
 WHERE d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
 ORDER BY 1
SQL
called=0
echo "calls of the extension's functions (queries naming arrima_stats.<function>():"
while read -r f; do
    n=$(grep -c "arrima_stats\.$f(" "$queries" || true)
    printf '  %-20s %s\n' "$f" "$n"
    [ "$n" -eq 0 ] || called=$((called + 1))
done <"$ARRIMA_SCRATCH/functions.txt"
# the operator + on tallies
echo "  (operator arrima_stats.+: $(grep -c 'OPERATOR(arrima_stats.+)' "$queries" || true) queries)"

if [ -n "$crashed" ]; then
    echo "FAIL: a backend crashed; the server log says:"
    cat "$ARRIMA_SCRATCH/crash.txt"
    echo "the last query SQLsmith sent (the one running when it crashed):"
    awk -v RS=';\n' '{ q = $0 } END { print q ";" }' "$ARRIMA_SCRATCH/run.sql"
    exit 1
fi
psql -d "$db" -Atc 'SELECT 1' >/dev/null || { echo "FAIL: the server does not answer"; exit 1; }
if [ "$called" -eq 0 ]; then
    echo "FAIL: no query called a function of the extension"
    exit 1
fi
echo "ok: no crash; $called functions of the extension called"
