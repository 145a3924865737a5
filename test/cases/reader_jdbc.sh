#!/usr/bin/env bash
# The reader schema through pgJDBC (libpostgresql-jdbc-java), logged in as a
# reporting role: DatabaseMetaData.getTables with {"TABLE", "VIEW"}, the
# default filter of many tools, lists the dashboards of arrima_published;
# every relation it lists is readable by the role; every column has REMARKS
# (French / English); counts are BIGINT; getLong() of a withheld count is 0
# and wasNull() says so; the role can call release_document().  The program,
# test/cases/ReaderJdbc.java, is compiled with javac into the case's scratch
# directory.  Data: the demo's rounds and synthetic invitations, one release
# as of 2023-08-18.
. "$(dirname "$0")/common.bash"

db=arrima_case_jdbc
role=arrima_case_jdbc_reader
jar=/usr/share/java/postgresql.jar
for tool in javac java; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (default-jdk-headless)"; exit 1; }
done
[ -r "$jar" ] || { echo "FAIL: $jar is missing (libpostgresql-jdbc-java)"; exit 1; }

fresh_db "$db"
case_role "$role"
psql -d "$db" -c 'CREATE EXTENSION arrima_stats'
load_demo_data "$db"
psql -d "$db" -o /dev/null -c "SELECT arrima_stats.refresh_publications('2023-08-18')" \
     -c "SELECT arrima_stats.grant_reporting('$role')"

classes=$ARRIMA_SCRATCH/classes
mkdir -p "$classes"
javac -d "$classes" -cp "$jar" "$ARRIMA_ROOT/test/cases/ReaderJdbc.java"
java -cp "$jar:$classes" ReaderJdbc "$PGHOST/.s.PGSQL.$PGPORT" "$db" "$role"
