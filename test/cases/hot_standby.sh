#!/usr/bin/env bash
# A hot standby serves readers: pg_basebackup of the throwaway cluster,
# started as a streaming standby (its own port and socket, in the case's
# scratch directory, as the server's OS user), and a reporting role reads
# there what it reads on the primary:
#
#   - every view of the reader schema (arrima_published), row for row;
#   - release_document() in both languages, byte for byte;
#   - a release made on the primary afterwards, once replayed;
# and the standby refuses to make a release (it is read-only).
. "$(dirname "$0")/common.bash"

db=arrima_case_standby
reader=arrima_case_standby_reader
standby=$ARRIMA_SCRATCH/standby
port=$(( PGPORT + 7 ))
fresh_db "$db"
case_role "$reader"
psql -d "$db" -c "CREATE EXTENSION arrima_stats"
load_demo_data "$db"
psql -d "$db" -c "SELECT arrima_stats.refresh_publications('2023-08-18')" \
     -c "SELECT arrima_stats.grant_reporting('$reader')"

# as the server's OS user (root runs test/run; the server runs as postgres)
as_server_user() {
    local user
    user=$(stat -c %U "$ARRIMA_SCRATCH")
    if [ "$(id -u)" -eq 0 ] && [ "$user" != root ]; then
        ( cd "$ARRIMA_SCRATCH" && runuser -u "$user" -- "$@" )
    else
        ( cd "$ARRIMA_SCRATCH" && "$@" )
    fi
}

# the standby: a base backup streaming its WAL, then recovery settings
rm -rf "$standby"
as_server_user "$ARRIMA_PG_BIN/pg_basebackup" -D "$standby" -R -X stream -c fast --no-sync \
    -h "$PGHOST" -p "$PGPORT" -U postgres
as_server_user tee -a "$standby/postgresql.auto.conf" >/dev/null <<CONF
port = $port
unix_socket_directories = '$ARRIMA_SCRATCH'
shared_preload_libraries = ''
hot_standby = on
CONF
case_on_exit "as_server_user '$ARRIMA_PG_BIN/pg_ctl' stop -D '$standby' -m immediate -w >/dev/null 2>&1"
as_server_user "$ARRIMA_PG_BIN/pg_ctl" start -D "$standby" -l "$ARRIMA_SCRATCH/standby.log" -w -t 60 \
    >/dev/null || { cat "$ARRIMA_SCRATCH/standby.log"; die "the standby did not start"; }

on_standby() { PGHOST=$ARRIMA_SCRATCH PGPORT=$port query "$@"; }
expect_standby() { PGHOST=$ARRIMA_SCRATCH PGPORT=$port expect "$@"; }

expect_standby "$db" "SELECT pg_is_in_recovery()" t "the standby is not in recovery"

# caught_up: the standby has replayed everything the primary wrote so far
# (inserted, not only written: test/lib.sh's clusters commit asynchronously,
# so the last commit may still be in the WAL buffers)
caught_up() {
    local lsn i got
    lsn=$(query "$db" "SELECT pg_current_wal_insert_lsn()")
    for (( i = 0; i < 300; i++ )); do
        got=$(on_standby "$db" "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")
        [ "$got" = t ] && return 0
        sleep 0.1
    done
    die "the standby did not replay up to $lsn within 30 s"
}

# what a reporting role reads: each view of the reader schema (its rows,
# and an md5 of them in order), and the document in each language
views=$(query "$db" "SELECT c.relname FROM pg_class c
                      WHERE c.relnamespace = 'arrima_published'::regnamespace ORDER BY 1")
[ "$(wc -w <<<"$views")" -ge 10 ] || die "the reader schema has too few views: $views"
reads() {
    local v
    for v in $views; do
        PGHOST=$1 PGPORT=$2 PGUSER=$reader query "$db" \
            "SELECT '$v ' || count(*) || ' ' || coalesce(md5(string_agg(x::text, E'\n' ORDER BY x::text)), '-')
               FROM arrima_published.$v x"
    done
    for lang in fr en; do
        PGHOST=$1 PGPORT=$2 PGUSER=$reader query "$db" \
            "SELECT 'document $lang ' || length(d) || ' ' || md5(d) FROM arrima_stats.release_document('$lang') d"
    done
}

caught_up
primary=$(reads "$PGHOST" "$PGPORT")
on_standby_reads=$(reads "$ARRIMA_SCRATCH" "$port")
[ "$primary" = "$on_standby_reads" ] || {
    diff <(echo "$primary") <(echo "$on_standby_reads")
    die "a reporting role reads something else on the standby (above: primary, standby)"
}
n=$(grep -c . <<<"$primary")
echo "the standby serves the reader schema and the document: $n readings, the same as the primary's"
expect_standby "$db" "SELECT count(*) > 0 FROM arrima_published.round_dashboard WHERE row_kind = 'round'" t \
    "the standby shows no round"

# a release made on the primary, replayed
psql -d "$db" -c "SELECT arrima_stats.refresh_publications('2023-09-30')"
caught_up
expect_standby "$db" "SELECT as_of FROM arrima_published.release WHERE is_latest" 2023-09-30 \
    "the standby does not show the new release"
primary=$(reads "$PGHOST" "$PGPORT")
on_standby_reads=$(reads "$ARRIMA_SCRATCH" "$port")
[ "$primary" = "$on_standby_reads" ] || die "after a new release, the standby reads something else"
echo "a release made on the primary is read on the standby once replayed"

# read-only: no release made there
if out=$(PGHOST=$ARRIMA_SCRATCH PGPORT=$port command psql -X -q -d "$db" -v VERBOSITY=verbose \
             -c "SELECT arrima_stats.refresh_publications('2023-10-31')" 2>&1); then
    die "the standby made a release"
fi
grep -q '25006' <<<"$out" || die "the standby refused a release otherwise than read-only (25006): $out"
echo "the standby refuses to make a release (25006, read-only)"
