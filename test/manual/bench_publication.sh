#!/usr/bin/env bash
# test/manual/bench_publication.sh: what disclosure control costs, and how it scales.
#
#   sudo test/manual/bench_publication.sh [COPIES ...]     default: 1 2 4 8
#
# For each number of copies of the seed's 40 rounds (round_id + 1000 x copy,
# same dates and categories: more rounds per year and category), with the
# SYNTHETIC invitations of test/data/synthetic_invitations.sql, as of
# 2023-08-18 and the default policy (min_count 5): the time of
# refresh_publications() (groups, withholding with its audits, the three
# views), of the three raw roll-ups together, their ratio, and the time of
# disclosure_audit() (exact bounds of every withheld count).  Best of 3 runs,
# each a first release (test/manual/bench_releases.sh measures series).
# shellcheck disable=SC2119  # lib.sh functions take optional arguments
set -euo pipefail

# shellcheck source=test/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$ARRIMA_ROOT"

copies_list=("$@")
[ ${#copies_list[@]} -gt 0 ] || copies_list=(1 2 4 8)

ensure_packages
build
install_private
start_cluster

printf '\n%7s %12s %7s %9s %8s %11s %11s %7s %10s\n' rounds invitations cells withheld primary \
       refresh_ms rollups_ms ratio audit_ms
for copies in "${copies_list[@]}"; do
    db=arrima_bench_$copies
    arrima_psql -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    arrima_psql -q -d "$db" -v copies="$copies" >/dev/null <<'SQL'
CREATE EXTENSION arrima_stats;
\i test/data/load_rounds.sql
\set due_in_sql on
\i test/data/synthetic_invitations.sql
ANALYZE;
SQL
    arrima_psql -q -At -d "$db" <<'SQL'
CREATE TEMP TABLE timing (run integer, refresh float8, rollups float8, audit float8);
DO $$
DECLARE
  t timestamptz;
  r float8; u float8; a float8;
BEGIN
  FOR run IN 1..3 LOOP
    -- each run a first release: the runs before are forgotten (a superuser
    -- can go around the triggers that keep releases)
    SET LOCAL session_replication_role = replica;
    TRUNCATE arrima_stats.release, arrima_stats.release_group, arrima_stats.release_cell,
             arrima_stats.release_proof;
    SET LOCAL session_replication_role = origin;
    t := clock_timestamp();
    PERFORM arrima_stats.refresh_publications('2023-08-18');
    r := extract(epoch FROM clock_timestamp() - t) * 1000;
    t := clock_timestamp();
    PERFORM count(*) FROM arrima_stats.round_dashboard('2023-08-18');
    PERFORM count(*) FROM arrima_stats.annual_summary('2023-08-18');
    PERFORM count(*) FROM arrima_stats.category_summary('2023-08-18');
    u := extract(epoch FROM clock_timestamp() - t) * 1000;
    t := clock_timestamp();
    PERFORM count(*) FROM arrima_stats.disclosure_audit();
    a := extract(epoch FROM clock_timestamp() - t) * 1000;
    INSERT INTO timing VALUES (run, r, u, a);
  END LOOP;
END
$$;
SELECT format('%7s %12s %7s %9s %8s %11s %11s %7s %10s',
              (SELECT count(*) FROM arrima_stats.invitation_round),
              (SELECT count(*) FROM arrima_stats.invitation),
              count(*), count(*) FILTER (WHERE withheld),
              count(*) FILTER (WHERE withheld AND value < 5),
              round(min(t.refresh)::numeric), round(min(t.rollups)::numeric),
              round((min(t.refresh) / min(t.rollups))::numeric, 1), round(min(t.audit)::numeric))
  FROM arrima_stats.publication_cell, (SELECT min(refresh) refresh, min(rollups) rollups,
                                              min(audit) audit FROM timing) t;
SQL
    arrima_psql -q -d postgres -c "DROP DATABASE $db"
done
