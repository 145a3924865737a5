#!/usr/bin/env bash
# Random data held to independent references (test/cases/fuzz_reference.py, where
# the generator and every check are described): random rounds, invitations
# and dates against the contract's classification written as a CASE
# (classify, both tally aggregates and tally_by, serially and in parallel;
# the three roll-ups against test/data/rollups_reference.sql); random staged
# rows, valid and broken, against a validator written in SQL from the
# documented rules and the table's own CHECK constraints (what ingest()
# loads, refuses and counts); random policy changes and small random
# publications against test/cases/crosscheck_audit.py (GLPK) and the roll-ups.
#
# Seeded and reproducible: each run prints its seed.  By default two runs,
# seeds 1 and 2 (about 25 s); ARRIMA_FUZZ_SEED=N runs seed N only, and
# ARRIMA_FUZZ_RUNS=K runs K seeds from it (by hand: more ground).
. "$(dirname "$0")/common.bash"

db=arrima_case_fuzz_reference
seed=${ARRIMA_FUZZ_SEED:-1}
runs=${ARRIMA_FUZZ_RUNS:-$([ -n "${ARRIMA_FUZZ_SEED:-}" ] && echo 1 || echo 2)}
is_int "$seed" || die "ARRIMA_FUZZ_SEED must be an integer, not '$seed'"
is_int "$runs" || die "ARRIMA_FUZZ_RUNS must be an integer, not '$runs'"
command -v glpsol >/dev/null || die "glpsol is missing: apt-get install glpk-utils"
[ -x /usr/bin/python3 ] || die "python3 is missing: apt-get install python3"

status=0
for (( n = 0; n < runs; n++ )); do
    fresh_db "$db"
    psql -d "$db" -c 'CREATE EXTENSION arrima_stats'
    if ! /usr/bin/python3 "$ARRIMA_ROOT/test/cases/fuzz_reference.py" --seed $((seed + n)) "$db"; then
        echo "FAIL: seed $((seed + n)) (repeat: ARRIMA_FUZZ_SEED=$((seed + n)))"
        status=1
    fi
done
[ "$status" -eq 0 ] || exit 1
echo "ok: $runs seeded runs from seed $seed agree with the references"
