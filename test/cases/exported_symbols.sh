#!/usr/bin/env bash
# Exported symbols: the installed arrima_stats.so exports (nm -D
# --defined-only) only names that start with arrima_, and PostgreSQL's own
# Pg_magic_func, pg_finfo_arrima_* and _PG_init: a generic name (classify,
# parse_date, check_rules, dc_audit, simplex_create ...) could clash with
# another library loaded in the same backend.  Each arrima_X has its
# pg_finfo_arrima_X, and every symbol the current install script names is
# there.
#
# The legacy library arrima_stats_legacy.so exports exactly the link symbols
# the released scripts (sql/versions/arrima_stats--*.sql) name, with their pg_finfo_
# records and Pg_magic_func, and the main library has the arrima_ function
# each of them forwards to.
set -euo pipefail
: "${ARRIMA_ROOT:?run the cases through test/run}"
: "${PG_CONFIG:?run the cases through test/run}"

status=0
fail() { echo "FAIL: $*"; status=1; }

command -v nm >/dev/null 2>&1 || { echo "nm is missing (binutils)"; exit 1; }
libdir=${ARRIMA_INST:-}$("$PG_CONFIG" --pkglibdir)
main=$libdir/arrima_stats.so
legacy=$libdir/arrima_stats_legacy.so
for lib in "$main" "$legacy"; do
    [ -f "$lib" ] || { echo "$lib is not installed"; exit 1; }
done

# The defined dynamic symbols of a library, one per line, sorted.  nm's
# failure fails the case (an assignment, not a pipe).
exported() {
    local out
    out=$(nm -D --defined-only "$1")
    awk 'NF { print $NF }' <<<"$out" | sort -u
}
# The link symbols a script names: AS 'MODULE_PATHNAME', 'symbol'
script_symbols() {
    sed -n "s/.*'MODULE_PATHNAME', *'\([A-Za-z0-9_]*\)'.*/\1/p" "$@" | sort -u
}

# ---------------------------------------------------------------------------
# arrima_stats.so
# ---------------------------------------------------------------------------
main_syms=$(exported "$main")
echo "$main: $(wc -l <<<"$main_syms") exported symbols"
bad=$(awk '!/^(arrima_[A-Za-z0-9_]+|pg_finfo_arrima_[A-Za-z0-9_]+|Pg_magic_func|_PG_init)$/' <<<"$main_syms")
if [ -n "$bad" ]; then
    echo "$bad"
    fail "arrima_stats.so exports the names above, which do not start with arrima_"
fi
grep -x Pg_magic_func <<<"$main_syms" >/dev/null || fail "arrima_stats.so has no Pg_magic_func"
functions=$(awk '/^arrima_/' <<<"$main_syms")
finfos=$(sed -n 's/^pg_finfo_//p' <<<"$main_syms")
if [ "$functions" != "$finfos" ]; then
    diff <(echo "$functions") <(echo "$finfos")
    fail "arrima_* functions and pg_finfo_arrima_* records do not pair up (< functions, > records)"
fi
echo "$(wc -l <<<"$functions") SQL-callable functions: $(paste -sd' ' <<<"$functions")"

current=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$ARRIMA_ROOT/arrima_stats.control")
built=$ARRIMA_ROOT/arrima_stats--$current.sql
[ -f "$built" ] || { echo "$built is not built (make)"; exit 1; }
missing=$(comm -23 <(script_symbols "$built") <(echo "$functions"))
[ -z "$missing" ] || fail "the $current install script names symbols arrima_stats.so does not export: $(paste -sd" " <<<"$missing")"
# and every arrima_ symbol a released or upgrade script names: those
# versions must stay installable
missing=$(comm -23 <(script_symbols "$ARRIMA_ROOT"/sql/versions/arrima_stats--*.sql | awk '/^arrima_/') \
                   <(echo "$functions"))
[ -z "$missing" ] || fail "scripts in sql/ name symbols arrima_stats.so does not export: $(paste -sd" " <<<"$missing")"

# ---------------------------------------------------------------------------
# arrima_stats_legacy.so
# ---------------------------------------------------------------------------
old=$(script_symbols "$ARRIMA_ROOT"/sql/versions/arrima_stats--*.sql | awk '!/^arrima_/')
[ -n "$old" ] || fail "no old link symbol found in the released scripts"
legacy_syms=$(exported "$legacy")
expected=$( { echo Pg_magic_func; echo "$old"; sed 's/^/pg_finfo_/' <<<"$old"; } | sort -u)
if [ "$legacy_syms" != "$expected" ]; then
    diff <(echo "$expected") <(echo "$legacy_syms")
    fail "arrima_stats_legacy.so does not export exactly the released scripts' symbols (< expected, > exported)"
fi
targets=$(comm -23 <(sed 's/^/arrima_/' <<<"$old" | sort) <(echo "$functions"))
[ -z "$targets" ] || fail "the legacy library forwards to functions arrima_stats.so does not export: $(paste -sd" " <<<"$targets")"
echo "arrima_stats_legacy.so: $(wc -l <<<"$old") old symbols, each forwarded to arrima_<name>"

[ "$status" -eq 0 ] || exit 1
echo "ok: arrima_stats.so exports only arrima_*, pg_finfo_arrima_* and Pg_magic_func"
