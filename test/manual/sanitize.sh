#!/usr/bin/env bash
# test/manual/sanitize.sh: the regression suite and the type fuzzing case against the
# extension built with UndefinedBehaviorSanitizer, on a server running under
# Valgrind's Memcheck.
#
#   sudo test/manual/sanitize.sh        (also: sudo make sanitize)
#
# 1. Builds the extension with -fsanitize=undefined -fno-sanitize-recover=all
#    (every undefined behaviour in its C is fatal: signed overflow, bad
#    shifts, misaligned or null access, out-of-range enum or bool values,
#    out-of-bounds indexes of fixed-size arrays ...), installs it into a
#    private copy of PostgreSQL and starts a throwaway server.
# 2. Restarts that server under valgrind --tool=memcheck: the private tree's
#    postgres becomes a script that execs valgrind on the real binary; the
#    backends, forked, stay under Memcheck, each logging to its own file.
# 3. Runs make installcheck (every pg_regress test) and
#    test/cases/fuzz_types.sh.
# 4. Fails if anything failed, if the server's log shows a crash or a UBSan
#    "runtime error:", or if a Memcheck error (invalid read or write, use of
#    uninitialised values, invalid free, overlapping copy, uninitialised
#    bytes passed to a system call) has a frame in arrima_stats.so.  Errors
#    in PostgreSQL alone are not ours: without a source build of PostgreSQL
#    with USE_VALGRIND, Memcheck reports a few known false positives in the
#    server itself (see PostgreSQL's src/tools/valgrind.supp); they are
#    counted, not failed on.
#
# Why not AddressSanitizer: the postgres binary is not instrumented, so the
# ASan runtime would have to be preloaded (LD_PRELOAD), and with it preloaded
# PostgreSQL 15's postgres hangs at start-up (even "postgres -V", on a
# futex); loaded later, with the extension, the runtime refuses to start
# ("ASan runtime does not come first in initial library list").  Memcheck
# sees what ASan would here, and uninitialised values too.  Both see malloc'd
# blocks only: an overrun inside a memory context's block goes unseen
# (PostgreSQL's USE_VALGRIND client requests need a source build).
#
# Not part of test/run: it rebuilds the extension with other flags and is
# slow (Memcheck runs the server 20 to 50 times slower).  Leaves the tree
# cleaned (make clean).
# shellcheck disable=SC2119
set -euo pipefail

. "$(dirname "$0")/../lib.sh"
cd "$ARRIMA_ROOT"

ensure_packages valgrind
started=$SECONDS

san_flags="-fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
# with_llvm=no: no JIT bitcode (clang would not get the sanitizer flags)
make_args=(PG_CONFIG="$PG_CONFIG" with_llvm=no)
arrima_tmp_init
on_exit '( cd "$ARRIMA_ROOT" && make clean PG_CONFIG="$PG_CONFIG" >/dev/null 2>&1 )'
say "build with $san_flags"
if ! ( make clean "${make_args[@]}" &&
       make "${make_args[@]}" PG_CFLAGS="-Wall -Wextra -Werror $san_flags" \
            SHLIB_LINK="-fsanitize=undefined" ) >"$ARRIMA_TMP/build.log" 2>&1; then
    cat "$ARRIMA_TMP/build.log"
    die "the sanitized build failed"
fi

ARRIMA_INST=$ARRIMA_TMP/inst
ARRIMA_PG_BIN=$ARRIMA_INST$ARRIMA_SYS_PG_LIB/bin
say "install into a private copy of PostgreSQL: $ARRIMA_INST"
mkdir -p "$ARRIMA_INST/usr/lib/postgresql" "$ARRIMA_INST/usr/share/postgresql"
cp -a "$ARRIMA_SYS_PG_LIB" "$ARRIMA_INST/usr/lib/postgresql/"
cp -a "$ARRIMA_SYS_PG_SHARE" "$ARRIMA_INST/usr/share/postgresql/"
make install "${make_args[@]}" DESTDIR="$ARRIMA_INST" >"$ARRIMA_TMP/install.log" 2>&1 ||
    { cat "$ARRIMA_TMP/install.log"; die "make install failed"; }
# grep reads all of nm's output: with -q it could exit at the first match,
# nm die of SIGPIPE, and pipefail fail the test on an instrumented library
nm -D "$ARRIMA_INST$ARRIMA_SYS_PG_LIB/lib/arrima_stats.so" | grep __ubsan_ >/dev/null ||
    die "the installed arrima_stats.so is not instrumented"

# initdb and a first start with the plain binary (fast), then the same
# cluster again under Memcheck.
start_cluster
stop_cluster
vgdir=$ARRIMA_TMP/valgrind
mkdir -p "$vgdir"
if is_root; then chown "$ARRIMA_RUN_AS": "$vgdir"; fi
mv "$ARRIMA_PG_BIN/postgres" "$ARRIMA_PG_BIN/postgres.real"
{
    echo '#!/bin/sh'
    echo "exec valgrind --tool=memcheck --quiet --leak-check=no --error-limit=no --num-callers=30 \\"
    echo "     --read-var-info=no --log-file=$vgdir/vg.%p.log \"\$(dirname \"\$0\")/postgres.real\" \"\$@\""
} >"$ARRIMA_PG_BIN/postgres"
chmod 755 "$ARRIMA_PG_BIN/postgres"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
say "restart the server under valgrind (logs in $vgdir)"
ARRIMA_CLUSTER_UP=1
as_server_user "$ARRIMA_PG_BIN/pg_ctl" start -D "$ARRIMA_PGDATA" -l "$ARRIMA_PGLOG" -w -t 600 \
    >/dev/null 2>&1 || { cat "$ARRIMA_PGLOG"; die "the server did not start under valgrind"; }
pgrep -f "valgrind.*postgres.real" >/dev/null || die "the server does not run under valgrind"

failed=()
say "pg_regress: make installcheck"
make installcheck "${make_args[@]}" || failed+=(installcheck)

export ARRIMA_ROOT ARRIMA_PG_BIN ARRIMA_INST ARRIMA_TMP ARRIMA_PGLOG PG_CONFIG
export PATH="$ARRIMA_PG_BIN:$PATH"
for c in fuzz_types; do
    say "test/cases/$c.sh"
    scratch=$ARRIMA_TMP/scratch/$c
    mkdir -p "$scratch"
    if is_root; then chown "$ARRIMA_RUN_AS": "$scratch"; fi
    ARRIMA_SCRATCH=$scratch PGDATABASE=postgres timeout 1800 "test/cases/$c.sh" \
        >"$ARRIMA_TMP/$c.out" 2>&1 </dev/null ||
        { cat "$ARRIMA_TMP/$c.out"; failed+=("$c"); }
    tail -n 3 "$ARRIMA_TMP/$c.out"
done

say "the server's log: UBSan reports and crashes"
if grep -n -E -A30 'runtime error:|terminated by signal|SUMMARY: UndefinedBehaviorSanitizer' \
        "$ARRIMA_PGLOG"; then
    failed+=("UBSan report or crash in the server log")
fi

stop_cluster
say "Memcheck: errors with a frame in arrima_stats.so"
# An error is a block of "==pid== ..." lines that starts with its message
# and ends with an empty "==pid==" line.
awk_prog='
    /^==[0-9]+== [A-Z]/ && !/^==[0-9]+== (Memcheck|Copyright|Using|Command|Parent PID|HEAP|LEAK|For lists|ERROR SUMMARY)/ {
        inblock = 1; block = ""; errors++
    }
    inblock { block = block $0 "\n" }
    inblock && /^==[0-9]+== *$/ {
        inblock = 0
        if (block ~ /arrima_stats[.]so/ || block ~ ("[(](" ours "):[0-9]+[)]")) { printf "%s", block; mine++ }
    }
    END { printf "%d Memcheck errors in all, %d with a frame in the extension\n", errors, mine > "/dev/stderr" }
'
# the extension's source files, as Memcheck names them in frames: (tally.c:95)
sources=$(cd src && ls ./*.c | sed 's|^\./||; s/\./[.]/' | paste -sd'|' -)
ours=$(awk -v ours="$sources" "$awk_prog" "$vgdir"/vg.*.log 2>"$ARRIMA_TMP/vg.summary")
cat "$ARRIMA_TMP/vg.summary"
echo "($(find "$vgdir" -name 'vg.*.log' | wc -l) processes ran under Memcheck)"
if [ -n "$ours" ]; then
    echo "$ours"
    failed+=("Memcheck errors in arrima_stats.so")
fi

echo "test/manual/sanitize.sh: $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
    printf 'failed: %s\n' "${failed[@]}"
    exit 1
fi
echo "sanitize: no UBSan report, no Memcheck error in the extension; installcheck and fuzz_types passed"
