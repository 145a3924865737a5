#!/usr/bin/env bash
# Nothing half-kept: a backend killed with SIGKILL in the middle of a
# refresh_publications() and in the middle of an ingest(), each after its
# writes and before its commit, and the server's crash recovery (every
# backend ends, the postmaster replays the WAL):
#
#   1. the refresh waits for a lock on the working tables of the published
#      views (its last step, publish_latest_release()) that another
#      session holds, its release, groups, cells and points written:
#      killed there, the
#      release tables, the working tables and the published views are as
#      before it, byte for byte, readers see the earlier release, and the
#      next refresh makes its release and passes the last gate;
#   2. ingest() waits for a row lock on an invitation it updates, with the
#      staged rows before it deleted and loaded: killed there, the
#      invitations, the staged rows and the rejects are as before, the
#      outcome calendar exact (calendar_check() finds nothing), and
#      ingest() run again loads them all, the calendar still exact.
. "$(dirname "$0")/common.bash"

# What committed before a crash must be there after it: test/lib.sh's
# clusters commit asynchronously (a commit may still be in the WAL buffers
# when a backend is killed, and is then lost with them), so this case's
# sessions wait for their commits to be written.
export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c synchronous_commit=on"

db=arrima_case_crash
fresh_db "$db"
psql -d "$db" -c "CREATE EXTENSION arrima_stats"
load_demo_data "$db"
psql -d "$db" -c "SELECT arrima_stats.refresh_publications('2023-08-18')"

# checksums DB TABLE...: "name rows md5" of each table, in a stable order
checksums() {
    local db=$1 t
    shift
    for t in "$@"; do
        query "$db" "SELECT '$t ' || count(*) || ' ' || coalesce(md5(string_agg(x::text, E'\n' ORDER BY x::text)), '-')
                       FROM $t x"
    done
}

# wait_for DB SQL WHAT: until SQL returns t (at most 30 s)
wait_for() {
    local i got
    for (( i = 0; i < 300; i++ )); do
        got=$(command psql -X -At -d "$1" -c "$2" 2>/dev/null) || got=
        [ "$got" = t ] && return 0
        sleep 0.1
    done
    die "$3: not within 30 s"
}

# kill_backend DB APP: SIGKILL the backend of application_name APP, then
# wait for the server to come back from its crash recovery
kill_backend() {
    local pid
    pid=$(query "$1" "SELECT pid FROM pg_stat_activity WHERE application_name = '$2'")
    is_int "$pid" || die "no backend for $2"
    kill -KILL "$pid"
    # the postmaster ends every backend (the blocking session too), then
    # replays the WAL, and takes connections again
    wait_for postgres "SELECT count(*) = 0 FROM pg_stat_activity
                        WHERE application_name IN ('$2', 'arrima_crash_blocker')" \
        "the server back after killing $2 (pid $pid)"
    echo "killed the backend of $2 (pid $pid); the server recovered"
}

# a session holding a lock until killed with the rest: BLOCKER SQL
blocker() {
    PGAPPNAME=arrima_crash_blocker command psql -X -q -d "$db" \
        -c "BEGIN; $1; SELECT pg_sleep(120)" >/dev/null 2>&1 &
    wait_for "$db" "SELECT count(*) = 1 FROM pg_stat_activity
                     WHERE application_name = 'arrima_crash_blocker' AND wait_event = 'PgSleep'" \
        "the blocking session"
}

# ---------------------------------------------------------------------------
# 1. a refresh killed before it commits
# ---------------------------------------------------------------------------
release_tables=(arrima_stats.release arrima_stats.release_group arrima_stats.release_cell
                arrima_stats.release_proof arrima_stats.publication_state arrima_stats.publication_group
                arrima_stats.publication_cell arrima_stats.round_dashboard_published
                arrima_stats.annual_summary_published arrima_stats.category_summary_published)
before=$(checksums "$db" "${release_tables[@]}")
reader_before=$(checksums "$db" arrima_published.release_count)

blocker "LOCK TABLE arrima_stats.publication_state IN SHARE MODE"
PGAPPNAME=arrima_crash_refresh command psql -X -q -d "$db" \
    -c "SELECT arrima_stats.refresh_publications('2023-09-30')" >/dev/null 2>&1 &
# waiting for the working tables' lock: the release is written, its last
# gate passed
wait_for "$db" "SELECT count(*) = 1 FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
                 WHERE a.application_name = 'arrima_crash_refresh' AND NOT l.granted
                   AND l.relation = 'arrima_stats.publication_state'::regclass" \
    "the refresh waiting for the working tables"
expect "$db" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE a.application_name = 'arrima_crash_refresh'
                 AND l.relation = 'arrima_stats.release_cell'::regclass
                 AND l.mode = 'RowExclusiveLock'" 1 "the refresh had not written its cells"
kill_backend "$db" arrima_crash_refresh
wait

after=$(checksums "$db" "${release_tables[@]}")
[ "$before" = "$after" ] || {
    diff <(echo "$before") <(echo "$after")
    die "the release tables changed with a refresh that never committed (above)"
}
expect "$db" "SELECT count(*) FROM arrima_stats.release" 1 "a release was half-kept"
reader_after=$(checksums "$db" arrima_published.release_count)
[ "$reader_before" = "$reader_after" ] || die "readers see something else after the crash"
expect "$db" "SELECT count(*) FROM arrima_stats.calendar_check()" 0 "the calendar is not exact after the crash"
echo "refresh killed: the release tables, working tables and published views as before, byte for byte"

psql -d "$db" -c "SELECT arrima_stats.refresh_publications('2023-09-30')"
expect "$db" "SELECT count(*), max(as_of) FROM arrima_stats.release" "2|2023-09-30" \
    "the refresh after the crash made no release"
expect "$db" "SELECT as_of FROM arrima_published.release WHERE is_latest" 2023-09-30 \
    "readers do not see the release made after the crash"
echo "the refresh after the crash made its release and passed the last gate"

# ---------------------------------------------------------------------------
# 2. an ingest() killed before it commits
# ---------------------------------------------------------------------------
# 4,000 new invitations (copies of the demo's under new ids), one update of
# invitation 1 between them, and one bad row
psql -d "$db" <<'SQL'
INSERT INTO arrima_stats.invitation_staging
SELECT (i.invitation_id + 10000000)::text, i.round_id::text, i.invited_on::text, i.response_due_on::text,
       i.declined_on::text, i.application_on::text, i.notice_on::text, i.notice_ground::text,
       i.decided_on::text, i.decision::text
  FROM arrima_stats.invitation i ORDER BY i.invitation_id LIMIT 2000;
INSERT INTO arrima_stats.invitation_staging
SELECT i.invitation_id::text, i.round_id::text, i.invited_on::text, i.response_due_on::text,
       i.declined_on::text, i.application_on::text, i.notice_on::text, i.notice_ground::text,
       i.decided_on::text, i.decision::text
  FROM arrima_stats.invitation i WHERE i.invitation_id = (SELECT min(invitation_id) FROM arrima_stats.invitation);
INSERT INTO arrima_stats.invitation_staging
SELECT (i.invitation_id + 20000000)::text, i.round_id::text, i.invited_on::text, i.response_due_on::text,
       i.declined_on::text, i.application_on::text, i.notice_on::text, i.notice_ground::text,
       i.decided_on::text, i.decision::text
  FROM arrima_stats.invitation i ORDER BY i.invitation_id LIMIT 2000;
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on)
VALUES ('30000001', '1', '2023-02-30');
SQL
ingest_tables=(arrima_stats.invitation arrima_stats.invitation_staging arrima_stats.invitation_reject
               arrima_stats.outcome_calendar)
before=$(checksums "$db" "${ingest_tables[@]}")

blocker "SELECT 1 FROM arrima_stats.invitation
          WHERE invitation_id = (SELECT min(invitation_id) FROM arrima_stats.invitation) FOR UPDATE"
PGAPPNAME=arrima_crash_ingest command psql -X -q -d "$db" -c "SELECT * FROM arrima_stats.ingest()" \
    >/dev/null 2>&1 &
wait_for "$db" "SELECT count(*) = 1 FROM pg_stat_activity
                 WHERE application_name = 'arrima_crash_ingest' AND wait_event_type = 'Lock'" \
    "ingest() waiting for the invitation's row lock"
kill_backend "$db" arrima_crash_ingest
wait

after=$(checksums "$db" "${ingest_tables[@]}")
[ "$before" = "$after" ] || {
    diff <(echo "$before") <(echo "$after")
    die "the invitations, staged rows or rejects changed with an ingest() that never committed (above)"
}
expect "$db" "SELECT count(*) FROM arrima_stats.calendar_check()" 0 "the calendar is not exact after the crash"
echo "ingest() killed: invitations, staged rows, rejects and the calendar as before"

expect "$db" "SELECT inserted, updated, rejected FROM arrima_stats.ingest()" "4000|1|1" \
    "ingest() after the crash did not load the staged rows"
expect "$db" "SELECT count(*) FROM arrima_stats.calendar_check()" 0 "the calendar is not exact after ingest()"
expect "$db" "SELECT count(*) FROM arrima_stats.invitation_staging" 0 "rows left staged"
echo "ingest() after the crash loaded every staged row; the calendar exact"
