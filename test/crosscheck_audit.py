#!/usr/bin/env python3
"""Cross-check arrima_stats.disclosure_audit() with GLPK, independently.

    python3 test/crosscheck_audit.py DBNAME      (PGHOST, PGPORT, PGUSER as for psql)

Needs glpsol (Debian: apt-get install glpk-utils); a development check, not
part of test/run.  It reads the stored publication (publication_group,
publication_cell), rebuilds in Python, from the contract alone, which groups
and unknowns each published figure adds up, checks every stored value
against that, and bounds each withheld figure with GLPK twice: as a linear
program (what the audit computes: its bounds must be the LP's, rounded
inward) and as an integer program (the exact bounds a reader could reach;
never narrower than the LP's rounded bounds, which shows whether the LP
relaxation left anything on the table).  Prints one line per disagreement,
then a summary; exit status 1 on any disagreement.
"""
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


def measure_vars(measure):
    if measure == "invitations":
        return OUTCOMES
    if measure == "notices":
        return GROUNDS
    return [measure]


def psql(db, sql):
    out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", db, "-c", sql], check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def nullable_int(s):
    return None if s == "" else int(s)


def main():
    db = sys.argv[1]
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
            print(f"value differs: {pub} {key} {measure}: stored {value}, groups {truth}")
            problems += 1
        cells.append(dict(pub=pub, key=key, measure=measure, value=int(value),
                          withheld=withheld == "t", terms=terms))

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
    constraints = "\n".join(lines)
    allvars = [name(i, v) for i in range(len(groups)) for v in VARS]

    audit = {(r[0], r[1], r[2]): (int(r[3]), nullable_int(r[4]), r[5] == "t") for r in psql(
        db, "SELECT publication, row_key, measure, lower, upper, safe FROM arrima_stats.disclosure_audit()")}
    min_count = int(psql(db, "SELECT min_count FROM arrima_stats.publication_state")[0][0])

    def solve(sense, objective, integer):
        with tempfile.TemporaryDirectory() as d:
            lp = os.path.join(d, "p.lp")
            out = os.path.join(d, "p.out")
            with open(lp, "w") as f:
                f.write(f"{sense}\n obj: {objective}\nSubject To\n{constraints}\n")
                if integer:
                    f.write("General\n " + " ".join(allvars) + "\n")
                f.write("End\n")
            r = subprocess.run(["glpsol", "--lp", lp, "-o", out], capture_output=True, text=True)
            if "UNBOUNDED" in r.stdout.upper():
                return math.inf if sense == "Maximize" else -math.inf
            with open(out) as f:
                for line in f:
                    if line.startswith("Objective:"):
                        return float(line.split("=")[1].split()[0])
            raise RuntimeError(r.stdout)

    checked = 0
    lp_loose = 0
    for c in cells:
        if not c["withheld"]:
            continue
        objective = " + ".join(name(i, v) for i, v in c["terms"])
        lo = solve("Minimize", objective, False)
        hi = solve("Maximize", objective, False)
        lo_i = math.ceil(lo - 1e-7)
        hi_i = math.floor(hi + 1e-7) if hi != math.inf else None
        safe = hi_i is None or hi_i - lo_i >= min_count - 1
        got = audit.get((c["pub"], c["key"], c["measure"]))
        if got != (lo_i, hi_i, safe):
            print(f"audit differs: {c['pub']} {c['key']} {c['measure']}: audit {got}, GLPK LP {(lo_i, hi_i, safe)}")
            problems += 1
        ilo = solve("Minimize", objective, True)
        ihi = solve("Maximize", objective, True)
        if (ilo, ihi) != (lo_i, hi_i if hi_i is not None else math.inf):
            lp_loose += 1
            print(f"note: integer bounds [{ilo}, {ihi}] narrower than the LP's [{lo_i}, {hi_i}] "
                  f"for {c['pub']} {c['key']} {c['measure']}")
        checked += 1
    print(f"{len(cells)} cells, {checked} withheld checked, {problems} disagreements, "
          f"{lp_loose} where integer bounds are narrower than the LP's")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
