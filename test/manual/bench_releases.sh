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
# and the share of the release's cells withheld; then a summary per
# cadence.  The per-release lines go to test/tmp/bench_releases_CADENCE.txt
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
    printf '%-6s %-10s %5s %9s %7s %8s %10s\n' cadence as_of kept refresh_s cells withheld share \
        | tee "$out"
    kept=0
    while read -r as_of; do
        t0=$(date +%s.%N)
        arrima_psql -q -d "$db" -c "SELECT arrima_stats.refresh_publications('$as_of')" >/dev/null
        t1=$(date +%s.%N)
        line=$(arrima_psql -q -At -F ' ' -d "$db" -c "
            SELECT counts, withheld, round(100.0 * withheld / counts, 1)
              FROM arrima_stats.published_release ORDER BY release_id DESC LIMIT 1")
        read -r cells withheld share <<<"$line"
        printf '%-6s %-10s %5d %9.2f %7d %8d %9s%%\n' "$cadence" "$as_of" "$kept" \
            "$(echo "$t1 - $t0" | bc)" "$cells" "$withheld" "$share" | tee -a "$out"
        kept=$((kept + 1))
    done < <(release_dates "$cadence")
    # summary: releases, share withheld (mean, last), time (median, worst, last)
    median=$(awk 'NR > 1 { print $4 }' "$out" | sort -n |
             awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
    summary+=("$(awk -v c="$cadence" -v med="$median" 'NR > 1 {
            n++; s = $7; sub("%", "", s); share += s; last_share = s
            last_t = $4; if ($4 > worst) worst = $4 }
        END {
            printf "%-6s %8d %12.1f%% %11.1f%% %10.2f %10.2f %10.2f", c, n, share / n, last_share, med, worst, last_t
        }' "$out")")
    arrima_psql -q -d postgres -c "DROP DATABASE $db"
done

echo
printf '%-6s %8s %13s %12s %10s %10s %10s\n' cadence releases "mean share" "last share" \
    "median s" "worst s" "last s"
printf '%s\n' "${summary[@]}"
