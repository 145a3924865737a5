#!/usr/bin/env bash
# test/roots/package.sh: the Debian package, as a DBA gets it.  Run as root
# in a fresh Debian root (test/matrix deb12 / deb13 does), from the
# repository's root; it changes the system it runs on (packages, a cluster).
#
#   1. apt-get the build dependencies (debian/control, apt-get build-dep);
#   2. dpkg-buildpackage -us -uc -b in a copy of the source: one
#      postgresql-NN-arrima-stats for the major this Debian supports (its
#      build runs the pg_regress suite against the files built, dh_pgxs_test);
#   3. the .deb: its files (the libraries, every version's script, the control
#      files) and its dependencies (Clp through shlibs:Depends, postgresql-NN);
#   4. apt-get install ./postgresql-NN-arrima-stats_….deb;
#   5. CREATE EXTENSION on the system's cluster (pg_ctlcluster), a C function
#      and a linear program solved by Clp; the oldest version updated to the
#      current one through the legacy library;
#   6. pg_buildext installcheck: the pg_regress suite against the installed
#      files;
#   7. the upgrade from the previous package version: there is none yet (the
#      changelog has one entry): said, and it fails once there is one, until
#      this test builds and installs it first;
#   8. apt-get purge: every file of the package gone.
#
# Prints PASS/FAIL per step and ends with "N passed, M failed"; exit status 0
# when nothing failed, 3 when the build dependencies cannot be installed (a
# failure of the environment: the line "ENVIRONMENT: <reason>" says why).
set -euo pipefail

cd "$(dirname "$0")/../.."
SRC=$PWD
WORK=$(mktemp -d /var/tmp/arrima_deb.XXXXXX)
chmod 755 "$WORK"      # the server's OS user reads the copy of the source there
cleanup() {
    local rc=$?
    if [ -n "${cluster_up:-}" ]; then
        pg_ctlcluster "$major" main stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$WORK"
    exit "$rc"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  deb/%s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  deb/%s\n' "$1"; }
say()  { printf '==> %s\n' "$*"; }
finish() {
    echo
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
# check NAME COMMAND...: one step; its output shown when it fails
check() {
    local name=$1 out=$WORK/step.out
    shift
    if "$@" >"$out" 2>&1; then
        pass "$name"
    else
        cat "$out"
        fail "$name"
        return 1
    fi
}
apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}
environment() {
    echo "ENVIRONMENT: $*"
    exit 3
}

. /etc/os-release
say "Debian ${VERSION_ID:-$VERSION_CODENAME} ($PRETTY_NAME)"

# 1. The build dependencies.
say "apt-get build-dep ./ (debian/control)"
if ! { apt_get update &&
       apt_get install -y --no-install-recommends dpkg-dev debhelper postgresql-server-dev-all &&
       apt_get build-dep -y --no-install-recommends ./; } >"$WORK/apt.log" 2>&1; then
    tail -n 30 "$WORK/apt.log"
    environment "the build dependencies of the package cannot be installed on Debian $VERSION_CODENAME: $(grep -E '^E:' "$WORK/apt.log" | head -n 2 | tr '\n' ' ')"
fi
versions=$(pg_buildext supported-versions "$SRC")
say "PostgreSQL majors of debian/pgversions this Debian supports: $versions"
[ "$(echo "$versions" | wc -w)" -eq 1 ] || {
    fail "one supported major (pg_buildext supported-versions: '$versions')"
    finish || exit 1
}
major=$versions
pkg=postgresql-$major-arrima-stats
debversion=$(dpkg-parsechangelog -l debian/changelog -S Version)
extversion=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" arrima_stats.control)

# 2. The build, in a copy of the source (dpkg-buildpackage writes to ..).
say "dpkg-buildpackage -us -uc -b ($pkg $debversion)"
mkdir -p "$WORK/build/arrima-stats"
tar -C "$SRC" --exclude=.git -cf - . | tar -C "$WORK/build/arrima-stats" -xf -
if ( cd "$WORK/build/arrima-stats" && dpkg-buildpackage -us -uc -b ) >"$WORK/build.log" 2>&1; then
    pass "dpkg-buildpackage -us -uc -b ($pkg, with the pg_regress suite at build time)"
else
    tail -n 80 "$WORK/build.log"
    fail "dpkg-buildpackage -us -uc -b"
    finish || exit 1
fi
grep -E '^(ok|not ok) |^test .*\.\.\. |tests passed|All [0-9]+ tests' "$WORK/build.log" | tail -n 3 || true
deb=$WORK/build/${pkg}_${debversion}_$(dpkg --print-architecture).deb
ls "$WORK"/build/*.deb
check "the build made exactly $pkg (debian/control for this Debian)" \
    test "$(find "$WORK/build" -maxdepth 1 -name '*.deb' ! -name '*-dbgsym_*' | wc -l)" -eq 1 -a -f "$deb"

# 3. What the package holds and needs.
dpkg-deb -I "$deb" | sed -n '/^ Package:/,$p'
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends names Clp's library (shlibs:Depends): $depends" grep -q 'coinor-libclp' <<<"$depends"
check "Depends names postgresql-$major" grep -Eq "(^|, )postgresql-$major( |,|$)" <<<"$depends"
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's,^\./,/,' >"$WORK/contents"
expected=("/usr/lib/postgresql/$major/lib/arrima_stats.so"
          "/usr/lib/postgresql/$major/lib/arrima_stats_legacy.so"
          "/usr/share/postgresql/$major/extension/arrima_stats.control"
          "/usr/share/postgresql/$major/extension/arrima_stats--$extversion.sql")
# (the released scripts are under sql/, in whatever folder)
for f in arrima_stats--*.control $(find sql -name 'arrima_stats--*.sql'); do
    expected+=("/usr/share/postgresql/$major/extension/${f##*/}")
done
missing=()
for f in "${expected[@]}"; do
    grep -qxF "$f" "$WORK/contents" || missing+=("$f")
done
check "the package holds both libraries, the control files and every version's script (${#expected[@]} files)" \
    test ${#missing[@]} -eq 0 || printf '  missing: %s\n' "${missing[@]}"

# 4. apt-get install ./….deb
say "apt-get install $deb"
cp "$deb" "$WORK/install.deb"
check "apt-get install ./${deb##*/}" apt_get install -y --no-install-recommends "$WORK/install.deb"
check "dpkg says $pkg $debversion is installed" \
    test "$(dpkg-query -W -f='${Status} ${Version}' "$pkg")" = "install ok installed $debversion"

# 5. CREATE EXTENSION on the system's cluster of that major (its postinst made
# "main"; the root's policy-rc.d kept it from starting).
pg_lsclusters
if ! pg_lsclusters -h | awk -v v="$major" '$1 == v && $2 == "main"' | grep -q .; then
    pg_createcluster "$major" main >/dev/null
fi
say "pg_ctlcluster $major main start"
check "pg_ctlcluster $major main start" pg_ctlcluster "$major" main start
cluster_up=1
# psql as the cluster's superuser, from a copy of the source that user can read
cp -a "$SRC" "$WORK/check"
rm -rf "$WORK/check/.git"
chown -R postgres: "$WORK/check"
psql_pg() { ( cd "$WORK/check" && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -At "$@" ); }
check "CREATE EXTENSION arrima_stats (version $extversion); the demo's data rolled up by the C aggregates; a release audited with Clp" \
    psql_pg -d postgres -c "CREATE DATABASE arrima_deb" -c "\\c arrima_deb" -c "
        CREATE EXTENSION arrima_stats;
        DO \$\$ BEGIN
          IF (SELECT extversion FROM pg_extension WHERE extname = 'arrima_stats') <> '$extversion' THEN
            RAISE 'extversion is not $extversion';
          END IF;
        END \$\$;" -f test/data/load_rounds.sql -v extract_on=2023-09-12 -f test/data/synthetic_invitations.sql -c "
        SELECT arrima_stats.refresh_publications('2023-08-18');
        DO \$\$ BEGIN
          IF NOT (SELECT invitations > 0 FROM arrima_stats.round_dashboard('2023-08-18') WHERE is_total) THEN
            RAISE 'no invitation in the dashboard''s total';
          END IF;
          IF (SELECT count(*) FILTER (WHERE NOT safe) FROM arrima_stats.disclosure_audit()) <> 0
             OR (SELECT count(*) FROM arrima_stats.disclosure_audit()) = 0 THEN
            RAISE 'the audit (Clp) did not prove every withheld count safe';
          END IF;
        END \$\$;"
oldest=$(find sql -name 'arrima_stats--*.sql' ! -name 'arrima_stats--*--*' |
         sed 's/.*arrima_stats--\(.*\)\.sql/\1/' | sort -V | head -n 1)
check "CREATE EXTENSION arrima_stats VERSION '$oldest' (the legacy library), ALTER EXTENSION UPDATE to $extversion" \
    psql_pg -d arrima_deb -c "
        DROP EXTENSION arrima_stats CASCADE;
        CREATE EXTENSION arrima_stats VERSION '$oldest';
        ALTER EXTENSION arrima_stats UPDATE;
        DO \$\$ BEGIN
          IF (SELECT extversion FROM pg_extension WHERE extname = 'arrima_stats') <> '$extversion' THEN
            RAISE 'not updated to $extversion';
          END IF;
        END \$\$;"
psql_pg -d postgres -c "DROP DATABASE arrima_deb" || true
pg_ctlcluster "$major" main stop
cluster_up=

# 6. pg_buildext installcheck: the pg_regress suite against the installed files.
say "pg_buildext installcheck (the installed $pkg)"
if ( cd "$WORK/check" && pg_buildext installcheck ) >"$WORK/installcheck.log" 2>&1; then
    grep -E '^# All|^All [0-9]+ tests|tests passed|^ok [0-9]+' "$WORK/installcheck.log" | tail -n 4 || true
    ok=$(grep -cE '^ok [0-9]+|^(test | +)[a-z_]+ +\.\.\. ok' "$WORK/installcheck.log") || ok=0
    check "pg_buildext installcheck: the pg_regress and isolation tests pass against the installed files ($ok ok)" \
        test "$ok" -gt 0
else
    tail -n 80 "$WORK/installcheck.log"
    fail "pg_buildext installcheck"
fi

# 7. The upgrade from the previous package version.
entries=$(dpkg-parsechangelog -l debian/changelog --all -S Version | wc -l)
if [ "$entries" -eq 1 ]; then
    echo "NOTE  deb/upgrade: no earlier version of $pkg was ever packaged ($debversion is debian/changelog's only entry): no package upgrade to test yet"
else
    fail "upgrade from the previous package version: debian/changelog has $entries entries, and this test does not yet build and install the previous one before $debversion"
fi

# 8. apt-get purge: nothing left.
dpkg-query -L "$pkg" >"$WORK/files"
check "apt-get purge $pkg" apt_get purge -y "$pkg"
left=()
while IFS= read -r f; do
    [ -d "$f" ] && continue          # directories shared with other packages
    [ -e "$f" ] || [ -L "$f" ] && left+=("$f")
done <"$WORK/files"
check "every file of $pkg is gone after the purge ($(wc -l <"$WORK/files") paths listed)" \
    test ${#left[@]} -eq 0 || printf '  left: %s\n' "${left[@]}"
check "dpkg knows $pkg no more" \
    test -z "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -v '^unknown ok not-installed$' || true)"
check "no arrima_stats file left in PostgreSQL $major's tree" \
    test -z "$(find "/usr/lib/postgresql/$major" "/usr/share/postgresql/$major" -name 'arrima_stats*' -print -quit)"

finish
