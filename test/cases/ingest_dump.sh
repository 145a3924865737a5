#!/usr/bin/env bash
# Rejects survive pg_dump and restore: invitation_reject is dumped with its
# rows and the batch sequence with its value, so the restored database goes
# on numbering batches after the old ones.  Staging is not dumped (it is
# empty after every ingest()).
. "$(dirname "$0")/common.bash"

src=arrima_case_ingest_dump
dst=arrima_case_ingest_restored
fresh_db "$src"
fresh_db "$dst"

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

dump=$ARRIMA_SCRATCH/ingest.dump
pg_dump -Fc -f "$dump" "$src"
pg_restore --exit-on-error -d "$dst" "$dump"

rejects() {
    query "$1" "SELECT string_agg(format('%s|%s|%s', batch_id, invitation_id, reason), E'\n'
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
# the two batches: 1 refused x and 2 (2022-13-45), 2 refused 3 (round 9)
want='1|2|invited_on "2022-13-45" is not a day of the calendar
1|x|invitation_id "x" is not an integer
2|3|round_id 9 is not a known round'
if [ "$after" != "$want" ]; then
    echo "FAIL: the rejects are not the expected ones:"
    echo "$want"
    exit 1
fi

# The next batch of the restored database comes after the dumped ones.
last=$(query "$src" "SELECT max(batch_id) FROM arrima_stats.invitation_reject")
next=$(query "$dst" "SELECT batch_id FROM arrima_stats.ingest()")
echo "last batch dumped: $last, next batch after the restore: $next"
if ! is_int "$last" || ! is_int "$next"; then die "no batch numbers ('$last', '$next')"; fi
[ "$next" -gt "$last" ] || die "batch ids restart after a restore"

# The loaded invitation came back too.
expect "$dst" "SELECT string_agg(invitation_id || ' ' || response_due_on, ',') FROM arrima_stats.invitation" \
       "1 2022-03-11" "invitation 1 (with response_due_on filled) after the restore"
echo ok
