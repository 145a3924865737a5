#!/usr/bin/env python3
"""Cross-check arrima_stats' audit of a publication with GLPK, independently.

    python3 test/cases/crosscheck_audit.py [--published | --edited] DBNAME
                                     (PGHOST, PGPORT, PGUSER as for psql)

Needs glpsol (Debian: apt-get install glpk-utils) and psql; Python's standard
library only.  test/cases/crosscheck_audit.sh runs it (test/run) on the
demo data and on crafted publications; fuzz_reference.sh on random ones.

What it checks is one publication, read one of two ways:

* by default, or with --published: a first release, the only release the
  database keeps (release, release_group, release_cell), against
  disclosure_audit(release_id).  The audit of a first release is the audit
  of one publication (no flows: a flow in it is a disagreement); a series
  of releases is test/cases/attack_releases.py's to attack (release_series.sh);
* with --edited: the working tables (publication_state, publication_group,
  publication_cell) as edited by hand to publish more than the release
  did, against disclosure_bounds() of their withheld cells (the audit of
  one publication), which the function crosscheck.audit_as_edited() must
  give: test/cases/crosscheck_audit.sh makes it, as sql/publication.sql
  makes its pg_temp.audit_as_edited().

It rebuilds in Python, from the rules alone (README: Disclosure control),
which groups and unknowns each published figure adds up, checks every
stored value against that, and bounds each withheld figure with GLPK twice:

* as a linear program (what the audit computes): the audit's bounds must be
  the LP's, rounded inward to integers, exactly, and its verdict `safe` must
  be the LP's (upper - lower >= min_count - 1, or no upper bound);
* as an integer program (the exact bounds a reader could reach).  Integer
  bounds may be narrower than the LP's: that is the LP relaxation's known
  limit (README, Disclosure control), printed as a note.  But a count the
  audit calls safe must also be safe by its integer bounds: a reader who
  can pin it closer than min_count - 1 by integer programming is a
  disagreement.

With --published (a release as refresh_publications() left it) it also
checks what a publication must be: every withheld count safe (by the audit,
the LP and the integer program); no count from 1 to min_count - 1 shown
anywhere; the working tables hold the release; the three published views
show, for every cell, NULL where it is withheld and otherwise its value
rounded to the nearest multiple of round_to (halfway up); and so does the
reader schema's long view, arrima_published.release_count, with its status
(withheld or shown), one row per cell.

Prints one line per disagreement, then a summary; exit status 1 on any.
"""
import concurrent.futures
import itertools
import math
import os
import subprocess
import sys
import tempfile

OUTCOMES = ["awaiting_response", "declined", "expired", "in_processing",
            "cancellation_pending", "rejected", "refused", "cancelled",
            "withdrawn", "selected"]
GROUNDS = ["notices_cannot_support", "notices_did_not_support"]
VARS = OUTCOMES + GROUNDS                       # the tally's order after invitations
VIEWS = {"round_dashboard": "round_dashboard_published",
         "annual_summary": "annual_summary_published",
         "category_summary": "category_summary_published"}


def measure_vars(measure):
    if measure == "invitations":
        return OUTCOMES
    if measure == "notices":
        return GROUNDS
    return [measure]


def psql(db, sql):
    out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", db, "-c", sql], capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise RuntimeError(f"psql failed on: {sql}")
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def nullable_int(s):
    return None if s == "" else int(s)


def round_count(n, round_to):
    """The nearest multiple of round_to, halfway up (README, Rounding)."""
    return (n + round_to // 2) // round_to * round_to if round_to > 1 else n


class Solver:
    """Bounds of a sum of unknowns over the constraints, with glpsol."""

    def __init__(self, constraints, allvars):
        self.constraints = constraints
        self.allvars = allvars
        self.dir = tempfile.mkdtemp(prefix="crosscheck_audit.")
        self.names = itertools.count()
        # glpsol runs in processes of their own: a few at once
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(os.cpu_count() or 1, 2))

    def bounds(self, objective):
        """LP min, LP max, integer min, integer max of the objective."""
        jobs = [self.pool.submit(self.solve, sense, objective, integer)
                for integer in (False, True) for sense in ("Minimize", "Maximize")]
        return [j.result() for j in jobs]

    def solve(self, sense, objective, integer):
        n = next(self.names)
        lp = os.path.join(self.dir, f"p{n}.lp")
        out = os.path.join(self.dir, f"p{n}.out")
        with open(lp, "w") as f:
            f.write(f"{sense}\n obj: {objective}\nSubject To\n{self.constraints}\n")
            if integer:
                f.write("General\n " + " ".join(self.allvars) + "\n")
            f.write("End\n")
        r = subprocess.run(["glpsol", "--lp", lp, "-o", out], capture_output=True, text=True)
        said = r.stdout.upper()
        # glpsol says an unbounded program is "unbounded", or, when its
        # presolver finds it, has "no dual feasible solution" (and then
        # writes an objective of 0 with status UNDEFINED: not an answer)
        if "UNBOUNDED" in said or "NO DUAL FEASIBLE" in said:
            return math.inf if sense == "Maximize" else -math.inf
        if "NO PRIMAL FEASIBLE" in said or "INFEASIBLE" in said:
            raise RuntimeError("the published figures admit no solution:\n" + r.stdout)
        status = objective = None
        if os.path.exists(out):
            with open(out) as f:
                for line in f:
                    if line.startswith("Status:"):
                        status = line.split(":", 1)[1].strip()
                    elif line.startswith("Objective:"):
                        objective = float(line.split("=")[1].split()[0])
        if status not in ("OPTIMAL", "INTEGER OPTIMAL") or objective is None:
            raise RuntimeError(f"glpsol gave no optimum (status {status}):\n" + r.stdout)
        os.unlink(lp)
        os.unlink(out)
        return objective

    def close(self):
        self.pool.shutdown()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)


def check(db, published=False, edited=False, say=print):
    """Cross-check the publication stored in db (see the module's doc);
    returns the number of problems."""
    if edited:
        state = psql(db, "SELECT min_count, round_to FROM arrima_stats.publication_state")
        if not state:
            say("no publication in this database: run refresh_publications() first")
            return 1
        release_id = None
        groups_sql = ("SELECT round_id, year, category, in_dashboard, tally "
                      "FROM arrima_stats.publication_group")
        cells_sql = ("SELECT publication, row_key, round_id, year, category, measure, value, withheld "
                     "FROM arrima_stats.publication_cell")
    else:
        releases = psql(db, "SELECT release_id, min_count, round_to FROM arrima_stats.release "
                            "ORDER BY release_id")
        if len(releases) != 1:
            say(f"{len(releases)} releases kept: this checks a first release, the only one "
                f"(a series is test/cases/attack_releases.py's)")
            return 1
        release_id = int(releases[0][0])
        state = [releases[0][1:]]
        groups_sql = (f"SELECT round_id, year, category, in_dashboard, tally "
                      f"FROM arrima_stats.release_group WHERE release_id = {release_id}")
        cells_sql = (f"SELECT publication, row_key, round_id, year, category, measure, value, withheld "
                     f"FROM arrima_stats.release_cell WHERE release_id = {release_id}")
    min_count, round_to = int(state[0][0]), int(state[0][1])

    groups = []
    for rid, year, cat, dash, tally in psql(db, groups_sql):
        counts = [int(c) for c in tally.strip("{}").split(",")]
        assert counts[0] == sum(counts[1:11])
        groups.append(dict(round_id=int(rid), year=nullable_int(year), category=cat,
                           dashboard=dash == "t", x=dict(zip(VARS, counts[1:]))))

    def members(pub, rid, year, cat, key):
        if pub == "round_dashboard":
            return [i for i, g in enumerate(groups)
                    if g["dashboard"] and (key == "total" or g["round_id"] == rid)]
        return [i for i, g in enumerate(groups)
                if g["year"] is not None and (year is None or g["year"] == year)
                and (cat is None or g["category"] == cat)]

    cells = []
    problems = 0
    for pub, key, rid, year, cat, measure, value, withheld in psql(db, cells_sql):
        terms = [(i, v) for i in members(pub, nullable_int(rid), nullable_int(year), cat or None, key)
                 for v in measure_vars(measure)]
        truth = sum(groups[i]["x"][v] for i, v in terms)
        if truth != int(value):
            say(f"value differs: {pub} {key} {measure}: stored {value}, groups {truth}")
            problems += 1
        cells.append(dict(pub=pub, key=key, round_id=nullable_int(rid), year=nullable_int(year),
                          category=cat or None, measure=measure, value=int(value),
                          withheld=withheld == "t", terms=terms))
    if not cells:
        say("the publication has no cell")
        return problems + 1

    def name(i, v):
        return f"x{i}_{VARS.index(v)}"

    lines = []
    for n, c in enumerate(cells):
        if not c["withheld"]:
            lhs = " + ".join(name(i, v) for i, v in c["terms"]) or "0 x0_0"
            lines.append(f" e{n}: {lhs} = {c['value']}")
    applied = ["in_processing", "cancellation_pending", "rejected", "refused", "cancelled",
               "withdrawn", "selected"]
    for i in range(len(groups)):
        notices = " + ".join(name(i, v) for v in GROUNDS)
        lines.append(f" a{i}: {notices} - {name(i, 'cancelled')} - {name(i, 'cancellation_pending')} >= 0")
        lines.append(f" b{i}: " + " + ".join(name(i, v) for v in applied) +
                     " - " + " - ".join(name(i, v) for v in GROUNDS) + " >= 0")
    solver = Solver("\n".join(lines), [name(i, v) for i in range(len(groups)) for v in VARS])

    audit = {}
    if edited:
        audit_rows = psql(db, EDITED_AUDIT)
    else:
        audit_rows = psql(db, f"SELECT publication, row_key, measure, lower, upper, safe, status "
                              f"FROM arrima_stats.disclosure_audit({release_id})")
    for pub, key, measure, lower, upper, safe, status in audit_rows:
        if status == "flow":
            say(f"the audit of a first release lists a flow: {pub} {key} {measure}")
            problems += 1
            continue
        audit[(pub, key, measure)] = (int(lower), nullable_int(upper), safe == "t", status)
    need = min_count - 1

    checked = 0
    lp_loose = 0
    try:
        for c in cells:
            what = f"{c['pub']} {c['key']} {c['measure']} (value {c['value']})"
            if not c["withheld"]:
                if published and 1 <= c["value"] < min_count:
                    say(f"small count shown: {what}, min_count {min_count}")
                    problems += 1
                continue
            objective = " + ".join(name(i, v) for i, v in c["terms"]) or "0 x0_0"
            lo, hi, ilo, ihi = solver.bounds(objective)
            lo_i = max(math.ceil(lo - 1e-7), 0)
            hi_i = math.floor(hi + 1e-7) if hi != math.inf else None
            safe = hi_i is None or hi_i - lo_i >= need
            got = audit.pop((c["pub"], c["key"], c["measure"]), None)
            status = "primary" if 1 <= c["value"] < min_count else "secondary"
            if got is not None and got[3] != status:
                say(f"audit status differs: {what}: {got[3]}, expected {status}")
                problems += 1
            got = got and got[:3]
            if got != (lo_i, hi_i, safe):
                say(f"audit differs: {what}: audit (lower, upper, safe) {got}, GLPK LP {(lo_i, hi_i, safe)}")
                problems += 1
            isafe = ihi == math.inf or ihi - ilo >= need
            if (ilo, ihi) != (lo_i, hi_i if hi_i is not None else math.inf):
                lp_loose += 1
                say(f"note: integer bounds [{ilo:g}, {ihi:g}] narrower than the LP's [{lo_i}, {hi_i}] "
                    f"for {what}")
            if got is not None and got[2] and not isafe:
                say(f"audit calls safe what integer programming pins to [{ilo:g}, {ihi:g}], "
                    f"less than min_count - 1 = {need} apart: {what}")
                problems += 1
            if published and not (safe and isafe and got is not None and got[2]):
                say(f"unsafe in a published publication: {what}: audit {got}, GLPK LP "
                    f"{(lo_i, hi_i, safe)}, integer [{ilo:g}, {ihi:g}]")
                problems += 1
            checked += 1
    finally:
        solver.close()
    for key in sorted(audit):
        say(f"audit lists a cell that is not withheld: {key}")
        problems += 1

    if published:
        problems += check_working_tables(db, release_id, say)
        problems += check_views(db, cells, round_to, say)
        problems += check_release_count(db, release_id, cells, round_to, say)

    say(f"{len(cells)} cells, {checked} withheld checked, min_count {min_count}, round_to {round_to}: "
        f"{problems} disagreements, {lp_loose} where integer bounds are narrower than the LP's")
    return problems


# The audit of the working tables as edited: every withheld cell, bounded by
# disclosure_bounds() over the stored groups, from the function the case
# makes (test/cases/crosscheck_audit.sh).
EDITED_AUDIT = """
SELECT publication, row_key, measure, lower, upper, safe, status FROM crosscheck.audit_as_edited()
"""


def check_working_tables(db, release_id, say):
    """The working tables (what the published views are made from) hold the
    release: its date and policy, its groups, its cells."""
    problems = 0
    for what, sql in [
            ("state", f"SELECT (SELECT count(*) FROM arrima_stats.publication_state), "
                      f"(SELECT count(*) FROM arrima_stats.publication_state s "
                      f"   JOIN arrima_stats.release r ON r.as_of = s.as_of AND r.min_count = s.min_count "
                      f"    AND r.round_to = s.round_to WHERE r.release_id = {release_id})"),
            ("groups", f"SELECT count(*), count(*) FILTER (WHERE r.release_id IS NOT NULL) "
                       f"FROM arrima_stats.publication_group p LEFT JOIN arrima_stats.release_group r "
                       f"ON r.release_id = {release_id} AND r.round_id = p.round_id "
                       f"AND r.year IS NOT DISTINCT FROM p.year AND r.category = p.category "
                       f"AND r.held_on = p.held_on AND r.in_dashboard = p.in_dashboard "
                       f"AND r.invitations_published IS NOT DISTINCT FROM p.invitations_published "
                       f"AND r.tally::text = p.tally::text"),
            ("cells", f"SELECT count(*), count(*) FILTER (WHERE r.release_id IS NOT NULL) "
                      f"FROM arrima_stats.publication_cell p LEFT JOIN arrima_stats.release_cell r "
                      f"ON r.release_id = {release_id} AND r.publication = p.publication "
                      f"AND r.row_key = p.row_key AND r.measure = p.measure AND r.value = p.value "
                      f"AND r.withheld = p.withheld")]:
        rows, matching = (int(v) for v in psql(db, sql)[0])
        if rows != matching or (what == "state" and rows != 1):
            say(f"the working tables do not hold release {release_id}: {what}: "
                f"{rows} rows, {matching} as the release has them")
            problems += 1
    expected = {"groups": f"SELECT count(*) FROM arrima_stats.release_group WHERE release_id = {release_id}",
                "cells": f"SELECT count(*) FROM arrima_stats.release_cell WHERE release_id = {release_id}"}
    for what, sql in expected.items():
        want = int(psql(db, sql)[0][0])
        have = int(psql(db, f"SELECT count(*) FROM arrima_stats.publication_{what[:-1]}")[0][0])
        if want != have:
            say(f"the working tables do not hold release {release_id}: {have} {what}, the release has {want}")
            problems += 1
    return problems


def check_release_count(db, release_id, cells, round_to, say):
    """The reader schema's long view shows each cell of the release once:
    NULL and 'withheld' where it is withheld, else its value rounded and
    'shown'."""
    problems = 0
    shown = {}
    for pub, rid, year, cat, measure, value, status in psql(
            db, f"SELECT dashboard, round_id, year, CASE WHEN dashboard = 'category_summary' "
                f"THEN category END, measure, value, status FROM arrima_published.release_count "
                f"WHERE release_id = {release_id}"):
        if pub == "round_dashboard":
            key = rid or "total"
        elif pub == "annual_summary":
            key = year
        else:
            key = f"{year}/{cat}"
        k = (pub, key, measure)
        if k in shown:
            say(f"arrima_published.release_count shows {k} twice")
            problems += 1
        shown[k] = (value, status)
    for c in cells:
        k = (c["pub"], c["key"], c["measure"])
        want = ("", "withheld") if c["withheld"] else (str(round_count(c["value"], round_to)), "shown")
        got = shown.pop(k, None)
        if got != want:
            say(f"arrima_published.release_count differs: {c['pub']} {c['key']} {c['measure']}: "
                f"shows {got}, the cell says {want} (value {c['value']}, withheld {c['withheld']})")
            problems += 1
    for k in sorted(shown):
        say(f"arrima_published.release_count has a count with no cell: {k}")
        problems += 1
    return problems


def check_views(db, cells, round_to, say):
    """The published views show what the cells say, and nothing else."""
    problems = 0
    shown = {}
    for pub, view in VIEWS.items():
        populated = psql(db, f"SELECT relispopulated FROM pg_class "
                             f"WHERE oid = 'arrima_stats.{view}'::regclass")[0][0]
        if populated != "t":
            say(f"{view} is not populated")
            problems += 1
            continue
        # the row's key: row_key, or the year (annual_summary_published)
        rows = psql(db, f"SELECT coalesce(to_jsonb(v) ->> 'row_key', to_jsonb(v) ->> 'year'), "
                        f"j.key, j.value::text "
                        f"FROM arrima_stats.{view} v, jsonb_each(to_jsonb(v)) j")
        for key, column, value in rows:
            shown[(pub, key, column)] = value
    keys = set()
    for c in cells:
        k = (c["pub"], c["key"], c["measure"])
        keys.add((c["pub"], c["key"]))
        want = "null" if c["withheld"] else str(round_count(c["value"], round_to))
        got = shown.get(k)
        if got != want:
            say(f"published view differs: {c['pub']} {c['key']} {c['measure']}: "
                f"shows {got}, the cell says {want} (value {c['value']}, withheld {c['withheld']})")
            problems += 1
    extra = {(p, k) for p, k, _ in shown} - keys
    for p, k in sorted(extra):
        say(f"published view {VIEWS[p]} has a row with no cells: {k}")
        problems += 1
    return problems


def main():
    args = sys.argv[1:]
    published = "--published" in args
    edited = "--edited" in args
    args = [a for a in args if a not in ("--published", "--edited")]
    if len(args) != 1 or (published and edited):
        sys.exit(__doc__)
    sys.exit(1 if check(args[0], published, edited) else 0)


if __name__ == "__main__":
    main()
