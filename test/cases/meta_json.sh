#!/usr/bin/env bash
# META.json (PGXN) says what the control file, the CHANGELOG, the LICENSE and
# debian/changelog say: the name, the version (default_version), its state
# (unreleased: "## X.Y.Z (unreleased)" in the CHANGELOG, release_status
# unstable, Debian version X.Y.Z~...; released: a dated heading, status
# stable, the version's script frozen, Debian version X.Y.Z-...), the abstract
# (the control file's comment), the license, the PostgreSQL it requires (the
# oldest major built and tested, as the README says) and what it provides.
. "$(dirname "$0")/common.bash"

cd "$ARRIMA_ROOT"
[ -f META.json ] || die "no META.json"

python3 - <<'PY' || exit 1
import json, os, re, subprocess, sys

errors = []
def check(ok, what):
    if not ok:
        errors.append(what)

with open("META.json", encoding="utf-8") as f:
    meta = json.load(f)

control = {}
with open("arrima_stats.control", encoding="utf-8") as f:
    for line in f:
        m = re.match(r"^\s*(\w+)\s*=\s*'(.*)'\s*$", line)
        if m:
            control[m.group(1)] = m.group(2).replace("''", "'")
version = control.get("default_version")
check(version and re.fullmatch(r"\d+\.\d+\.\d+", version), f"default_version {version!r} is not X.Y.Z")

for key in ("name", "abstract", "version", "maintainer", "license", "provides", "meta-spec"):
    check(key in meta, f"META.json has no {key!r} (PGXN's required keys)")
check(meta.get("meta-spec", {}).get("version") == "1.0.0", "meta-spec version is not 1.0.0")
check(meta.get("name") == "arrima_stats", f"name {meta.get('name')!r} is not arrima_stats")
check(meta.get("version") == version,
      f"version {meta.get('version')!r} is not the control file's default_version {version!r}")
check(meta.get("abstract") == control.get("comment"),
      f"abstract {meta.get('abstract')!r} is not the control file's comment {control.get('comment')!r}")

provides = meta.get("provides", {})
check(list(provides) == ["arrima_stats"], f"provides {list(provides)} is not exactly arrima_stats")
ext = provides.get("arrima_stats", {})
check(ext.get("version") == version,
      f"provides.arrima_stats.version {ext.get('version')!r} is not {version!r}")
check(ext.get("abstract") == meta.get("abstract"), "provides.arrima_stats.abstract is not the abstract")
for key in ("file", "docfile"):
    if key in ext:
        check(os.path.isfile(ext[key]), f"provides.arrima_stats.{key} {ext[key]!r} is no file")

# The license: PGXN's "postgresql" and the LICENSE file's.
with open("LICENSE", encoding="utf-8") as f:
    first = f.readline().strip()
check(meta.get("license") == "postgresql" and first == "PostgreSQL License",
      f"license {meta.get('license')!r}, LICENSE says {first!r}")

# The PostgreSQL it requires: the oldest major built and tested.
pg = meta.get("prereqs", {}).get("runtime", {}).get("requires", {}).get("PostgreSQL")
check(pg == "15.0.0", f"prereqs.runtime.requires.PostgreSQL {pg!r} is not 15.0.0")

# The CHANGELOG's heading of this version: unreleased, or released on a date.
with open("CHANGELOG.md", encoding="utf-8") as f:
    headings = re.findall(r"^## (\S+) \(([^)]*)\)\s*$", f.read(), re.M)
states = [state for v, state in headings if v == version]
check(len(states) == 1, f"CHANGELOG.md has {len(states)} headings '## {version} (...)', not one")
check(bool(headings) and headings[0][0] == version,
      f"CHANGELOG.md's first version is {headings[0][0] if headings else None!r}, not {version!r}")
status = meta.get("release_status")
released = None
if states:
    state = states[0]
    if state == "unreleased":
        released = False
        check(status == "unstable",
              f"{version} is unreleased (CHANGELOG.md) but release_status is {status!r}, not 'unstable'")
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", state):
        released = True
        check(status == "stable",
              f"{version} was released on {state} (CHANGELOG.md) but release_status is {status!r}, not 'stable'")
        frozen = [os.path.join(d, f) for d, _, fs in os.walk("sql") for f in fs
                  if f == f"arrima_stats--{version}.sql"]
        check(len(frozen) == 1, f"{version} is released but its install script is not frozen under sql/ (make freeze)")
    else:
        check(False, f"CHANGELOG.md's heading for {version} says {state!r}: neither 'unreleased' nor a date")

# debian/changelog packages the same version: X.Y.Z~... while unreleased, X.Y.Z-N once released.
if os.path.isfile("debian/changelog"):
    with open("debian/changelog", encoding="utf-8") as f:
        m = re.match(r"^\S+ \(([^)]+)\)", f.readline())
    debversion = m.group(1) if m else None
    upstream = debversion.rsplit("-", 1)[0] if debversion else None
    if released is False:
        check(upstream is not None and upstream.startswith(version + "~"),
              f"debian/changelog's version {debversion!r} is not {version}~... (unreleased)")
    elif released is True:
        check(upstream == version, f"debian/changelog's version {debversion!r} is not {version}-N")

for e in errors:
    print("FAIL:", e, file=sys.stderr)
if errors:
    sys.exit(1)
print(f"META.json: arrima_stats {version}, {status}, consistent with the control file, "
      f"CHANGELOG.md, LICENSE and debian/changelog")
PY
