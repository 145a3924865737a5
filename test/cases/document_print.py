"""test/cases/document_print.py: what the printed document says.

    /usr/bin/python3 document_print.py DIR DATABASE ...     (run by document_print.sh)

For each DATABASE, DIR holds <database>_<lang>_<paper>.pdf, the latest
release's document printed by Chromium (lang fr, en; paper letter, a4).
pdftotext -layout reads each; the figures to find come from the reader
schema (as printed: rounded; where withheld, the interval published with
the count, and the value an earlier release showed), the withheld counts'
true values from release_cell.  Each PDF must be landscape on its paper and
show: the as-of date; the total of invitations on a Total line; every row
of the yearly table (Table 2), cell for cell, in order, a withheld count as
its interval ("214 à 232", "≤ 5", "≥ 956"; x with no bound); below a row,
each of its carried values ("214 au" / "214 as of", then the date); never
the true value of a withheld count in its place.
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
    return "{:,}".format(n).replace(",", " " if lang == "fr" else ",")


def cell(value, lower, upper, lang):
    """A count of a table as the document prints it: its value, or when
    withheld the interval published with it (x when it has no bound)."""
    if value is not None:
        return fmt(value, lang)
    if upper is None:
        return "x" if lower == 0 else "≥ " + fmt(lower, lang)
    if lower == 0:
        return "≤ " + fmt(upper, lang)
    return fmt(lower, lang) + (" à " if lang == "fr" else " to ") + fmt(upper, lang)


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
        # the yearly table: per year, its counts in the table's order, each
        # (value, lower, upper, carried value, its date in French, in English)
        cur.execute("SELECT year, measure, value, lower, upper, carried_value, "
                    "arrima_stats.format_date(carried_as_of, 'fr'), arrima_stats.format_date(carried_as_of, 'en') "
                    "FROM arrima_published.release_count "
                    "WHERE release_id = %s AND dashboard = 'annual_summary' AND measure = ANY (%s)",
                    (release_id, YEAR_COLUMNS))
        years = {}
        for year, measure, *count in cur.fetchall():
            years.setdefault(year, [None] * len(YEAR_COLUMNS))[YEAR_COLUMNS.index(measure)] = count
        cur.execute("SELECT year, measure, value FROM arrima_stats.release_cell WHERE release_id = %s "
                    "AND publication = 'annual_summary' AND withheld AND measure = ANY (%s) ORDER BY year, measure",
                    (release_id, YEAR_COLUMNS))
        withheld = cur.fetchall()
        carried = sum(1 for counts in years.values() for c in counts if c[3] is not None)
        print("%s: release %d as of %s, min_count %d, round_to %d; %d withheld counts in the yearly table, "
              "%d with a carried value" % (db, release_id, as_of, min_count, round_to, len(withheld), carried))
        if db == databases[0]:
            check(carried > 0, "%s: the yearly table carries values shown before" % db)
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
                for year, counts in sorted(years.items()):
                    want = " ".join([str(year)] + [cell(*c[:3], lang) for c in counts])
                    at = [i for i, line in enumerate(lines) if line == want or line.startswith(want + " ")]
                    check(at, "%s: the yearly row '%s'" % (what, want))
                    # below the row: each carried value, and its date (the
                    # cell is narrow: the date may come a line lower)
                    below = " ".join(lines[at[0] + 1:at[0] + 4])
                    for value, _, _, carried_value, date_fr, date_en in counts:
                        if carried_value is None:
                            continue
                        shown = "%s %s" % (fmt(carried_value, lang), "au" if lang == "fr" else "as of")
                        date = date_fr if lang == "fr" else date_en
                        check(shown in below and date in below,
                              "%s: below %s, the value shown before, '%s' ... '%s'" % (what, year, shown, date))
                for year, measure, value in withheld:
                    printed = cell(*years[year][YEAR_COLUMNS.index(measure)][:3], lang)
                    check(years[year][YEAR_COLUMNS.index(measure)][0] is None and printed != fmt(value, lang),
                          "%s: %s %s (withheld, %d) is printed as its interval, %s" % (what, year, measure, value,
                                                                                      printed))
                check("file:" not in text and ".html" not in text, "%s: no browser header or footer" % what)
        conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
