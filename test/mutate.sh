#!/usr/bin/env bash
# test/mutate.sh: does the suite fail when the code is wrong?  Plants faults
# in a copy of the project, one at a time, runs the suite on each, and
# reports the faults it missed.  By hand, not in CI (the full run takes
# about 4 minutes per fault, plus one unplanted run first).
#
#   sudo test/mutate.sh                 every fault, the whole suite (test/run)
#   sudo test/mutate.sh --list          the faults, with what each plants
#   sudo test/mutate.sh NAME ...        only these faults
#   test/mutate.sh --check [NAME ...]   plant each fault and build, without the
#                                       suite (a quick check that the faults
#                                       still apply after the code moved)
#
# The copy is the working tree's tracked files (git ls-files: what is
# committed and what is changed, no build output) in a temporary directory;
# each fault gets a fresh copy.  A fault is planted with perl on one file
# (one takes a case's run bit away): if the file does not change (the code
# moved on and the pattern no longer matches) the fault is reported NOT
# PLANTED, as is a fault whose copy no longer builds (the suite would fail
# for the wrong reason).  First the
# copy runs unplanted: the suite must pass on it, or no fault can be judged.
#
# Prints, per fault: CAUGHT (with the tests that failed) or MISSED, and the
# time; then "N faults: C caught, M missed, P not planted".  Exit status 0
# when every fault was planted and caught.  The logs of every run stay in
# the directory it prints (test/run's output per fault).
#
# Environment: ARRIMA_MUTATE_DIR, where to work (default a new directory
# under ${TMPDIR:-/tmp}); the suite's own (ARRIMA_FUZZ_SEED ...) pass
# through.
# shellcheck disable=SC2016  # the faults are perl expressions, in single quotes
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
started=$SECONDS

# ---------------------------------------------------------------------------
# The faults: fault_NAME plants it (plant FILE PERL-EXPRESSION, run with
# perl -0pi -e, so a pattern may span lines); describe[NAME] says what it is.
# ---------------------------------------------------------------------------
declare -A describe=()
faults=()
fault() { faults+=("$1"); describe[$1]=$2; }

fault tally_send_reversed "src/tally.c: tally_send writes the 13 counters in reverse order"
fault_tally_send_reversed() {
    plant src/tally.c 's/(tally_send\(PG_FUNCTION_ARGS\).*?pq_sendint64\(&buf, )counter\[i\]/$1counter[TALLY_NCOUNTERS - 1 - i]/s'
}
fault upgrade_drops_trigger "sql/arrima_stats--0.1.0--0.2.0.sql: the upgrade script drops the fill_response_due_on trigger (after the install scripts are restructured, retarget it at the upgrade script alone)"
fault_upgrade_drops_trigger() {
    plant sql/arrima_stats--0.1.0--0.2.0.sql 's/\z/\nDROP TRIGGER fill_response_due_on ON arrima_stats.invitation;\n/'
}
fault tally_by_accum_error "src/tally_agg.c: tally_by_accum raises an error on every call"
fault_tally_by_accum_error() {
    plant src/tally_agg.c 's/(\ntally_by_accum\(PG_FUNCTION_ARGS\)\n\{\n.*?\n)(\n\tif \(PG_ARGISNULL\(0\)\))/$1\n\tereport(ERROR, (errmsg("tally_by_accum: planted fault")));$2/s'
}
fault audit_threshold_minus_one "src/disclosure_audit.c: bound() calls a count safe when min_count - 2 apart, not min_count - 1"
fault_audit_threshold_minus_one() {
    plant src/disclosure_audit.c 's/double\t\tneed = min_count - 1;/double\t\tneed = min_count - 2;/'
}
fault classify_due_off_by_one "src/arrima_stats.h: classify_facts expires an invitation on its response_due_on, not the day after"
fault_classify_due_off_by_one() {
    plant src/arrima_stats.h 's/f->response_due_on < as_of \? OUTCOME_EXPIRED/f->response_due_on <= as_of ? OUTCOME_EXPIRED/'
}
fault ingest_accepts_day_31 "src/staged_value.c: parse_date accepts day 31 of every month (2022-02-30, 2022-04-31 ...)"
fault_ingest_accepts_day_31() {
    plant src/staged_value.c 's/day > day_tab\[isleap\(year\)\]\[month - 1\]/day > 31/'
}
fault published_view_shows_withheld "sql/arrima_stats--0.1.0--0.2.0.sql: round_dashboard_published shows withheld counts"
fault_published_view_shows_withheld() {
    plant sql/arrima_stats--0.1.0--0.2.0.sql 's/CASE WHEN NOT c\.withheld/CASE WHEN true/'
}
fault refresh_skips_audit "src/disclosure_suppress.c: dc_suppress takes every withheld count for safe without the audit's verdict (primary cells only)"
fault_refresh_skips_audit() {
    plant src/disclosure_suppress.c 's/if \(bounds\[q\]\.safe\)/if (true)/'
}
fault tally_recv_reversed "src/tally.c: tally_recv reads the 13 counters in reverse order"
fault_tally_recv_reversed() {
    plant src/tally.c 's/(tally_recv\(PG_FUNCTION_ARGS\).*?)counter\[i\] = pq_getmsgint64\(buf\);\n(\t\tif \()counter\[i\]/$1counter[TALLY_NCOUNTERS - 1 - i] = pq_getmsgint64(buf);\n$2counter[TALLY_NCOUNTERS - 1 - i]/s'
}
fault tally_add_drops_last "src/tally.c: tally_accumulate (+, sum, combining) leaves out the last counter (notices did_not_support)"
fault_tally_add_drops_last() {
    plant src/tally.c 's/(tally_accumulate\(Tally \*sum.*?for \(int i = 0; i < TALLY_NCOUNTERS)/$1 - 1/s'
}
fault notice_counted_late "src/arrima_stats.h: tally_count counts a notice only the day after notice_on"
fault_notice_counted_late() {
    plant src/arrima_stats.h 's/f->has_notice && f->notice_on <= as_of && f->ground/f->has_notice \&\& f->notice_on < as_of \&\& f->ground/'
}
fault tally_by_combine_drops_null "src/tally_agg.c: tally_by_combine drops the NULL key's counts of the partial maps"
fault_tally_by_combine_drops_null() {
    plant src/tally_agg.c 's/\t\ttally_accumulate\(&map->null_tally, &more->null_tally\);\n//'
}
fault tally_accum_leaks "src/tally_agg.c: tally_accum leaks 8 bytes per row in the aggregate's memory context"
fault_tally_accum_leaks() {
    plant src/tally_agg.c 's/(\ntally_accum\(PG_FUNCTION_ARGS\)\n\{\n.*?DateADT\t\tas_of;\n)(\n\tif \(facts_args\(fcinfo, 1,)/$1\tMemoryContext leak;\n\n\tif (AggCheckCallContext(fcinfo, \&leak))\n\t\t(void) MemoryContextAlloc(leak, 8);$2/s'
}
fault ingest_loads_duplicates "sql/arrima_stats--0.1.0--0.2.0.sql: ingest() loads an invitation_id staged twice (it should refuse all its rows)"
fault_ingest_loads_duplicates() {
    plant sql/arrima_stats--0.1.0--0.2.0.sql 's/HAVING count\(\*\) > 1/HAVING count(*) > 2/'
}
fault rule_dropped "sql/arrima_stats--0.1.0.sql: the constraint cancelled_needs_notice checks nothing (retarget after the install scripts are restructured)"
fault_rule_dropped() {
    plant sql/arrima_stats--0.1.0.sql "s/CONSTRAINT cancelled_needs_notice CHECK \\(decision <> 'cancelled' OR notice_on IS NOT NULL\\)/CONSTRAINT cancelled_needs_notice CHECK (true)/"
}
fault rejects_not_dumped "sql/arrima_stats--0.1.0--0.2.0.sql: invitation_reject is not registered with pg_extension_config_dump (pg_dump loses it)"
fault_rejects_not_dumped() {
    plant sql/arrima_stats--0.1.0--0.2.0.sql "s/SELECT pg_catalog.pg_extension_config_dump\\('arrima_stats.invitation_reject', ''\\);\\n//"
}
fault case_not_executable "test/cases/memory.sh: loses its run bit (test/run once skipped such a case)"
fault_case_not_executable() {
    [ -x "$work/test/cases/memory.sh" ] || { echo "test/cases/memory.sh is not executable already"; return 1; }
    chmod a-x "$work/test/cases/memory.sh"
    echo "chmod a-x test/cases/memory.sh"
}

# ---------------------------------------------------------------------------

# plant FILE PERL: change FILE of the work copy; fails if it did not change
plant() {
    local file=$work/$1
    [ -f "$file" ] || { echo "no file $1"; return 1; }
    perl -0pi -e "$2" "$file"
    if cmp -s "$file" "$pristine/$1"; then
        echo "the pattern no longer matches $1"
        return 1
    fi
    diff -u --label "a/$1" --label "b/$1" "$pristine/$1" "$file" || true
}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

selected=()
check_only=
while [ $# -gt 0 ]; do
    case $1 in
        --check) check_only=1 ;;
        --list)
            for f in "${faults[@]}"; do printf '%-30s %s\n' "$f" "${describe[$f]}"; done
            exit 0 ;;
        -h|--help) usage ;;
        -*) echo "unknown option $1" >&2; usage 2 >&2 ;;
        *) [ -n "${describe[$1]:-}" ] || { echo "no fault named $1 (see --list)" >&2; exit 2; }
           selected+=("$1") ;;
    esac
    shift
done
[ ${#selected[@]} -gt 0 ] || selected=("${faults[@]}")

if [ -n "$check_only" ]; then
    . "$root/test/lib.sh"
    arrima_tmp_init
    status=0
    for f in "${selected[@]}"; do
        work=$ARRIMA_TMP/work
        pristine=$ARRIMA_TMP/pristine
        rm -rf "$work" "$pristine"
        mkdir -p "$pristine"
        ( cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$pristine" )
        cp -a "$pristine" "$work"
        if ! out=$("fault_$f" 2>&1); then
            printf 'NOT PLANTED %-28s %s\n' "$f" "$out"; status=1; continue
        fi
        if ( cd "$work" && make -s PG_CONFIG="$PG_CONFIG" PG_CFLAGS="-Wall -Wextra -Werror" ) \
               >"$ARRIMA_TMP/build.log" 2>&1; then
            printf 'PLANTED     %-28s %s\n' "$f" "$(grep -c '^[-+][^-+]' <<<"$out") lines changed, builds"
        else
            printf 'NOT PLANTED %-28s the copy does not build:\n' "$f"; cat "$ARRIMA_TMP/build.log"; status=1
        fi
    done
    exit "$status"
fi

[ "$(id -u)" -eq 0 ] || { echo "run as root (test/run installs packages and runs the server as postgres)" >&2; exit 2; }
command -v git >/dev/null || { echo "git is needed to copy the project's files" >&2; exit 2; }

dir=${ARRIMA_MUTATE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/arrima_mutate.XXXXXX")}
mkdir -p "$dir/logs"
chmod 755 "$dir"
pristine=$dir/pristine
work=$dir/work
echo "mutate: working in $dir (logs in $dir/logs)"
rm -rf "$pristine"
mkdir -p "$pristine"
( cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$pristine" )
# the copies are read by the postgres user (pg_regress's input, \copy files)
chmod -R a+rX "$pristine"

# run_suite LOG: test/run in the work copy; its status
run_suite() {
    ( cd "$work" && test/run ) >"$1" 2>&1
}

failed_tests() { sed -n 's/^FAIL  //p' "$1" | sed 's/ (.*//' | paste -sd, - | sed 's/,/, /g'; }

say() { printf '%s\n' "$*"; }

rm -rf "$work"
cp -a "$pristine" "$work"
say "mutate: the suite on the copy, no fault planted"
t=$SECONDS
if ! run_suite "$dir/logs/unplanted.log"; then
    tail -n 30 "$dir/logs/unplanted.log"
    say "mutate: the suite fails without any fault ($(failed_tests "$dir/logs/unplanted.log")):" \
        "no fault can be judged; see $dir/logs/unplanted.log"
    exit 1
fi
say "mutate: passes unplanted ($((SECONDS - t)) s): $(tail -n 1 "$dir/logs/unplanted.log")"

caught=()
missed=()
unplanted=()
results=()
for f in "${selected[@]}"; do
    rm -rf "$work"
    cp -a "$pristine" "$work"
    log=$dir/logs/$f.log
    t=$SECONDS
    if ! "fault_$f" >"$dir/logs/$f.diff" 2>&1; then
        unplanted+=("$f")
        results+=("$(printf 'NOT PLANTED %-28s %s' "$f" "$(head -n 1 "$dir/logs/$f.diff")")")
        say "${results[-1]}"
        continue
    fi
    if run_suite "$log"; then
        missed+=("$f")
        results+=("$(printf 'MISSED      %-28s %4d s  %s' "$f" $((SECONDS - t)) "${describe[$f]}")")
    elif grep -q '^FAIL  build' "$log"; then
        unplanted+=("$f")
        results+=("$(printf 'NOT PLANTED %-28s the copy does not build (see %s)' "$f" "$log")")
    else
        caught+=("$f")
        results+=("$(printf 'CAUGHT      %-28s %4d s  by %s' "$f" $((SECONDS - t)) "$(failed_tests "$log")")")
    fi
    say "${results[-1]}"
done
rm -rf "$work"

echo
say "mutate: ${#selected[@]} faults: ${#caught[@]} caught, ${#missed[@]} missed," \
    "${#unplanted[@]} not planted, in $(( (SECONDS - started + 30) / 60 )) min"
printf '  %s\n' "${results[@]}"
[ ${#missed[@]} -eq 0 ] && [ ${#unplanted[@]} -eq 0 ]
