#!/usr/bin/env bash
# Upgrade path: the oldest version, with data in its tables, updated step by
# step (ALTER EXTENSION arrima_stats UPDATE TO each version in turn) to the
# default version, is the same as a fresh install of the default version,
# and keeps its data.
#
# The versions come from the scripts in sql/: install scripts
# arrima_stats--V.sql and upgrade scripts arrima_stats--A--B.sql.  The oldest
# installable version is the lowest V; each step goes to the lowest version
# an upgrade script leads to from the current one, up to default_version of
# arrima_stats.control.  A later version is covered when its scripts land.
#
# "The same" is the whole catalog of the extension as text
# (extension_catalog.sql): member objects, function definitions, aggregates,
# columns with types, defaults and constraints, indexes, triggers, policies,
# view definitions, types and enum labels in order, operators, comments,
# ACLs and initial privileges, pg_extension_config_dump registrations.
# "Keeps its data": every table's rows, read through the columns the table
# had at the oldest version, have the same count and checksum after.
. "$(dirname "$0")/common.bash"

# Versions, from the script names.
mapfile -t scripts < <(cd "$ARRIMA_ROOT/sql" && ls arrima_stats--*.sql)
installs=()
declare -A next_of=()
for f in "${scripts[@]}"; do
    v=${f#arrima_stats--}
    v=${v%.sql}
    if [[ $v == *--* ]]; then
        from=${v%%--*}
        to=${v#*--}
        # the lowest target from each version
        if [ -z "${next_of[$from]:-}" ] ||
           [ "$(printf '%s\n%s\n' "$to" "${next_of[$from]}" | sort -V | head -1)" = "$to" ]; then
            next_of[$from]=$to
        fi
    else
        installs+=("$v")
    fi
done
[ ${#installs[@]} -gt 0 ] || { echo "no install script sql/arrima_stats--V.sql"; exit 1; }
oldest=$(printf '%s\n' "${installs[@]}" | sort -V | head -1)
newest=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$ARRIMA_ROOT/arrima_stats.control")
[ -n "$newest" ] || { echo "no default_version in arrima_stats.control"; exit 1; }

path=("$oldest")
v=$oldest
while [ "$v" != "$newest" ]; do
    n=${next_of[$v]:-}
    [ -n "$n" ] || { echo "no upgrade script from $v (on the way from $oldest to $newest)"; exit 1; }
    path+=("$n")
    v=$n
    [ ${#path[@]} -le 100 ] || { echo "upgrade path does not end: ${path[*]}"; exit 1; }
done
echo "versions: ${path[*]} (install scripts: ${installs[*]})"

upd=arrima_case_upgrade_updated
new=arrima_case_upgrade_fresh
fresh_db "$upd"
fresh_db "$new"

# The oldest version, with data: the seed's rounds and synthetic
# invitations, a category of the user's own, a round and invitations of it.
psql -d "$upd" -c "CREATE EXTENSION arrima_stats VERSION '$oldest'"
load_demo_data "$upd"
psql -d "$upd" <<'SQL'
INSERT INTO arrima_stats.category (code, label_fr, label_en)
VALUES ('ESSAI_USAGER', 'Catégorie ajoutée par l''usager', 'A category the user added');
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, response_days)
VALUES (1001, 'ESSAI_USAGER', '2024-02-29', 30);
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, application_on,
                                     notice_on, notice_ground, decided_on, decision)
VALUES (9000001, 1001, '2024-02-29', '2024-03-01', '2024-04-01', 'did_not_support',
        '2024-05-01', 'cancelled');
SQL
table_checksum_queries "$upd" >"$ARRIMA_SCRATCH/checksum_queries.sql"
run_queries "$upd" <"$ARRIMA_SCRATCH/checksum_queries.sql" >"$ARRIMA_SCRATCH/data_before.txt"
# A dashboard of the oldest version, to compare after (the functions of
# the oldest version keep their names and columns: the contract).
dashboard_sql="SELECT md5(string_agg(d::text, E'\n' ORDER BY d::text COLLATE \"C\"))
                 FROM arrima_stats.round_dashboard('2023-08-18') d"
dash_before=$(psql -d "$upd" -Atc "$dashboard_sql")

for v in "${path[@]:1}"; do
    echo "ALTER EXTENSION arrima_stats UPDATE TO '$v'"
    psql -d "$upd" -c "ALTER EXTENSION arrima_stats UPDATE TO '$v'"
    got=$(psql -d "$upd" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'arrima_stats'")
    [ "$got" = "$v" ] || { echo "after UPDATE TO '$v' the version is $got"; exit 1; }
done

psql -d "$new" -c 'CREATE EXTENSION arrima_stats'

status=0
psql -d "$upd" -f "$(dirname "$0")/extension_catalog.sql" >"$ARRIMA_SCRATCH/catalog_updated.txt"
psql -d "$new" -f "$(dirname "$0")/extension_catalog.sql" >"$ARRIMA_SCRATCH/catalog_fresh.txt"
echo "catalog: $(grep -c '^object ' "$ARRIMA_SCRATCH/catalog_fresh.txt") member objects," \
     "$(wc -l <"$ARRIMA_SCRATCH/catalog_fresh.txt") lines"
if ! diff -u "$ARRIMA_SCRATCH/catalog_fresh.txt" "$ARRIMA_SCRATCH/catalog_updated.txt"; then
    echo "FAIL: the catalog after updating ${path[*]} differs from a fresh install of $newest" \
         "(- fresh, + updated)"
    status=1
fi
# The catalog comparison must see something of each kind it compares.
for kind in object function proc relation column constraint index trigger view type \
            operator comment config schema extension; do
    grep -q "^$kind " "$ARRIMA_SCRATCH/catalog_fresh.txt" ||
        { echo "FAIL: the catalog snapshot has no '$kind' line"; status=1; }
done

run_queries "$upd" <"$ARRIMA_SCRATCH/checksum_queries.sql" >"$ARRIMA_SCRATCH/data_after.txt"
if ! diff "$ARRIMA_SCRATCH/data_before.txt" "$ARRIMA_SCRATCH/data_after.txt"; then
    echo "FAIL: the data changed in the update (< before, > after)"
    status=1
fi
dash_after=$(psql -d "$upd" -Atc "$dashboard_sql")
if [ "$dash_before" != "$dash_after" ]; then
    echo "FAIL: round_dashboard('2023-08-18') changed in the update"
    status=1
fi
[ "$status" -eq 0 ] || exit 1
cat "$ARRIMA_SCRATCH/data_after.txt"
echo "ok: ${path[*]} updated = fresh $newest; data and dashboard unchanged"
