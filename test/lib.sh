# shellcheck shell=bash
# test/lib.sh: shared functions for test/run, test/demo and the other test
# scripts.  Source it from bash:
#
#   . "$(dirname "$0")/lib.sh"
#   ensure_packages            # apt-get what is missing (as root)
#   build                      # make clean && make, warnings are errors
#   install_private            # copy of the PostgreSQL tree + make install into it
#   start_cluster [name=value ...]   # throwaway server; extra settings for postgresql.conf
#   ... psql ...               # PGHOST, PGPORT, PGUSER, PGDATABASE are exported
#   stop_cluster               # also done by the exit trap
#
# Everything lives in one temporary directory ($ARRIMA_TMP) that an exit trap
# removes, with the server stopped, on success, failure or Ctrl-C.  Nothing is
# installed into the system's PostgreSQL: the extension goes into a private copy
# of the PostgreSQL tree (its binaries are relocatable), so several checkouts can
# be tested at once.
#
# Variables set for the callers:
#   ARRIMA_ROOT      the repository's root
#   PG_CONFIG        the system's pg_config of PostgreSQL $ARRIMA_PG_MAJOR (used to build)
#   ARRIMA_TMP       the temporary directory (after install_private or start_cluster)
#   ARRIMA_PG_MAJOR  the PostgreSQL major tested: the one Debian ships on this machine
#                    (apt-cache policy postgresql), or ARRIMA_PG_MAJOR=NN from the caller
#   ARRIMA_INST      the private tree (DESTDIR): $ARRIMA_INST/usr/lib/postgresql/$ARRIMA_PG_MAJOR, ...
#   ARRIMA_PG_BIN    the private bin directory: initdb, pg_ctl, postgres, psql, pg_dump ...
#   ARRIMA_PGDATA    the cluster's data directory
#   ARRIMA_PGLOG     the server's log file
#   ARRIMA_RUN_AS    the OS user the server runs as
#   PGHOST PGPORT PGUSER PGDATABASE   exported once the cluster is up

ARRIMA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say()  { printf '==> %s\n' "$*"; }
warn() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die()  { warn "$*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt-get, waiting for a lock another apt-get or dpkg holds rather than failing.
arrima_apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

# The major of the PostgreSQL Debian ships here: the version of the package
# postgresql (15+248 on Debian 12, 17+278 on Debian 13, 18+... on sid), whose
# one dependency is postgresql-NN.  Package lists not read yet (a fresh
# container): apt-get update first, as root.  No apt (or not root): the one
# major installed under /usr/lib/postgresql, if there is exactly one.
arrima_pg_candidate() {
    LC_ALL=C apt-cache policy postgresql 2>/dev/null |
        sed -n 's/^ *Candidate: *\([0-9][0-9]*\)+.*/\1/p'
}
arrima_debian_pg_major() {
    local v= majors
    if command -v apt-cache >/dev/null 2>&1; then
        v=$(arrima_pg_candidate)
        if [ -z "$v" ] && is_root; then
            arrima_apt_get -qq update >/dev/null 2>&1 ||
                warn "apt-get update failed (continuing with the package lists there are)"
            v=$(arrima_pg_candidate)
        fi
    fi
    if [ -z "$v" ]; then
        majors=$(cd /usr/lib/postgresql 2>/dev/null && ls -d [0-9]* 2>/dev/null)
        [ "$(printf '%s\n' "$majors" | grep -c .)" -eq 1 ] && v=$majors
    fi
    [ -n "$v" ] || return 1
    printf '%s\n' "$v"
}

if [ -z "${ARRIMA_PG_MAJOR:-}" ]; then
    ARRIMA_PG_MAJOR=$(arrima_debian_pg_major) ||
        die "cannot tell which PostgreSQL Debian ships here (no candidate for the package postgresql): set ARRIMA_PG_MAJOR=NN"
fi
[[ $ARRIMA_PG_MAJOR =~ ^[1-9][0-9]$ ]] ||
    die "ARRIMA_PG_MAJOR=$ARRIMA_PG_MAJOR is not a PostgreSQL major (15, 17, 18 ...)"
ARRIMA_SYS_PG_LIB=/usr/lib/postgresql/$ARRIMA_PG_MAJOR
ARRIMA_SYS_PG_SHARE=/usr/share/postgresql/$ARRIMA_PG_MAJOR
PG_CONFIG=$ARRIMA_SYS_PG_LIB/bin/pg_config

# What every script needs.  postgresql-server-dev-NN pulls in clang and
# llvm-dev of the release (hard dependencies: PGXS compiles LLVM bitcode for
# JIT); libc6-dev is listed because gcc alone only recommends it.  Scripts
# that need more pass it to ensure_packages (e.g. ensure_packages
# postgresql-$ARRIMA_PG_MAJOR-cron).
ARRIMA_PACKAGES=(postgresql-"$ARRIMA_PG_MAJOR" postgresql-server-dev-"$ARRIMA_PG_MAJOR"
                 coinor-libclp-dev make gcc libc6-dev)
# What test/run needs besides: sqlsmith for test/cases/fuzz_sqlsmith.sh, SciPy
# for the attacker of test/cases/release_series.sh; glpk-utils (glpsol) and
# python3 for test/cases/crosscheck_audit.py and the generator of
# test/cases/fuzz_reference.sh (Python's standard library only); the clients of
# the reader schema: pgJDBC and a JDK (reader_jdbc.sh), psycopg2 and pandas
# (reader_pandas.sh); Chromium, poppler's pdftotext and pdftoppm, and the fonts
# the document asks for first (document_print.sh); psqlODBC under unixODBC,
# from Python (reader_odbc.sh).  pgJDBC by its real name,
# libpostgresql-jdbc-java: libpgjava is only a name it provides, which dpkg
# never reports installed, so every run called apt-get for it.  pg_stat_statements, which
# test/run preloads for fuzz_sqlsmith.sh, is in postgresql-NN itself;
# test/run adds postgresql-NN-cron (publication_cron.sh).  All of them are in
# Debian 12, 13 and sid.
ARRIMA_TEST_PACKAGES=(sqlsmith glpk-utils python3 python3-scipy libpostgresql-jdbc-java default-jdk-headless
                      python3-psycopg2 python3-pandas chromium poppler-utils fonts-liberation
                      odbc-postgresql unixodbc python3-pyodbc)

ARRIMA_TMP=
ARRIMA_INST=
ARRIMA_PG_BIN=
ARRIMA_PGDATA=
ARRIMA_PGLOG=
ARRIMA_RUN_AS=
ARRIMA_CLUSTER_UP=
# shellcheck disable=SC2034  # set by the callers
ARRIMA_KEEP=            # non-empty: the exit trap leaves the cluster and ARRIMA_TMP alone
ARRIMA_EXIT_HOOKS=()

# ---------------------------------------------------------------------------
# Exit trap: the hooks registered with on_exit (last first), then the cluster
# is stopped and the temporary directory removed.  The exit status is kept.
# ---------------------------------------------------------------------------

on_exit() { ARRIMA_EXIT_HOOKS+=("$1"); }

arrima_cleanup() {
    local rc=$? i
    trap - EXIT INT TERM HUP
    set +e
    for (( i = ${#ARRIMA_EXIT_HOOKS[@]} - 1; i >= 0; i-- )); do
        eval "${ARRIMA_EXIT_HOOKS[$i]}"
    done
    if [ -n "$ARRIMA_KEEP" ]; then
        exit "$rc"
    fi
    stop_cluster
    if [ -n "$ARRIMA_TMP" ] && [ -d "$ARRIMA_TMP" ]; then
        rm -rf -- "$ARRIMA_TMP"
    fi
    exit "$rc"
}
trap arrima_cleanup EXIT
trap 'warn interrupted; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------

arrima_pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep 'install ok installed' >/dev/null
}

# ensure_packages [package ...]: the base packages plus the ones given.
ensure_packages() {
    local pkgs=("${ARRIMA_PACKAGES[@]}" "$@") missing=() p
    if command -v dpkg-query >/dev/null 2>&1; then
        for p in "${pkgs[@]}"; do
            arrima_pkg_installed "$p" || missing+=("$p")
        done
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        if ! is_root; then
            die "missing packages: ${missing[*]}
Install them with:  sudo apt-get install ${missing[*]}
or run this script as root (sudo $0), which installs them."
        fi
        command -v apt-get >/dev/null 2>&1 ||
            die "missing packages: ${missing[*]}, and there is no apt-get to install them"
        say "apt-get install ${missing[*]}"
        local log
        log=$(mktemp "${TMPDIR:-/tmp}/arrima_stats-apt.XXXXXX")
        on_exit "rm -f -- '$log'"
        if ! { arrima_apt_get update &&
               arrima_apt_get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
            cat "$log" >&2
            die "apt-get install ${missing[*]} failed"
        fi
        rm -f -- "$log"
    fi
    # What the scripts actually use, whatever installed it.
    local f
    for f in "$PG_CONFIG" "$ARRIMA_SYS_PG_LIB/bin/postgres" "$ARRIMA_SYS_PG_LIB/bin/initdb" \
             "$ARRIMA_SYS_PG_LIB/bin/pg_ctl" "$ARRIMA_SYS_PG_LIB/bin/psql"; do
        [ -x "$f" ] || die "$f is missing: install postgresql-$ARRIMA_PG_MAJOR and postgresql-server-dev-$ARRIMA_PG_MAJOR"
    done
    [ -f "$("$PG_CONFIG" --pgxs)" ] ||
        die "PGXS is missing: install postgresql-server-dev-$ARRIMA_PG_MAJOR"
    for f in make gcc; do
        command -v "$f" >/dev/null 2>&1 || die "$f is missing: install it (apt-get install $f)"
    done
}

# ---------------------------------------------------------------------------
# Build and private install
# ---------------------------------------------------------------------------

# build: make clean, then make -j(nproc) with every warning an error.  The output goes
# to the terminal only when the build fails (or ARRIMA_VERBOSE is set).
build() {
    arrima_tmp_init
    local log=$ARRIMA_TMP/build.log
    say "build: make PG_CFLAGS=\"-Wall -Wextra -Werror\""
    if ( cd "$ARRIMA_ROOT" &&
         make clean PG_CONFIG="$PG_CONFIG" &&
         make -j"$(nproc)" PG_CONFIG="$PG_CONFIG" PG_CFLAGS="-Wall -Wextra -Werror" ) >"$log" 2>&1; then
        [ -z "${ARRIMA_VERBOSE:-}" ] || cat "$log"
        return 0
    fi
    cat "$log" >&2
    warn "build failed"
    return 1
}

# The temporary directory: created once, readable by the server's OS user.
arrima_tmp_init() {
    [ -z "$ARRIMA_TMP" ] || return 0
    ARRIMA_TMP=$(mktemp -d "${TMPDIR:-/tmp}/arrima_stats.XXXXXX")
    chmod 755 "$ARRIMA_TMP"
    if is_root; then
        ARRIMA_RUN_AS=postgres
        if ! id -u postgres >/dev/null 2>&1; then
            # The Debian package creates it; this is for other set-ups.
            useradd --system --user-group --home-dir /var/lib/postgresql \
                    --shell /bin/bash postgres ||
                die "cannot create the OS user postgres"
        fi
        chown postgres: "$ARRIMA_TMP"
    else
        ARRIMA_RUN_AS=$(id -un)
    fi
}

# install_private: copy the system's PostgreSQL tree (real copies: the binaries
# find share/ and lib/ relative to their own real path) and make install into it.
install_private() {
    arrima_tmp_init
    ARRIMA_INST=$ARRIMA_TMP/inst
    ARRIMA_PG_BIN=$ARRIMA_INST$ARRIMA_SYS_PG_LIB/bin
    say "install into a private copy of PostgreSQL $ARRIMA_PG_MAJOR: $ARRIMA_INST"
    mkdir -p "$ARRIMA_INST/usr/lib/postgresql" "$ARRIMA_INST/usr/share/postgresql"
    if ! cp -a "$ARRIMA_SYS_PG_LIB" "$ARRIMA_INST/usr/lib/postgresql/" ||
       ! cp -a "$ARRIMA_SYS_PG_SHARE" "$ARRIMA_INST/usr/share/postgresql/"; then
        warn "cannot copy the PostgreSQL tree"
        return 1
    fi
    local log=$ARRIMA_TMP/install.log
    if ! ( cd "$ARRIMA_ROOT" &&
           make install DESTDIR="$ARRIMA_INST" PG_CONFIG="$PG_CONFIG" ) >"$log" 2>&1; then
        cat "$log" >&2
        warn "make install failed"
        return 1
    fi
    # The private server must be the one to find the extension.
    local sharedir
    sharedir=$("$ARRIMA_PG_BIN/pg_config" --sharedir)
    [ -f "$sharedir/extension/arrima_stats.control" ] || {
        warn "the private tree does not see the extension ($sharedir/extension)"
        return 1
    }
}

# ---------------------------------------------------------------------------
# The throwaway cluster
# ---------------------------------------------------------------------------

# Run a command as the server's OS user, from a directory that user can read.
as_server_user() {
    if is_root; then
        ( cd "$ARRIMA_TMP" && runuser -u "$ARRIMA_RUN_AS" -- "$@" )
    else
        ( cd "$ARRIMA_TMP" && "$@" )
    fi
}

# start_cluster [name=value ...]: initdb and start a server listening on a Unix
# socket in $ARRIMA_TMP only.  Each argument is a postgresql.conf setting,
# e.g. start_cluster shared_preload_libraries=pg_cron cron.database_name=demo.
# Port: $ARRIMA_PGPORT, default 5432 (the socket is private, so no clash).
start_cluster() {
    [ -n "$ARRIMA_PG_BIN" ] || install_private || return 1
    arrima_tmp_init
    ARRIMA_PGDATA=$ARRIMA_TMP/data
    ARRIMA_PGLOG=$ARRIMA_TMP/server.log
    local port=${ARRIMA_PGPORT:-5432} kv name value
    say "start a throwaway cluster: socket $ARRIMA_TMP, port $port, OS user $ARRIMA_RUN_AS"
    if ! as_server_user "$ARRIMA_PG_BIN/initdb" -D "$ARRIMA_PGDATA" -A trust -U postgres \
            --no-sync --no-locale -E UTF8 >"$ARRIMA_TMP/initdb.log" 2>&1; then
        cat "$ARRIMA_TMP/initdb.log" >&2
        warn "initdb failed"
        return 1
    fi
    {
        echo "# test/lib.sh"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$ARRIMA_TMP'"
        echo "port = $port"
        echo "fsync = off"
        echo "full_page_writes = off"
        echo "synchronous_commit = off"
        echo "log_min_messages = warning"
        for kv in "$@"; do
            name=${kv%%=*}
            value=${kv#*=}
            printf "%s = '%s'\n" "$name" "${value//\'/\'\'}"
        done
    } >>"$ARRIMA_PGDATA/postgresql.conf"
    ARRIMA_CLUSTER_UP=1
    if ! as_server_user "$ARRIMA_PG_BIN/pg_ctl" start -D "$ARRIMA_PGDATA" -l "$ARRIMA_PGLOG" \
            -w -t 60 >/dev/null 2>&1; then
        warn "the server did not start; its log:"
        cat "$ARRIMA_PGLOG" >&2 2>/dev/null
        return 1
    fi
    export PGHOST=$ARRIMA_TMP PGPORT=$port PGUSER=postgres PGDATABASE=postgres
}

# stop_cluster: fast shutdown, immediate if that does not work.
stop_cluster() {
    [ -n "$ARRIMA_CLUSTER_UP" ] || return 0
    if [ -f "$ARRIMA_PGDATA/postmaster.pid" ]; then
        as_server_user "$ARRIMA_PG_BIN/pg_ctl" stop -D "$ARRIMA_PGDATA" -m fast -w -t 30 \
            >/dev/null 2>&1 ||
        as_server_user "$ARRIMA_PG_BIN/pg_ctl" stop -D "$ARRIMA_PGDATA" -m immediate -w -t 30 \
            >/dev/null 2>&1 ||
        warn "could not stop the server in $ARRIMA_PGDATA"
    fi
    ARRIMA_CLUSTER_UP=
}

# psql on the throwaway cluster: no psqlrc, stop at the first error.
arrima_psql() {
    "$ARRIMA_PG_BIN/psql" -X -v ON_ERROR_STOP=1 "$@"
}
