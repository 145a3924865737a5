#!/usr/bin/env bash
# test/manual/bench.sh: how fast the extension's aggregates scan the invitations:
# the round dashboard as version 0.4.0 computed it (tally_by over the
# invitations, test/data/scan_rollups.sql; round_dashboard itself reads the
# outcome calendar since 0.5.0, see test/manual/bench_calendar.sh), against the
# plain SQL a user would write for the same answer and against merely
# scanning the rows.
#
#   sudo test/manual/bench.sh               2 million invitations (about 5 minutes)
#   sudo test/manual/bench.sh 10M           10 million (--runs R: median of R runs, default 5)
#
# Run by hand, never in CI: timings on a shared machine are noisy.  Builds the
# extension, installs it into a private copy of PostgreSQL, starts a throwaway
# server (test/lib.sh; jit off, shared buffers large enough to hold the table),
# loads the seed's 40 rounds and about N SYNTHETIC invitations
# (test/data/synthetic_invitations.sql), VACUUM ANALYZE, then times, alternating
# them, after a warm-up, serial (max_parallel_workers_per_gather = 0) and with
# 2 parallel workers:
#   (1) SELECT * FROM arrima_scan.round_dashboard(as_of)   (0.4.0's, tally_by)
#   (2) the plain SQL a user would write for exactly the same answer (checked)
#   (3) SELECT round_id, count(*) FROM arrima_stats.invitation GROUP BY round_id
# and prints one table: median times, ratios, the executor's memory and the
# backend's peak memory for N and N/4 invitations, and whether anything
# spilled to disk.
# shellcheck disable=SC2119  # lib.sh functions take optional arguments
set -euo pipefail

usage() { sed -n '2,24s/^# \{0,1\}//p' "$0"; }

n=2000000
runs=5
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=${2:?--runs needs a number}; shift ;;
        -h|--help) usage; exit 0 ;;
        *[0-9]M) n=$(( ${1%M} * 1000000 )) ;;
        *[0-9]k) n=$(( ${1%k} * 1000 )) ;;
        *[0-9]) n=$1 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
[ "$runs" -ge 3 ] || { echo "bench.sh: at least 3 runs" >&2; exit 2; }

# shellcheck source=test/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$ARRIMA_ROOT"

AS_OF=2023-08-18
SMALL=$((n / 4))

ensure_packages
build
install_private
# the table (about 75 bytes a row) stays in shared buffers
shared_mb=$(( n / 1000000 * 100 + 256 ))
start_cluster jit=off shared_buffers="${shared_mb}MB" max_wal_size=4GB \
              checkpoint_timeout=1h autovacuum=off

# load DB N: the rounds, then about N invitations (scale = N / the invitations
# of one scale unit)
load() {
    say "load database $1: about $2 synthetic invitations"
    arrima_psql -q -d postgres -c "CREATE DATABASE $1"
    arrima_psql -q -d "$1" -v n="$2" >/dev/null <<'SQL'
CREATE EXTENSION arrima_stats;
\i test/data/load_rounds.sql
-- the per-round counts synthetic_invitations.sql uses at scale 1
SELECT :n::numeric / sum(coalesce(invitations_published,
                                   300 + abs(hashint4extended(round_id, 1) % 701))) AS scale
  FROM arrima_stats.invitation_round \gset
\set due_in_sql on
\i test/data/synthetic_invitations.sql
VACUUM ANALYZE;
\i test/data/scan_rollups.sql
SQL
}
load bench "$n"
load bench_small "$SMALL"
rows=$(arrima_psql -Atq -d bench -c "SELECT count(*) FROM arrima_stats.invitation")
rows_small=$(arrima_psql -Atq -d bench_small -c "SELECT count(*) FROM arrima_stats.invitation")

Q=$ARRIMA_TMP/queries
mkdir -p "$Q"
cat >"$Q/extension.sql" <<'SQL'
SELECT * FROM arrima_scan.round_dashboard(:'as_of');
SQL
cat >"$Q/bare.sql" <<'SQL'
SELECT round_id, count(*) FROM arrima_stats.invitation GROUP BY round_id;
SQL
# The plain SQL: the contract's classification as a CASE, one count(*) FILTER
# per measure, GROUPING SETS for the total row, rounds joined so that a round
# without invitations has its row.
cat >"$Q/plain.sql" <<'SQL'
WITH classified AS (
  SELECT i.round_id,
         CASE
           WHEN i.declined_on <= :'as_of' THEN 'declined'
           WHEN i.application_on IS NULL OR i.application_on > :'as_of' THEN
             CASE WHEN i.response_due_on < :'as_of' THEN 'expired' ELSE 'awaiting_response' END
           WHEN i.decided_on <= :'as_of' THEN i.decision::text
           WHEN i.notice_on <= :'as_of' THEN 'cancellation_pending'
           ELSE 'in_processing'
         END AS outcome,
         CASE WHEN i.notice_on <= :'as_of' THEN i.notice_ground END AS notice
    FROM arrima_stats.invitation i
   WHERE i.invited_on <= :'as_of'
)
SELECT r.round_id, r.category, r.held_on,
       count(c.outcome) AS invitations,
       count(*) FILTER (WHERE c.outcome = 'declined') AS declined,
       count(*) FILTER (WHERE c.outcome = 'expired') AS expired,
       count(*) FILTER (WHERE c.outcome = 'rejected') AS rejected,
       count(*) FILTER (WHERE c.outcome = 'refused') AS refused,
       count(*) FILTER (WHERE c.notice = 'cannot_support') AS notices_cannot_support,
       count(*) FILTER (WHERE c.notice = 'did_not_support') AS notices_did_not_support,
       count(*) FILTER (WHERE c.outcome = 'awaiting_response') AS awaiting_response,
       count(*) FILTER (WHERE c.outcome = 'in_processing') AS in_processing,
       count(*) FILTER (WHERE c.outcome = 'cancellation_pending') AS cancellation_pending,
       count(*) FILTER (WHERE c.outcome = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE c.outcome = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE c.outcome = 'selected') AS selected,
       CASE WHEN GROUPING(r.round_id) = 0 THEN r.invitations_published
            ELSE (SELECT CASE WHEN count(*) = count(invitations_published)
                              THEN sum(invitations_published)::integer END
                    FROM arrima_stats.invitation_round WHERE held_on <= :'as_of') END
         AS invitations_published,
       GROUPING(r.round_id) = 1 AS is_total
  FROM arrima_stats.invitation_round r
  LEFT JOIN classified c ON c.round_id = r.round_id
 WHERE r.held_on <= :'as_of'
 GROUP BY GROUPING SETS ((r.round_id, r.category, r.held_on, r.invitations_published), ())
 ORDER BY is_total, r.held_on, r.round_id;
SQL
QUERIES=(extension plain bare)

bench_psql() { arrima_psql -d "$1" -v as_of="$AS_OF" "${@:2}"; }

# ---------------------------------------------------------------------------
# The same answer
# ---------------------------------------------------------------------------
say "check that the plain SQL gives round_dashboard's numbers"
bench_psql bench -At -f "$Q/extension.sql" >"$Q/extension.out"
bench_psql bench -At -f "$Q/plain.sql" >"$Q/plain.out"
if ! diff "$Q/extension.out" "$Q/plain.out" >"$Q/answer.diff"; then
    cat "$Q/answer.diff" >&2
    die "the plain SQL and round_dashboard differ"
fi
same="identical ($(wc -l <"$Q/extension.out") rows)"

# ---------------------------------------------------------------------------
# Times: one session; a warm-up of each query, then RUNS rounds, each query
# serial then parallel, in turn.
# ---------------------------------------------------------------------------
say "time: warm-up, then $runs runs of each query, alternating"
{
    echo '\timing on'
    for q in "${QUERIES[@]}"; do cat "$Q/$q.sql"; done
    for _ in $(seq "$runs"); do
        for q in "${QUERIES[@]}"; do
            for w in 0 2; do
                echo "SET max_parallel_workers_per_gather = $w;"
                echo "\\echo @$q/$w"
                cat "$Q/$q.sql"
            done
        done
    done
} >"$Q/timing.sql"
bench_psql bench -q -o /dev/null -f "$Q/timing.sql" >"$Q/timing.out"

declare -A ms
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for q in "${QUERIES[@]}"; do
    for w in 0 2; do
        ms[$q/$w]=$(awk -v tag="@$q/$w" '/^@/ { cur = $1 } /^Time:/ { if (cur == tag) print $2; cur = "" }' \
                    "$Q/timing.out" | median)
    done
done

# ---------------------------------------------------------------------------
# Memory and spills
# - exec: the largest memory line of the plan's nodes (EXPLAIN ANALYZE through
#   auto_explain, which also sees inside round_dashboard): hash tables, sorts;
# - backend: how much the backend's resident memory grew beyond the shared
#   buffers it touched, from /proc/<pid>/status in a fresh backend:
#   (VmHWM - RssShmem) after the query - (VmRSS - RssShmem) before it;
# - spill: temporary blocks read or written, or a hash aggregate's disk usage.
# ---------------------------------------------------------------------------
say "memory and spills, serial, at $rows and $rows_small invitations"
# private_kb STATUS-FILE FIELD: FIELD (VmRSS, VmHWM) less the shared memory
private_kb() { awk -v f="$2:" '$1 == f { v = $2 } $1 == "RssShmem:" { s = $2 } END { print v - s }' "$1"; }
declare -A exec_kb backend_mb spill
for db in bench bench_small; do
    for q in "${QUERIES[@]}"; do
        out=$Q/$db.$q.explain
        # shellcheck disable=SC2016
        {
            echo "SET max_parallel_workers_per_gather = 0;"
            echo "\\copy (SELECT pg_backend_pid()) TO '$Q/pid'"
            echo "LOAD 'auto_explain';"
            echo "SET auto_explain.log_min_duration = 0;"
            echo "SET auto_explain.log_analyze = on;"
            echo "SET auto_explain.log_timing = off;"
            echo "SET auto_explain.log_buffers = on;"
            echo "SET auto_explain.log_nested_statements = on;"
            echo "SET auto_explain.log_format = json;"
            echo "SET client_min_messages = log;"
            echo "\\! cat /proc/\$(cat '$Q/pid')/status > '$Q/before' 2>/dev/null || true"
            cat "$Q/$q.sql"
            echo "\\! cat /proc/\$(cat '$Q/pid')/status > '$Q/after' 2>/dev/null || true"
        } >"$Q/memory.sql"
        rm -f "$Q/before" "$Q/after"
        bench_psql "$db" -q -o /dev/null -f "$Q/memory.sql" 2>"$out"
        exec_kb[$db/$q]=$( { grep -oE '"(Peak Memory Usage|Sort Space Used)": [0-9]+' "$out" || true; } |
                          awk '{ if ($NF > m) m = $NF } END { print m + 0 }')
        spill[$db/$q]=$( { grep -oE '"(Temp Read Blocks|Temp Written Blocks|Disk Usage)": [0-9]+' "$out" || true; } |
                        awk '{ s += $NF } END { print (s > 0 ? "yes" : "no") }')
        if [ -s "$Q/before" ] && [ -s "$Q/after" ]; then
            backend_mb[$db/$q]=$(awk -v b="$(private_kb "$Q/before" VmRSS)" \
                                     -v a="$(private_kb "$Q/after" VmHWM)" \
                                     'BEGIN { printf "%.1f", (a - b) / 1024 }')
        else
            backend_mb[$db/$q]=n/a
        fi
    done
done

# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
declare -A label=([extension]="(1) round_dashboard(as_of), 0.4.0's"
                   [plain]="(2) plain SQL: CASE, FILTER, GROUPING SETS"
                   [bare]="(3) bare SELECT round_id, count(*) GROUP BY")
echo
echo "arrima_stats benchmark: $rows synthetic invitations in 40 rounds, as of $AS_OF;"
echo "median of $runs runs, alternated, after a warm-up; jit off; round_dashboard and plain SQL: $same."
echo
row() { printf '| %-44s | %8s | %9s | %9s | %9s | %8s | %8s | %8s | %9s | %7s |\n' "$@"; }
row query "1 worker, ms" "2 workers, ms" "serial ÷ parallel" "÷ plain, 1 worker" "÷ bare, 1 worker" \
    "executor peak kB" "backend peak MB (N)" "backend peak MB (N/4)" spilled
row "$(printf -- '-%.0s' {1..44})" -------- --------- --------- --------- -------- -------- -------- --------- -------
for q in "${QUERIES[@]}"; do
    row "${label[$q]}" "$(printf %.1f "${ms[$q/0]}")" "$(printf %.1f "${ms[$q/2]}")" \
        "$(ratio "${ms[$q/0]}" "${ms[$q/2]}")" \
        "$(ratio "${ms[$q/0]}" "${ms[plain/0]}")" "$(ratio "${ms[$q/0]}" "${ms[bare/0]}")" \
        "${exec_kb[bench/$q]}" "${backend_mb[bench/$q]}" "${backend_mb[bench_small/$q]}" \
        "$( [ "${spill[bench/$q]}${spill[bench_small/$q]}" = nono ] && echo no || echo yes)"
done
echo
echo "N = $rows, N/4 = $rows_small.  executor peak: the largest memory line of the plan"
echo "(hash tables, sorts); backend peak: how much the backend's private resident memory grew"
echo "during the query; spilled: temporary files written or read, at N or N/4."
echo "Serial plans at N (the scan in the SQL function's plan for (1)):"
for q in "${QUERIES[@]}"; do
    printf '  (%s) %s\n' "${label[$q]:1:1}" \
        "$( { grep -oE '"(Node Type|Strategy)": "[^"]*"' "$Q/bench.$q.explain" || true; } | cut -d'"' -f4 |
           awk '$0 != "Plain" && $0 != "Hashed" && $0 != "Sorted" && $0 != "Mixed" { printf "%s%s", sep, $0; sep = " > "; next }
                { printf "(%s)", tolower($0) }')"
done
echo
ext_plain=$(ratio "${ms[extension/0]}" "${ms[plain/0]}")
ext_bare=$(ratio "${ms[extension/0]}" "${ms[bare/0]}")
speedup=$(ratio "${ms[extension/0]}" "${ms[extension/2]}")
verdict() { awk -v v="$1" -v op="$2" -v t="$3" \
                'BEGIN { ok = (op == "<=" ? v <= t : v >= t); print (ok ? "met" : "NOT met") }'; }
echo "targets, serial: extension/plain SQL $ext_plain (≤ 0.35: $(verdict "$ext_plain" '<=' 0.35));" \
     "extension/bare $ext_bare (≤ 1.5: $(verdict "$ext_bare" '<=' 1.5));"
echo "         2 workers: extension $speedup× faster than serial (≥ 1.7: $(verdict "$speedup" '>=' 1.7))"
