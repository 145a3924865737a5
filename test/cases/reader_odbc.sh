#!/usr/bin/env bash
# The reader schema through ODBC, as Excel and Power BI read it: psqlODBC
# (Debian's odbc-postgresql, the Unicode driver) under unixODBC, from
# Python (python3-pyodbc), logged in as a reporting role
# (test/cases/reader_odbc.py): the keys and labels of every view of
# arrima_published are short strings (SQL_WVARCHAR of their declared
# length, not memo columns), counts BIGINT, a withheld count NULL; and
# what psqlODBC tells of the views' comments (REMARKS: nothing).  Data: the
# demo's rounds and synthetic invitations, two releases.
. "$(dirname "$0")/common.bash"

db=arrima_case_odbc
role=arrima_case_odbc_reader
python=/usr/bin/python3    # Debian's, with python3-pyodbc
driver=/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so
[ -f "$driver" ] || driver=$(dpkg -L odbc-postgresql 2>/dev/null | grep '/psqlodbcw\.so$' | head -n 1)
[ -n "$driver" ] && [ -f "$driver" ] || { echo "FAIL: psqlODBC is missing (odbc-postgresql)"; exit 1; }

fresh_db "$db"
case_role "$role"
psql -d "$db" -c 'CREATE EXTENSION arrima_stats'
load_demo_data "$db"
psql -d "$db" -o /dev/null -c "SELECT arrima_stats.refresh_publications('2023-08-18')" \
     -c "SELECT arrima_stats.refresh_publications('2023-08-25')" \
     -c "SELECT arrima_stats.grant_reporting('$role')"
expected_withheld=$(query "$db" "SELECT count(*) FROM arrima_published.round_dashboard
                                  WHERE selected IS NULL")
is_int "$expected_withheld" || die "no count of withheld values"

"$python" "$ARRIMA_ROOT/test/cases/reader_odbc.py" "$driver" "$db" "$role" "$expected_withheld"
