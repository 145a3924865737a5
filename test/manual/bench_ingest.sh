#!/usr/bin/env bash
# bench_ingest.sh: how much ingest() costs over a plain INSERT ... SELECT.
#
# Stages N rows (default 1,000,000; 5 % of them bad in every way the
# validator knows), times arrima_stats.ingest(), and times a plain
#   INSERT INTO invitation SELECT <casts> FROM invitation_staging
# of the valid rows only, on the same data; median of RUNS runs (default 3)
# each, printed with their ratio.  Twice: with response_due_on given in the
# file, and left out (then the plain insert fills it through the table's
# per-row trigger, ingest() through the validator).
#
# Builds and installs the extension privately and runs on a throwaway
# cluster (test/lib.sh), as test/run does; as root it installs the packages
# it needs.  With --server, uses the server the libpq variables (PGHOST,
# PGPORT, PGUSER) point at instead, where arrima_stats must be installed.
# Either way it works in a database of its own, dropped at the end.
#
# Usage: test/manual/bench_ingest.sh [--server] [N [RUNS]]
set -euo pipefail

own_server=
if [ "${1:-}" = --server ]; then
	own_server=1
	shift
fi
N=${1:-1000000}
RUNS=${2:-3}
DB=arrima_bench_ingest

if [ -z "$own_server" ]; then
	. "$(dirname "$0")/../lib.sh"
	cd "$ARRIMA_ROOT"
	ensure_packages
	command -v bc >/dev/null 2>&1 || ensure_packages bc
	build
	install_private
	start_cluster
fi

psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

# seconds a statement takes, client side (the statement is all the work)
timed() {
	local start end
	start=$(date +%s.%N)
	psql_db -c "$1" >/dev/null
	end=$(date +%s.%N)
	echo "$end - $start" | bc
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB"
drop_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
if [ -n "$own_server" ]; then
	trap drop_db EXIT
else
	on_exit drop_db
fi

psql_db <<SQL
CREATE EXTENSION arrima_stats;
SET search_path = arrima_stats, public;
INSERT INTO invitation_round (round_id, category, held_on)
SELECT r, 'OPMO', date '2021-01-04' + 21 * r FROM generate_series(1, 40) r;

-- Row g of the file.  Valid rows take the shapes of real files: declined,
-- no answer, in processing, selected, refused, rejected, cancelled after a
-- notice, pending after one.  Every 20th row is bad, in turn: an impossible
-- date, an id that is not a number, an unknown round, an application after
-- the response window, an unknown decision label, an id beyond bigint, and
-- an id staged twice (that row and the one before are both refused).
CREATE TABLE public.bench_source AS
WITH g AS (
  SELECT g, (g::bigint * 7919) % 100 AS shape, g % 20 = 0 AS bad, (g / 20) % 7 AS kind,
         1 + g % 40 AS round_id, date '2021-01-04' + 21 * (1 + g % 40) AS invited
    FROM generate_series(1, $N) g
), f AS (
  SELECT g, bad OR (g % 20 = 19 AND ((g + 1) / 20) % 7 = 6) AS refused,
         CASE WHEN bad AND kind = 1 THEN 'abc' || g
              WHEN bad AND kind = 5 THEN '99999999999999999999'
              WHEN bad AND kind = 6 THEN (g - 1)::text
              ELSE g::text END AS invitation_id,
         CASE WHEN bad AND kind = 2 THEN '999' ELSE round_id::text END AS round_id,
         CASE WHEN bad AND kind = 0 THEN '2022-13-45' ELSE to_char(invited, 'YYYY-MM-DD') END AS invited_on,
         to_char(invited + 60, 'YYYY-MM-DD') AS response_due_on,
         CASE WHEN shape < 10 THEN to_char(invited + 10, 'YYYY-MM-DD') END AS declined_on,
         CASE WHEN bad AND kind = 3 THEN to_char(invited + 90, 'YYYY-MM-DD')
              WHEN shape >= 20 THEN to_char(invited + 20, 'YYYY-MM-DD') END AS application_on,
         CASE WHEN shape >= 80 THEN to_char(invited + 100, 'YYYY-MM-DD') END AS notice_on,
         CASE WHEN shape >= 90 THEN 'did_not_support' WHEN shape >= 80 THEN 'cannot_support' END
           AS notice_ground,
         CASE WHEN shape >= 40 AND shape < 90 THEN to_char(invited + 150, 'YYYY-MM-DD') END AS decided_on,
         CASE WHEN bad AND kind = 4 THEN 'Selected'
              WHEN shape >= 80 AND shape < 90 THEN 'cancelled'
              WHEN shape >= 70 AND shape < 80 THEN 'rejected'
              WHEN shape >= 60 AND shape < 70 THEN 'refused'
              WHEN shape >= 40 AND shape < 60 THEN 'selected' END AS decision
    FROM g
)
SELECT * FROM f;
ANALYZE public.bench_source;
SQL

columns="invitation_id, round_id, invited_on, response_due_on, declined_on, application_on,
         notice_on, notice_ground, decided_on, decision"

# stage the file (all rows, or the valid ones), with or without response_due_on
stage() {
	local due_column=response_due_on
	[ "$2" = given ] || due_column=NULL
	psql_db -c "
		TRUNCATE arrima_stats.invitation, arrima_stats.invitation_reject, arrima_stats.invitation_staging;
		INSERT INTO arrima_stats.invitation_staging
		SELECT invitation_id, round_id, invited_on, $due_column, declined_on, application_on,
		       notice_on, notice_ground, decided_on, decision
		  FROM bench_source WHERE $1" \
		-c "VACUUM ANALYZE arrima_stats.invitation_staging" -c "CHECKPOINT"
}

plain="INSERT INTO arrima_stats.invitation ($columns)
	SELECT invitation_id::bigint, round_id::integer, invited_on::date, response_due_on::date,
	       declined_on::date, application_on::date, notice_on::date,
	       notice_ground::arrima_stats.notice_ground, decided_on::date,
	       decision::arrima_stats.decision
	  FROM arrima_stats.invitation_staging"

echo "rows staged: $N ($(psql_db -Atc "SELECT count(*) FILTER (WHERE refused) FROM bench_source") refused), median of $RUNS runs each"
for due in given empty; do
	ingest_times=
	plain_times=
	for run in $(seq "$RUNS"); do
		stage true "$due"
		ingest_times="$ingest_times $(timed 'SELECT * FROM arrima_stats.ingest()')"
		counts=$(psql_db -Atc "SELECT (SELECT count(*) FROM arrima_stats.invitation) || ' loaded, ' ||
		                              (SELECT count(*) FROM arrima_stats.invitation_reject) || ' rejected'")
		stage "NOT refused" "$due"
		plain_times="$plain_times $(timed "$plain")"
	done
	i=$(median $ingest_times)
	p=$(median $plain_times)
	printf 'response_due_on %-5s  ingest() %6.2f s  plain INSERT %6.2f s  ratio %.2f  (%s)\n' \
		"$due:" "$i" "$p" "$(echo "$i / $p" | bc -l)" "$counts"
done
