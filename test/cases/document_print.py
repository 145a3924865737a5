"""test/cases/document_print.py: what the printed document says.

    /usr/bin/python3 document_print.py DIR DATABASE ...     (run by document_print.sh)

For each DATABASE, DIR holds <database>_<lang>_<paper>.pdf, the latest
release's document printed by Chromium (lang fr, en; paper letter, a4).
pdftotext -layout reads each; the figures to find come from the reader
schema (as printed: rounded, x where withheld), the withheld counts' true
values from release_cell.  Each PDF must be landscape on its paper and show:
the as-of date; the total of invitations on a Total line; every row of the
yearly table (Table 2), cell for cell, in order, a withheld count as x.
Prints "ok: ..." per check; exits 1 at the first that fails.
"""
import re
import subprocess
import sys

import psycopg2

PAPERS = {"letter": "letter", "a4": "A4"}
YEAR_COLUMNS = ["invitations", "rejected", "refused", "notices", "declined", "expired"]


def check(ok, what):
    if not ok:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


def fmt(n, lang):
    """A count as the document prints it, as pdftotext gives it back (the
    French narrow no-break space comes back as a space)."""
    if n is None:
        return "x"
    return "{:,}".format(n).replace(",", " " if lang == "fr" else ",")


def collapse(line):
    return " ".join(line.split())


def main(directory, *databases):
    for db in databases:
        conn = psycopg2.connect(dbname=db)
        cur = conn.cursor()
        cur.execute("SELECT release_id, as_of, min_count, round_to FROM arrima_published.release WHERE is_latest")
        release_id, as_of, min_count, round_to = cur.fetchone()
        cur.execute("SELECT invitations FROM arrima_published.round_dashboard WHERE row_kind = 'total'")
        total = cur.fetchone()[0]
        cur.execute("SELECT sum(value) FROM arrima_stats.release_cell WHERE release_id = %s "
                    "AND publication = 'round_dashboard' AND round_id IS NULL AND measure = 'invitations'",
                    (release_id,))
        exact_total = cur.fetchone()[0]
        cur.execute("SELECT year, " + ", ".join(YEAR_COLUMNS) + " FROM arrima_published.annual_summary ORDER BY year")
        years = cur.fetchall()
        cur.execute("SELECT year, measure, value FROM arrima_stats.release_cell WHERE release_id = %s "
                    "AND publication = 'annual_summary' AND withheld AND measure = ANY (%s) ORDER BY year, measure",
                    (release_id, YEAR_COLUMNS))
        withheld = cur.fetchall()
        print("%s: release %d as of %s, min_count %d, round_to %d; %d withheld counts in the yearly table"
              % (db, release_id, as_of, min_count, round_to, len(withheld)))
        for lang in ("fr", "en"):
            cur.execute("SELECT arrima_stats.format_date(%s, %s)", (as_of, lang))
            as_of_text = cur.fetchone()[0]
            for paper, name in PAPERS.items():
                pdf = "%s/%s_%s_%s.pdf" % (directory, db, lang, paper)
                what = "%s %s %s" % (db, lang, paper)
                info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
                size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts(?: \((\S+)\))?", info, re.M)
                pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
                check(size and size.group(3) == name and float(size.group(1)) > float(size.group(2)),
                      "%s: %s landscape, %d pages (%s x %s pts)" % (what, name, pages, size.group(1), size.group(2)))
                text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True,
                                      text=True).stdout.replace("\u202f", " ").replace("\u00a0", " ")
                lines = [collapse(line) for line in text.splitlines()]
                check(as_of_text in " ".join(lines), "%s: the as-of date, %s" % (what, as_of_text))
                check(any(re.match(r"Total %s( |$)" % re.escape(fmt(total, lang)), line) for line in lines),
                      "%s: a Total line with the total of invitations, %s" % (what, fmt(total, lang)))
                if round_to > 1 and exact_total != total:
                    check(fmt(exact_total, lang) not in " ".join(lines),
                          "%s: not the exact total (%s), only the rounded one" % (what, fmt(exact_total, lang)))
                for row in years:
                    want = " ".join([str(row[0])] + [fmt(v, lang) for v in row[1:]])
                    check(any(line == want or line.startswith(want + " ") for line in lines),
                          "%s: the yearly row '%s'" % (what, want))
                for year, measure, value in withheld:
                    row = next(r for r in years if r[0] == year)
                    check(row[1 + YEAR_COLUMNS.index(measure)] is None,
                          "%s: %s %s (withheld, %d) is printed x" % (what, year, measure, value))
                check("file:" not in text and ".html" not in text, "%s: no browser header or footer" % what)
        conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
