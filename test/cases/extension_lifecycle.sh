#!/usr/bin/env bash
# CREATE EXTENSION in a fresh database, use it, DROP EXTENSION: nothing is left
# behind in the catalogs.  The same for 0.1.0 updated to the default version,
# and CREATE EXTENSION works again after a DROP.
#
# One exception: the schema arrima_stats.  CREATE EXTENSION creates the schema
# named in the control file when it does not exist, but does not make it a
# member of the extension, so DROP EXTENSION leaves it (PostgreSQL's behaviour
# for every such extension).  It must be left empty: it is dropped here with
# a plain DROP SCHEMA (RESTRICT), which fails if anything is still in it, and
# the catalogs are compared after that.
. "$(dirname "$0")/common.bash"

db=arrima_case_lifecycle
fresh_db "$db"

# Every row of the database's own catalogs that is not built in: the rows of
# catalogs with an oid column by oid >= 16384 (FirstNormalObjectId), the others
# (pg_depend, pg_description, pg_init_privs, pg_attribute ...) by count, and the
# database's rows of pg_shdepend.  pg_statistic is left out: autovacuum may
# analyze the catalogs at any time.
snapshot() {
    psql -d "$db" -At <<'SQL'
SELECT string_agg(q, E'\nUNION ALL\n' ORDER BY q) || E'\nORDER BY 1'
  FROM (SELECT CASE WHEN EXISTS (SELECT FROM pg_attribute a
                                  WHERE a.attrelid = c.oid AND a.attname = 'oid')
                    THEN format('SELECT %L || '' oid '' || oid FROM pg_catalog.%I WHERE oid >= 16384',
                                c.relname, c.relname)
                    ELSE format('SELECT %L || '' rows '' || count(*) FROM pg_catalog.%I',
                                c.relname, c.relname)
               END AS q
          FROM pg_class c
         WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r'
           AND NOT c.relisshared AND c.relname <> 'pg_statistic'
        UNION ALL
        SELECT 'SELECT ''pg_shdepend rows '' || count(*) FROM pg_catalog.pg_shdepend
                 WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())') s
\gexec
SQL
}

# The schema DROP EXTENSION leaves: it must be empty.
drop_schema() {
    local n
    n=$(query "$db" "SELECT count(*) FROM pg_namespace WHERE nspname = 'arrima_stats'")
    if [ "$n" = 1 ]; then
        echo "note: DROP EXTENSION left the schema arrima_stats (not a member of the extension)"
        psql -d "$db" -c 'DROP SCHEMA arrima_stats'
    fi
}

before=$(snapshot)
[ -n "$before" ] || { echo "empty catalog snapshot"; exit 1; }

# Default version, used a little.
psql -d "$db" <<'SQL'
CREATE EXTENSION arrima_stats;
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, invitations_published)
VALUES (1, 'OPMO', '2023-01-05', 2);
INSERT INTO arrima_stats.category (code, label_fr, label_en) VALUES ('TEST', 'essai', 'test');
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, application_on)
VALUES (1, 1, '2023-01-05', '2023-01-20'), (2, 1, '2023-01-05', NULL);
SELECT count(*) FROM arrima_stats.round_dashboard('2023-08-18');
SELECT count(*) FROM arrima_stats.annual_summary('2023-08-18');
SELECT count(*) FROM arrima_stats.category_summary('2023-08-18');
DROP EXTENSION arrima_stats;
SQL
drop_schema
after=$(snapshot)
if [ "$before" != "$after" ]; then
    echo "DROP EXTENSION left objects behind (< before, > after):"
    diff <(echo "$before") <(echo "$after") || true
    exit 1
fi

# Again, from scratch: nothing left over stands in the way.
psql -d "$db" -c 'CREATE EXTENSION arrima_stats' -c 'DROP EXTENSION arrima_stats'
drop_schema

# The first version, updated along the upgrade scripts.
psql -d "$db" <<'SQL'
CREATE EXTENSION arrima_stats VERSION '0.1.0';
ALTER EXTENSION arrima_stats UPDATE;
DO $$
DECLARE
  have text := (SELECT extversion FROM pg_extension WHERE extname = 'arrima_stats');
  want text := (SELECT default_version FROM pg_available_extensions WHERE name = 'arrima_stats');
BEGIN
  IF have IS DISTINCT FROM want THEN
    RAISE EXCEPTION 'ALTER EXTENSION UPDATE from 0.1.0 reached %, not the default version %',
      have, want;
  END IF;
END
$$;
DROP EXTENSION arrima_stats;
SQL
drop_schema
after=$(snapshot)
if [ "$before" != "$after" ]; then
    echo "DROP EXTENSION after ALTER EXTENSION UPDATE left objects behind (< before, > after):"
    diff <(echo "$before") <(echo "$after") || true
    exit 1
fi
echo "ok: CREATE/ALTER/DROP EXTENSION leave no object behind but the empty schema"
