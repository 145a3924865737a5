#!/usr/bin/env bash
# schedule_refresh() with pg_cron: the job is created, replaced when
# scheduled again, RUNS (each run makes a release as of today, which the
# published views and the reader schema show), and unschedule_refresh()
# removes it.  Before CREATE EXTENSION pg_cron,
# schedule_refresh() says what to do.
#
# Needs a server with shared_preload_libraries = 'pg_cron',
# cron.database_name = 'arrima_case_cron' and cron.use_background_workers =
# on (test/run starts it so).  pg_cron 1.4 (Debian 12) schedules by the
# minute: the wait for a run is up to about a minute; from pg_cron 1.5 on,
# a '2 seconds' schedule is used.
. "$(dirname "$0")/common.bash"

db=arrima_case_cron
fail() { die "$@"; }

expect postgres "SELECT 'pg_cron' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))" \
       t "the server was not started with pg_cron in shared_preload_libraries"
expect postgres "SHOW cron.database_name" "$db" "cron.database_name is not $db"

# The database exists from the server's start (test/run creates it) and
# stays: pg_cron's launcher lives in it, and would exit and restart every
# second, filling the log, while it is missing.  Start and end clean instead.
clean() {
    psql -d "$db" -c 'SET client_min_messages = warning' \
         -c 'DROP EXTENSION IF EXISTS pg_cron' \
         -c 'DROP EXTENSION IF EXISTS arrima_stats CASCADE' \
         -c 'DROP SCHEMA IF EXISTS arrima_stats CASCADE'
}
clean
case_on_exit 'clean >/dev/null 2>&1'

psql -d "$db" <<'SQL'
CREATE EXTENSION arrima_stats;
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2023-01-05');
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on)
SELECT k, 1, '2023-01-05' FROM generate_series(1, 20) k;
SQL

# Not yet created in this database: a clear error and its hint.
out=$(psql -d "$db" -c "SELECT arrima_stats.schedule_refresh('* * * * *')" 2>&1 || true)
echo "$out"
grep -q 'ERROR:  the pg_cron extension is not created in this database' <<<"$out" ||
    fail "no clear error before CREATE EXTENSION pg_cron"
grep -q 'HINT:  CREATE EXTENSION pg_cron;' <<<"$out" || fail "no hint"

psql -d "$db" -c "CREATE EXTENSION pg_cron"
version=$(query "$db" "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")
newer=$(query "$db" "SELECT (regexp_match('$version', '^(\d+)\.(\d+)'))::int[] >= '{1,5}'")
if [ "$newer" = t ]; then
    schedule='2 seconds'
else
    schedule='* * * * *'
fi
echo "pg_cron $version, schedule '$schedule'"

job=$(query "$db" "SELECT arrima_stats.schedule_refresh('$schedule')")
again=$(query "$db" "SELECT arrima_stats.schedule_refresh('$schedule')")
is_int "$job" || fail "schedule_refresh() returned '$job', not a job id"
[ "$job" = "$again" ] || fail "scheduling again made a second job ($job, $again)"
psql -d "$db" -c "SELECT jobid, schedule, command, database, username FROM cron.job"
expect "$db" "SELECT count(*) FROM cron.job
               WHERE jobid = $job AND command = 'SELECT arrima_stats.refresh_publications()'
                 AND database = current_database() AND schedule = '$schedule'" 1 "no such job"

# Wait for a successful run (the views are unpopulated until then).
runs=0
for _ in $(seq 1 90); do
    runs=$(query "$db" "SELECT count(*) FROM cron.job_run_details
                         WHERE jobid = $job AND status = 'succeeded'")
    [ "$runs" = 0 ] || break
    sleep 1
done
psql -d "$db" -c "SELECT status, return_message FROM cron.job_run_details WHERE jobid = $job"
if ! is_int "$runs" || [ "$runs" -eq 0 ]; then fail "the job did not run successfully within 90 s"; fi
psql -d "$db" -c "SELECT round_id, invitations, awaiting_response, expired, as_of = current_date AS today
                    FROM arrima_stats.round_dashboard_published ORDER BY is_total"
expect "$db" "SELECT count(*) FROM arrima_stats.round_dashboard_published
               WHERE as_of = current_date AND invitations = 20 AND expired = 20" 2 \
       "the scheduled refresh did not publish as of today"
# each run is a release (as of today), which the reader schema shows
expect "$db" "SELECT count(*) > 0 AND bool_and(as_of = current_date) FROM arrima_stats.release" t \
       "the scheduled refresh made no release as of today"
expect "$db" "SELECT count(*) FROM arrima_published.round_dashboard
               WHERE as_of = current_date AND invitations = 20 AND expired = 20" 2 \
       "the reader schema does not show the scheduled release"

expect "$db" "SELECT arrima_stats.unschedule_refresh()" t "unschedule"
expect "$db" "SELECT arrima_stats.unschedule_refresh()" f "unschedule twice"
expect "$db" "SELECT count(*) FROM cron.job" 0 "a job is left"
echo "ok"
