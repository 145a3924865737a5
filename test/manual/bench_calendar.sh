#!/usr/bin/env bash
# test/manual/bench_calendar.sh: what the outcome calendar is worth, and what it costs.
#
#   sudo test/manual/bench_calendar.sh                1 M and 10 M invitations (about 20 minutes)
#   sudo test/manual/bench_calendar.sh 1M             one size only; 200k, 2M ... as well
#   sudo test/manual/bench_calendar.sh --runs R 1M 10M   R timed runs of each query (default 5)
#
# Run by hand, never in CI: timings on a shared machine are noisy, so it prints
# ratios measured in one run, and asserts none.  Builds the extension,
# installs it into a private copy of PostgreSQL, starts a throwaway server
# (test/lib.sh; port $ARRIMA_PGPORT, default 5432, on a private socket; jit
# off, shared buffers that hold the table), and for each size N:
#
#   1. loads the seed's 40 rounds and N SYNTHETIC invitations
#      (test/data/synthetic_invitations.sql), then writes them again in the
#      order of a hash of their id, so that the rounds are interleaved in the
#      heap (as after years of updates); the calendar's insert trigger makes
#      the calendar as they are written; VACUUM ANALYZE;
#   2. checks that the calendar's roll-ups give exactly what version 0.4.0's
#      scanning ones (test/data/scan_rollups.sql) give, on every date timed;
#   3. times, after a warm-up, each on 5 dates (2021-06-30, 2022-03-15,
#      2023-08-18, 2024-12-31, 2030-01-01) x R runs, median:
#      round_dashboard, annual_summary and category_summary from the calendar,
#      alternated among themselves; then the same from 0.4.0's scan, and the
#      bare SELECT round_id, count(*) FROM invitation GROUP BY round_id,
#      alternated, serial and with 2 workers (apart: a scan of a second just
#      before a query of milliseconds leaves it cold CPU caches);
#      and dashboard_series over 3 years, day by day;
#   4. maintenance: an UPDATE of 0.1 % of the invitations (drawn among those
#      with a decision), (a) the decision's date moved by a day, (b) moved to
#      another round (every step day of each changes, in two rounds: the
#      worst case), with the calendar's triggers and without them (disabled
#      in the transaction), each rolled back, alternated: the difference is
#      what keeping the calendar costs; against calendar_rebuild();
#   5. at the first size, ingest() of min(N, 1 M) staged rows into an empty
#      table, with the calendar's triggers and without (what version 0.4.0
#      does), alternated;
#   6. the calendar's size against the invitation table's, as loaded (both
#      with their indexes, after VACUUM).
#
# The targets (issue 11): each calendar roll-up at least 100 times faster
# than the scanning one and than the bare count at 10 M, and the same time
# (within 20 %) at 1 M and 10 M; maintenance of 0.1 % of the rows at most
# 1 % of a rebuild; ingest() at most 20 % slower; the calendar at most 1 %
# of the invitation table.
# shellcheck disable=SC2119  # lib.sh functions take optional arguments
set -euo pipefail

usage() { sed -n '2,39s/^# \{0,1\}//p' "$0"; }

sizes=()
runs=5
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=${2:?--runs needs a number}; shift ;;
        -h|--help) usage; exit 0 ;;
        *[0-9]M) sizes+=($(( ${1%M} * 1000000 ))) ;;
        *[0-9]k) sizes+=($(( ${1%k} * 1000 ))) ;;
        *[0-9]) sizes+=("$1") ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
[ "$runs" -ge 3 ] || { echo "bench_calendar.sh: at least 3 runs" >&2; exit 2; }

# shellcheck source=test/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$ARRIMA_ROOT"

DATES=(2021-06-30 2022-03-15 2023-08-18 2024-12-31 2030-01-01)
largest=0
for n in "${sizes[@]}"; do [ "$n" -le "$largest" ] || largest=$n; done

ensure_packages
command -v bc >/dev/null 2>&1 || ensure_packages bc
build
install_private
# the table (about 90 bytes a row with its indexes) stays in shared buffers
shared_mb=$(( largest / 1000000 * 150 + 256 ))
start_cluster jit=off shared_buffers="${shared_mb}MB" max_wal_size=8GB \
              checkpoint_timeout=1h autovacuum=off work_mem=64MB maintenance_work_mem=512MB

bpsql() { arrima_psql -X -q -d "$@"; }
ms_of() { awk '/^Time:/ { print $2 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.3g", a / b }'; }
fmt() { awk -v v="$1" 'BEGIN { printf (v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f"), v }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" \
                'BEGIN { ok = (op == "<=" ? v <= t : v >= t); print (ok ? "met" : "NOT met") }'; }

Q=$ARRIMA_TMP/queries
mkdir -p "$Q"
report=$ARRIMA_TMP/report.txt
: >"$report"

declare -A result

for n in "${sizes[@]}"; do
    db=bench_calendar_$n
    say "database $db: the rounds and about $n synthetic invitations, rounds interleaved in the heap"
    arrima_psql -q -d postgres -c "CREATE DATABASE $db"
    start=$SECONDS
    bpsql "$db" -v n="$n" >/dev/null <<'SQL'
CREATE EXTENSION arrima_stats;
\i test/data/load_rounds.sql
SELECT :n::numeric / sum(coalesce(invitations_published,
                                   300 + abs(hashint4extended(round_id, 1) % 701))) AS scale
  FROM arrima_stats.invitation_round \gset
\set due_in_sql on
-- generated round by round, then written again in the order of a hash of
-- their id, rounds interleaved; the calendar is made as they are written
ALTER TABLE arrima_stats.invitation DISABLE TRIGGER calendar_after_insert;
\i test/data/synthetic_invitations.sql
CREATE TABLE public.shuffled AS
  SELECT * FROM arrima_stats.invitation ORDER BY hashint8(invitation_id);
TRUNCATE arrima_stats.invitation;
ALTER TABLE arrima_stats.invitation ENABLE TRIGGER calendar_after_insert;
INSERT INTO arrima_stats.invitation SELECT * FROM public.shuffled;
DROP TABLE public.shuffled;
VACUUM ANALYZE;
\i test/data/scan_rollups.sql
SQL
    rows=$(bpsql "$db" -Atc "SELECT count(*) FROM arrima_stats.invitation")
    result[$n/rows]=$rows
    say "$rows invitations loaded in $((SECONDS - start)) s"
    # how interleaved: rounds changing between consecutive rows of the heap
    switches=$(bpsql "$db" -Atc "SELECT round(100.0 * count(*) FILTER (WHERE round_id <> prev) / count(*))
                                   FROM (SELECT round_id, lag(round_id) OVER (ORDER BY ctid) AS prev
                                           FROM arrima_stats.invitation) x")
    result[$n/switches]=$switches

    # -----------------------------------------------------------------------
    # sizes, as loaded
    # -----------------------------------------------------------------------
    bpsql "$db" -c "VACUUM ANALYZE arrima_stats.outcome_calendar, arrima_stats.invitation"
    read -r cal_total inv_total cal_rows cal_heap inv_heap <<<"$(bpsql "$db" -At -F ' ' -c "
        SELECT pg_total_relation_size('arrima_stats.outcome_calendar'),
               pg_total_relation_size('arrima_stats.invitation'),
               (SELECT count(*) FROM arrima_stats.outcome_calendar),
               pg_relation_size('arrima_stats.outcome_calendar'),
               pg_relation_size('arrima_stats.invitation')")"
    result[$n/cal_rows]=$cal_rows
    result[$n/cal_total]=$cal_total
    result[$n/inv_total]=$inv_total
    result[$n/cal_heap]=$cal_heap
    result[$n/inv_heap]=$inv_heap
    # -----------------------------------------------------------------------
    # the same answers
    # -----------------------------------------------------------------------
    for d in "${DATES[@]}"; do
        for f in round_dashboard annual_summary category_summary; do
            diffs=$(bpsql "$db" -Atc "SELECT count(*) FROM (
                       ((SELECT * FROM arrima_stats.$f('$d')) EXCEPT ALL (SELECT * FROM arrima_scan.$f('$d')))
                       UNION ALL
                       ((SELECT * FROM arrima_scan.$f('$d')) EXCEPT ALL (SELECT * FROM arrima_stats.$f('$d')))) x")
            [ "$diffs" = 0 ] || die "$f('$d') from the calendar differs from the scan at $n ($diffs rows)"
        done
    done
    checked=$(bpsql "$db" -Atc "SELECT count(*) FROM arrima_stats.calendar_check()")
    [ "$checked" = 0 ] || die "calendar_check() reports $checked differences at $n"

    # -----------------------------------------------------------------------
    # the roll-ups: calendar, scan (serial, 2 workers), bare count
    # -----------------------------------------------------------------------
    say "time the roll-ups: $runs runs x ${#DATES[@]} dates, alternated"
    queries=(cal_round cal_annual cal_category scan_round scan_annual scan_category bare)
    declare -A sql=(
        [cal_round]="SELECT * FROM arrima_stats.round_dashboard(:'d')"
        [cal_annual]="SELECT * FROM arrima_stats.annual_summary(:'d')"
        [cal_category]="SELECT * FROM arrima_stats.category_summary(:'d')"
        [scan_round]="SELECT * FROM arrima_scan.round_dashboard(:'d')"
        [scan_annual]="SELECT * FROM arrima_scan.annual_summary(:'d')"
        [scan_category]="SELECT * FROM arrima_scan.category_summary(:'d')"
        [bare]="SELECT round_id, count(*) FROM arrima_stats.invitation GROUP BY round_id")
    # Two blocks: the calendar's roll-ups among themselves, then the scans
    # and the bare count.  A scan of a second or more just before a query of
    # a few milliseconds would leave it the CPU caches to fill again.
    {
        echo "SET max_parallel_workers_per_gather = 0;"
        for q in "${queries[@]}"; do echo "\\set d 2023-08-18"; echo "${sql[$q]};"; done
        echo '\timing on'
        for block in cal scan; do
            for _ in $(seq "$runs"); do
                for d in "${DATES[@]}"; do
                    echo "\\set d $d"
                    for q in "${queries[@]}"; do
                        case $block/$q in cal/cal_*|scan/scan_*|scan/bare) ;; *) continue ;; esac
                        for w in 0 2; do
                            case $q/$w in cal_*/2) continue ;; esac
                            echo "SET max_parallel_workers_per_gather = $w;"
                            echo "\\echo @$q/$w"
                            echo "${sql[$q]};"
                        done
                    done
                done
            done
        done
    } >"$Q/timing.sql"
    bpsql "$db" -o /dev/null -f "$Q/timing.sql" >"$Q/timing.out"
    for q in "${queries[@]}"; do
        for w in 0 2; do
            case $q/$w in cal_*/2) continue ;; esac
            result[$n/$q/$w]=$(awk -v tag="@$q/$w" '/^@/ { cur = $1 } /^Time:/ { if (cur == tag) print $2; cur = "" }' \
                                   "$Q/timing.out" | median)
        done
    done
    # dashboard_series, 3 years day by day: 40 rounds x 1,096 dates
    result[$n/series]=$(for _ in $(seq "$runs"); do
        bpsql "$db" -o /dev/null -c '\timing on' \
            -c "SELECT * FROM arrima_stats.dashboard_series('2021-01-01', '2023-12-31')" | ms_of
    done | median)
    result[$n/series_rows]=$(bpsql "$db" -Atc "SELECT count(*) FROM arrima_stats.dashboard_series('2021-01-01', '2023-12-31')")

    # -----------------------------------------------------------------------
    # maintenance of 0.1 % of the rows, against a rebuild
    # -----------------------------------------------------------------------
    say "maintenance: 0.1 % of the rows updated, with and without the calendar; rebuild"
    # the rows: 0.1 % of all, among those with a decision; (a) its date
    # corrected by a day (two days of its round change), (b) moved to
    # another round (every step day changes, in two rounds: the worst case)
    bpsql "$db" -c "CREATE TABLE public.touched AS
                      SELECT invitation_id FROM arrima_stats.invitation WHERE decided_on IS NOT NULL
                       ORDER BY hashint8(invitation_id + 7) LIMIT $rows / 1000;
                    ALTER TABLE public.touched ADD PRIMARY KEY (invitation_id); ANALYZE public.touched"
    declare -A update=(
        [date]="UPDATE arrima_stats.invitation i SET decided_on = i.decided_on + 1
                  FROM public.touched t WHERE i.invitation_id = t.invitation_id"
        [round]="UPDATE arrima_stats.invitation i
                    SET round_id = CASE WHEN i.round_id = 40 THEN 1 ELSE i.round_id + 1 END
                   FROM public.touched t WHERE i.invitation_id = t.invitation_id")
    {
        echo '\timing on'
        for _ in $(seq "$runs"); do
            for u in date round; do
                echo "BEGIN;"
                echo "\\echo @${u}_with"
                echo "${update[$u]};"
                echo "ROLLBACK;"
                echo "BEGIN;"
                echo "ALTER TABLE arrima_stats.invitation DISABLE TRIGGER calendar_after_update;"
                echo "\\echo @${u}_without"
                echo "${update[$u]};"
                echo "ROLLBACK;"
            done
            echo "BEGIN;"
            echo "\\echo @rebuild"
            echo "SELECT arrima_stats.calendar_rebuild();"
            echo "ROLLBACK;"
        done
    } >"$Q/maintenance.sql"
    bpsql "$db" -o /dev/null -f "$Q/maintenance.sql" >"$Q/maintenance.out"
    for t in date_with date_without round_with round_without rebuild; do
        result[$n/upd_$t]=$(awk -v tag="@$t" '/^@/ { cur = $1; next } /^Time:/ { if (cur == tag) print $2; cur = "" }' \
                                "$Q/maintenance.out" | median)
    done
    result[$n/updated]=$(bpsql "$db" -Atc "SELECT count(*) FROM public.touched")
    bpsql "$db" -c "DROP TABLE public.touched"

    # -----------------------------------------------------------------------
    # ingest() of min(N, 1 M) rows, with and without the calendar
    # -----------------------------------------------------------------------
    m=$(( n < 1000000 ? n : 1000000 ))
    if [ "$n" = "${sizes[0]}" ]; then
    say "ingest() of $m staged rows, with and without the calendar"
    bpsql "$db" -c "CREATE TABLE public.staged AS
                      SELECT invitation_id::text, round_id::text, invited_on::text, response_due_on::text,
                             declined_on::text, application_on::text, notice_on::text, notice_ground::text,
                             decided_on::text, decision::text
                        FROM arrima_stats.invitation ORDER BY invitation_id LIMIT $m"
    {
        echo '\timing on'
        for _ in $(seq "$runs"); do
            for t in with without; do
                echo "BEGIN;"
                echo "TRUNCATE arrima_stats.invitation_staging;"
                echo "INSERT INTO arrima_stats.invitation_staging SELECT * FROM public.staged;"
                echo "TRUNCATE arrima_stats.invitation CASCADE;"
                [ "$t" = with ] || echo "ALTER TABLE arrima_stats.invitation DISABLE TRIGGER USER;"
                echo "\\echo @$t"
                echo "SELECT * FROM arrima_stats.ingest();"
                echo "ROLLBACK;"
            done
        done
    } >"$Q/ingest.sql"
    bpsql "$db" -o /dev/null -f "$Q/ingest.sql" >"$Q/ingest.out"
    for t in with without; do
        result[$n/ingest_$t]=$(awk -v tag="@$t" '/^@/ { cur = $1; next } /^Time:/ { if (cur == tag) print $2; cur = "" }' \
                                   "$Q/ingest.out" | median)
    done
    result[$n/ingested]=$m
    bpsql "$db" -c "DROP TABLE public.staged"
    fi

    arrima_psql -q -d postgres -c "DROP DATABASE $db"
done

# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------
{
echo
echo "arrima_stats outcome calendar benchmark: jit off, median of $runs runs x ${#DATES[@]} dates"
echo "(${DATES[*]}), after a warm-up, the calendar's roll-ups alternated among themselves, then the scans;"
echo "SYNTHETIC invitations, rounds interleaved in the heap."
for n in "${sizes[@]}"; do
    echo
    echo "N = ${result[$n/rows]} invitations (${result[$n/switches]} % of consecutive heap rows change round);" \
         "the calendar's roll-ups = the scan's on every date timed"
    printf '| %-18s | %12s | %12s | %13s | %12s | %12s | %12s |\n' roll-up "calendar, ms" "scan, ms" \
        "scan 2w, ms" "bare, ms" "÷ by scan" "÷ by bare"
    printf '| %-18s | %12s | %12s | %13s | %12s | %12s | %12s |\n' ------------------ ------------ ------------ \
        ------------- ------------ ------------ ------------
    for r in round annual category; do
        c=${result[$n/cal_$r/0]}
        s=${result[$n/scan_$r/0]}
        s2=${result[$n/scan_$r/2]}
        b=${result[$n/bare/0]}
        printf '| %-18s | %12s | %12s | %13s | %12s | %12s | %12s |\n' "$r" "$(fmt "$c")" "$(fmt "$s")" \
            "$(fmt "$s2")" "$(fmt "$b")" "$(ratio "$s" "$c")" "$(ratio "$b" "$c")"
    done
    echo "bare count with 2 workers: $(fmt "${result[$n/bare/2]}") ms." \
         "dashboard_series, 2021-01-01 to 2023-12-31 by day (${result[$n/series_rows]} rows): $(fmt "${result[$n/series]}") ms"
    for u in date round; do
        upd=$(awk -v a="${result[$n/upd_${u}_with]}" -v b="${result[$n/upd_${u}_without]}" 'BEGIN { print a - b }')
        echo "0.1 % updated (${result[$n/updated]} rows, $( [ $u = date ] && echo "a decision's date moved by a day" || echo "moved to another round" )):" \
             "UPDATE $(fmt "${result[$n/upd_${u}_with]}") ms with the calendar, $(fmt "${result[$n/upd_${u}_without]}") ms without:" \
             "maintenance $(fmt "$upd") ms = $(ratio "$upd" "${result[$n/upd_rebuild]}") x calendar_rebuild() ($(fmt "${result[$n/upd_rebuild]}") ms)"
    done
    [ -z "${result[$n/ingested]:-}" ] ||
    echo "ingest() of ${result[$n/ingested]} rows: $(fmt "${result[$n/ingest_with]}") ms with the calendar," \
         "$(fmt "${result[$n/ingest_without]}") ms without (0.4.0): ratio $(ratio "${result[$n/ingest_with]}" "${result[$n/ingest_without]}")"
    echo "sizes: calendar ${result[$n/cal_rows]} rows, $(( ${result[$n/cal_total]} / 1024 )) kB with its index" \
         "($(( ${result[$n/cal_heap]} / 1024 )) kB heap); invitation $(( ${result[$n/inv_total]} / 1048576 )) MB with its" \
         "indexes ($(( ${result[$n/inv_heap]} / 1048576 )) MB heap): calendar ÷ invitation" \
         "$(awk -v a="${result[$n/cal_total]}" -v b="${result[$n/inv_total]}" 'BEGIN { printf "%.2f %%", 100 * a / b }')" \
         "($(awk -v a="${result[$n/cal_heap]}" -v b="${result[$n/inv_heap]}" 'BEGIN { printf "%.2f %%", 100 * a / b }') heap to heap)"
done
echo
echo "targets:"
for n in "${sizes[@]}"; do
    for r in round annual category; do
        s=$(ratio "${result[$n/scan_$r/0]}" "${result[$n/cal_$r/0]}")
        b=$(ratio "${result[$n/bare/0]}" "${result[$n/cal_$r/0]}")
        echo "  N=$n $r: ${s}x faster than the scan, ${b}x than the bare count (>= 100: $(verdict "$s" '>=' 100), $(verdict "$b" '>=' 100))"
    done
    for u in date round; do
        upd=$(awk -v a="${result[$n/upd_${u}_with]}" -v b="${result[$n/upd_${u}_without]}" 'BEGIN { print a - b }')
        m=$(ratio "$upd" "${result[$n/upd_rebuild]}")
        echo "  N=$n maintenance of 0.1 % ($u) ÷ rebuild $m (<= 0.01: $(verdict "$m" '<=' 0.01))"
    done
    if [ -n "${result[$n/ingested]:-}" ]; then
        i=$(ratio "${result[$n/ingest_with]}" "${result[$n/ingest_without]}")
        echo "  N=$n ingest() with the calendar ÷ without $i (<= 1.2: $(verdict "$i" '<=' 1.2))"
    fi
    c=$(awk -v a="${result[$n/cal_total]}" -v b="${result[$n/inv_total]}" 'BEGIN { print a / b }')
    echo "  N=$n calendar ÷ invitation $(printf %.4f "$c") (<= 0.01: $(verdict "$c" '<=' 0.01))"
done
if [ ${#sizes[@]} -ge 2 ]; then
    a=${sizes[0]}
    z=${sizes[-1]}
    for r in round annual category; do
        t=$(ratio "${result[$z/cal_$r/0]}" "${result[$a/cal_$r/0]}")
        echo "  $r from the calendar: time at $z ÷ time at $a = $t (0.8 to 1.2:" \
             "$(awk -v v="$t" 'BEGIN { print (v >= 0.8 && v <= 1.2) ? "met" : "NOT met" }'))"
    done
fi
} | tee "$report"
