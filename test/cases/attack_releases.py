#!/usr/bin/python3
"""An independent attacker of every kept release together.

    python3 test/cases/attack_releases.py DBNAME [--seed N] [--points K]
                                          (PGHOST, PGPORT, PGUSER as for psql)

Needs python3-scipy (HiGHS, through scipy.optimize.linprog).  It reads the
releases as kept (arrima_stats.release, release_group, release_cell), and
rebuilds in Python, from the contract alone, what a reader holding all of
them knows:

  - every count each release shows (its value; its groups and unknowns
    worked out from the tables' definitions, and checked against the stored
    value);
  - the rules every invitation keeps, for every group of every release;
  - that invitations, declined, expired, the five decisions and the notices
    of each ground never go down from one release to a later one (by as_of,
    then release_id), for every round and year of invitation, wherever the
    stored counts do not go down (a correction);
  - which rounds' invitations stayed the same from one release to the next
    (a round invites once: a reader takes them as unchanged);
  - the interval each release published with a withheld count (release_cell
    lower and upper, from 0.6.0): the count is within it;

with one unknown per release, group and count: nothing of the extension's
own model (which ties unknowns that did not change) is used.  Then, for
every withheld count of every release and every flow (the change of a
count of invitations, final outcomes or notices between any two releases,
1 to min_count - 1 either way, min_count being the later-made release's),
it looks for the least and the greatest values a reader can reach, by
linear programming: a count or a flow narrower than min_count - 1 is a
disclosure.  Points are kept on the way (the true values first, then every
program's answer): a count they already show wide enough needs no program
of its own.  The points the extension stored as its proof
(arrima_stats.release_proof, over its own tied unknowns) are offered too:
each is spread over this reader's unknowns and kept only if it keeps every
one of this reader's rows, so nothing of the extension is trusted.

Prints each disclosure found, then a summary; exit status 1 if any.
"""
import argparse
import collections
import math
import random
import subprocess
import sys
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

OUTCOMES = ["awaiting_response", "declined", "expired", "in_processing",
            "cancellation_pending", "rejected", "refused", "cancelled",
            "withdrawn", "selected"]
GROUNDS = ["notices_cannot_support", "notices_did_not_support"]
UNKNOWNS = OUTCOMES + GROUNDS
APPLIED = ["in_processing", "cancellation_pending", "rejected", "refused",
           "cancelled", "withdrawn", "selected"]
GROWING = ["declined", "expired", "rejected", "refused", "cancelled",
           "withdrawn", "selected"] + GROUNDS
GROWING_MEASURES = set(GROWING) | {"invitations", "notices"}


def measure_unknowns(measure):
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


def load(db):
    releases = []
    for rid, as_of, min_count in psql(db, "SELECT release_id, as_of, min_count "
                                          "FROM arrima_stats.release ORDER BY as_of, release_id"):
        releases.append(dict(id=int(rid), as_of=as_of, min_count=int(min_count),
                             groups=[], cells=[]))
    by_id = {r["id"]: r for r in releases}
    for rid, round_id, year, category, dashboard, tally in psql(
            db, "SELECT release_id, round_id, year, category, in_dashboard, tally "
                "FROM arrima_stats.release_group"):
        counts = [int(c) for c in tally.strip("{}").split(",")]
        assert counts[0] == sum(counts[1:11]), "a tally does not add up"
        by_id[int(rid)]["groups"].append(dict(
            key=(int(round_id), nullable_int(year)), round_id=int(round_id),
            year=nullable_int(year), category=category, dashboard=dashboard == "t",
            x=dict(zip(UNKNOWNS, counts[1:]))))
    for rid, pub, key, round_id, year, category, measure, value, withheld, lower, upper in psql(
            db, "SELECT release_id, publication, row_key, round_id, year, category, measure, "
                "value, withheld, lower, upper FROM arrima_stats.release_cell"):
        by_id[int(rid)]["cells"].append(dict(
            pub=pub, key=key, round_id=nullable_int(round_id), year=nullable_int(year),
            category=category or None, measure=measure, value=int(value),
            withheld=withheld == "t", lower=nullable_int(lower), upper=nullable_int(upper)))
    return releases


def members(release, cell):
    """The groups a published count adds up, from the tables' definitions."""
    if cell["pub"] == "round_dashboard":
        return [g for g in release["groups"]
                if g["dashboard"] and (cell["key"] == "total" or g["round_id"] == cell["round_id"])]
    return [g for g in release["groups"]
            if g["year"] is not None
            and (cell["year"] is None or g["year"] == cell["year"])
            and (cell["category"] is None or g["category"] == cell["category"])]


class Reader:
    """What a reader of every release knows: equations, inequalities."""

    def __init__(self, releases):
        self.releases = releases
        self.var = {}
        truth = []
        for r, rel in enumerate(releases):
            for g in rel["groups"]:
                for u in UNKNOWNS:
                    self.var[(r, g["key"], u)] = len(truth)
                    truth.append(g["x"][u])
        self.truth = np.array(truth, dtype=float)
        self.n = len(truth)
        self.problems = 0
        eq, eq_rhs, ge, ge_rhs = {}, [], [], []
        for r, rel in enumerate(releases):
            for c in rel["cells"]:
                c["terms"] = sorted(self.var[(r, g["key"], u)]
                                    for g in members(rel, c) for u in measure_unknowns(c["measure"]))
                if sum(self.truth[t] for t in c["terms"]) != c["value"]:
                    print(f"value differs: release {rel['id']} {c['pub']} {c['key']} "
                          f"{c['measure']}: stored {c['value']}")
                    self.problems += 1
                if not c["withheld"] and tuple(c["terms"]) not in eq:
                    eq[tuple(c["terms"])] = len(eq_rhs)
                    eq_rhs.append(c["value"])
                if c["withheld"] and c["lower"] is not None:
                    # the published interval: lower <= sum <= upper
                    if not c["lower"] <= c["value"] <= (c["upper"] if c["upper"] is not None else math.inf):
                        print(f"interval does not hold: release {rel['id']} {c['pub']} {c['key']} "
                              f"{c['measure']}")
                        self.problems += 1
                    ge_rhs.append((len(ge), c["lower"]))
                    ge.append([(t, 1) for t in c["terms"]])
                    if c["upper"] is not None:
                        ge_rhs.append((len(ge), -c["upper"]))
                        ge.append([(t, -1) for t in c["terms"]])
            for g in rel["groups"]:
                v = lambda u: self.var[(r, g["key"], u)]
                ge.append([(v(u), 1) for u in GROUNDS] +
                          [(v("cancelled"), -1), (v("cancellation_pending"), -1)])
                ge.append([(v(u), 1) for u in APPLIED] + [(v(u), -1) for u in GROUNDS])
        # never goes down: every pair of releases where it holds, through
        # the fewest rows (those implied by others left out)
        chains = collections.defaultdict(list)
        chain_release = collections.defaultdict(list)
        for r, rel in enumerate(releases):
            for g in rel["groups"]:
                for u in GROWING:
                    chains[(g["key"], u)].append([self.var[(r, g["key"], u)]])
                chains[(g["key"], "invitations")].append(
                    [self.var[(r, g["key"], o)] for o in OUTCOMES])
                chain_release[g["key"]].append(r)
        for (key, u), terms in chains.items():
            values = [sum(self.truth[t] for t in ts) for ts in terms]
            for i in range(len(terms)):
                least = math.inf
                for j in range(i + 1, len(terms)):
                    if values[i] <= values[j] < least:
                        least = values[j]
                        ge.append([(t, 1) for t in terms[j]] + [(t, -1) for t in terms[i]])
                # invitations the same as in the release just before (in date
                # order): equal
                if (u == "invitations" and i + 1 < len(terms) and values[i] == values[i + 1]
                        and chain_release[key][i + 1] == chain_release[key][i] + 1):
                    ge.append([(t, 1) for t in terms[i + 1]] + [(t, -1) for t in terms[i]])
                    ge.append([(t, -1) for t in terms[i + 1]] + [(t, 1) for t in terms[i]])
        self.A_eq = self.matrix([[(t, 1) for t in terms] for terms in eq])
        self.b_eq = np.array(eq_rhs, dtype=float)
        self.A_ub = -self.matrix(ge)
        self.b_ub = np.zeros(len(ge))
        for k, rhs in ge_rhs:
            self.b_ub[k] = -rhs
        self.programs = 0

    def matrix(self, rows):
        i, j, v = [], [], []
        for k, row in enumerate(rows):
            for t, c in row:
                i.append(k)
                j.append(t)
                v.append(c)
        return csr_matrix((v, (i, j)), shape=(len(rows), self.n))

    def offer_proofs(self, db, items):
        """The extension's stored points, each over this reader's unknowns:
        an unknown of the extension is a group's count over the releases
        from `since` on where it keeps its value."""
        release_index = {rel["id"]: r for r, rel in enumerate(self.releases)}
        kept = offered = 0
        for _point, rounds, years, unknowns, sinces, changes in psql(
                db, "SELECT point, round_id, year, unknown, since, change FROM arrima_stats.release_proof"):
            offered += 1
            x = self.truth.copy()
            entries = zip(rounds.strip("{}").split(","), years.strip("{}").split(","),
                          unknowns.strip("{}").split(","), sinces.strip("{}").split(","),
                          changes.strip("{}").split(","))
            ok = True
            for rnd, year, unknown, since, change in entries:
                key = (int(rnd), None if year == "NULL" else int(year))
                u = UNKNOWNS[int(unknown)]
                r = release_index.get(int(since))
                if r is None or (r, key, u) not in self.var:
                    ok = False
                    break
                first = self.truth[self.var[(r, key, u)]]
                while (r, key, u) in self.var and self.truth[self.var[(r, key, u)]] == first:
                    x[self.var[(r, key, u)]] += float(change)
                    r += 1
            if ok and self.keeps_rows(x):
                items.offer(x - self.truth)
                kept += 1
        return offered, kept

    def keeps_rows(self, x):
        scale = 1 + np.abs(x).sum()
        return (x >= -1e-7).all() \
            and np.abs(self.A_eq @ x - self.b_eq).max(initial=0) <= 1e-7 * scale \
            and (self.A_ub @ x - self.b_ub).max(initial=0) <= 1e-7 * scale

    def solve(self, objective):
        """The greatest value of objective·x (inf if unbounded), and the
        point if it keeps every row (else None)."""
        self.programs += 1
        r = linprog(-objective, A_ub=self.A_ub, b_ub=self.b_ub, A_eq=self.A_eq,
                    b_eq=self.b_eq, bounds=(0, None), method="highs")
        if r.status == 3:
            return math.inf, None
        if r.status != 0:
            raise RuntimeError(r.message)
        return -r.fun, (r.x if self.keeps_rows(r.x) else None)


class Items:
    """The counts and flows to bound, as the rows of one sparse matrix, and
    how far the points found so far move each of them from its true value:
    every point a reader cannot rule out widens what a reader can derive of
    every one at once."""

    def __init__(self, reader, todo):
        rows, cols, data = [], [], []
        self.names, values, needs = [], [], []
        for k, ((plus, minus), (name, value, need)) in enumerate(todo.items()):
            for t in plus:
                rows.append(k)
                cols.append(t)
                data.append(1.0)
            for t in minus:
                rows.append(k)
                cols.append(t)
                data.append(-1.0)
            self.names.append(name)
            values.append(value)
            needs.append(need)
        self.F = csr_matrix((data, (rows, cols)), shape=(len(self.names), reader.n))
        self.F.sum_duplicates()
        self.value = np.array(values, dtype=float)
        self.need = np.array(needs, dtype=float)
        self.low = np.zeros(len(self.names))     # moves from the true value
        self.high = np.zeros(len(self.names))
        self.npoints = 1                         # the true values

    def offer(self, change):
        """A point, as its change from the true values."""
        moves = self.F @ change
        np.minimum(self.low, moves, out=self.low)
        np.maximum(self.high, moves, out=self.high)
        self.npoints += 1

    def open(self):
        """The items the points do not show need wide yet."""
        width = np.floor(self.value + self.high + 1e-7) - np.ceil(self.value + self.low - 1e-7)
        return np.nonzero(width < self.need)[0]

    def objective(self, ks, signs):
        """The sum of some items' forms, each with a sign, over the unknowns."""
        return np.asarray(self.F[ks].T @ np.asarray(signs, dtype=float)).ravel()


def items(releases, reader):
    """Every withheld count and every small flow, once per distinct form."""
    seen = {}
    for r, rel in enumerate(releases):
        for c in rel["cells"]:
            if c["withheld"]:
                form = tuple(c["terms"])
                seen.setdefault((form, ()), (f"release {rel['id']} {c['pub']} {c['key']} {c['measure']}",
                                             c["value"], rel["min_count"] - 1))
    by_name = collections.defaultdict(dict)
    for r, rel in enumerate(releases):
        for c in rel["cells"]:
            if c["measure"] in GROWING_MEASURES:
                by_name[(c["pub"], c["key"], c["measure"])][r] = c
    for name, cells in by_name.items():
        rs = sorted(cells)
        for a in range(len(rs)):
            for b in range(a + 1, len(rs)):
                ra, rb = releases[rs[a]], releases[rs[b]]
                later = ra if ra["id"] > rb["id"] else rb
                change = cells[rs[b]]["value"] - cells[rs[a]]["value"]
                if 1 <= abs(change) <= later["min_count"] - 1:
                    key = (tuple(cells[rs[b]]["terms"]), tuple(cells[rs[a]]["terms"]))
                    seen.setdefault(key, (f"change of {name[0]} {name[1]} {name[2]} from release "
                                          f"{ra['id']} to {rb['id']}", change, later["min_count"] - 1))
    return seen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--points", type=int, default=8,
                        help="programs of random objectives run first, for points")
    parser.add_argument("--batch", type=int, default=64,
                        help="the most items one program pushes at once")
    parser.add_argument("--no-proofs", action="store_true",
                        help="do not start from the points the extension stored")
    args = parser.parse_args()
    started = time.time()
    releases = load(args.db)
    reader = Reader(releases)
    todo = items(releases, reader)
    found = Items(reader, todo)
    print(f"{len(releases)} releases, {reader.n} unknowns, {reader.A_eq.shape[0]} equations, "
          f"{reader.A_ub.shape[0]} inequalities, {len(todo)} counts and flows to bound")

    if not args.no_proofs:
        offered, kept = reader.offer_proofs(args.db, found)
        print(f"{offered} points stored by the extension, {kept} keep every row of this reader")

    def solve(objective):
        value, x = reader.solve(objective)
        if x is not None:
            found.offer(x - reader.truth)
        return value

    # a few programs with random objectives over the withheld unknowns
    rng = random.Random(args.seed)
    withheld = sorted({t for (plus, minus) in todo for t in plus + minus})
    for _ in range(args.points if withheld else 0):
        objective = np.zeros(reader.n)
        for t in withheld:
            objective[t] = rng.choice((-1.0, 1.0))
        solve(objective)

    # Programs that push many items at once: the items not yet shown wide
    # enough, as many as have no unknown in common (up to --batch), each
    # towards the side its points reached least; while that shows some.
    batches = 0
    while True:
        open_items = found.open()
        if len(open_items) == 0:
            break
        order = list(open_items)
        rng.shuffle(order)
        taken, signs, used = [], [], set()
        for k in order:
            cols = found.F.indices[found.F.indptr[k]:found.F.indptr[k + 1]]
            if used.intersection(cols.tolist()):
                continue
            used.update(cols.tolist())
            taken.append(k)
            signs.append(1.0 if found.high[k] <= -found.low[k] else -1.0)
            if len(taken) == args.batch:
                break
        solve(found.objective(taken, signs))
        batches += 1
        if len(found.open()) > len(open_items) - max(2, len(taken) // 8):
            break

    # Then each item left on its own: its greatest and least values, exact
    def shown_wide(k):
        return (math.floor(found.value[k] + found.high[k] + 1e-7) -
                math.ceil(found.value[k] + found.low[k] - 1e-7) >= found.need[k])

    disclosed = 0
    for k in found.open():
        if shown_wide(k):
            continue
        objective = found.objective([k], [1.0])
        high = solve(objective)
        if shown_wide(k):
            continue
        low = -solve(-objective)
        if shown_wide(k):
            continue
        low_r = math.ceil(low - 1e-7) if low != -math.inf else -math.inf
        high_r = math.floor(high + 1e-7) if high != math.inf else math.inf
        if high_r - low_r < found.need[k]:
            disclosed += 1
            print(f"DISCLOSED: {found.names[k]}: value {found.value[k]:.0f}, a reader narrows it "
                  f"to [{low_r}, {high_r}]")
    print(f"{len(todo)} counts and flows, {disclosed} disclosed, {reader.programs} programs "
          f"({batches} of many at once), {found.npoints} points, {time.time() - started:.1f} s")
    sys.exit(1 if disclosed or reader.problems else 0)


if __name__ == "__main__":
    main()
