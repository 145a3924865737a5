#!/usr/bin/env bash
# test/manual/bench_releases.sh: what a series of releases costs, by cadence.
#
#   sudo test/manual/bench_releases.sh [--days N] [--start DATE] [CADENCE ...]
#
# CADENCE is day, week or month (default: week month; day takes hours for a
# year).  For each: a database with the seed's 40 rounds and the SYNTHETIC
# invitations of test/data/synthetic_invitations.sql with every event kept
# (-v extract_on=infinity: decisions run into 2024), then a release as of
# each day, each Sunday or each month's end from --start (default
# 2023-08-18) for --days days (default 365), every one with
# refresh_publications() in its own transaction, as a schedule would make
# them, with the default policy (min_count 5).  Prints, per release, the
# time refresh_publications() took, how many releases were kept before it,
# what readers get of its counts (arrima_published.release_count): the
# share shown, the share withheld with a value an earlier release showed
# (carried), the share with only an interval, and how many of the headline
# figures (the total row's and each year's invitations) are shown; then the
# WAL the refresh wrote and the size of the release tables; then a summary
# per cadence.  The per-release lines go to test/tmp/bench_releases_CADENCE.txt
# too.  A benchmark, not a test: run it by hand.
# shellcheck disable=SC2119  # lib.sh functions take optional arguments
set -euo pipefail

# shellcheck source=test/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$ARRIMA_ROOT"

days=365
start=2023-08-18
cadences=()
while [ $# -gt 0 ]; do
    case $1 in
        --days) days=$2; shift 2 ;;
        --start) start=$2; shift 2 ;;
        day|week|month) cadences+=("$1"); shift ;;
        *) sed -n '2,20s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
[ ${#cadences[@]} -gt 0 ] || cadences=(week month)

ensure_packages
build
install_private
start_cluster
mkdir -p test/tmp

# The release dates of a cadence, one per line
release_dates() {
    local d=$start end
    end=$(date -d "$start + $days days" +%F)
    case $1 in
        day)
            while [[ $d < $end ]]; do echo "$d"; d=$(date -d "$d + 1 day" +%F); done ;;
        week)
            d=$(date -d "$d + $(( (7 - $(date -d "$d" +%u)) % 7 )) days" +%F)
            while [[ $d < $end ]]; do echo "$d"; d=$(date -d "$d + 7 days" +%F); done ;;
        month)
            d=$(date -d "$(date -d "$d" +%Y-%m-01) + 1 month - 1 day" +%F)
            while [[ $d < $end ]]; do
                echo "$d"
                d=$(date -d "$(date -d "$d + 1 day" +%Y-%m-01) + 1 month - 1 day" +%F)
            done ;;
    esac
}

summary=()
for cadence in "${cadences[@]}"; do
    db=arrima_bench_releases
    out=test/tmp/bench_releases_$cadence.txt
    arrima_psql -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    arrima_psql -q -d "$db" -v extract_on=infinity >/dev/null <<'SQL'
CREATE EXTENSION arrima_stats;
\i test/data/load_rounds.sql
\set due_in_sql on
\i test/data/synthetic_invitations.sql
ANALYZE;
SQL
    say "$cadence: releases from $start for $days days (per release: $out)"
    printf '%-6s %-10s %5s %9s %6s %7s %8s %9s %8s %8s %8s\n' cadence as_of kept refresh_s cells \
        shown carried interval headline wal_kB tables_MB | tee "$out"
    kept=0
    while read -r as_of; do
        lsn=$(arrima_psql -q -At -d "$db" -c "SELECT pg_current_wal_lsn()")
        t0=$(date +%s.%N)
        arrima_psql -q -d "$db" -c "SELECT arrima_stats.refresh_publications('$as_of')" >/dev/null
        t1=$(date +%s.%N)
        line=$(arrima_psql -q -At -F ' ' -d "$db" -c "
            SELECT count(*),
                   round(100.0 * count(*) FILTER (WHERE value IS NOT NULL) / count(*), 1),
                   round(100.0 * count(*) FILTER (WHERE value IS NULL AND carried_value IS NOT NULL)
                         / count(*), 1),
                   round(100.0 * count(*) FILTER (WHERE value IS NULL AND carried_value IS NULL)
                         / count(*), 1),
                   count(*) FILTER (WHERE measure = 'invitations' AND row_kind IN ('total', 'year')
                                      AND value IS NOT NULL) || '/' ||
                     count(*) FILTER (WHERE measure = 'invitations' AND row_kind IN ('total', 'year')),
                   pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn') / 1024,
                   (pg_total_relation_size('arrima_stats.release') +
                    pg_total_relation_size('arrima_stats.release_group') +
                    pg_total_relation_size('arrima_stats.release_cell') +
                    pg_total_relation_size('arrima_stats.release_proof')) / 1048576.0
              FROM arrima_published.release_count
             WHERE release_id = (SELECT max(release_id) FROM arrima_stats.release)")
        read -r cells shown carried interval headline wal tables <<<"$line"
        printf '%-6s %-10s %5d %9.2f %6d %6s%% %7s%% %8s%% %9s %8.0f %8.1f\n' "$cadence" "$as_of" "$kept" \
            "$(echo "$t1 - $t0" | bc)" "$cells" "$shown" "$carried" "$interval" "$headline" \
            "$wal" "$tables" | tee -a "$out"
        kept=$((kept + 1))
    done < <(release_dates "$cadence")
    # summary: releases; shown, carried and interval-only (the first
    # release, then the least, the mean and the greatest over the others);
    # headline figures shown (the fewest of a release); time (median,
    # worst, last); WAL of a refresh (mean, worst); the release tables at
    # the end
    median=$(awk 'NR > 1 { print $4 }' "$out" | sort -n |
             awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
    summary+=("$(awk -v c="$cadence" -v med="$median" '
        function pct(x) { sub("%", "", x); return x + 0 }
        NR > 1 {
            n++; sh = pct($6); ca = pct($7); iv = pct($8)
            split($9, h, "/"); if (n == 1 || h[1] - h[2] < hmiss) { hmiss = h[1] - h[2]; hworst = $9 }
            if (n == 1) { sh1 = sh; iv1 = iv; shmin = 101; ivmax = -1 }
            else { shsum += sh; ivsum += iv; casum += ca
                   if (sh < shmin) shmin = sh; if (iv > ivmax) ivmax = iv }
            wal += $10; if ($10 > walmax) walmax = $10
            last_t = $4; if ($4 > worst) worst = $4; mb = $11 }
        END {
            m = n > 1 ? n - 1 : 1
            if (n == 1) { shmin = sh1; shsum = sh1; casum = 0; ivmax = iv1 }
            printf "%-6s %8d %7.1f%% %9.1f%% %9.1f%% %7.1f%% %11.1f%% %8.1f%% %9s %8.2f %8.2f %8.2f %7.0f %7.0f %7.1f",
                   c, n, sh1, shmin, shsum / m, casum / m, iv1, ivmax, hworst, med, worst, last_t,
                   wal / n, walmax, mb
        }' "$out")")
    arrima_psql -q -d postgres -c "DROP DATABASE $db"
done

echo
echo "shown, interval-only: the first release, then the least shown and the most interval-only of the"
echo "others; carried: the mean of the others; headline: the release that shows fewest"
printf '%-6s %8s %8s %10s %10s %8s %12s %9s %9s %8s %8s %8s %7s %7s %7s\n' cadence releases \
    "shown 1" "shown min" "shown mean" carried "interval 1" "int. max" headline \
    "median s" "worst s" "last s" "WAL kB" "max kB" "MB"
printf '%s\n' "${summary[@]}"
