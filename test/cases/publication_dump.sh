#!/usr/bin/env bash
# The disclosure policy survives pg_dump and pg_restore, without clashing with
# what CREATE EXTENSION installs; so do the grants of a reporting role.  The
# published views come back unpopulated (the publication is derived data):
# publish_latest_release() shows the restored release again, and
# refresh_publications() makes the next.  The reader schema's grants come
# back too, and it shows the restored release at once, as does the document.
# Also: an untouched policy restores as the defaults.
. "$(dirname "$0")/common.bash"

src=arrima_case_pubdump_src
dst=arrima_case_pubdump_dst
dump=$ARRIMA_SCRATCH/dump
fail() { die "$@"; }
cleanup() {
    psql -d postgres -c 'SET client_min_messages = warning' \
         -c "DROP DATABASE IF EXISTS $src WITH (FORCE)" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" \
         -c "DROP ROLE IF EXISTS arrima_case_reporter"
}
case_on_exit 'cleanup >/dev/null 2>&1'
cleanup

roundtrip() {
    pg_dump -Fc -d "$src" -f "$dump"
    psql -d postgres -c "DROP DATABASE IF EXISTS $dst" -c "CREATE DATABASE $dst"
    # --exit-on-error: a duplicate key or any other error fails the case
    pg_restore --exit-on-error -d "$dst" "$dump"
}

psql -d postgres -c "CREATE DATABASE $src" -c "CREATE ROLE arrima_case_reporter"
psql -d "$src" <<'SQL'
CREATE EXTENSION arrima_stats;
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2023-01-05');
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on)
SELECT k, 1, '2023-01-05' FROM generate_series(1, 20) k;
SQL

# Untouched policy: restores as the defaults.
roundtrip
expect "$dst" "SELECT min_count || ',' || round_to FROM arrima_stats.disclosure_policy" 5,1 "default policy not restored"

# Changed policy and a reporting role.
psql -d "$src" <<'SQL'
UPDATE arrima_stats.disclosure_policy SET min_count = 7, round_to = 5;
SELECT arrima_stats.grant_reporting('arrima_case_reporter');
SELECT arrima_stats.refresh_publications('2023-08-18');
SQL
roundtrip
psql -d "$dst" -c "SELECT * FROM arrima_stats.disclosure_policy"
expect "$dst" "SELECT min_count || ',' || round_to FROM arrima_stats.disclosure_policy" 7,5 "the changed policy was not restored"
expect "$dst" "SELECT count(*) FROM arrima_stats.disclosure_policy_setting" 1 "the policy is not one row"
expect "$dst" "SELECT has_table_privilege('arrima_case_reporter',
                             'arrima_stats.round_dashboard_published', 'SELECT')" t "the reporting grant was not restored"
expect "$dst" "SELECT has_schema_privilege('arrima_case_reporter', 'arrima_published', 'USAGE')
                      AND has_table_privilege('arrima_case_reporter',
                                              'arrima_published.round_dashboard', 'SELECT')
                      AND has_function_privilege('arrima_case_reporter',
                                                 'arrima_stats.release_document(text, integer)',
                                                 'EXECUTE')" t \
       "the reporting grant on the reader schema and the document was not restored"
expect "$dst" "SELECT relispopulated FROM pg_class
                           WHERE oid = 'arrima_stats.round_dashboard_published'::regclass" f "the published views should come back unpopulated"
# The reader schema reads the releases, which come back: it shows the
# latest release at once, and so does the document.
expect "$dst" "SET ROLE arrima_case_reporter;
               SELECT invitations FROM arrima_published.round_dashboard WHERE row_kind = 'round'" 20 \
       "the reader schema does not show the restored release"
document=$(query "$dst" "SET ROLE arrima_case_reporter; SELECT arrima_stats.release_document('en')")
[[ $document == *'As of <b>August 18, 2023</b>'* ]] || fail "no document of the restored release"
# publish_latest_release() shows the restored release in the published
# views, without making one; a refresh then makes release 2.
psql -d "$dst" -c "SELECT arrima_stats.publish_latest_release()"
expect "$dst" "SELECT invitations FROM arrima_stats.round_dashboard_published
                           WHERE NOT is_total" 20 "no publication after publish_latest_release()"
expect "$dst" "SELECT count(*) FROM arrima_stats.release" 1 "publish_latest_release() made a release"
psql -d "$dst" -c "SELECT arrima_stats.refresh_publications('2023-08-25')"
expect "$dst" "SELECT string_agg(release_id || ' ' || as_of, ',' ORDER BY release_id) FROM arrima_stats.release" \
       "1 2023-08-18,2 2023-08-25" "a refresh after the restore does not make release 2"
expect "$dst" "SELECT invitations FROM arrima_stats.round_dashboard_published
                           WHERE NOT is_total" 20 "no publication after a refresh of the restored database"
# The policy still has one row and can still be changed.
psql -d "$dst" -c "UPDATE arrima_stats.disclosure_policy SET min_count = 3"
expect "$dst" "SELECT min_count FROM arrima_stats.disclosure_policy" 3 "the restored policy cannot be changed"
echo ok
