#!/usr/bin/env bash
# test/manual/mutate.sh: does the suite fail when the code is wrong?  Plants faults
# in a copy of the project, one at a time, runs the suite on each, and
# reports the faults it missed.  By hand, not in CI (the whole suite takes
# about 7 minutes per fault on a loaded 2-CPU machine, plus one unplanted
# run first; --fail-fast about 3 for a fault pg_regress catches).
#
#   sudo test/manual/mutate.sh                 every fault, the whole suite (test/run)
#   sudo test/manual/mutate.sh --list          the faults, with what each plants
#   sudo test/manual/mutate.sh NAME ...        only these faults
#   test/manual/mutate.sh --check [NAME ...]   plant each fault and build, without the
#                                       suite (a quick check that the faults
#                                       still apply after the code moved)
#   sudo test/manual/mutate.sh --fail-fast [NAME ...]
#                                       each planted suite stops at its first
#                                       failure (ARRIMA_FAIL_FAST of test/run):
#                                       much faster; a fault is still reported
#                                       MISSED only when the whole suite passed,
#                                       but CAUGHT names the first test that
#                                       failed only
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

root=$(cd "$(dirname "$0")/../.." && pwd)
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
fault upgrade_drops_trigger "sql/versions/arrima_stats--0.4.0--0.5.0.sql: the newest upgrade script drops the fill_response_due_on trigger, which a fresh install has (upgrade_path must tell)"
fault_upgrade_drops_trigger() {
    plant "$(newest_upgrade)" 's/\z/\nDROP TRIGGER fill_response_due_on ON arrima_stats.invitation;\n/'
}
fault tally_by_accum_error "src/tally_agg.c: tally_by_accum raises an error on every call"
fault_tally_by_accum_error() {
    plant src/tally_agg.c 's/(\narrima_tally_by_accum\(PG_FUNCTION_ARGS\)\n\{\n.*?\n)(\n\tif \(PG_ARGISNULL\(0\)\))/$1\n\tereport(ERROR, (errmsg("tally_by_accum: planted fault")));$2/s'
}
fault audit_threshold_minus_one "src/disclosure/items.h: the safety threshold (dc_safe_width) is min_count - 2, not min_count - 1: the audit calls a withheld count or a flow safe when its bounds are min_count - 2 apart"
fault_audit_threshold_minus_one() {
    plant src/disclosure/items.h 's/(\ndc_safe_width\(int min_count\)\n\{\n\treturn min_count - )1;/${1}2;/'
}
fault classify_due_off_by_one "src/outcome.h: classify_facts expires an invitation on its response_due_on, not the day after"
fault_classify_due_off_by_one() {
    plant src/outcome.h 's/f->response_due_on < as_of \? OUTCOME_EXPIRED/f->response_due_on <= as_of ? OUTCOME_EXPIRED/'
}
fault ingest_accepts_day_31 "src/staged_value.c: parse_date accepts day 31 of every month (2022-02-30, 2022-04-31 ...)"
fault_ingest_accepts_day_31() {
    plant src/staged_value.c 's/day > day_tab\[isleap\(year\)\]\[month - 1\]/day > 31/'
}
fault published_view_shows_withheld "sql/install/publication.sql: publication_row, which the published views select from, shows withheld counts"
fault_published_view_shows_withheld() {
    plant sql/install/publication.sql 's/CASE WHEN NOT c\.withheld(\s+THEN arrima_stats\.round_count)/CASE WHEN true$1/'
}
fault refresh_skips_audit "src/disclosure/suppress.c: the withholding takes every withheld count and flow for safe without the audit's verdict (no complement withheld)"
fault_refresh_skips_audit() {
    plant src/disclosure/suppress.c 's/if \(bounds\[i\]\.safe\)/if (true)/'
}
fault tally_recv_reversed "src/tally.c: tally_recv reads the 13 counters in reverse order"
fault_tally_recv_reversed() {
    plant src/tally.c 's/(tally_recv\(PG_FUNCTION_ARGS\).*?)counter\[i\] = pq_getmsgint64\(buf\);\n(\t\tif \()counter\[i\]/$1counter[TALLY_NCOUNTERS - 1 - i] = pq_getmsgint64(buf);\n$2counter[TALLY_NCOUNTERS - 1 - i]/s'
}
fault tally_add_drops_last "src/tally.c: tally_accumulate (+, sum, combining) leaves out the last counter (notices did_not_support)"
fault_tally_add_drops_last() {
    plant src/tally.c 's/(tally_accumulate\(Tally \*sum.*?for \(int i = 0; i < TALLY_NCOUNTERS)/$1 - 1/s'
}
fault notice_counted_late "src/tally.h: tally_count counts a notice only the day after notice_on"
fault_notice_counted_late() {
    plant src/tally.h 's/f->has_notice && f->notice_on <= as_of && f->ground/f->has_notice \&\& f->notice_on < as_of \&\& f->ground/'
}
fault tally_by_combine_drops_null "src/tally_agg.c: tally_by_combine drops the NULL key's counts of the partial maps"
fault_tally_by_combine_drops_null() {
    plant src/tally_agg.c 's/\t\ttally_accumulate\(&map->null_tally, &more->null_tally\);\n//'
}
fault tally_accum_leaks "src/tally_agg.c: tally_accum leaks 8 bytes per row in the aggregate's memory context"
fault_tally_accum_leaks() {
    plant src/tally_agg.c 's/(\narrima_tally_accum\(PG_FUNCTION_ARGS\)\n\{\n.*?DateADT\t\tas_of;\n)(\n\tif \(date_arg\(fcinfo, 9,)/$1\tMemoryContext leak;\n\n\tif (AggCheckCallContext(fcinfo, \&leak))\n\t\t(void) MemoryContextAlloc(leak, 8);$2/s'
}
fault ingest_loads_duplicates "sql/install/ingest.sql: ingest() loads an invitation_id staged twice (it should refuse all its rows)"
fault_ingest_loads_duplicates() {
    plant sql/install/ingest.sql 's/HAVING count\(\*\) > 1/HAVING count(*) > 2/'
}
fault rule_dropped "sql/install/invitation.sql: the constraint cancelled_needs_notice checks nothing"
fault_rule_dropped() {
    plant sql/install/invitation.sql "s/CONSTRAINT cancelled_needs_notice CHECK \\(decision <> 'cancelled' OR notice_on IS NOT NULL\\)/CONSTRAINT cancelled_needs_notice CHECK (true)/"
}
fault rejects_not_dumped "sql/install/ingest.sql: invitation_reject is not registered with pg_extension_config_dump (pg_dump loses it)"
fault_rejects_not_dumped() {
    plant sql/install/ingest.sql "s/SELECT pg_catalog.pg_extension_config_dump\\('arrima_stats.invitation_reject', ''\\);\\n//"
}
# Releases (issue 10), the reader schema (issue 12), the outcome calendar
# (issue 11).
fault release_gate_passes_all "src/disclosure/sql_releases.c: the last gate of refresh_publications (disclosure_release_gate) lets an unsafe release through"
fault_release_gate_passes_all() {
    plant src/disclosure/sql_releases.c 's/(dc_audit_stats_log\(psprintf\("gate[^\n]*\n)\tif \(unsafe >= 0\)\n(\t\{\n\t\tStringInfoData name;)/$1\tif (unsafe >= 0 \&\& false)\n$2/'
}
fault refresh_skips_gate "sql/install/releases.sql: refresh_publications publishes without its last gate (the audit of every release as published, and the points it stores)"
fault_refresh_skips_gate() {
    plant sql/install/releases.sql 's/\n    proofs := proofs \|\| ARRAY\(SELECT p FROM arrima_stats\.disclosure_release_points\(\) p\);\n    proofs := ARRAY\(SELECT p FROM arrima_stats\.disclosure_release_gate\(\n.*?proofs\) p\);\n/\n/s'
}
fault release_flows_unaudited "src/disclosure/items.c: no flow between releases is audited (dc_items_collect leaves the flows out), by the withholding nor by the gate"
fault_release_flows_unaudited() {
    plant src/disclosure/items.c 's/(\n\tfor \(int f = 0; f < )series->nflows(; f\+\+\)\n\t\{\n\t\t\(\*items\)\[k\]\.release)/${1}0$2/'
}
fault releases_not_append_only "sql/install/releases.sql: release_cell can be updated and deleted (its release_keep trigger is gone)"
fault_releases_not_append_only() {
    plant sql/install/releases.sql 's/CREATE TRIGGER release_keep BEFORE UPDATE OR DELETE ON arrima_stats\.release_cell\n  FOR EACH ROW EXECUTE FUNCTION arrima_stats\.release_keep\(\);\n//'
}
fault reader_shows_withheld "sql/install/reader.sql: arrima_published.release_count (and every reader view over it) shows the exact value of a withheld count"
fault_reader_shows_withheld() {
    plant sql/install/reader.sql 's/CASE WHEN NOT c\.withheld THEN arrima_stats\.round_count\(c\.value, r\.round_to\) END AS value/CASE WHEN true THEN arrima_stats.round_count(c.value, r.round_to) END AS value/'
}
fault calendar_update_trigger_missing "sql/install/calendar.sql: no calendar_after_update trigger (an UPDATE of invitation leaves the calendar as it was)"
fault_calendar_update_trigger_missing() {
    plant sql/install/calendar.sql 's/CREATE TRIGGER calendar_after_update\n.*?EXECUTE FUNCTION arrima_stats\.calendar_after_update\(\);\n//s'
}
fault calendar_delta_sign "src/calendar.h: calendar_step gives an invitation's change on a step day with the wrong sign (before less after)"
fault_calendar_delta_sign() {
    plant src/calendar.h 's/delta\[i\] = after_count\[i\] - before_count\[i\];/delta[i] = before_count[i] - after_count[i];/'
}
fault interval_not_known "src/disclosure/series.c: the intervals published with withheld counts are not part of what the audit assumes readers know"
fault_interval_not_known() {
    plant src/disclosure/series.c 's/if \(!series->intervals_known \|\| rel->has_interval == NULL \|\|/if (true ||/'
}
fault carried_from_withheld "sql/install/reader.sql: release_count carries the last value of an earlier release whether it showed it or withheld it"
fault_carried_from_withheld() {
    plant sql/install/reader.sql 's/WHERE c\.withheld AND NOT p\.withheld/WHERE c.withheld/'
}
fault headline_complements_first "src/disclosure/suppress_complements.c: the headline figures are complements like any other count, not the last resort"
fault_headline_complements_first() {
    plant src/disclosure/suppress_complements.c 's/\(headline_too \|\| !model->quantities\[p\]\.headline\)/(headline_too || !model->quantities[p].headline || model->nquantities > 0)/'
}
# The last gate checks every rule, independently (issue 20): a withholding
# that stops withholding small counts must be refused by it.
fault primary_skips_table "src/disclosure/suppress.c: primary suppression skips one table: the small counts round_dashboard shows are not withheld (nor offered as complements); the last gate (disclosure_release_gate) must refuse such a release"
fault_primary_skips_table() {
    plant src/disclosure/suppress.c 's/(\n\tseries_eligibility\(model, known, withheld, eligible\);\n)/$1\tfor (int c = 0; c < model->ncells; c++)\n\t{\n\t\tint\t\t\tq = model->cells[c].quantity;\n\n\t\tif (model->rows[model->cells[c].row].table == DC_ROUND_DASHBOARD \&\&\n\t\t\tmodel->quantities[q].value < min_count)\n\t\t\twithheld[q] = forced[q] = eligible[q] = false;\n\t}\n/'
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
    # a fault in the parts of a released (frozen) current version: the copy
    # loses the frozen script, or make would refuse to build the changed parts
    case $1 in
        sql/install/*) rm -f "$work/sql/versions/arrima_stats--$(current_version).sql" ;;
    esac
}

current_version() {
    sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$work/arrima_stats.control"
}

# newest_upgrade: the upgrade script to the current version
# (default_version of the control file)
newest_upgrade() {
    compgen -G "$work/sql/versions/arrima_stats--*--$(current_version).sql" | sed "s|^$work/||"
}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

selected=()
check_only=
fail_fast=
while [ $# -gt 0 ]; do
    case $1 in
        --check) check_only=1 ;;
        --fail-fast) fail_fast=1 ;;
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
        if ( cd "$work" && make -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG" PG_CFLAGS="-Wall -Wextra -Werror" ) \
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

# run_suite LOG [FAIL_FAST]: test/run in the work copy; its status
run_suite() {
    ( cd "$work" && ARRIMA_FAIL_FAST=${2:-} test/run ) >"$1" 2>&1
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
    if run_suite "$log" "$fail_fast"; then
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
