#!/usr/bin/env bash
# A series of releases, attacked and dumped.  On the demo data with every
# event kept (decisions run into 2024), five weekly releases from
# 2023-08-18:
#   - an independent attacker (test/cases/attack_releases.py: linear programming
#     over every kept release, one unknown per release, group and count,
#     nothing of the extension's own model, the intervals published with
#     withheld counts known) finds no withheld count and no flow of 1 to 4
#     events that a reader of all five narrows to less than 4 wide; and the
#     points the extension stored as its proof all keep the attacker's rows;
#   - the series reads well: every release shows the total row's and each
#     year's invitations; a round's invitations once shown are never
#     withheld again while they do not change; every withheld count an
#     earlier release showed carries a value that release showed, and the
#     counts with neither a value nor a carried one are no more than in the
#     first release;
#   - pg_dump and pg_restore keep every release (the same rows) and its
#     audit (disclosure_audit() of each release gives the same bounds), the
#     published views come back with publish_latest_release(), and a sixth
#     release is made after the restore, audited with the five.
. "$(dirname "$0")/common.bash"

src=arrima_case_series_src
dst=arrima_case_series_dst
dump=${ARRIMA_SCRATCH:-$(mktemp -d)}/series.dump
fail() { echo "FAIL: $*"; exit 1; }

fresh_db "$src"
psql -d "$src" -c 'CREATE EXTENSION arrima_stats'
( cd "$ARRIMA_ROOT" && psql -d "$src" -v extract_on=infinity <<'SQL'
\i test/data/load_rounds.sql
\i test/data/synthetic_invitations.sql
SQL
)
for as_of in 2023-08-18 2023-08-25 2023-09-01 2023-09-08 2023-09-15; do
    psql -d "$src" -c "SELECT arrima_stats.refresh_publications('$as_of')" >/dev/null
done
psql -d "$src" -At -c "SELECT release_id, as_of, counts, withheld FROM arrima_stats.published_release ORDER BY 1"

# The attacker: exit status 1 on any disclosure (or a stored value that
# does not match the groups).
out=$(/usr/bin/python3 "$ARRIMA_ROOT/test/cases/attack_releases.py" "$src") || { echo "$out"; fail "the attacker found a disclosure"; }
echo "$out"
grep -E '^[0-9]+ points stored by the extension, [0-9]+ keep every row' <<<"$out" >/dev/null ||
    fail "the attacker did not report the stored points"
read -r stored kept < <(sed -nE 's/^([0-9]+) points stored by the extension, ([0-9]+) keep.*/\1 \2/p' <<<"$out")
[ "$stored" -gt 0 ] && [ "$stored" = "$kept" ] || fail "$kept of $stored stored points keep the attacker's rows"

# The series as readers see it (arrima_published.release_count).
expect "$src" "SELECT count(*) FILTER (WHERE value IS NULL) || ' of ' || count(*)
                 FROM arrima_published.release_count
                WHERE measure = 'invitations' AND row_kind IN ('total', 'year')" "0 of 40" \
    "headline figures withheld (the total row's and each year's invitations, every release)"
expect "$src" "SELECT count(*) FROM arrima_published.release_count c
                WHERE c.dashboard = 'round_dashboard' AND c.measure = 'invitations' AND c.value IS NULL
                  AND c.carried_value IS NOT NULL
                  AND c.carried_value = (SELECT x.value FROM arrima_stats.release_cell x
                                          WHERE x.release_id = c.release_id
                                            AND x.publication = 'round_dashboard'
                                            AND x.row_key = c.row_key AND x.measure = 'invitations')" "0" \
    "rounds' invitations shown before, unchanged, and withheld"
expect "$src" "SELECT count(*) FROM arrima_published.release_count c
                WHERE c.carried_value IS NOT NULL
                  AND NOT EXISTS (SELECT FROM arrima_published.release_count p
                                   WHERE p.dashboard = c.dashboard AND p.row_key = c.row_key
                                     AND p.measure = c.measure AND p.release_id < c.release_id
                                     AND p.as_of = c.carried_as_of AND p.value = c.carried_value)" "0" \
    "carried values no earlier release showed"
neither=$(query "$src" "SELECT string_agg(n::text, ' ' ORDER BY release_id) FROM (
                          SELECT release_id, count(*) FILTER (WHERE value IS NULL AND carried_value IS NULL) AS n
                            FROM arrima_published.release_count GROUP BY release_id) t")
echo "counts with neither a value nor a carried one, per release: $neither"
read -r first rest <<<"$neither"
for n in $rest; do
    [ "$n" -le "$first" ] || fail "a release has $n counts with neither a value nor a carried one (the first: $first)"
done
echo "ok: the series reads well: headline figures shown, nothing re-hidden, carried values shown before"

# What the five releases are, and their audits, before the dump.
releases_sql="SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (
                SELECT r.release_id, r.as_of, r.min_count, r.round_to, r.cadence FROM arrima_stats.release r) t"
cells_sql="SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM arrima_stats.release_cell t"
groups_sql="SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM arrima_stats.release_group t"
audit_sql="SELECT md5(string_agg(t::text, ',' ORDER BY t::text))
             FROM generate_series(1, 5) r, arrima_stats.disclosure_audit(r) t"
before=$(for q in "$releases_sql" "$cells_sql" "$groups_sql" "$audit_sql"; do psql -d "$src" -Atc "$q"; done)
unsafe=$(psql -d "$src" -Atc "SELECT count(*) FROM generate_series(1, 5) r, arrima_stats.disclosure_audit(r) a WHERE NOT a.safe")
[ "$unsafe" = 0 ] || fail "$unsafe items of the five releases unsafe"

pg_dump -Fc -d "$src" -f "$dump"
fresh_db "$dst"
pg_restore --exit-on-error -d "$dst" "$dump"
after=$(for q in "$releases_sql" "$cells_sql" "$groups_sql" "$audit_sql"; do psql -d "$dst" -Atc "$q"; done)
[ "$before" = "$after" ] || fail "the releases or their audit differ after pg_restore"
echo "ok: the five releases and their audits are the same after pg_dump and pg_restore"

# The published views: unpopulated after the restore, the latest release again
# with publish_latest_release(), as they were.
views_sql="SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (
             SELECT round_id, invitations, declined, expired, rejected, refused, selected, as_of
               FROM arrima_stats.round_dashboard_published) t"
shown_before=$(psql -d "$src" -Atc "$views_sql")
psql -d "$dst" -c "SELECT arrima_stats.publish_latest_release()" >/dev/null
[ "$(psql -d "$dst" -Atc "$views_sql")" = "$shown_before" ] ||
    fail "publish_latest_release() does not show the latest release as it was"

# The sequence goes on: a sixth release after the restore, audited with the five.
psql -d "$dst" -c "SELECT arrima_stats.refresh_publications('2023-09-22')" >/dev/null
[ "$(psql -d "$dst" -Atc "SELECT max(release_id) FROM arrima_stats.release")" = 6 ] ||
    fail "the sixth release is not release 6"
unsafe=$(psql -d "$dst" -Atc "SELECT count(*) FROM arrima_stats.disclosure_audit() WHERE NOT safe")
[ "$unsafe" = 0 ] || fail "$unsafe items of the sixth release unsafe"
echo "ok: a sixth release after the restore, safe with the five"
