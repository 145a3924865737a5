"""test/cases/reader_pandas.py: the reader schema as pandas users read it.

    /usr/bin/python3 reader_pandas.py DATABASE ROLE     (run by reader_pandas.sh)

Connects with psycopg2 as a reporting role (PGHOST and PGPORT from the
environment).  Shows the trap (a count column with a withheld value arrives as
float64, one without as int64), then the two safe ways to read counts as
nullable integers (Int64): .astype('Int64') after read_sql, or rows from
psycopg2 made into Int64 arrays directly (exact, no float on the way).  Then
row_kind, and the long view.  Prints "ok: ..." per check; exits 1 at the
first that fails.
"""
import sys
import warnings

import pandas as pd
import psycopg2

# pandas 1.5 warns that it only tests SQLAlchemy and sqlite3 connections; a
# psycopg2 connection is what users without SQLAlchemy have, and works.
warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy")

COUNTS = ["invitations", "declined", "expired", "rejected", "refused",
          "notices_cannot_support", "notices_did_not_support", "awaiting_response",
          "in_processing", "cancellation_pending", "cancelled", "withdrawn", "selected",
          "invitations_published"]


def check(ok, what):
    if not ok:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


def main(db, role):
    conn = psycopg2.connect(dbname=db, user=role)
    print("pandas %s, psycopg2 %s, as %s" % (pd.__version__, psycopg2.__version__, role))

    # The trap: read as is, a column's type depends on what this release withheld.
    raw = pd.read_sql("SELECT * FROM arrima_published.round_dashboard", conn)
    print("read_sql as is: declined %s, invitations %s" % (raw["declined"].dtype, raw["invitations"].dtype))
    check(raw["declined"].dtype == "float64" and raw["invitations"].dtype == "int64",
          "as is, a count with a withheld value is float64 and one without int64 (why Int64 is needed)")

    # Safe, 1: astype('Int64') on every count column.
    df = raw.copy()
    df[COUNTS] = df[COUNTS].astype("Int64")
    check(all(str(df[c].dtype) == "Int64" for c in COUNTS), "after .astype('Int64') every count is Int64")

    # Safe, 2: the rows from psycopg2, each count column an Int64 array of
    # Python ints and None.
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM arrima_published.round_dashboard")
        names = [d.name for d in cur.description]
        rows = cur.fetchall()
    exact = pd.DataFrame({n: pd.array([r[i] for r in rows], dtype="Int64") if n in COUNTS
                          else [r[i] for r in rows] for i, n in enumerate(names)})
    pd.testing.assert_frame_equal(exact[COUNTS], df[COUNTS])
    check(True, "Int64 columns built from psycopg2's rows equal read_sql's with .astype('Int64')")

    # Withheld is NA, and the long view's status says so.
    lc = pd.read_sql("SELECT * FROM arrima_published.release_count c "
                     "WHERE c.release_id = (SELECT max(r.release_id) FROM arrima_published.release r) "
                     "AND c.dashboard = 'round_dashboard'", conn)
    lc["value"] = lc["value"].astype("Int64")
    check(str(lc["value"].dtype) == "Int64" and
          (lc["value"].isna() == (lc["status"] == "withheld")).all() and (lc["status"] == "withheld").any(),
          "release_count: value NA exactly where status is withheld (%d of %d)"
          % ((lc["status"] == "withheld").sum(), len(lc)))
    shown = [m for m in COUNTS if m != "invitations_published"]
    withheld_in_df = int(df[shown].isna().sum().sum())
    check(withheld_in_df == int((lc["status"] == "withheld").sum()),
          "round_dashboard has an NA for each withheld count of the long view (%d)" % withheld_in_df)

    # The long view pivoted is the dashboard.
    keyed = lc.assign(key=lc["round_id"].astype("Int64").astype(str).where(lc["row_kind"] == "round", "total"))
    wide = keyed.pivot(index="key", columns="measure", values="value")[shown]
    dash = df.assign(key=df["round_id"].astype("Int64").astype(str).where(df["row_kind"] == "round", "total"))
    dash = dash.set_index("key")[shown].sort_index()
    pd.testing.assert_frame_equal(wide.sort_index(), dash, check_names=False, check_dtype=False)
    check(True, "release_count pivoted by round and measure equals round_dashboard, NA for NA")

    # row_kind: the total is a row of its own, not to be added to the rounds.
    rounds = df[df["row_kind"] == "round"]
    total = df[df["row_kind"] == "total"]
    check(len(total) == 1 and len(rounds) == len(df) - 1, "one total row, %d rounds" % len(rounds))
    check(rounds["invitations"].sum() == total["invitations"].iloc[0],
          "sum of the rounds' invitations = the total row's (%d)" % total["invitations"].iloc[0])
    check(df["invitations"].sum() == 2 * total["invitations"].iloc[0],
          "summing the column without row_kind counts everything twice")
    check(pd.isna(total["invitations_published"].iloc[0]) and
          total["invitations_published_status"].iloc[0] == "not_published",
          "the total's ministry figure is NA because not every round has one: not_published")

    # The other two dashboards.
    for view, n in (("annual_summary", 12), ("category_summary", 14)):
        d = pd.read_sql("SELECT * FROM arrima_published.%s" % view, conn)
        counts = [c for c in d.columns if c in COUNTS or c == "notices"]
        d[counts] = d[counts].astype("Int64")
        check(len(counts) == n and all(str(d[c].dtype) == "Int64" for c in counts) and d["row_kind"].notna().all(),
              "%s: %d rows, %d Int64 counts, a row_kind for each (%s)"
              % (view, len(d), len(counts), ", ".join(sorted(d["row_kind"].unique()))))

    # Adding up rounds: a withheld count is no zero.  sum() skips NA, so a
    # category with withheld rounds gets a sum that is only part of its
    # count; sum(min_count=1) is NA where every round is withheld, and
    # sum(skipna=False) wherever one is; the intervals bound the true sum.
    cats = pd.read_sql("SELECT category, refused FROM arrima_published.category_summary "
                       "WHERE row_kind = 'category'", conn)
    truth = dict(zip(cats["category"], cats["refused"].astype("Int64")))
    by_cat = rounds.groupby("category")["refused"]
    naive = by_cat.sum()
    partial = [c for c in naive.index if rounds[rounds["category"] == c]["refused"].isna().any()]
    check(partial and all(pd.isna(truth[c]) or naive[c] <= truth[c] for c in partial) and
          any(not pd.isna(truth[c]) and naive[c] < truth[c] for c in partial),
          "groupby().sum() adds up only the rounds shown: less than the category's count for %s"
          % ", ".join(c for c in partial if not pd.isna(truth[c]) and naive[c] < truth[c]))
    strict = by_cat.agg(lambda v: v.sum(skipna=False))
    check(all(pd.isna(strict[c]) for c in partial) and
          all(strict[c] == truth[c] for c in strict.index if c not in partial and not pd.isna(truth[c])),
          "agg(lambda v: v.sum(skipna=False)) is NA where a round is withheld, the count elsewhere")
    some = by_cat.sum(min_count=1)
    check(all(pd.isna(some[c]) == rounds[rounds["category"] == c]["refused"].isna().all() for c in some.index),
          "sum(min_count=1) is NA only where every round is withheld")
    bounds = pd.read_sql("SELECT i.row_kind, d.category, i.refused_lower, i.refused_upper "
                         "FROM arrima_published.round_dashboard_interval i "
                         "JOIN arrima_published.round_dashboard d USING (release_id, row_key) "
                         "WHERE i.row_kind = 'round'", conn)
    bounds[["refused_lower", "refused_upper"]] = bounds[["refused_lower", "refused_upper"]].astype("Int64")
    sums = bounds.groupby("category")[["refused_lower", "refused_upper"]].sum(min_count=1)
    held = [c for c in sums.index if not pd.isna(truth[c])]
    check(held and bounds["refused_upper"].notna().all() and
          all(sums.loc[c, "refused_lower"] <= truth[c] <= sums.loc[c, "refused_upper"] for c in held),
          "the sums of refused_lower and refused_upper (round_dashboard_interval) bound each "
          "category's count (%d categories)" % len(held))
    conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
