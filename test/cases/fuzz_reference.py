#!/usr/bin/env python3
"""Random data, checked against references written independently of the C.

    python3 test/cases/fuzz_reference.py [--seed N] [--publications N] DBNAME

DBNAME must have the extension and nothing else in its tables (psql's
PGHOST, PGPORT, PGUSER are used).  Needs glpsol (test/cases/crosscheck_audit.py)
and Python's standard library only.  test/cases/fuzz_reference.sh runs it in
test/run.  Every random choice comes from one seeded generator: the seed is
printed, and --seed repeats a run exactly.  Exit status 1 on any
disagreement, each printed.

1. Classification and roll-ups.  Random rounds (ids, categories, a user's
   category, dates, response windows, published figures) and random valid
   invitations (every kind of history, events on the same day, on the last
   day of the window, before the round is held, response_due_on given or
   filled by the table's trigger), and random as_of dates (event dates and
   the days around them, far past and future, infinity).  Held to the
   contract's rules written as a CASE (the one sql/classify.sql uses):
   classify() on every invitation at every date; both tally aggregates and
   tally_by (rounds as keys, and random keys with NULLs), serially and
   with parallel workers (that must launch); round_dashboard, annual_summary and
   category_summary against test/data/rollups_reference.sql.
2. Loading.  Random staged rows made from valid invitations (new ones and
   updates of loaded ones), many broken: blanks around values, empty and
   NULL values, malformed or out-of-range integers, dates that are no day
   or not YYYY-MM-DD, labels in another case, unknown rounds, each rule of
   the table broken, ids staged twice.  ingest() is held to a validator
   written here in SQL from the documented rules (validate.c's header and
   the README: values trimmed of ASCII blanks, an empty value is NULL,
   integers an optional sign and digits within their type, dates
   YYYY-MM-DD of the calendar, labels as spelled, a known round,
   response_due_on filled from the round) and to the table's own CHECK
   constraints (a copy of the table, LIKE ... INCLUDING CONSTRAINTS): the
   same rows loaded (inserted or updated, with the same values), the same
   rows refused (verbatim in invitation_reject, ids staged twice with the
   exact reason), the same counts returned.
3. Policies and publications.  Random policy changes (valid and invalid:
   refused exactly when min_count or round_to is below 1 or NULL), then
   small random publications under random policies, as of random dates,
   each a first release (the releases before it forgotten): each held to
   test/cases/crosscheck_audit.py (GLPK) with --published, and its cells to the
   roll-ups as of the same date.
"""
import datetime
import os
import random
import subprocess
import sys

sys.dont_write_bytecode = True                     # no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crosscheck_audit  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = ["OEV_ART26", "OEV", "OEV_HORS_CMM_ART26", "OEV_HORS_CMM_ART26_ART47", "OEV_HORS_CMM",
           "PAMO_TI", "OPMO", "OPMO_OEV_HORS_CMM", "CLASSEMENT_GENERAL"]
DECISIONS = ["rejected", "refused", "cancelled", "withdrawn", "selected"]
GROUNDS = ["cannot_support", "did_not_support"]
COLUMNS = ["invitation_id", "round_id", "invited_on", "response_due_on", "declined_on",
           "application_on", "notice_on", "notice_ground", "decided_on", "decision"]
DAY = datetime.timedelta(days=1)


class Failed(Exception):
    pass


def psql(db, sql, cwd=ROOT):
    """Run SQL (stop at the first error); its output, unaligned."""
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                         input=sql, capture_output=True, text=True, cwd=cwd)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise Failed(f"psql failed (status {out.returncode}); the SQL began: {sql[:300]}")
    return out.stdout


def lit(v):
    """A SQL literal: NULL, or a string with its quotes doubled (blanks and
    control characters go in as they are)."""
    if v is None:
        return "NULL"
    return "'" + str(v).replace("'", "''") + "'"


def date_between(rng, lo, hi):
    return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))


# ---------------------------------------------------------------------------
# Random valid data
# ---------------------------------------------------------------------------

def make_rounds(rng, n, categories):
    ids = rng.sample(list(range(-50, 0)) + list(range(1, 3000)) + [2147483647, -2147483648], n)
    rounds = []
    for rid in ids:
        rounds.append(dict(
            round_id=rid, category=rng.choice(categories),
            held_on=date_between(rng, datetime.date(2020, 6, 1), datetime.date(2024, 6, 30)),
            invitations_published=rng.choice([None, None, 0, rng.randint(1, 900)]),
            response_days=rng.choice([60, 60, 60, 60, 1, 30, 90, 365])))
    return rounds


def make_invitation(rng, iid, r):
    """A valid invitation of round r: a random history within the rules."""
    invited = r["held_on"] + DAY * rng.choice([0] * 12 + [-400, -3, 1, 7, 30])
    window = r["response_days"]
    due_given = rng.random() < 0.6
    due = invited + DAY * (rng.choice([0, 1, window, rng.randint(0, 200)]) if due_given else window)
    inv = dict(invitation_id=iid, round_id=r["round_id"], invited_on=invited,
               response_due_on=due if due_given else None, due=due,
               declined_on=None, application_on=None, notice_on=None, notice_ground=None,
               decided_on=None, decision=None)
    path = rng.choices(["no answer", "declined", "applied"], [0.2, 0.15, 0.65])[0]
    last = (due - invited).days
    pick = lambda: invited + DAY * rng.choice([0, last, rng.randint(0, last)])  # noqa: E731
    if path == "declined":
        inv["declined_on"] = pick()
    elif path == "applied":
        app = pick()
        inv["application_on"] = app
        if rng.random() < 0.35:
            inv["notice_on"] = app + DAY * rng.choice([0, rng.randint(0, 250)])
            inv["notice_ground"] = rng.choice(GROUNDS)
        if rng.random() < 0.7:
            after = inv["notice_on"] or app
            inv["decided_on"] = after + DAY * rng.choice([0, rng.randint(0, 400)])
            choices = DECISIONS if inv["notice_on"] else [d for d in DECISIONS if d != "cancelled"]
            inv["decision"] = rng.choice(choices)
    return inv


def insert_sql(rounds, invitations, user_categories):
    sql = []
    for code in user_categories:
        sql.append(f"INSERT INTO arrima_stats.category (code, label_fr, label_en) "
                   f"VALUES ({lit(code)}, 'catégorie ' || {lit(code)}, 'category ' || {lit(code)});")
    rows = ",\n".join(
        f"({r['round_id']}, {lit(r['category'])}, {lit(r['held_on'])}, "
        f"{'NULL' if r['invitations_published'] is None else r['invitations_published']}, {r['response_days']})"
        for r in rounds)
    sql.append("INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, "
               f"invitations_published, response_days) VALUES\n{rows};")
    if invitations:
        rows = ",\n".join("(" + ", ".join(lit(i[c]) for c in COLUMNS) + ")" for i in invitations)
        sql.append(f"INSERT INTO arrima_stats.invitation ({', '.join(COLUMNS)}) VALUES\n{rows};")
    sql.append("ANALYZE arrima_stats.invitation_round, arrima_stats.invitation;")
    return "\n".join(sql)


# ---------------------------------------------------------------------------
# 1. Classification and roll-ups
# ---------------------------------------------------------------------------

CLASSIFY_CHECKS = r"""
-- every invitation at every date, classified by the contract's rules (the
-- CASE of sql/classify.sql), with a random key (NULL for one in 7)
CREATE TEMP TABLE case_outcome AS
SELECT a.as_of, i AS inv, i.*,
       CASE WHEN a.as_of < i.invited_on THEN NULL
            WHEN i.declined_on <= a.as_of THEN 'declined'
            WHEN i.application_on IS NULL OR i.application_on > a.as_of THEN
              CASE WHEN i.response_due_on < a.as_of THEN 'expired' ELSE 'awaiting_response' END
            WHEN i.decided_on <= a.as_of THEN i.decision::text
            WHEN i.notice_on <= a.as_of THEN 'cancellation_pending'
            ELSE 'in_processing' END AS outcome,
       CASE WHEN i.notice_on <= a.as_of AND a.as_of >= i.invited_on THEN i.notice_ground::text END AS notice,
       CASE WHEN i.invitation_id % 7 = 0 THEN NULL ELSE (i.invitation_id % 13 - 6)::integer END AS k
  FROM as_of_dates a CROSS JOIN arrima_stats.invitation i;
-- the same rows, with their keys, in a table that workers can scan (a
-- temporary table never is), and large enough that they do: the
-- aggregates read it, one date at a time
DROP TABLE IF EXISTS public.fuzz_keyed;
CREATE TABLE public.fuzz_keyed AS
SELECT as_of, inv, round_id, k, invited_on, response_due_on, declined_on, application_on, notice_on,
       notice_ground, decided_on, decision
  FROM case_outcome;
ANALYZE public.fuzz_keyed;
-- tallies counted from the CASE: per date (g 3), per date and round (g 1),
-- per date and key (g 2); a key's entry even if it counts nothing
CREATE TEMP TABLE case_tally AS
SELECT as_of, round_id, k, GROUPING(round_id, k) AS g,
       format('{%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s}', count(outcome),
              count(*) FILTER (WHERE outcome = 'awaiting_response'), count(*) FILTER (WHERE outcome = 'declined'),
              count(*) FILTER (WHERE outcome = 'expired'), count(*) FILTER (WHERE outcome = 'in_processing'),
              count(*) FILTER (WHERE outcome = 'cancellation_pending'), count(*) FILTER (WHERE outcome = 'rejected'),
              count(*) FILTER (WHERE outcome = 'refused'), count(*) FILTER (WHERE outcome = 'cancelled'),
              count(*) FILTER (WHERE outcome = 'withdrawn'), count(*) FILTER (WHERE outcome = 'selected'),
              count(*) FILTER (WHERE notice = 'cannot_support'),
              count(*) FILTER (WHERE notice = 'did_not_support')) AS tally
  FROM case_outcome
 GROUP BY GROUPING SETS ((as_of), (as_of, round_id), (as_of, k));
-- the aggregates, per date: one grouped query over fuzz_keyed (workers
-- can split it, and combine their partial states per date)
CREATE TEMP VIEW agg_by_date AS
SELECT o.as_of,
       arrima_stats.tally(o.inv, o.as_of)::text AS by_row,
       arrima_stats.tally(o.invited_on, o.response_due_on, o.declined_on, o.application_on, o.notice_on,
                          o.notice_ground, o.decided_on, o.decision, o.as_of)::text AS by_column,
       arrima_stats.tally_by(o.round_id, o.invited_on, o.response_due_on, o.declined_on, o.application_on,
                             o.notice_on, o.notice_ground, o.decided_on, o.decision, o.as_of) AS by_round,
       arrima_stats.tally_by(o.k, o.invited_on, o.response_due_on, o.declined_on, o.application_on,
                             o.notice_on, o.notice_ground, o.decided_on, o.decision, o.as_of) AS by_key
  FROM public.fuzz_keyed o
 GROUP BY o.as_of;
-- ... against the CASE's counts: how many dates differ
CREATE TEMP VIEW aggregate_checks AS
WITH agg AS MATERIALIZED (
  SELECT g.as_of, g.by_row, g.by_column,
         (SELECT string_agg(coalesce(b.key::text, 'null') || ' ' || b.tally::text, ',' ORDER BY b.n)
            FROM unnest(g.by_round) WITH ORDINALITY b(key, tally, n)) AS by_round,
         (SELECT string_agg(coalesce(b.key::text, 'null') || ' ' || b.tally::text, ',' ORDER BY b.n)
            FROM unnest(g.by_key) WITH ORDINALITY b(key, tally, n)) AS by_key
    FROM agg_by_date g
), want AS (
  SELECT a.as_of,
         (SELECT tally FROM case_tally c WHERE c.as_of = a.as_of AND c.g = 3) AS tally,
         (SELECT string_agg(round_id || ' ' || tally, ',' ORDER BY round_id)
            FROM case_tally c WHERE c.as_of = a.as_of AND c.g = 1) AS by_round,
         (SELECT string_agg(coalesce(k::text, 'null') || ' ' || tally, ',' ORDER BY k NULLS LAST)
            FROM case_tally c WHERE c.as_of = a.as_of AND c.g = 2) AS by_key
    FROM as_of_dates a
)
SELECT 'tally(invitation, date)' AS what, count(*) FILTER (WHERE g.by_row IS DISTINCT FROM w.tally) AS wrong,
       count(*) AS checked
  FROM want w LEFT JOIN agg g USING (as_of)
UNION ALL
SELECT 'tally(columns)', count(*) FILTER (WHERE g.by_column IS DISTINCT FROM w.tally), count(*)
  FROM want w LEFT JOIN agg g USING (as_of)
UNION ALL
SELECT 'tally_by(round_id)', count(*) FILTER (WHERE g.by_round IS DISTINCT FROM w.by_round), count(*)
  FROM want w LEFT JOIN agg g USING (as_of)
UNION ALL
SELECT 'tally_by(random keys, NULL last)', count(*) FILTER (WHERE g.by_key IS DISTINCT FROM w.by_key), count(*)
  FROM want w LEFT JOIN agg g USING (as_of);
"""


def part_rollups(db, rng, say):
    psql(db, "TRUNCATE arrima_stats.invitation, arrima_stats.invitation_round CASCADE;")
    rounds = make_rounds(rng, rng.randint(8, 20), SHIPPED + ["FUZZ_A"])
    invitations = []
    ids = rng.sample(range(1, 10 ** 12), 2000)
    for r in rounds:
        for _ in range(rng.choice([0, rng.randint(1, 12), rng.randint(10, 60)])):
            invitations.append(make_invitation(rng, ids[len(invitations)], r))
    while len(invitations) < 60:                    # enough for workers to split
        invitations.append(make_invitation(rng, ids[len(invitations)], rng.choice(rounds)))
    # as_of: days of events and the days around them, and far dates
    events = sorted({d for i in invitations for d in
                     (i["invited_on"], i["due"], i["declined_on"], i["application_on"], i["notice_on"],
                      i["decided_on"]) if d is not None} | {r["held_on"] for r in rounds})
    dates = {e + DAY * rng.choice([-1, 0, 0, 1]) for e in rng.sample(events, min(len(events), 14))}
    dates = sorted(str(d) for d in dates) + ["1999-01-01", "2099-12-31", "infinity", "-infinity"]
    psql(db, "DELETE FROM arrima_stats.category WHERE code = 'FUZZ_A';\n"
         + insert_sql(rounds, invitations, ["FUZZ_A"]))
    say(f"1. {len(rounds)} rounds, {len(invitations)} invitations, {len(dates)} dates")

    setup = ("CREATE TEMP TABLE as_of_dates AS SELECT d::date AS as_of FROM unnest(ARRAY["
             + ", ".join(lit(d) for d in dates) + "]) d;\n\\i test/data/rollups_reference.sql\n"
             + CLASSIFY_CHECKS)
    out = psql(db, setup + r"""
SELECT 'classify() vs the CASE', count(*) FILTER (WHERE arrima_stats.classify(o.inv, o.as_of)::text
                                                    IS DISTINCT FROM o.outcome), count(*)
  FROM case_outcome o;
SELECT * FROM aggregate_checks;
SELECT 'roll-ups vs rollups_reference.sql', count(*) FILTER (WHERE (dashboard_extra, dashboard_rows_diff,
        category_extra, category_rows_diff, annual_extra, annual_rows_diff) <> (0, 0, 0, 0, 0, 0)), count(*)
  FROM rollups_vs_reference;
-- the same with every aggregate split across workers
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT what || ', parallel', wrong, checked FROM aggregate_checks;
-- the workers launched: EXPLAIN ANALYZE of the parallel queries
CREATE FUNCTION pg_temp.launched(query text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query INTO plan;
  RETURN (SELECT coalesce(sum((n ->> 'Workers Launched')::int), 0)
            FROM jsonb_path_query(plan, 'strict $.**') n
           WHERE jsonb_typeof(n) = 'object' AND n ? 'Workers Launched');
END
$$;
SELECT 'parallel plans: grouped aggregates with no worker launched',
       CASE WHEN pg_temp.launched('SELECT * FROM aggregate_checks') > 0 THEN 0 ELSE 1 END, 1;
SELECT 'roll-ups, parallel', count(*) FILTER (WHERE (dashboard_extra, dashboard_rows_diff,
        category_extra, category_rows_diff, annual_extra, annual_rows_diff) <> (0, 0, 0, 0, 0, 0)), count(*)
  FROM rollups_vs_reference;
""")
    return report(out, say)


def report(out, say):
    """Lines 'what|wrong|checked': print them, count the wrong."""
    problems = 0
    for line in out.splitlines():
        what, wrong, checked = line.rsplit("|", 2)
        flag = "" if wrong == "0" and int(checked) > 0 else "   <-- FAIL"
        say(f"   {what}: {wrong} wrong of {checked}{flag}")
        if flag:
            problems += 1
    return problems


# ---------------------------------------------------------------------------
# 2. Loading: ingest() against a validator written here
# ---------------------------------------------------------------------------

REFERENCE_VALIDATOR = r"""
CREATE SCHEMA IF NOT EXISTS ref;
DROP TABLE IF EXISTS ref.rules, ref.staged, ref.before;
-- the table's rules: its CHECK and NOT NULL constraints, on a copy
CREATE TABLE ref.rules (LIKE arrima_stats.invitation INCLUDING CONSTRAINTS);
-- a value as read: ASCII blanks around it ignored, empty is NULL
CREATE OR REPLACE FUNCTION ref.clean(v text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT nullif(btrim(v, E' \t\n\r\x0b\f'), '') $$;
-- an integer: an optional sign and digits, within [lo, hi]
CREATE OR REPLACE FUNCTION ref.is_int(v text, lo numeric, hi numeric) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v ~ '^[+-]?[0-9]+$' THEN v::numeric BETWEEN lo AND hi
                                          ELSE false END $$;
-- a date: YYYY-MM-DD, a day of the calendar, year 1 or later
CREATE OR REPLACE FUNCTION ref.date_of(v text) RETURNS date
  LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  y int;
  m int;
  d int;
BEGIN
  IF v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    RETURN NULL;
  END IF;
  y := substr(v, 1, 4)::int;
  m := substr(v, 6, 2)::int;
  d := substr(v, 9, 2)::int;
  IF y < 1 OR m NOT BETWEEN 1 AND 12 OR d < 1
     OR d > extract(day FROM make_date(y, m, 1) + interval '1 month' - interval '1 day') THEN
    RETURN NULL;
  END IF;
  RETURN make_date(y, m, d);
END
$$;
-- a staged row: whether it is valid, its id when the id reads as one, and
-- the invitation it makes
CREATE OR REPLACE FUNCTION ref.validate(s arrima_stats.invitation_staging, response_days integer,
                                        OUT ok boolean, OUT id bigint, OUT inv arrima_stats.invitation)
  LANGUAGE plpgsql AS $$
DECLARE
  v text;
  d date;
  c text;
BEGIN
  ok := true;
  v := ref.clean(s.invitation_id);
  IF v IS NOT NULL AND ref.is_int(v, -9223372036854775808, 9223372036854775807) THEN
    id := v::numeric;
    inv.invitation_id := id;
  ELSE
    ok := false;
  END IF;
  v := ref.clean(s.round_id);
  IF v IS NOT NULL AND ref.is_int(v, -2147483648, 2147483647) THEN
    inv.round_id := v::numeric;
  ELSE
    ok := false;
  END IF;
  FOREACH c IN ARRAY ARRAY['invited_on', 'response_due_on', 'declined_on', 'application_on',
                           'notice_on', 'decided_on'] LOOP
    v := ref.clean(to_jsonb(s) ->> c);
    IF v IS NULL THEN
      IF c = 'invited_on' THEN
        ok := false;
      END IF;
      CONTINUE;
    END IF;
    d := ref.date_of(v);
    IF d IS NULL THEN
      ok := false;
    END IF;
    inv := jsonb_populate_record(inv, jsonb_build_object(c, d));
  END LOOP;
  v := ref.clean(s.notice_ground);
  IF v IS NOT NULL AND v NOT IN ('cannot_support', 'did_not_support') THEN
    ok := false;
  ELSIF v IS NOT NULL THEN
    inv.notice_ground := v;
  END IF;
  v := ref.clean(s.decision);
  IF v IS NOT NULL AND v NOT IN ('rejected', 'refused', 'cancelled', 'withdrawn', 'selected') THEN
    ok := false;
  ELSIF v IS NOT NULL THEN
    inv.decision := v;
  END IF;
  IF response_days IS NULL THEN
    ok := false;                 -- no such round
  END IF;
  IF NOT ok THEN
    RETURN;
  END IF;
  IF inv.response_due_on IS NULL THEN
    inv.response_due_on := inv.invited_on + response_days;
  END IF;
  BEGIN
    INSERT INTO ref.rules SELECT inv.*;
    RAISE EXCEPTION USING ERRCODE = 'P0099';   -- keep nothing
  EXCEPTION
    WHEN SQLSTATE 'P0099' THEN NULL;
    WHEN check_violation OR not_null_violation THEN ok := false;
  END;
END
$$;
CREATE TABLE ref.before AS SELECT * FROM arrima_stats.invitation;
CREATE TABLE ref.staged (n serial, s arrima_stats.invitation_staging);
"""

REFERENCE_COMPARE = r"""
-- the validator's verdict on each staged row
CREATE TEMP TABLE verdict AS
SELECT st.n, st.s, v.ok, v.id, v.inv
  FROM ref.staged st
  LEFT JOIN arrima_stats.invitation_round r
         ON r.round_id = CASE WHEN ref.is_int(ref.clean((st.s).round_id), -2147483648, 2147483647)
                              THEN ref.clean((st.s).round_id)::numeric END
 CROSS JOIN LATERAL ref.validate(st.s, r.response_days) v;
CREATE TEMP TABLE repeated AS
SELECT id, count(*) AS copies FROM verdict WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1;
CREATE TEMP TABLE accepted AS
SELECT (v.inv).* FROM verdict v WHERE v.ok AND v.id NOT IN (SELECT id FROM repeated);
CREATE TEMP TABLE expected AS
SELECT * FROM ref.before b WHERE b.invitation_id NOT IN (SELECT invitation_id FROM accepted)
UNION ALL SELECT * FROM accepted;
SELECT 'ingest() counts (inserted, updated, rejected)',
       CASE WHEN (g.inserted, g.updated, g.rejected)
                 = ((SELECT count(*) FROM accepted a WHERE a.invitation_id NOT IN (SELECT invitation_id FROM ref.before)),
                    (SELECT count(*) FROM accepted a WHERE a.invitation_id IN (SELECT invitation_id FROM ref.before)),
                    (SELECT count(*) FROM verdict) - (SELECT count(*) FROM accepted))
            THEN 0 ELSE 1 END, 1
  FROM got g;
SELECT 'invitation after ingest(): rows differing from the reference',
       (SELECT count(*) FROM (SELECT * FROM arrima_stats.invitation EXCEPT ALL SELECT * FROM expected) x)
       + (SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM arrima_stats.invitation) x),
       (SELECT count(*) FROM expected);
SELECT 'rejects: rows differing from the staged rows refused, verbatim',
       (SELECT count(*) FROM ((SELECT (v.s).* FROM verdict v WHERE NOT v.ok OR v.id IN (SELECT id FROM repeated))
                              EXCEPT ALL
                              SELECT invitation_id, round_id, invited_on, response_due_on, declined_on,
                                     application_on, notice_on, notice_ground, decided_on, decision
                                FROM arrima_stats.invitation_reject r, got g WHERE r.batch_id = g.batch_id) x)
       + (SELECT count(*) FROM ((SELECT invitation_id, round_id, invited_on, response_due_on, declined_on,
                                        application_on, notice_on, notice_ground, decided_on, decision
                                   FROM arrima_stats.invitation_reject r, got g WHERE r.batch_id = g.batch_id)
                                EXCEPT ALL
                                SELECT (v.s).* FROM verdict v WHERE NOT v.ok OR v.id IN (SELECT id FROM repeated)) x),
       (SELECT count(*) FROM verdict WHERE NOT ok OR id IN (SELECT id FROM repeated));
SELECT 'rejects of ids staged twice (valid otherwise): the exact reason',
       count(*) FILTER (WHERE NOT EXISTS (
         SELECT FROM arrima_stats.invitation_reject r, got g
          WHERE r.batch_id = g.batch_id AND r.invitation_id IS NOT DISTINCT FROM (v.s).invitation_id
            AND r.reason = format('invitation_id %s appears %s times in this batch', v.id, d.copies))),
       count(*)
  FROM verdict v JOIN repeated d ON d.id = v.id WHERE v.ok;
SELECT 'staging emptied', (SELECT count(*) FROM arrima_stats.invitation_staging), 1;
SELECT 'the reference found valid and invalid rows',
       CASE WHEN (SELECT count(*) FROM accepted) > 0 AND (SELECT count(*) FROM verdict WHERE NOT ok) > 0
            THEN 0 ELSE 1 END, 1;
"""


def staged_text(inv):
    return [None if inv[c] is None else str(inv[c]) for c in COLUMNS]


def blank(rng):
    return "".join(rng.choice(" \t\n\r\x0b\x0c") for _ in range(rng.randint(1, 3)))


def break_row(rng, row, existing_ids):
    """Mutate a staged row (a list of texts) in one of many ways; some keep
    it valid (blanks, signs, zeros, labels with blanks)."""
    i = rng.randrange(len(COLUMNS))
    c = COLUMNS[i]
    kind = rng.randrange(12)
    if kind == 0:                                   # blanks around: still the same value
        if row[i] is not None:
            row[i] = blank(rng) + row[i] + rng.choice(["", blank(rng)])
    elif kind == 1:                                 # empty or NULL
        row[i] = rng.choice(["", None, blank(rng)])
    elif kind == 2 and c in ("invitation_id", "round_id"):
        row[i] = rng.choice(["x", "1.5", "0x10", "1e3", "1_000", "--1", "+", "", " 1 2",
                             "9223372036854775808", "-9223372036854775809", "2147483648",
                             "+" + (row[i] or "1"), "007" if c == "invitation_id" else "-0",
                             "١٢", "1" + "0" * 30])
    elif kind == 3 and c not in ("invitation_id", "round_id", "notice_ground", "decision") \
            and row[i] is not None and rng.random() < 0.5:
        # the last day of the date's month, or the day after it written in
        # the same month (2022-02-29, 2022-04-31): the calendar's edges
        try:
            d = datetime.date.fromisoformat(row[i].strip())
        except ValueError:
            return row                              # broken already
        last = ((d.replace(day=28) + 4 * DAY).replace(day=1) - DAY).day
        row[i] = f"{d.year:04d}-{d.month:02d}-{last + rng.choice([0, 1, 1]):02d}"
    elif kind == 2 or kind == 3:
        if c in ("notice_ground", "decision"):
            row[i] = rng.choice(["Selected", "SELECTED", "selected ", "cancel", "did not support",
                                 "cannot_support", "rejected", "withdrawn", "null", "NULL"])
        else:
            row[i] = rng.choice(["2022-02-30", "2022-13-01", "2022-00-10", "2023-02-29", "2024-02-29",
                                 "22-01-01", "2022/01/01", "2022-1-1", "01/02/2022", "infinity",
                                 "2022-01-01 00:00:00", "0000-01-01", "0001-01-01", "9999-12-31",
                                 "10000-01-01", "2022-01-01T00:00", "20220101", "2022-06-15"])
    elif kind == 4:                                 # an unknown round
        row[1] = str(rng.choice([999999, -999999, 4242]))
    elif kind == 5:                                 # declined and applied both
        row[4] = row[4] or row[2]
        row[5] = row[5] or row[2]
    elif kind == 6:                                 # an event before the invitation
        j = rng.choice([3, 4, 5, 6, 8])
        row[j] = "2000-01-01"
    elif kind == 7:                                 # a notice without a ground, or the reverse
        if row[6] is not None:
            row[rng.choice([6, 7])] = None
        else:
            row[7] = rng.choice(GROUNDS)
    elif kind == 8:                                 # a decision without its date, or cancelled without notice
        if row[9] is not None:
            row[rng.choice([8, 9])] = None
        elif row[5] is not None:
            row[8], row[9] = row[5], "cancelled"
    elif kind == 9:                                 # after the window
        if row[5] is not None or row[4] is not None:
            row[5 if row[5] is not None else 4] = "2099-01-01"
    elif kind == 10:                                # an id that is loaded already: an update
        if existing_ids:
            row[0] = str(rng.choice(existing_ids))
    else:                                           # a response_due_on to fill from the round
        row[3] = rng.choice(["", None])
    return row


def part_ingest(db, rng, say):
    psql(db, "TRUNCATE arrima_stats.invitation, arrima_stats.invitation_reject, "
             "arrima_stats.invitation_staging, arrima_stats.invitation_round CASCADE;\n"
             "DELETE FROM arrima_stats.category WHERE code = 'FUZZ_A';")
    rounds = make_rounds(rng, 6, SHIPPED)
    ids = rng.sample(range(1, 10 ** 6), 1500)
    loaded = [make_invitation(rng, ids.pop(), rng.choice(rounds)) for _ in range(40)]
    psql(db, insert_sql(rounds, loaded, []) + REFERENCE_VALIDATOR)
    existing = [i["invitation_id"] for i in loaded]
    rows = []
    for _ in range(350):
        r = rng.choice(rounds)
        iid = rng.choice(existing) if rng.random() < 0.15 else ids.pop()
        row = staged_text(make_invitation(rng, iid, r))
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            row = break_row(rng, row, existing)
        rows.append(row)
    for _ in range(15):                             # ids staged twice, same or other values
        rows.append(list(rng.choice(rows)))
    rng.shuffle(rows)
    values = ",\n".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)
    say(f"2. {len(rows)} staged rows over {len(rounds)} rounds, {len(loaded)} invitations loaded")
    out = psql(db, f"""
INSERT INTO arrima_stats.invitation_staging VALUES\n{values};
INSERT INTO ref.staged (s) SELECT s FROM arrima_stats.invitation_staging s;
CREATE TEMP TABLE got AS SELECT * FROM arrima_stats.ingest();
{REFERENCE_COMPARE}""")
    return report(out, say)


# ---------------------------------------------------------------------------
# 3. Policies and publications
# ---------------------------------------------------------------------------

POLICY_SQL = r"""
CREATE OR REPLACE FUNCTION pg_temp.try_policy(m integer, r integer) RETURNS text
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE arrima_stats.disclosure_policy SET min_count = m, round_to = r;
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  RETURN 'refused';
END
$$;
"""

CELLS_VS_ROLLUPS = r"""
-- every cell's value is the roll-up's figure as of the same date
CREATE TEMP VIEW rollup_figures AS
SELECT 'round_dashboard' AS publication, coalesce(d.round_id::text, 'total') AS row_key, j.key AS measure,
       j.value::bigint AS value
  FROM arrima_stats.round_dashboard((SELECT as_of FROM arrima_stats.publication_state)) d,
       jsonb_each_text(to_jsonb(d) - '{round_id,category,held_on,invitations_published,is_total}'::text[]) j
UNION ALL
SELECT 'annual_summary', d.year::text, j.key, j.value::bigint
  FROM arrima_stats.annual_summary((SELECT as_of FROM arrima_stats.publication_state)) d,
       jsonb_each_text(to_jsonb(d) - 'year') j
UNION ALL
SELECT 'category_summary', coalesce(d.year::text, '') || '/' || coalesce(d.category, ''), j.key, j.value::bigint
  FROM arrima_stats.category_summary((SELECT as_of FROM arrima_stats.publication_state)) d,
       jsonb_each_text(to_jsonb(d) - '{year,category}'::text[]) j;
SELECT 'cells vs the roll-ups as of the same date',
       (SELECT count(*) FROM ((SELECT publication, row_key, measure, value FROM arrima_stats.publication_cell
                               EXCEPT ALL SELECT * FROM rollup_figures)
                              UNION ALL
                              (SELECT * FROM rollup_figures
                               EXCEPT ALL SELECT publication, row_key, measure, value
                                            FROM arrima_stats.publication_cell)) x),
       (SELECT count(*) FROM arrima_stats.publication_cell);
"""


# Each random publication is a first release: the releases made before (of
# other random data) are forgotten, as sql/publication.sql does (a superuser
# can go around the triggers that keep them).  A series of releases is
# test/cases/attack_releases.py's to attack (release_series.sh).
FORGET_RELEASES = """
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE arrima_stats.release, arrima_stats.release_group, arrima_stats.release_cell;
COMMIT;
SELECT setval('arrima_stats.release_id_seq', 1, false) \\g /dev/null
"""


def part_publications(db, rng, n, say):
    problems = 0
    say(f"3. policy changes, then {n} random publications (GLPK)")
    psql(db, POLICY_SQL)
    tries = [(rng.choice([None, -1, 0, 1, 2, 3, 5, 7, 10, 2147483647]),
              rng.choice([None, -2, 0, 1, 2, 5, 10])) for _ in range(12)]
    out = psql(db, POLICY_SQL + "\n".join(
        f"SELECT pg_temp.try_policy({'NULL' if m is None else m}, {'NULL' if r is None else r});"
        for m, r in tries) + "\nSELECT min_count || ' ' || round_to FROM arrima_stats.disclosure_policy;")
    got = out.splitlines()
    last = (5, 1)
    for (m, r), verdict in zip(tries, got):
        want = "accepted" if m is not None and r is not None and m >= 1 and r >= 1 else "refused"
        if want == "accepted":
            last = (m, r)
        if verdict != want:
            say(f"   policy min_count {m}, round_to {r}: {verdict}, expected {want}   <-- FAIL")
            problems += 1
    if got[-1] != f"{last[0]} {last[1]}":
        say(f"   the policy is {got[-1]}, expected {last[0]} {last[1]}   <-- FAIL")
        problems += 1
    say(f"   {len(tries)} policy changes: {problems} wrong")

    for k in range(n):
        psql(db, "TRUNCATE arrima_stats.invitation, arrima_stats.invitation_round CASCADE;")
        rounds = make_rounds(rng, rng.randint(1, 5), rng.sample(SHIPPED, 3))
        ids = rng.sample(range(1, 10 ** 6), 200)
        invitations = []
        for r in rounds:
            r["invitations_published"] = None
            for _ in range(rng.choice([0, rng.randint(1, 6), rng.randint(5, 30)])):
                invitations.append(make_invitation(rng, ids.pop(), r))
        min_count = rng.choice([1, 2, 3, 5, 5, 7, 10])
        round_to = rng.choice([1, 1, 2, 5, 10])
        as_of = date_between(rng, datetime.date(2020, 6, 1), datetime.date(2026, 1, 1))
        psql(db, insert_sql(rounds, invitations, []) +
             f"\nUPDATE arrima_stats.disclosure_policy SET min_count = {min_count}, round_to = {round_to};"
             + FORGET_RELEASES +
             f"\nSELECT arrima_stats.refresh_publications({lit(as_of)});")
        lines = []
        bad = crosscheck_audit.check(db, published=True, say=lines.append)
        flag = "" if bad == 0 else "   <-- FAIL"
        say(f"   publication {k + 1}: {len(rounds)} rounds, {len(invitations)} invitations, "
            f"min_count {min_count}, round_to {round_to}, as of {as_of}: {lines[-1]}{flag}")
        if bad:
            for line in lines[:-1]:
                say("      " + line)
            problems += 1
        problems += report(psql(db, CELLS_VS_ROLLUPS), say)
    return problems


def main():
    args = sys.argv[1:]
    seed = None
    publications = 6
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--seed":
            seed = int(args.pop(0))
        elif opt == "--publications":
            publications = int(args.pop(0))
        else:
            sys.exit(__doc__)
    if len(args) != 1:
        sys.exit(__doc__)
    db = args[0]
    if seed is None:
        seed = random.SystemRandom().randrange(10 ** 9)
    print(f"seed {seed}  (repeat with: --seed {seed})", flush=True)
    rng = random.Random(seed)

    def say(line):
        print(line, flush=True)

    try:
        problems = part_rollups(db, rng, say)
        problems += part_ingest(db, rng, say)
        problems += part_publications(db, rng, publications, say)
    except Failed as e:
        say(f"FAIL: {e}")
        sys.exit(1)
    say(f"{problems} disagreements (seed {seed})")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
