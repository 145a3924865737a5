#!/usr/bin/env bash
# Rejects survive pg_dump and restore: invitation_reject is dumped with its
# rows and the batch sequence with its value, so the restored database goes
# on numbering batches after the old ones.  Staging is not dumped (it is
# empty after every ingest()).
set -euo pipefail

src=arrima_case_ingest_dump
dst=arrima_case_ingest_restored
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" \
     -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"
trap 'psql -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" || true' EXIT

# Two batches: the first loads invitation 1 and refuses two rows, the second
# refuses one.
psql -d "$src" <<'SQL'
CREATE EXTENSION arrima_stats;
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2022-01-10');
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on) VALUES
  ('1', '1', '2022-01-10'), ('x', '1', '2022-01-10'), ('2', '1', '2022-13-45');
SELECT * FROM arrima_stats.ingest();
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on) VALUES
  ('3', '9', '2022-01-10');
SELECT * FROM arrima_stats.ingest();
SQL

dump=${ARRIMA_SCRATCH:-$(mktemp -d)}/ingest.dump
pg_dump -Fc -f "$dump" "$src"
pg_restore --exit-on-error -d "$dst" "$dump"

rejects() {
    psql -d "$1" -At -c "SELECT string_agg(format('%s|%s|%s', batch_id, invitation_id, reason), E'\n'
                                           ORDER BY batch_id, invitation_id)
                           FROM arrima_stats.invitation_reject"
}
before=$(rejects "$src")
after=$(rejects "$dst")
echo "rejects before the dump:"
echo "$before"
if [ "$before" != "$after" ] || [ -z "$after" ]; then
    echo "the restored rejects differ:"
    echo "$after"
    exit 1
fi
[ "$(echo "$after" | wc -l)" -eq 3 ] || { echo "expected 3 rejects"; exit 1; }

# The next batch of the restored database comes after the dumped ones.
last=$(psql -d "$src" -At -c "SELECT max(batch_id) FROM arrima_stats.invitation_reject")
next=$(psql -d "$dst" -At -c "SELECT batch_id FROM arrima_stats.ingest()")
echo "last batch dumped: $last, next batch after the restore: $next"
[ "$next" -gt "$last" ] || { echo "batch ids restart after a restore"; exit 1; }

# The loaded invitation came back too.
[ "$(psql -d "$dst" -At -c "SELECT count(*) FROM arrima_stats.invitation")" -eq 1 ] ||
    { echo "invitation 1 missing after the restore"; exit 1; }
echo ok
