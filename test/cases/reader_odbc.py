"""test/cases/reader_odbc.py: the reader schema as ODBC clients see it.

    /usr/bin/python3 reader_odbc.py DRIVER DATABASE ROLE WITHHELD   (run by reader_odbc.sh)

Connects through unixODBC and psqlODBC's Unicode driver (the one Excel and
Power BI use on Windows) to the throwaway server's Unix socket (PGHOST,
PGPORT from the environment) as a reporting role.  SQLColumns on every view
of arrima_published: a key or label is SQL_WVARCHAR of its declared length
(psqlODBC gives text as SQL_WLONGVARCHAR, a memo column to Excel); a count is
SQL_BIGINT; REMARKS, where ODBC would carry comments, is empty (psqlODBC 13
does not read them).  Then the latest round dashboard: WITHHELD rounds have
selected NULL (None), never 0.  Prints "ok: ..." per check; exits 1 at the
first that fails.
"""
import os
import sys

import pyodbc

SQL_WVARCHAR = -9
SQL_WLONGVARCHAR = -10
SQL_BIGINT = -5

# The declared length of every key and label column of the reader views
LENGTHS = {"dashboard": 16, "row_kind": 13, "category": 64, "code": 64, "measure": 32,
           "status": 8, "row_key": 80, "cadence": 5, "invitations_published_status": 13,
           "label_fr": 255, "label_en": 255, "category_label_fr": 255,
           "category_label_en": 255, "measure_label_fr": 255, "measure_label_en": 255}


def check(ok, what):
    if not ok:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


def main(driver, db, role, withheld):
    conn = pyodbc.connect("Driver={%s};Servername=%s;Port=%s;Database=%s;Uid=%s;"
                          % (driver, os.environ["PGHOST"], os.environ["PGPORT"], db, role),
                          autocommit=True)
    print("psqlODBC %s through %s" % (conn.getinfo(pyodbc.SQL_DRIVER_VER),
                                      conn.getinfo(pyodbc.SQL_DRIVER_NAME)))
    cur = conn.cursor()
    columns = cur.columns(schema="arrima_published").fetchall()
    views = sorted({c.table_name for c in columns})
    check(len(views) == 10, "SQLColumns lists the 10 views of arrima_published: %s" % ", ".join(views))

    strings = [c for c in columns if c.column_name in LENGTHS]
    long_ones = [(c.table_name, c.column_name, c.type_name) for c in strings
                 if c.data_type != SQL_WVARCHAR or c.column_size != LENGTHS[c.column_name]]
    check(strings and not long_ones,
          "%d keys and labels are SQL_WVARCHAR of their declared length (not memo columns)%s"
          % (len(strings), "" if not long_ones else ": not %s" % long_ones))
    memo = [(c.table_name, c.column_name) for c in columns if c.data_type == SQL_WLONGVARCHAR]
    check(not memo, "no column of the reader views is a memo (SQL_WLONGVARCHAR)%s"
          % ("" if not memo else ": %s" % memo))
    counts = [c for c in columns if c.column_name in ("invitations", "selected", "value",
                                                      "lower", "upper", "carried_value")]
    check(counts and all(c.data_type == SQL_BIGINT for c in counts),
          "%d count columns are SQL_BIGINT" % len(counts))
    remarks = [c for c in columns if c.remarks]
    check(not remarks, "REMARKS is empty for all %d columns: psqlODBC reads no comments"
          % len(columns))
    tables = cur.tables(schema="arrima_published").fetchall()
    check(all(not t.remarks for t in tables), "REMARKS is empty for the views too")

    rows = cur.execute("SELECT round_id, selected FROM arrima_published.round_dashboard "
                       "WHERE row_kind = 'round'").fetchall()
    nulls = [r.round_id for r in rows if r.selected is None]
    check(len(nulls) == withheld and 0 not in [r.selected for r in rows if r.round_id in nulls],
          "%d rounds read selected as NULL (None), as withheld" % len(nulls))
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
