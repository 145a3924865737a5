#!/usr/bin/env bash
# Every long computation can be cancelled: each long path is run under a
# small statement_timeout and must end with SQLSTATE 57014 (query_canceled)
# soon after it, not when it is done.  Measured from the client, on a
# loaded machine: the bound (ARRIMA_CANCEL_LIMIT, default 10 s) is
# generous; before 0.6.0 these ran 100 s and more past the timeout.
#
#   1. disclosure_cells() over 20,000 groups (arrays from generate_series,
#      one tally each, min_count 5): the model, the search for complements,
#      the audits;
#   2. the same groups, each in a year of its own: the rows of the model;
#   3. disclosure_bounds() over them, every withheld count listed: the
#      audit, with each solver forced (arrima_stats.lp_solver = dense,
#      then clp: the debug messages show programs went to it before the
#      cancel);
#   4. dashboard_series() over the most dates it takes (100,000), on the
#      demo's rounds;
#   5. the calendar's aggregate, calendar_changes(), over 20 million
#      invitations made up on the fly.
# Then the server must not have crashed, and the database still answers.
. "$(dirname "$0")/common.bash"

db=arrima_case_cancel
limit_ms=$(( ${ARRIMA_CANCEL_LIMIT:-10} * 1000 ))
fresh_db "$db"
psql -d "$db" -c "CREATE EXTENSION arrima_stats"
log_offset=$(server_log_offset)

# the groups of the issue: 20,000 rounds, one invitation each (declined),
# min_count 5; and the withheld counts disclosure_cells gives them (each
# round's invitations and declined, which are 1)
groups="(SELECT array_agg(g ORDER BY g) FROM generate_series(1, 20000) g),
         (SELECT array_agg(%s ORDER BY g) FROM generate_series(1, 20000) g),
         (SELECT array_agg('OPMO'::text) FROM generate_series(1, 20000) g),
         (SELECT array_agg(true) FROM generate_series(1, 20000) g),
         (SELECT array_agg(NULL::integer) FROM generate_series(1, 20000) g),
         (SELECT array_agg('{1,0,1,0,0,0,0,0,0,0,0,0,0}'::arrima_stats.tally) FROM generate_series(1, 20000) g),
         5"
# shellcheck disable=SC2059  # the year of each group goes in %s
one_year=$(printf "$groups" 2022)
# shellcheck disable=SC2059
own_years=$(printf "$groups" "2000 + g")
withheld="(SELECT array_agg('round_dashboard'::text) FROM generate_series(1, 40000) g),
          (SELECT array_agg(((g + 1) / 2)::text ORDER BY g) FROM generate_series(1, 40000) g),
          (SELECT array_agg(CASE WHEN g % 2 = 1 THEN 'invitations' ELSE 'declined' END ORDER BY g)
             FROM generate_series(1, 40000) g)"

# cancelled NAME TIMEOUT_S SETUP SQL: SQL, after SETUP, under a statement
# timeout of TIMEOUT_S seconds, must end with 57014 within limit_ms; prints
# how long it took.  The psql output is kept in $ARRIMA_SCRATCH/NAME.out.
cancelled() {
    local name=$1 timeout_s=$2 setup=$3 sql=$4 out started ms
    out=${ARRIMA_SCRATCH:-/tmp}/$name.out
    started=$EPOCHREALTIME
    command psql -X -q -d "$db" >"$out" 2>&1 <<SQL || true
\set VERBOSITY verbose
$setup
SET statement_timeout = '${timeout_s}s';
$sql;
SQL
    ms=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
    is_int "$ms" || die "$name: no time measured"
    if ! grep -q 'ERROR:  57014: canceling statement due to statement timeout' "$out"; then
        tail -n 20 "$out"
        die "$name: not cancelled by statement_timeout = ${timeout_s}s (after $ms ms; output above)"
    fi
    [ "$ms" -lt "$limit_ms" ] ||
        die "$name: cancelled after $ms ms, past the bound of $limit_ms ms (timeout ${timeout_s}s)"
    printf '%-44s cancelled after %5d ms (statement_timeout %s s)\n' "$name" "$ms" "$timeout_s"
}

# how many of the DEBUG2 lines of lp.c in an output say a program went to $2
programs_to() { grep -c "goes to $2" "$1" || true; }

# 1, 2. disclosure_cells
cancelled cells_20000_groups 1 "" \
    "SELECT count(*) FROM arrima_stats.disclosure_cells($one_year)"
cancelled cells_20000_groups_own_years 1 "" \
    "SELECT count(*) FROM arrima_stats.disclosure_cells($own_years)"

# 3. disclosure_bounds, on each solver; long enough a timeout that programs
# ran before it
cancelled bounds_20000_groups 1 "" \
    "SELECT count(*) FROM arrima_stats.disclosure_bounds($one_year, $withheld)"
for solver in dense clp; do
    name=bounds_20000_groups_$solver
    cancelled "$name" 3 "SET arrima_stats.lp_solver = $solver; SET client_min_messages = debug2;" \
        "SELECT count(*) FROM arrima_stats.disclosure_bounds($one_year, $withheld)"
    case $solver in
        dense) n=$(programs_to "$ARRIMA_SCRATCH/$name.out" 'the dense tableau') ;;
        clp) n=$(programs_to "$ARRIMA_SCRATCH/$name.out" 'Clp') ;;
    esac
    is_int "$n" && [ "$n" -gt 0 ] ||
        die "$name: no program went to $solver before the cancel ($ARRIMA_SCRATCH/$name.out)"
    echo "  ($n programs went to $solver before the cancel)"
done

# 4. the longest series there may be, on the demo's 40 rounds
load_demo_data "$db"
expect "$db" "SELECT cardinality(arrima_stats.dashboard_series_dates('1800-01-01', '2073-10-15', '1 day'))" \
    100000 "the series of the test is not the longest one"
cancelled dashboard_series_100000_dates 1 "" \
    "SELECT count(*) FROM arrima_stats.dashboard_series('1800-01-01', '2073-10-15')"

# 5. the calendar's aggregate over 20 million invitations: 1,000 rounds,
# each invited over 20,000 days
cancelled calendar_changes_20000000 1 "" \
    "SELECT cardinality(arrima_stats.calendar_changes(1, g % 1000, date '1990-01-01' + g % 20000,
                                                      date '1990-03-01' + g % 20000, NULL, NULL, NULL,
                                                      NULL, NULL, NULL))
       FROM generate_series(1, 20000000) g"

# nothing crashed, and the database answers
if server_crashed_since "$log_offset"; then
    die "the server crashed (log above)"
fi
expect "$db" "SELECT count(*) > 0 FROM arrima_stats.round_dashboard('2023-08-18')" t \
    "the database does not answer after the cancels"
echo "every long path cancelled within $limit_ms ms"
