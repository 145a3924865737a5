# shellcheck shell=bash
# test/cases/common.bash: what several cases share.  Source it from a case:
#
#   . "$(dirname "$0")/common.bash"
#
# Not a case itself (test/run runs test/cases/*.sh only).  Needs the
# environment test/run gives a case (test/cases/README).

set -euo pipefail

: "${ARRIMA_ROOT:?run the cases through test/run}"

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# die MESSAGE: print "FAIL: MESSAGE" (on stderr) and end the case with status 1.
die() { echo "FAIL: $*" >&2; exit 1; }

# query DB SQL: the result of SQL (unaligned, no header), or the case ends
# if psql fails.  Use it as  x=$(query DB "SELECT ...")  (a plain
# assignment, so that set -e sees psql's status), never inside [ ] or
# another command, where a failure would turn into an empty string.
query() {
    local out
    out=$(psql -d "$1" -At -c "$2") || die "psql failed on: $2"
    printf '%s\n' "$out"
}

# expect DB SQL EXPECTED [WHAT]: the result of SQL must be EXPECTED,
# exactly; otherwise the case ends, saying what was expected and what came.
expect() {
    local got
    got=$(query "$1" "$2") || exit 1
    if [ "$got" != "$3" ]; then
        echo "FAIL: ${4:-unexpected result}"
        echo "  query:    $2"
        echo "  expected: $3"
        echo "  got:      $got"
        exit 1
    fi
}

# is_int VALUE: VALUE is a (non-empty) decimal integer, optionally negative.
is_int() { [[ $1 =~ ^-?[0-9]+$ ]]; }

# fresh_db NAME: drop it if it exists, create it, and drop it when the case
# exits (whatever the outcome; later hooks with case_on_exit run first).
CASE_DBS=()
CASE_ROLES=()
CASE_EXIT_HOOKS=()
case_on_exit() { CASE_EXIT_HOOKS+=("$1"); }
case_cleanup() {
    local rc=$? i case_db case_role
    set +e
    for (( i = ${#CASE_EXIT_HOOKS[@]} - 1; i >= 0; i-- )); do
        eval "${CASE_EXIT_HOOKS[$i]}"
    done
    for case_db in "${CASE_DBS[@]}"; do
        psql -d postgres -c "DROP DATABASE IF EXISTS $case_db WITH (FORCE)" >/dev/null 2>&1
    done
    for case_role in "${CASE_ROLES[@]}"; do
        psql -d postgres -c "DROP ROLE IF EXISTS $case_role" >/dev/null 2>&1
    done
    exit "$rc"
}
trap case_cleanup EXIT

fresh_db() {
    psql -d postgres -c 'SET client_min_messages = warning' \
         -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
    CASE_DBS+=("$1")
}

# case_role NAME: a login role, made afresh, and dropped when the case exits,
# after the databases (where it may hold grants).
case_role() {
    psql -d postgres -c 'SET client_min_messages = warning' -c "DROP ROLE IF EXISTS $1" \
         -c "CREATE ROLE $1 LOGIN"
    CASE_ROLES+=("$1")
}

# load_demo_data DB [SCALE]: the seed's rounds (test/data/rounds.csv) and the
# synthetic invitations (test/data/synthetic_invitations.sql), as test/demo
# loads them; the extension must exist in DB.  SCALE defaults to 1 (about
# 22,000 invitations).
load_demo_data() {
    local db=$1 scale=${2:-1}
    ( cd "$ARRIMA_ROOT" && psql -d "$db" -v scale="$scale" <<'SQL'
\i test/data/load_rounds.sql
\i test/data/synthetic_invitations.sql
SQL
    )
}

# server_log_offset: the size of the server's log now, to read what a case
# adds to it later with server_log_since.  The log is the one test/run
# exports as ARRIMA_PGLOG; without it (a case run by hand) both do nothing.
server_log_offset() {
    if [ -n "${ARRIMA_PGLOG:-}" ] && [ -r "$ARRIMA_PGLOG" ]; then
        stat -c %s "$ARRIMA_PGLOG"
    else
        echo 0
    fi
}
server_log_since() {
    if [ -n "${ARRIMA_PGLOG:-}" ] && [ -r "$ARRIMA_PGLOG" ]; then
        tail -c +"$(( $1 + 1 ))" "$ARRIMA_PGLOG"
    fi
}

# server_crashed_since OFFSET: print the crash reports the server logged
# since OFFSET (a backend terminated by a signal or an exception, a PANIC,
# with the statement it was running); true if there is one.  Exit code 1
# is no crash: it is how a process ends after an ERROR or FATAL (the
# postmaster logs it for background workers, e.g. a parallel worker whose
# query failed); any other non-zero code is.
server_crashed_since() {
    server_log_since "$1" |
        grep -E -A3 'terminated by (signal|exception)|exited with exit code ([2-9]|[1-9][0-9]+)|PANIC:|AddressSanitizer|runtime error:' ||
        return 1
}

# table_checksum_queries DB: one query per line, for each table of the
# extension (relkind r or p) and each sequence, that prints
# "name rows checksum": the checksum is an md5 of every row as text, in
# primary key order (in the order of the whole row where there is no primary
# key), the row made of the columns the table has now, named (so that the
# same query still reads the same columns after an upgrade adds some).  For
# a sequence: "name last_value is_called".
table_checksum_queries() {
    psql -d "$1" -At <<'SQL'
SELECT CASE WHEN c.relkind = 'S' THEN
         format($q$SELECT %L || ' ' || last_value || ' ' || is_called FROM %s$q$,
                c.oid::regclass::text, c.oid::regclass)
       ELSE
         format($q$SELECT %L || ' ' || count(*) || ' ' || coalesce(md5(string_agg(row(%s)::text, E'\n' ORDER BY %s)), '-') FROM %s t$q$,
                c.oid::regclass::text,
                (SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY a.attnum)
                   FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                coalesce((SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY k.n)
                            FROM pg_index x
                           CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                           WHERE x.indrelid = c.oid AND x.indisprimary),
                         't::text COLLATE "C"'),
                c.oid::regclass)
       END
  FROM pg_depend d
  JOIN pg_class c ON c.oid = d.objid
 WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
   AND d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
   AND c.relkind IN ('r', 'p', 'S')
 ORDER BY c.oid::regclass::text
SQL
}

# run_queries DB: run each line of stdin as a query, print the results.
run_queries() {
    local db=$1 q
    while IFS= read -r q; do
        psql -d "$db" -At -c "$q"
    done
}

# table_checksums DB: the lines of table_checksum_queries, run.
table_checksums() {
    table_checksum_queries "$1" | run_queries "$1"
}
