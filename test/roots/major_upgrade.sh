#!/usr/bin/env bash
# test/roots/major_upgrade.sh: moving a database with the extension to a newer
# PostgreSQL major with pg_dump and pg_restore.  test/matrix upgrade runs
#
#   ARRIMA_PG_MAJOR=15 test/roots/major_upgrade.sh dump DIR      (Debian 12 root)
#   ARRIMA_PG_MAJOR=17 test/roots/major_upgrade.sh restore DIR   (Debian 13 root)
#
# with DIR carried from one root to the other.  Each side builds the
# extension for its major and runs a throwaway cluster (test/lib.sh).
#
# dump: a database with the demo's rounds and synthetic invitations (so the
#   outcome calendar), a changed disclosure policy, three weekly releases
#   kept, the published views refreshed, and a reporting role given
#   grant_reporting(); writes DIR/arrima.dump (pg_dump -Fc), DIR/roles.sql
#   (pg_dumpall --roles-only: roles are not in a database's dump) and
#   DIR/before/: every saved table and sequence, the calendar's group tallies
#   on six dates, the published views, and what the reporting role reads (the
#   reader schema and the document in both languages).  Then, on 15 still,
#   the next release (2023-09-08), kept in DIR/next/ to compare with 17's.
# restore: the roles, then pg_restore into a new database; then checks that
#   the releases and every saved table are identical, calendar_check() finds
#   nothing, the calendar gives the same tallies, publish_latest_release()
#   serves the same published figures, the reporting role reads what it read,
#   and the next refresh_publications() passes its gate and makes the same
#   release 4 as 15 made.
#
# PASS/FAIL per check, then "N passed, M failed"; exit status 0 when nothing
# failed, 3 when the packages cannot be installed ("ENVIRONMENT: reason").
# shellcheck disable=SC2119  # lib.sh functions take optional arguments
set -euo pipefail

mode=${1:-}
dir=${2:-}
case $mode in dump|restore) ;; *) echo "usage: $0 dump|restore DIR" >&2; exit 2 ;; esac
[ -n "$dir" ] || { echo "usage: $0 dump|restore DIR" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# shellcheck source=test/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$ARRIMA_ROOT"

DB=arrima_upgrade
REPORTER=arrima_upgrade_reporter
RELEASE_DATES=(2023-08-18 2023-08-25 2023-09-01)
NEXT=2023-09-08
CALENDAR_DATES=(2021-06-30 2022-03-15 2022-12-31 2023-08-18 2023-09-08 2024-12-31)
SAVED_TABLES=(category disclosure_policy_setting invitation invitation_reject invitation_round
              release release_group release_cell)
SEQUENCES=(ingest_batch release_id_seq)
READER_VIEWS=(release release_count round_dashboard annual_summary category_summary category)
PUBLISHED=(round_dashboard_published annual_summary_published category_summary_published)

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  upgrade/%s/%s\n' "$ARRIMA_PG_MAJOR" "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  upgrade/%s/%s\n' "$ARRIMA_PG_MAJOR" "$1"; }
finish() {
    echo
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
step() {   # step NAME COMMAND...: a step that must work, or nothing after it can
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; finish; exit 1; fi
}

# The packages: failing to get them is the environment's failure.
if ! ( ensure_packages ); then
    echo "ENVIRONMENT: the packages of PostgreSQL $ARRIMA_PG_MAJOR cannot be installed here"
    exit 3
fi
ensure_packages
say "PostgreSQL $ARRIMA_PG_MAJOR: $("$PG_CONFIG" --version)"
step "build (-Wall -Wextra -Werror)" build
step "install into the private tree" install_private
step "start the throwaway cluster" start_cluster
# The server's OS user reads what psql \copy does not: nothing; DIR is written
# by this script (root or the user), and by pg_dump, a client.

q() {   # q DB SQL: one result, unaligned; the script stops if psql fails
    arrima_psql -q -d "$1" -At -c "$2"
}
sorted_rows() {   # sorted_rows DB RELATION [ROLE]: every row as text, sorted
    local set_role=
    [ -z "${3:-}" ] || set_role="SET ROLE $3;"
    arrima_psql -q -d "$1" -At -c "$set_role SELECT r::text FROM $2 r ORDER BY 1"
}

# observe DB OUT: what a comparison between majors looks at.
observe() {
    local db=$1 out=$2 t d v lang
    mkdir -p "$out"
    for t in "${SAVED_TABLES[@]}"; do
        sorted_rows "$db" "arrima_stats.$t" >"$out/table.$t"
    done
    for t in "${SEQUENCES[@]}"; do
        q "$db" "SELECT last_value || ' ' || is_called FROM arrima_stats.$t" >"$out/sequence.$t"
    done
    for d in "${CALENDAR_DATES[@]}"; do
        sorted_rows "$db" "arrima_stats.group_tallies('$d')" >"$out/calendar.$d"
    done
    for v in "${PUBLISHED[@]}"; do
        sorted_rows "$db" "arrima_stats.$v" >"$out/published.$v"
    done
    for v in "${READER_VIEWS[@]}"; do
        sorted_rows "$db" "arrima_published.$v" "$REPORTER" >"$out/reader.$v"
    done
    for lang in fr en; do
        q "$db" "SET ROLE $REPORTER; SELECT arrima_stats.release_document('$lang')" >"$out/document.$lang"
    done
}

# release_rows DB ID OUT: release ID as kept (made_at left out: the time it was made)
release_rows() {
    local db=$1 id=$2 out=$3
    mkdir -p "$out"
    q "$db" "SELECT release_id, as_of, min_count, round_to, cadence FROM arrima_stats.release
              WHERE release_id = $id" >"$out/release"
    arrima_psql -d "$db" -At -c "SELECT r::text FROM arrima_stats.release_group r WHERE release_id = $id ORDER BY 1" \
        >"$out/release_group"
    arrima_psql -d "$db" -At -c "SELECT r::text FROM arrima_stats.release_cell r WHERE release_id = $id ORDER BY 1" \
        >"$out/release_cell"
}

if [ "$mode" = dump ]; then
    rm -rf "${dir:?}"/*
    say "a database on PostgreSQL $ARRIMA_PG_MAJOR: releases, the calendar, a publication, a reporting role"
    arrima_psql -q -d postgres -c "CREATE DATABASE $DB" -c "CREATE ROLE $REPORTER LOGIN"
    step "the database: the demo's data, a policy, ${#RELEASE_DATES[@]} releases, a reporting role" \
        arrima_psql -q -d "$DB" -v extract_on=2023-09-12 -c "CREATE EXTENSION arrima_stats" \
            -f test/data/load_rounds.sql -f test/data/synthetic_invitations.sql -c "
            UPDATE arrima_stats.disclosure_policy SET min_count = 6, cadence = 'week';
            SELECT arrima_stats.refresh_publications('${RELEASE_DATES[0]}');
            SELECT arrima_stats.refresh_publications('${RELEASE_DATES[1]}');
            SELECT arrima_stats.refresh_publications('${RELEASE_DATES[2]}');
            SELECT arrima_stats.grant_reporting('$REPORTER');"
    n=$(q "$DB" "SELECT count(*) FROM arrima_stats.release")
    step "${#RELEASE_DATES[@]} releases kept ($n)" test "$n" -eq "${#RELEASE_DATES[@]}"
    n=$(q "$DB" "SELECT count(*) FROM arrima_stats.outcome_calendar")
    step "the outcome calendar has rows ($n)" test "$n" -gt 0
    observe "$DB" "$dir/before"
    n=$(wc -l <"$dir/before/reader.release_count")
    step "the reporting role reads the reader schema ($n counts of every release)" test "$n" -gt 0
    step "pg_dump -Fc" "$ARRIMA_PG_BIN/pg_dump" -Fc -d "$DB" -f "$dir/arrima.dump"
    step "pg_dumpall --roles-only" \
        "$ARRIMA_PG_BIN/pg_dumpall" --roles-only --no-role-passwords -f "$dir/roles.sql"
    # The next release, on this major, to compare with the one the new major makes.
    q "$DB" "SELECT arrima_stats.refresh_publications('$NEXT')" >/dev/null
    release_rows "$DB" $((${#RELEASE_DATES[@]} + 1)) "$dir/next"
    step "the next release ($NEXT) on $ARRIMA_PG_MAJOR, kept to compare" test -s "$dir/next/release_cell"
    echo "$ARRIMA_PG_MAJOR" >"$dir/major"
    chmod -R a+rX "$dir"
    finish
    exit
fi

# ---------------------------------------------------------------------------
# restore
# ---------------------------------------------------------------------------
[ -s "$dir/arrima.dump" ] || die "no $dir/arrima.dump: run the dump side first"
old=$(cat "$dir/major")
say "restore PostgreSQL $old's dump into PostgreSQL $ARRIMA_PG_MAJOR"
# The roles first (the server's own superuser exists already).
grep -vE '^(CREATE ROLE postgres;|ALTER ROLE postgres WITH )' "$dir/roles.sql" >"$ARRIMA_TMP/roles.sql"
step "the roles of $old (pg_dumpall --roles-only), without the superuser" \
    arrima_psql -q -d postgres -f "$ARRIMA_TMP/roles.sql"
arrima_psql -q -d postgres -c "CREATE DATABASE $DB"
step "pg_restore --exit-on-error of $old's pg_dump -Fc into $ARRIMA_PG_MAJOR" \
    "$ARRIMA_PG_BIN/pg_restore" --exit-on-error -d "$DB" "$dir/arrima.dump"
v=$(q "$DB" "SELECT extversion FROM pg_extension WHERE extname = 'arrima_stats'")
step "the extension restored at its version ($v)" test "$v" = "$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" arrima_stats.control)"

calendar=$(q "$DB" "SELECT count(*) FROM arrima_stats.calendar_check()")
if [ "$calendar" = 0 ]; then pass "calendar_check() finds nothing (the calendar made again by the restore is exact)"
else fail "calendar_check() finds $calendar differences"; fi

# The published views come back unpopulated: publish_latest_release() shows
# the latest release in them, without making one.
q "$DB" "SELECT arrima_stats.publish_latest_release()" >/dev/null
observe "$DB" "$dir/after"

same() {   # same WHAT FILES...: identical before and after
    local what=$1 f diffs=()
    shift
    for f in "$@"; do
        cmp -s "$dir/before/$f" "$dir/after/$f" || diffs+=("$f")
    done
    if [ ${#diffs[@]} -eq 0 ]; then
        pass "$what ($(cat "${@/#/$dir/before/}" | wc -l) lines)"
    else
        fail "$what: ${diffs[*]} differ"
        for f in "${diffs[@]}"; do diff "$dir/before/$f" "$dir/after/$f" | head -n 10; done
    fi
}
same "the releases identical (release, release_group, release_cell)" \
    table.release table.release_group table.release_cell
same "every saved table identical (rounds, invitations, rejects, categories, the policy)" \
    table.category table.disclosure_policy_setting table.invitation table.invitation_reject table.invitation_round
same "the sequences where they were (ingest_batch, release_id_seq)" sequence.ingest_batch sequence.release_id_seq
same "the calendar's group tallies on ${#CALENDAR_DATES[@]} dates" "${CALENDAR_DATES[@]/#/calendar.}"
same "publish_latest_release() serves the same published figures (the three published views)" \
    "${PUBLISHED[@]/#/published.}"
same "the reporting role reads the same reader schema (${#READER_VIEWS[@]} views)" "${READER_VIEWS[@]/#/reader.}"
same "the reporting role reads the same document, in French and English" document.fr document.en

# The next refresh passes its gate (audited with the kept releases) and makes
# the release 15 made.
next_id=$((${#RELEASE_DATES[@]} + 1))
if q "$DB" "SELECT arrima_stats.refresh_publications('$NEXT')" >/dev/null; then
    pass "refresh_publications('$NEXT') after the restore passes its gate"
else
    fail "refresh_publications('$NEXT') after the restore"
fi
unsafe=$(q "$DB" "SELECT count(*) FILTER (WHERE NOT safe) || ' ' || count(*) FROM arrima_stats.disclosure_audit($next_id)")
if [ "${unsafe%% *}" = 0 ] && [ "${unsafe#* }" -gt 0 ]; then
    pass "release $next_id audited with the restored ones: every withheld count and flow safe (${unsafe#* } audited)"
else
    fail "release $next_id's audit: $unsafe (unsafe, audited)"
fi
release_rows "$DB" "$next_id" "$dir/next_after"
if diff -r "$dir/next" "$dir/next_after" >"$ARRIMA_TMP/next.diff"; then
    pass "release $next_id on $ARRIMA_PG_MAJOR is the one $old made (groups and cells, $(wc -l <"$dir/next/release_cell") cells)"
else
    fail "release $next_id on $ARRIMA_PG_MAJOR differs from $old's"
    head -n 20 "$ARRIMA_TMP/next.diff"
fi
n=$(q "$DB" "SET ROLE $REPORTER; SELECT max(release_id) FROM arrima_published.release")
if [ "$n" = "$next_id" ]; then pass "the reporting role reads release $next_id"
else fail "the reporting role reads release $n, not $next_id"; fi

arrima_psql -q -d postgres -c "DROP DATABASE $DB" -c "DROP ROLE $REPORTER"
stop_cluster
finish
