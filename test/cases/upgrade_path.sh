#!/usr/bin/env bash
# Upgrade path: every older version, installed from its own script and given
# data, then updated along the upgrade scripts, is the same as a fresh
# install, at each version on the way and at the current one; its data and
# what it publishes are kept.  And the comparison can fail: a difference
# made on purpose is reported, exactly.
#
# Versions, from the scripts: every released version V has its complete
# install script sql/versions/arrima_stats--V.sql (0.1.0, 0.2.0 ...); the current one,
# default_version of arrima_stats.control, is built by make from
# sql/install/.  For each released V:
#   1. a database with CREATE EXTENSION arrima_stats VERSION 'V' (its own
#      script; 0.1.0 and 0.2.0 bind their C functions to the legacy library);
#   2. data: the seed's rounds and synthetic invitations, a category, a
#      round and an invitation of the user's own; where V has them, rows
#      staged and ingested (one refused), a changed disclosure policy, a
#      refreshed publication and a reporting role granted;
#   3. ALTER EXTENSION arrima_stats UPDATE TO each later version in turn; at
#      each, the catalog of the extension is compared with that of a fresh
#      CREATE EXTENSION arrima_stats VERSION of it (given the same reporting
#      grant), and must be the same;
#   4. at the current version: the tables' rows (the releases included),
#      round_dashboard and the published views are what they were before
#      the update, the C functions are all bound to the main library, and
#      classify and round_dashboard work; where a publication or a release
#      was made, it is release 1, a next release as of the same date has
#      the same groups and counts (made from the outcome calendar since
#      0.5.0, from a scan before), and one a week later is audited with
#      them.
# "The catalog" is test/cases/extension_catalog.sql: every member object,
# function definitions (body, language, library and link symbol, volatility,
# strictness, parallel safety, SET options), aggregates, columns with types
# and defaults, constraints, indexes, triggers, policies, view definitions,
# types and enum labels, operators, comments, ACLs and pg_init_privs,
# pg_extension_config_dump registrations, the schema's ACL.
#
# Last, in the database updated from the newest released version, a comment
# is changed, a privilege revoked and a trigger dropped: the comparison must
# report exactly those three differences, or the case fails.  So an upgrade
# script that forgets a comment, a grant or a trigger (say, one that drops
# fill_response_due_on) fails this case.
. "$(dirname "$0")/common.bash"

catalog_sql=$(dirname "$0")/extension_catalog.sql
reader=arrima_case_upgrade_reader
prefix=arrima_case_upgrade
status=0
fail() { echo "FAIL: $*"; status=1; }

# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------
current=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$ARRIMA_ROOT/arrima_stats.control")
[ -n "$current" ] || { echo "no default_version in arrima_stats.control"; exit 1; }
mapfile -t released < <(cd "$ARRIMA_ROOT/sql/versions" && ls arrima_stats--*.sql | grep -v -- '--.*--' |
                        sed 's/^arrima_stats--//; s/\.sql$//' | grep -vxF "$current" | sort -V)
[ ${#released[@]} -gt 0 ] || { echo "no released install script sql/versions/arrima_stats--V.sql"; exit 1; }
# what an upgrade script leads to from a version: its lowest target
next_of() {
    ( cd "$ARRIMA_ROOT/sql/versions" && ls "arrima_stats--$1--"*.sql 2>/dev/null ) |
        sed "s/^arrima_stats--$1--//; s/\.sql\$//" | sort -V | head -1
}
# the path from a version to the current one
path_from() {
    local v=$1 n steps=0
    while [ "$v" != "$current" ]; do
        n=$(next_of "$v")
        [ -n "$n" ] || { echo "no upgrade script from $v (on the way to $current)" >&2; return 1; }
        echo "$n"
        v=$n
        steps=$((steps + 1))
        [ "$steps" -le 100 ] || { echo "the upgrade path from $1 does not end" >&2; return 1; }
    done
}
echo "released: ${released[*]}; current: $current"

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
dbs=()
drop_all() {
    local d
    for d in "${dbs[@]}"; do
        psql -d postgres -c 'SET client_min_messages = warning' \
             -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
    done
    psql -d postgres -c 'SET client_min_messages = warning' \
         -c "DROP ROLE IF EXISTS $reader" >/dev/null 2>&1
}
case_on_exit drop_all
psql -d postgres -c 'SET client_min_messages = warning' -c "DROP ROLE IF EXISTS $reader" \
     -c "CREATE ROLE $reader"

new_db() { fresh_db "$1"; dbs+=("$1"); }
version_of() { psql -d "$1" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'arrima_stats'"; }
has_function() {
    psql -d "$1" -Atc "SELECT count(*) > 0 FROM pg_proc
                        WHERE pronamespace = 'arrima_stats'::regnamespace AND proname = '$2'"
}
catalog() { psql -d "$1" -f "$catalog_sql"; }
# each populated published view: name, rows, checksum of its rows as text
published() {
    local v
    for v in $(psql -d "$1" -At -c "SELECT c.oid::regclass FROM pg_class c
                                     WHERE c.relnamespace = 'arrima_stats'::regnamespace
                                       AND c.relkind = 'm' AND c.relispopulated ORDER BY 1"); do
        psql -d "$1" -At -c "SELECT '$v ' || count(*) || ' ' ||
                                    coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text COLLATE \"C\")), '-')
                               FROM $v t"
    done
}
dashboard_sql="SELECT md5(string_agg(d::text, E'\n' ORDER BY d::text COLLATE \"C\"))
                 FROM arrima_stats.round_dashboard('2023-08-18') d"

# Fresh installs of each version the updates pass through, to compare with:
# fresh VERSION plain|granted sets $fresh_file to the file of its catalog
# (granted: with the reporting grant the updated database has).
declare -A fresh_catalog=()
fresh_file=
fresh() {
    local v=$1 granted=$2 db
    if [ -z "${fresh_catalog[$v/$granted]:-}" ]; then
        db=${prefix}_fresh_${v//./_}_$granted
        new_db "$db"
        psql -d "$db" -c "CREATE EXTENSION arrima_stats VERSION '$v'"
        if [ "$granted" = granted ]; then
            psql -d "$db" -o /dev/null -c "SELECT arrima_stats.grant_reporting('$reader')"
        fi
        fresh_catalog[$v/$granted]=$ARRIMA_SCRATCH/catalog_fresh_${v}_$granted.txt
        catalog "$db" >"${fresh_catalog[$v/$granted]}"
    fi
    fresh_file=${fresh_catalog[$v/$granted]}
}

# ---------------------------------------------------------------------------
# Each released version, updated
# ---------------------------------------------------------------------------
last_db=
last_granted=
for old in "${released[@]}"; do
    echo
    echo "== from $old"
    steps=$(path_from "$old") || exit 1
    db=${prefix}_from_${old//./_}
    new_db "$db"
    psql -d "$db" -c "CREATE EXTENSION arrima_stats VERSION '$old'"
    [ "$(version_of "$db")" = "$old" ] || { fail "CREATE EXTENSION VERSION '$old' gave $(version_of "$db")"; continue; }
    echo "C functions of $old bound to: $(psql -d "$db" -Atc "
        SELECT string_agg(DISTINCT p.probin, ', ') FROM pg_proc p
         WHERE p.pronamespace = 'arrima_stats'::regnamespace AND p.probin IS NOT NULL")"

    # data
    load_demo_data "$db"
    psql -d "$db" <<'SQL'
INSERT INTO arrima_stats.category (code, label_fr, label_en)
VALUES ('ESSAI_USAGER', 'Catégorie ajoutée par l''usager', 'A category the user added');
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, response_days)
VALUES (1001, 'ESSAI_USAGER', '2024-02-29', 30);
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, application_on,
                                     notice_on, notice_ground, decided_on, decision)
VALUES (9000001, 1001, '2024-02-29', '2024-03-01', '2024-04-01', 'did_not_support',
        '2024-05-01', 'cancelled');
SQL
    granted=plain
    if [ "$(has_function "$db" ingest)" = t ]; then
        psql -d "$db" <<'SQL'
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on, application_on)
VALUES ('9000002', '1001', '2024-02-29', '2024-03-05'),
       ('9000003', '1001', '29/02/2024', NULL);
SELECT * FROM arrima_stats.ingest() \gset
SQL
    fi
    if [ "$(has_function "$db" refresh_publications)" = t ]; then
        psql -d "$db" -o /dev/null <<SQL
UPDATE arrima_stats.disclosure_policy SET min_count = 4;
SELECT arrima_stats.refresh_publications('2023-08-18');
SELECT arrima_stats.grant_reporting('$reader');
SQL
        granted=granted
    fi
    table_checksum_queries "$db" >"$ARRIMA_SCRATCH/checksums_$old.sql"
    run_queries "$db" <"$ARRIMA_SCRATCH/checksums_$old.sql" >"$ARRIMA_SCRATCH/data_before_$old.txt"
    published "$db" >"$ARRIMA_SCRATCH/published_before_$old.txt"
    dash_before=$(psql -d "$db" -Atc "$dashboard_sql")

    # update, step by step, comparing with a fresh install at each step
    for v in $steps; do
        psql -d "$db" -c "ALTER EXTENSION arrima_stats UPDATE TO '$v'"
        got=$(version_of "$db")
        [ "$got" = "$v" ] || { fail "after UPDATE TO '$v' from $old the version is $got"; break; }
        catalog "$db" >"$ARRIMA_SCRATCH/catalog_${old}_to_$v.txt"
        fresh "$v" "$granted"
        want=$fresh_file
        if diff -u "$want" "$ARRIMA_SCRATCH/catalog_${old}_to_$v.txt" >"$ARRIMA_SCRATCH/diff_${old}_to_$v.txt"; then
            echo "ok: $old updated to $v = fresh $v ($(grep -c '^object ' "$want") member objects," \
                 "$(wc -l <"$want") catalog lines)"
        else
            cat "$ARRIMA_SCRATCH/diff_${old}_to_$v.txt"
            fail "$old updated to $v differs from a fresh install of $v (above: - fresh, + updated)"
        fi
    done
    [ "$(version_of "$db")" = "$current" ] || { fail "$old did not reach $current"; continue; }

    # data and what is published, kept; nothing left on the legacy library
    run_queries "$db" <"$ARRIMA_SCRATCH/checksums_$old.sql" >"$ARRIMA_SCRATCH/data_after_$old.txt"
    if diff "$ARRIMA_SCRATCH/data_before_$old.txt" "$ARRIMA_SCRATCH/data_after_$old.txt"; then
        echo "ok: the rows of $(wc -l <"$ARRIMA_SCRATCH/data_before_$old.txt") tables and sequences are kept"
    else
        fail "the data changed in the update from $old (< before, > after)"
    fi
    published "$db" >"$ARRIMA_SCRATCH/published_after_$old.txt"
    if diff "$ARRIMA_SCRATCH/published_before_$old.txt" "$ARRIMA_SCRATCH/published_after_$old.txt"; then
        echo "ok: the published views are kept ($(wc -l <"$ARRIMA_SCRATCH/published_before_$old.txt") populated)"
    else
        fail "the published views changed in the update from $old (< before, > after)"
    fi
    [ "$(psql -d "$db" -Atc "$dashboard_sql")" = "$dash_before" ] ||
        fail "round_dashboard('2023-08-18') changed in the update from $old"
    legacy=$(psql -d "$db" -Atc "SELECT string_agg(p.oid::regprocedure::text, ', ')
                                   FROM pg_proc p
                                  WHERE p.pronamespace = 'arrima_stats'::regnamespace
                                    AND p.probin IS NOT NULL
                                    AND p.probin <> '\$libdir/arrima_stats'")
    [ -z "$legacy" ] || fail "after the update from $old, C functions not bound to \$libdir/arrima_stats: $legacy"
    psql -d "$db" -At <<'SQL' >/dev/null
SELECT arrima_stats.classify(i, '2023-08-18') FROM arrima_stats.invitation i;
SELECT count(*) FROM arrima_stats.round_dashboard('2023-08-18');
SQL
    # the publication the old version made is release 1 (or the release
    # 0.4.0 made), made by scanning the invitations.  The next refresh, as
    # of the same date, takes its groups from the outcome calendar: release
    # 2 has the same groups and counts.  And a refresh a week later is a
    # third release, withheld and audited with both.
    if [ "$granted" = granted ]; then
        [ "$(psql -d "$db" -Atc "SELECT string_agg(release_id || ' ' || as_of, ',')
                                  FROM arrima_stats.release")" = "1 2023-08-18" ] ||
            fail "after the update from $old, the old publication is not release 1 as of 2023-08-18"
        psql -d "$db" -o /dev/null -c "SELECT arrima_stats.refresh_publications('2023-08-18')"
        read -r releases groups cells differ < <(psql -d "$db" -At -F ' ' <<'SQL'
WITH r AS (
  SELECT min(release_id) AS before, max(release_id) AS next, count(*) AS n FROM arrima_stats.release
), g AS (
  SELECT g.release_id, g.round_id, g.year, g.category, g.held_on, g.in_dashboard,
         g.invitations_published, g.tally::text AS tally
    FROM arrima_stats.release_group g
), c AS (
  SELECT c.release_id, c.publication, c.row_key, c.round_id, c.year, c.category, c.measure, c.value
    FROM arrima_stats.release_cell c
)
SELECT r.n,
       (SELECT count(*) FROM g WHERE g.release_id = r.next),
       (SELECT count(*) FROM c WHERE c.release_id = r.next),
       (SELECT count(*) FROM (
          ((SELECT round_id, year, category, held_on, in_dashboard, invitations_published, tally
              FROM g WHERE release_id = r.before)
           EXCEPT ALL
           (SELECT round_id, year, category, held_on, in_dashboard, invitations_published, tally
              FROM g WHERE release_id = r.next))
          UNION ALL
          ((SELECT round_id, year, category, held_on, in_dashboard, invitations_published, tally
              FROM g WHERE release_id = r.next)
           EXCEPT ALL
           (SELECT round_id, year, category, held_on, in_dashboard, invitations_published, tally
              FROM g WHERE release_id = r.before))) x)
     + (SELECT count(*) FROM (
          ((SELECT publication, row_key, round_id, year, category, measure, value
              FROM c WHERE release_id = r.before)
           EXCEPT ALL
           (SELECT publication, row_key, round_id, year, category, measure, value
              FROM c WHERE release_id = r.next))
          UNION ALL
          ((SELECT publication, row_key, round_id, year, category, measure, value
              FROM c WHERE release_id = r.next)
           EXCEPT ALL
           (SELECT publication, row_key, round_id, year, category, measure, value
              FROM c WHERE release_id = r.before))) y)
  FROM r
SQL
)
        if [ "$releases" = 2 ] && [ "$groups" -gt 0 ] && [ "$differ" = 0 ]; then
            echo "ok: after the update from $old, a next release as of the same date: release 2," \
                 "the same $groups groups and $cells counts as release 1"
        else
            fail "after the update from $old: $releases releases, the next one's $groups groups" \
                 "and $cells counts differ from release 1's in $differ rows"
        fi
        psql -d "$db" -o /dev/null -c "SELECT arrima_stats.refresh_publications('2023-08-25')"
        [ "$(psql -d "$db" -Atc "SELECT count(*) FROM arrima_stats.release")" = 3 ] ||
            fail "after the update from $old, a refresh did not make release 3"
        [ "$(psql -d "$db" -Atc "SELECT count(*) FROM arrima_stats.disclosure_audit(1) WHERE NOT safe")" = 0 ] ||
            fail "after the update from $old and two refreshes, release 1 is not safe with releases 2 and 3"
        echo "ok: the publication of $old is release 1; a refresh a week later made release 3, audited with them"
    fi
    last_db=$db
    last_granted=$granted
done

# The snapshot must see something of each kind it compares (a broken query
# would compare nothing).
fresh "$current" plain
for kind in object function proc relation column constraint index trigger view sequence \
            type operator comment init_privs config schema extension; do
    grep "^$kind " "$fresh_file" >/dev/null || fail "the catalog snapshot has no '$kind' line"
done
grep '^proc .* language=c library=\$libdir/arrima_stats symbol=arrima_' "$fresh_file" >/dev/null ||
    fail "the catalog snapshot shows no C function's library and symbol"

# ---------------------------------------------------------------------------
# The comparison can fail: three differences made on purpose are reported,
# and nothing else.
# ---------------------------------------------------------------------------
echo
echo "== a deliberate difference, in the database updated from ${released[-1]}"
psql -d "$last_db" <<'SQL'
COMMENT ON TABLE arrima_stats.category IS 'changed on purpose';
REVOKE EXECUTE ON FUNCTION arrima_stats.classify(arrima_stats.invitation, date) FROM PUBLIC;
DROP TRIGGER fill_response_due_on ON arrima_stats.invitation;
SQL
catalog "$last_db" >"$ARRIMA_SCRATCH/catalog_changed.txt"
fresh "$current" "$last_granted"
want=$fresh_file
if diff -U0 "$want" "$ARRIMA_SCRATCH/catalog_changed.txt" >"$ARRIMA_SCRATCH/deliberate_diff.txt"; then
    fail "the comparison found no difference after the deliberate changes"
fi
# the changed lines, - fresh and + changed, without diff's headers, cut short
awk '/^(---|\+\+\+) / { next } /^[-+]/ { print substr($0, 1, 60) }' \
    "$ARRIMA_SCRATCH/deliberate_diff.txt" >"$ARRIMA_SCRATCH/deliberate.txt"
cat >"$ARRIMA_SCRATCH/deliberate_expected.txt" <<'EOF'
-comment table arrima_stats.category: Catégories d'exercice
+comment table arrima_stats.category: changed on purpose
-proc arrima_stats.classify(arrima_stats.invitation,date) ar
+proc arrima_stats.classify(arrima_stats.invitation,date) ar
-trigger CREATE TRIGGER fill_response_due_on BEFORE INSERT O
EOF
if diff "$ARRIMA_SCRATCH/deliberate_expected.txt" "$ARRIMA_SCRATCH/deliberate.txt"; then
    echo "ok: the comparison reports the changed comment, the revoked EXECUTE and the dropped trigger, nothing else"
else
    fail "the comparison did not report exactly the deliberate differences (< expected, > reported)"
fi

[ "$status" -eq 0 ] || exit 1
echo
echo "ok: ${released[*]} updated along the upgrade scripts = fresh installs; data, dashboard and publications kept"
