#!/usr/bin/env bash
# The outcome calendar through pg_dump and pg_restore, and through the
# update from the previous version: exact after each.
#
# The calendar is derived data: pg_dump leaves it out (it is no
# configuration table); pg_restore loads invitation with COPY, which fires
# the calendar's insert trigger, so the calendar is made again as the rows
# come.  Checked:
#   1. a database with the seed's rounds, synthetic invitations, and then
#      updates, deletes, a change of round and an ingest(), dumped (-Fc) and
#      restored into a fresh database: the calendar (summed per round, year
#      and day) is the source's, calendar_check() reports nothing, the
#      three roll-ups equal version 0.4.0's scanning ones
#      (test/data/scan_rollups.sql) on a dozen dates, and a release made by
#      refresh_publications() (in a transaction rolled back) has the groups
#      0.4.0's refresh_publications() scanned the invitations for, on five;
#   2. the same dump restored with --disable-triggers (the way to restore in
#      parallel: no trigger fires, the calendar stays empty): calendar_check()
#      reports the missing days, and calendar_rebuild() makes it exact;
#   3. each released version (sql/versions/arrima_stats--V.sql) that has an upgrade
#      path to the current one, with data, updated: calendar_check() reports
#      nothing, the roll-ups equal the scanning ones on the same dates and a
#      release's groups the scanned ones; a role that could run
#      round_dashboard before the update (EXECUTE on it, SELECT on
#      invitation; from 0.5.0, on the calendar and group_tallies() too) still
#      can, and still can after pg_dump and pg_restore of the updated database.
. "$(dirname "$0")/common.bash"

src=arrima_case_calendar_src
dump=$ARRIMA_SCRATCH/calendar.dump
status=0
fail() { echo "FAIL: $*"; status=1; }

dates="'2021-01-25', '2021-06-30', '2022-01-01', '2022-06-15', '2022-12-31', '2023-03-01',
       '2023-08-18', '2023-09-12', '2023-12-31', '2024-06-30', '2025-01-01', 'infinity'"
# the dates of the releases made and rolled back
release_dates="2021-01-25 2021-06-30 2022-12-31 2023-08-18 2025-01-01"

# the calendar summed per key, as text, in key order
calendar_sql="SELECT round_id || ' ' || year || ' ' || day || ' ' || arrima_stats.sum(change)
                FROM arrima_stats.outcome_calendar GROUP BY round_id, year, day
              HAVING arrima_stats.sum(change) OPERATOR(arrima_stats.<>) '{0,0,0,0,0,0,0,0,0,0,0,0,0}'
               ORDER BY round_id, year, day"

# check DB WHAT: calendar_check() is empty, the roll-ups are the scan's
check() {
    local db=$1 what=$2 n
    ( cd "$ARRIMA_ROOT" && psql -d "$db" -c 'SET client_min_messages = warning' \
                                -f test/data/scan_rollups.sql )
    n=$(psql -d "$db" -Atc "SELECT count(*) FROM arrima_stats.calendar_check()")
    [ "$n" = 0 ] || fail "$what: calendar_check() reports $n differences"
    n=$(psql -d "$db" -At <<SQL
SELECT count(*) FROM unnest(ARRAY[$dates]::date[]) d
 WHERE EXISTS ((SELECT * FROM arrima_stats.round_dashboard(d)) EXCEPT ALL (SELECT * FROM arrima_scan.round_dashboard(d)))
    OR EXISTS ((SELECT * FROM arrima_scan.round_dashboard(d)) EXCEPT ALL (SELECT * FROM arrima_stats.round_dashboard(d)))
    OR EXISTS ((SELECT * FROM arrima_stats.annual_summary(d)) EXCEPT ALL (SELECT * FROM arrima_scan.annual_summary(d)))
    OR EXISTS ((SELECT * FROM arrima_scan.annual_summary(d)) EXCEPT ALL (SELECT * FROM arrima_stats.annual_summary(d)))
    OR EXISTS ((SELECT * FROM arrima_stats.category_summary(d)) EXCEPT ALL (SELECT * FROM arrima_scan.category_summary(d)))
    OR EXISTS ((SELECT * FROM arrima_scan.category_summary(d)) EXCEPT ALL (SELECT * FROM arrima_stats.category_summary(d)))
SQL
)
    [ "$n" = 0 ] || fail "$what: the roll-ups differ from the scanning ones on $n of the dates"
    # a release as of each date, undone: min_count 1, so that nothing is
    # withheld and any date can be released; its groups, as stored, against
    # the scan's
    local d groups=0 made
    for d in $release_dates; do
        read -r n made < <(psql -d "$db" -At -F ' ' <<SQL
BEGIN;
UPDATE arrima_stats.disclosure_policy SET min_count = 1;
DO \$\$ BEGIN PERFORM arrima_stats.refresh_publications('$d'); END \$\$;
WITH made AS (
  SELECT g.round_id, g.year, g.category, g.held_on, g.in_dashboard, g.invitations_published,
         g.tally::text AS tally
    FROM arrima_stats.release_group g
   WHERE g.release_id = (SELECT max(r.release_id) FROM arrima_stats.release r)
), scanned AS (
  SELECT s.round_id, s.year, s.category, s.held_on, s.in_dashboard, s.invitations_published,
         s.tally::text AS tally
    FROM arrima_scan.release_groups('$d') s
)
SELECT (SELECT count(*) FROM ((TABLE made EXCEPT ALL TABLE scanned)
                              UNION ALL (TABLE scanned EXCEPT ALL TABLE made)) x),
       (SELECT count(*) FROM made);
ROLLBACK;
SQL
)
        [ "$n" = 0 ] || fail "$what: a release as of $d: $n groups differ from the scanned ones"
        groups=$((groups + made))
    done
    [ "$groups" -gt 0 ] || fail "$what: the releases had no group to compare"
    [ "$status" -ne 0 ] || echo "ok: $what: calendar_check() reports nothing; the roll-ups = the scan's on 12 dates;" \
                                "a release's groups = the scan's on ${release_dates// /, } ($groups groups)"
    psql -d "$db" -c 'SET client_min_messages = warning' -c 'DROP SCHEMA arrima_scan CASCADE' >/dev/null
}

# data: the demo's, then writes of every kind
changes() {
    psql -d "$1" -o /dev/null <<'SQL'
UPDATE arrima_stats.invitation SET decided_on = decided_on + 1 WHERE invitation_id % 97 = 0 AND decided_on IS NOT NULL;
UPDATE arrima_stats.invitation SET round_id = 5 WHERE invitation_id % 101 = 0;
DELETE FROM arrima_stats.invitation WHERE invitation_id % 103 = 0;
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, application_on)
VALUES (9000001, 1, '2021-01-26', '2021-03-27')
ON CONFLICT (invitation_id) DO UPDATE SET application_on = NULL;
SQL
    has_ingest=$(query "$1" "SELECT to_regprocedure('arrima_stats.ingest()') IS NOT NULL")
    if [ "$has_ingest" = t ]; then
        psql -d "$1" -o /dev/null <<'SQL'
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on, declined_on)
SELECT invitation_id::text, round_id::text, invited_on::text, (invited_on + 5)::text
  FROM arrima_stats.invitation WHERE invitation_id % 89 = 0 AND application_on IS NULL AND declined_on IS NULL
UNION ALL
SELECT '9000002', '2', '2021-03-30', NULL;
SELECT * FROM arrima_stats.ingest();
SQL
    fi
}

# ---------------------------------------------------------------------------
# 1. pg_dump, pg_restore
# ---------------------------------------------------------------------------
fresh_db "$src"
psql -d "$src" -c 'CREATE EXTENSION arrima_stats'
load_demo_data "$src"
changes "$src"
psql -d "$src" -At -c "$calendar_sql" >"$ARRIMA_SCRATCH/calendar_src.txt"
echo "source: $(wc -l <"$ARRIMA_SCRATCH/calendar_src.txt") calendar days," \
     "$(psql -d "$src" -Atc 'SELECT count(*) FROM arrima_stats.invitation') invitations"
check "$src" "the source"

"$ARRIMA_PG_BIN/pg_dump" -Fc -d "$src" -f "$dump"
"$ARRIMA_PG_BIN/pg_restore" -l "$dump" >"$ARRIMA_SCRATCH/dump.list"
n=$(awk '/TABLE DATA arrima_stats outcome_calendar/ { n++ } END { print n + 0 }' "$ARRIMA_SCRATCH/dump.list")
[ "$n" = 0 ] || fail "pg_dump saved the calendar's rows (derived data)"

dst=arrima_case_calendar_dst
fresh_db "$dst"
"$ARRIMA_PG_BIN/pg_restore" -d "$dst" "$dump"
psql -d "$dst" -At -c "$calendar_sql" >"$ARRIMA_SCRATCH/calendar_dst.txt"
if diff -q "$ARRIMA_SCRATCH/calendar_src.txt" "$ARRIMA_SCRATCH/calendar_dst.txt" >/dev/null; then
    echo "ok: after pg_restore, the calendar is the source's (the insert trigger fired on COPY)"
else
    diff "$ARRIMA_SCRATCH/calendar_src.txt" "$ARRIMA_SCRATCH/calendar_dst.txt" | head
    fail "after pg_restore, the calendar differs from the source's (< source, > restored)"
fi
check "$dst" "after pg_restore"

# ---------------------------------------------------------------------------
# 2. pg_restore with the triggers disabled: calendar_rebuild() after it
# ---------------------------------------------------------------------------
off=arrima_case_calendar_off
fresh_db "$off"
"$ARRIMA_PG_BIN/pg_restore" --section=pre-data -d "$off" "$dump"
"$ARRIMA_PG_BIN/pg_restore" --section=data --disable-triggers -d "$off" "$dump"
"$ARRIMA_PG_BIN/pg_restore" --section=post-data -d "$off" "$dump"
n=$(query "$off" "SELECT count(*) FROM arrima_stats.calendar_check()")
if is_int "$n" && [ "$n" -gt 0 ]; then
    echo "ok: restored with --disable-triggers, calendar_check() reports $n missing days"
else
    fail "restored with --disable-triggers, calendar_check() reports nothing"
fi
psql -d "$off" -Atc "SELECT 'calendar_rebuild(): ' || arrima_stats.calendar_rebuild() || ' rows'"
psql -d "$off" -At -c "$calendar_sql" >"$ARRIMA_SCRATCH/calendar_off.txt"
cmp -s "$ARRIMA_SCRATCH/calendar_src.txt" "$ARRIMA_SCRATCH/calendar_off.txt" ||
    fail "after calendar_rebuild(), the calendar differs from the source's"
check "$off" "restored with --disable-triggers, then calendar_rebuild()"

# ---------------------------------------------------------------------------
# 3. The update from each released version
# ---------------------------------------------------------------------------
current=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$ARRIMA_ROOT/arrima_stats.control")
mapfile -t released < <(cd "$ARRIMA_ROOT/sql/versions" && ls arrima_stats--*.sql | grep -v -- '--.*--' |
                        sed 's/^arrima_stats--//; s/\.sql$//' | grep -vxF "$current" | sort -V)
analyst=arrima_case_calendar_analyst
drop_analyst() { psql -d postgres -c 'SET client_min_messages = warning' -c "DROP ROLE IF EXISTS $analyst" >/dev/null 2>&1 || true; }
case_on_exit drop_analyst
# analyst_rows DB WHAT: the role granted round_dashboard before the update
# still runs it, and gets the dashboard's rows
analyst_rows() {
    local n
    if ! n=$(psql -d "$1" -Atc "SET ROLE $analyst" -c "SELECT count(*) FROM arrima_stats.round_dashboard('2023-08-18')"); then
        fail "$2: the role granted round_dashboard can no longer run it"
    elif is_int "$n" && [ "$n" -gt 1 ]; then
        echo "ok: $2: the role granted round_dashboard runs it ($n rows)"
    else
        fail "$2: the role granted round_dashboard gets $n rows"
    fi
}
drop_analyst
psql -d postgres -c "CREATE ROLE $analyst"
for old in "${released[@]}"; do
    db=arrima_case_calendar_from_${old//./_}
    fresh_db "$db"
    psql -d "$db" -c "CREATE EXTENSION arrima_stats VERSION '$old'"
    load_demo_data "$db"
    changes "$db"
    # a role that may run the roll-ups (from 0.5.0 on, they read the
    # calendar through group_tallies(), with the caller's rights): it still
    # may after the update
    psql -d "$db" -c "GRANT USAGE ON SCHEMA arrima_stats TO $analyst" \
                  -c "GRANT SELECT ON arrima_stats.invitation, arrima_stats.invitation_round TO $analyst" \
                  -c "GRANT EXECUTE ON FUNCTION arrima_stats.round_dashboard(date) TO $analyst"
    if [ -n "$(query "$db" "SELECT to_regprocedure('arrima_stats.group_tallies(date)')")" ]; then
        psql -d "$db" -c "GRANT SELECT ON arrima_stats.outcome_calendar TO $analyst" \
                      -c "GRANT EXECUTE ON FUNCTION arrima_stats.group_tallies(date) TO $analyst"
    fi
    analyst_rows "$db" "$old, before the update"
    psql -d "$db" -c "ALTER EXTENSION arrima_stats UPDATE"
    got=$(psql -d "$db" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'arrima_stats'")
    [ "$got" = "$current" ] || { fail "$old updated to $got, not $current"; continue; }
    check "$db" "$old updated to $current"
    analyst_rows "$db" "$old updated to $current"
    if [ "$old" = "${released[-1]}" ]; then
        # and after pg_dump and pg_restore: the grants the update gave are
        # the role's, dumped, not initial privileges of the extension (the
        # same step of the update for every version: checked once)
        "$ARRIMA_PG_BIN/pg_dump" -Fc -d "$db" -f "$ARRIMA_SCRATCH/updated.dump"
        rdb=arrima_case_calendar_updated_restored
        fresh_db "$rdb"
        "$ARRIMA_PG_BIN/pg_restore" -d "$rdb" "$ARRIMA_SCRATCH/updated.dump"
        analyst_rows "$rdb" "$old updated to $current, dumped and restored"
        psql -d "$rdb" -c "DROP OWNED BY $analyst" >/dev/null
        psql -d postgres -c "DROP DATABASE $rdb WITH (FORCE)" >/dev/null
    fi
    psql -d "$db" -c "DROP OWNED BY $analyst" >/dev/null
    # and it is kept from then on
    changes "$db"
    n=$(psql -d "$db" -Atc "SELECT count(*) FROM arrima_stats.calendar_check()")
    [ "$n" = 0 ] || fail "$old updated to $current: after more writes, calendar_check() reports $n"
    psql -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
done

[ "$status" -eq 0 ] || exit 1
echo "ok: the calendar is exact after pg_restore, after a restore without triggers and" \
     "calendar_rebuild(), and after the update from ${released[*]}"
