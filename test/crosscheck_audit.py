#!/usr/bin/env python3
"""Cross-check arrima_stats.disclosure_audit() with GLPK, independently.

    python3 test/crosscheck_audit.py [--published] DBNAME   (PGHOST, PGPORT, PGUSER as for psql)

Needs glpsol (Debian: apt-get install glpk-utils) and psql; Python's standard
library only.  test/cases/crosscheck_audit.sh runs it (test/run) on the
demo data and on crafted publications; fuzz_reference.sh on random ones.

It reads the stored publication (publication_group, publication_cell,
publication_state), rebuilds in Python, from the contract alone, which
groups and unknowns each published figure adds up, checks every stored value
against that, and bounds each withheld figure with GLPK twice:

* as a linear program (what the audit computes): the audit's bounds must be
  the LP's, rounded inward to integers, exactly, and its verdict `safe` must
  be the LP's (upper - lower >= min_count - 1, or no upper bound);
* as an integer program (the exact bounds a reader could reach).  Integer
  bounds may be narrower than the LP's: that is the LP relaxation's known
  limit (README, Disclosure control), printed as a note.  But a count the
  audit calls safe must also be safe by its integer bounds: a reader who
  can pin it closer than min_count - 1 by integer programming is a
  disagreement.

With --published (a publication as refresh_publications() left it, not
edited by hand) it also checks what a publication must be: every withheld
count safe (by the audit, the LP and the integer program); no count from 1
to min_count - 1 shown anywhere; and the three published views show, for
every cell, NULL where it is withheld and otherwise its value rounded to the
nearest multiple of round_to (halfway up).

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


def check(db, published=False, say=print):
    """Cross-check the publication stored in db; returns the number of problems."""
    state = psql(db, "SELECT min_count, round_to FROM arrima_stats.publication_state")
    if not state:
        say("no publication in this database: run refresh_publications() first")
        return 1
    min_count, round_to = int(state[0][0]), int(state[0][1])

    groups = []
    for rid, year, cat, dash, tally in psql(db, "SELECT round_id, year, category, in_dashboard, tally "
                                                "FROM arrima_stats.publication_group"):
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
    for pub, key, rid, year, cat, measure, value, withheld in psql(
            db, "SELECT publication, row_key, round_id, year, category, measure, value, withheld "
                "FROM arrima_stats.publication_cell"):
        terms = [(i, v) for i in members(pub, nullable_int(rid), nullable_int(year), cat or None, key)
                 for v in measure_vars(measure)]
        truth = sum(groups[i]["x"][v] for i, v in terms)
        if truth != int(value):
            say(f"value differs: {pub} {key} {measure}: stored {value}, groups {truth}")
            problems += 1
        cells.append(dict(pub=pub, key=key, measure=measure, value=int(value),
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

    audit = {(r[0], r[1], r[2]): (int(r[3]), nullable_int(r[4]), r[5] == "t") for r in psql(
        db, "SELECT publication, row_key, measure, lower, upper, safe FROM arrima_stats.disclosure_audit()")}
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
        problems += check_views(db, cells, round_to, say)

    say(f"{len(cells)} cells, {checked} withheld checked, min_count {min_count}, round_to {round_to}: "
        f"{problems} disagreements, {lp_loose} where integer bounds are narrower than the LP's")
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
    args = [a for a in args if a != "--published"]
    if len(args) != 1:
        sys.exit(__doc__)
    sys.exit(1 if check(args[0], published) else 0)


if __name__ == "__main__":
    main()
