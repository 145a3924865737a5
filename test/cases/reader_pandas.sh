#!/usr/bin/env bash
# The reader schema through psycopg2 and pandas (Debian's python3-psycopg2,
# python3-pandas), logged in as a reporting role: counts read as nullable
# integers (Int64), a withheld count NA and flagged withheld in the long
# view, row_kind telling the total from the rounds
# (test/cases/reader_pandas.py).  Data: the demo's rounds and synthetic
# invitations, one release as of 2023-08-18.
. "$(dirname "$0")/common.bash"

db=arrima_case_pandas
role=arrima_case_pandas_reader
python=/usr/bin/python3    # Debian's, with python3-psycopg2 and python3-pandas

fresh_db "$db"
case_role "$role"
psql -d "$db" -c 'CREATE EXTENSION arrima_stats'
load_demo_data "$db"
psql -d "$db" -o /dev/null -c "SELECT arrima_stats.refresh_publications('2023-08-18')" \
     -c "SELECT arrima_stats.grant_reporting('$role')"

"$python" "$ARRIMA_ROOT/test/cases/reader_pandas.py" "$db" "$role"
