#!/usr/bin/env bash
# The disclosure audit on each solver of the LP facade
# (src/disclosure/lp.h): arrima_stats.lp_solver = dense or clp sends every
# linear program to that one (auto, the default, chooses by size).
#
#   1. The pg_regress tests of the audit, publication (withholding and
#      audits worked out by hand, under-suppressed publications the audit
#      must call unsafe) and releases (a series: flows, the last gate,
#      corrections), run again with each solver forced, must give their
#      expected output byte for byte: the same withheld counts, bounds and
#      verdicts whatever solves the programs.
#   2. The solver forced is the one that ran: with client_min_messages =
#      debug2, every program of an audit says where it went (lp.c), and
#      under auto the programs of one small release go to the dense tableau.
#   3. Only a superuser sets it; a value that is no solver is refused.
. "$(dirname "$0")/common.bash"

regress=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress
[ -x "$regress" ] || die "$regress is missing (postgresql-server-dev-15)"
tests=(publication releases)
status=0

# 1. the audit's tests, each solver forced (the tests read test/data/ from
# the repository's root, as make installcheck does)
for solver in dense clp; do
    out=$ARRIMA_SCRATCH/$solver
    mkdir -p "$out"
    db=arrima_case_lp_$solver
    CASE_DBS+=("$db")
    echo "== pg_regress ${tests[*]} with arrima_stats.lp_solver = $solver"
    if ( cd "$ARRIMA_ROOT" &&
         PGOPTIONS="-c arrima_stats.lp_solver=$solver -c client_min_messages=notice" \
             "$regress" --inputdir=. --outputdir="$out" --load-extension=arrima_stats \
             --dbname="$db" "${tests[@]}" ); then
        echo "   $solver: expected output, byte for byte"
    else
        [ ! -s "$out/regression.diffs" ] || cat "$out/regression.diffs"
        echo "FAIL: with arrima_stats.lp_solver = $solver the audit's tests differ (above)"
        status=1
    fi
done

# 2. which solver ran: the programs of one small publication's audit
db=arrima_case_lp
fresh_db "$db"
psql -d "$db" -c "CREATE EXTENSION arrima_stats"
audit="SELECT count(*) FROM arrima_stats.disclosure_bounds(
    '{1,2,3}', '{2022,2022,2022}', '{OPMO,OPMO,PAMO_TI}', '{t,t,t}', '{NULL,NULL,NULL}',
    '{\"{40,5,3,2,6,1,8,4,2,3,6,3,2}\",\"{30,2,6,1,7,2,3,3,1,2,3,2,1}\",\"{25,4,2,3,2,0,5,1,1,2,5,1,1}\"}',
    5, '{round_dashboard,round_dashboard,round_dashboard,round_dashboard}', '{1,1,2,2}',
    '{withdrawn,selected,withdrawn,selected}')"
solver_log() {
    # the DEBUG2 lines of lp.c, "... goes to the dense tableau" or "... goes to Clp"
    local log
    log=$(PGOPTIONS="-c arrima_stats.lp_solver=$1 -c client_min_messages=debug2" \
          command psql -X -q -v ON_ERROR_STOP=1 -d "$db" -At -c "$audit" 2>&1 >/dev/null) ||
        die "the audit failed with lp_solver = $1: $log"
    awk '/goes to / { sub(/.* goes to /, ""); n[$0]++ }
         END { for (k in n) { printf "%s%d to %s", sep, n[k], k; sep = "; " } }' <<<"$log"
}
for solver in auto dense clp; do
    went=$(solver_log "$solver")
    echo "lp_solver = $solver: the programs: ${went:-none}"
    case $solver in
        auto|dense) want='the dense tableau' ;;
        clp) want='Clp' ;;
    esac
    if ! [[ $went =~ ^[0-9]+\ to\ $want$ ]]; then
        echo "FAIL: with lp_solver = $solver, every program should have gone to $want"
        status=1
    fi
done

# 3. who sets it, and to what
role=arrima_case_lp_role
case_role "$role"
got=$(psql -d "$db" -At -c "LOAD 'arrima_stats'; SET ROLE $role; SET arrima_stats.lp_solver = dense" 2>&1) &&
    { echo "FAIL: a role that is no superuser set arrima_stats.lp_solver"; status=1; }
grep -q 'permission denied to set parameter "arrima_stats.lp_solver"' <<<"$got" ||
    { echo "FAIL: unexpected answer to a role setting it: $got"; status=1; }
got=$(psql -d "$db" -At -c "LOAD 'arrima_stats'; SET arrima_stats.lp_solver = simplex" 2>&1) &&
    { echo "FAIL: arrima_stats.lp_solver accepted simplex"; status=1; }
grep -q 'invalid value for parameter "arrima_stats.lp_solver": "simplex"' <<<"$got" ||
    { echo "FAIL: unexpected answer to a bad value: $got"; status=1; }
expect "$db" "LOAD 'arrima_stats'; SHOW arrima_stats.lp_solver" auto "the default is auto"

exit "$status"
