#!/usr/bin/env bash
# Dump and restore: a database with the extension and years of records goes
# through pg_dump -Fc and pg_restore into a fresh database, serially and in
# parallel, and every row of every table of the extension comes back
# identical, the releases with them; publish_latest_release() shows the
# same publication again, and the next release is made and audited with
# the restored one.
#
# Loaded first: the seed's rounds and the synthetic invitations, a category a
# user added with a round and invitations of it (one without
# response_due_on: the table's trigger fills it), rejected rows from
# ingest(), a changed disclosure policy (min_count 11, round_to 5), and a
# release made as of 2023-08-18 (so the dump is taken with a release kept
# and the published views populated).
#
# Checked: pg_dump and pg_restore exit 0 and print nothing; for every table
# and sequence of the extension (found in pg_depend, so tables added later
# are covered) the row count and an md5 of its rows in primary key order, the
# sequences' positions; the rows a fresh CREATE EXTENSION ships (the
# categories) are there exactly once; no foreign key is broken.  The
# releases (release, release_group, release_cell) are configuration tables:
# pg_dump saves them, and they are among the tables compared.  The published
# views and the working tables they are read from (publication_*) are
# derived data that pg_dump does not save (members of the extension): the
# views come back unpopulated, and publish_latest_release() in the restored
# database must give exactly the source's working tables, views and audit
# of the release (without making a release).  release_proof, the points the
# last gate stored, is not dumped either (hints, rebuilt by every refresh):
# empty after the restore, it is left out of that comparison; then a
# refresh as of a week later must make release 2, pass the last gate with
# the restored release (every withheld count and flow safe) and store the
# points it keeps: each of 1 to 256 changes, one per unknown (a refresh
# keeps no larger one, and over two releases of the demo there may be none).
#
# Two restores:
# * serial: pg_restore -d, one step;
# * parallel, -j 2, in three steps: --section=pre-data (CREATE EXTENSION),
#   then --section=data -j 2 --disable-triggers, then --section=post-data,
#   then calendar_rebuild() (the calendar, derived, is not dumped: the
#   insert trigger that makes it again on a serial restore is disabled).
#   A one-step pg_restore -j 2 cannot restore this dump: pg_dump orders the
#   data of an extension's configuration tables by their foreign keys, a
#   serial restore follows that order, but a parallel one loads category,
#   invitation_round and invitation at once, and the foreign keys (made by
#   CREATE EXTENSION, before any data) refuse rows whose parent is not
#   loaded yet (PostgreSQL's behaviour for extension configuration tables).
#   Loading the data with the triggers disabled (which needs a superuser)
#   is the way to restore in parallel; the foreign keys are checked after.
. "$(dirname "$0")/common.bash"

src=arrima_case_dump_src
fresh=arrima_case_dump_fresh
dump=$ARRIMA_SCRATCH/dump.custom

fresh_db "$src"
psql -d "$src" -c 'CREATE EXTENSION arrima_stats'
load_demo_data "$src"

psql -d "$src" <<'SQL'
-- a category of the user's own, with a round and two invitations, one of
-- them without response_due_on (the trigger fills it)
INSERT INTO arrima_stats.category (code, label_fr, label_en)
VALUES ('ESSAI_USAGER', 'Catégorie ajoutée par l''usager', 'A category the user added');
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, invitations_published, response_days)
VALUES (1001, 'ESSAI_USAGER', '2024-02-29', NULL, 30);
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, response_due_on,
                                     application_on, notice_on, notice_ground, decided_on, decision)
VALUES (9000001, 1001, '2024-02-29', NULL, '2024-03-01', '2024-04-01', 'did_not_support',
        '2024-05-01', 'cancelled'),
       (9000002, 1001, '2024-02-29', '2024-03-30', NULL, NULL, NULL, NULL, NULL);
SQL

# Rejected rows: a good row, a bad id, an unknown round, no such date.
psql -d "$src" <<'SQL'
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on, response_due_on)
VALUES ('9100001', '1001', '2024-03-01', '2024-03-30'),        -- good
       ('not a number', '1001', '2024-03-01', '2024-03-30'),   -- bad id
       ('9100002', '424242', '2024-03-01', '2024-03-30'),      -- no such round
       ('9100003', '1001', '2024-02-30', '2024-03-30');        -- no such date
SELECT * FROM arrima_stats.ingest();
SQL
expect "$src" "SELECT count(*) FROM arrima_stats.invitation_reject" 3 "ingest() rejects"
expect "$src" "SELECT response_due_on FROM arrima_stats.invitation WHERE invitation_id = 9000001" \
       2024-03-30 "the trigger fills response_due_on (held 2024-02-29, 30 days)"

# A changed policy and a release, as of a fixed date.
psql -d "$src" -c 'UPDATE arrima_stats.disclosure_policy SET min_count = 11, round_to = 5'
psql -d "$src" -c "SELECT arrima_stats.refresh_publications('2023-08-18')" >/dev/null
expect "$src" "SELECT string_agg(release_id || ' ' || as_of, ',') FROM arrima_stats.release" \
       "1 2023-08-18" "one release before the dump"
expect "$src" "SELECT count(*) > 0 FROM arrima_stats.release_proof" t \
       "the last gate stored its points before the dump"
expect "$src" "SELECT count(*) FILTER (WHERE relispopulated) FROM pg_class c
                 JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
                WHERE c.relkind = 'm'
                  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')" \
       3 "the three published views are populated before the dump"

# What pg_dump saves: the configuration tables (pg_extension_config_dump)
# and the sequences of the extension.
saved_checksums() {
    local db=$1 config
    config=$(query "$db" "SELECT string_agg(c::regclass::text, ' ')
                            FROM pg_extension e, unnest(e.extconfig) c
                           WHERE e.extname = 'arrima_stats'")
    [ -n "$config" ] || die "no configuration table registered in $db"
    table_checksums "$db" | awk -v config="$config" '
        BEGIN { n = split(config, c, " "); for (i = 1; i <= n; i++) keep[c[i]] = 1 }
        ($1 in keep) || / (true|false)$/ { print }'
}
# What is derived from them: every other table and the materialized views
# of the extension, rows as text without their timestamp columns
# (refreshed_at), plus the audit of the release; but release_proof (not
# dumped: hints the next refresh rebuilds; checked after a refresh below).
derived_checksums() {
    psql -d "$1" -At <<'SQL'
SELECT format($q$SELECT %L || ' ' || count(*) || ' ' || coalesce(md5(string_agg(row(%s)::text, E'\n' ORDER BY row(%s)::text COLLATE "C")), '-') FROM %s t$q$,
              c.oid::regclass::text, cols, cols, c.oid::regclass)
  FROM pg_depend d
  JOIN pg_class c ON c.oid = d.objid
  JOIN pg_extension e ON e.oid = d.refobjid
 CROSS JOIN LATERAL (SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY a.attnum) AS cols
                       FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                        AND a.atttypid NOT IN ('timestamptz'::regtype, 'timestamp'::regtype)) k
 WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e' AND e.extname = 'arrima_stats'
   AND c.relkind IN ('r', 'p', 'm') AND c.oid <> ALL (coalesce(e.extconfig, '{}'))
   AND c.oid <> 'arrima_stats.release_proof'::regclass
 ORDER BY c.oid::regclass::text
\gexec
SELECT 'disclosure_audit() ' || count(*) || ' ' || count(*) FILTER (WHERE safe) || ' '
       || md5(string_agg(a::text, E'\n' ORDER BY a::text COLLATE "C"))
  FROM arrima_stats.disclosure_audit() a;
SQL
}

saved_checksums "$src" >"$ARRIMA_SCRATCH/src.txt"
echo "the source: tables pg_dump saves, rows, checksums"
cat "$ARRIMA_SCRATCH/src.txt"
grep '^arrima_stats.invitation ' "$ARRIMA_SCRATCH/src.txt" >/dev/null ||
    die "invitation is not among the saved tables"
derived_checksums "$src" >"$ARRIMA_SCRATCH/src_derived.txt"
echo "the source: derived tables and the publication of the release"
cat "$ARRIMA_SCRATCH/src_derived.txt"
grep '^arrima_stats.round_dashboard_published [1-9]' "$ARRIMA_SCRATCH/src_derived.txt" >/dev/null ||
    die "the source's published dashboard is empty"
grep '^arrima_stats.release_cell [1-9]' "$ARRIMA_SCRATCH/src.txt" >/dev/null ||
    die "release_cell is not among the saved tables, or is empty"

say() { printf '==> %s\n' "$*"; }
say "pg_dump -Fc"
"$ARRIMA_PG_BIN/pg_dump" -Fc -d "$src" -f "$dump" 2>"$ARRIMA_SCRATCH/pg_dump.err" ||
    { cat "$ARRIMA_SCRATCH/pg_dump.err"; echo "pg_dump failed"; exit 1; }
if [ -s "$ARRIMA_SCRATCH/pg_dump.err" ]; then
    cat "$ARRIMA_SCRATCH/pg_dump.err"; echo "pg_dump printed the above"; exit 1
fi

# The rows a fresh install ships, per table: they must come back once.
fresh_db "$fresh"
psql -d "$fresh" -c 'CREATE EXTENSION arrima_stats'
shipped_rows() {
    psql -d "$1" -At <<'SQL'
SELECT format($q$SELECT %L || ' ' || t::text FROM %s t$q$, c.oid::regclass::text, c.oid::regclass)
  FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
 WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
   AND c.relkind IN ('r', 'p')
 ORDER BY 1
\gexec
SQL
}
shipped_rows "$fresh" | LC_ALL=C sort >"$ARRIMA_SCRATCH/shipped.txt"
shipped_rows "$src" | LC_ALL=C sort >"$ARRIMA_SCRATCH/src_rows.txt"
# shipped rows the user left as they were
LC_ALL=C comm -12 "$ARRIMA_SCRATCH/shipped.txt" "$ARRIMA_SCRATCH/src_rows.txt" \
    >"$ARRIMA_SCRATCH/shipped_kept.txt"
nshipped=$(wc -l <"$ARRIMA_SCRATCH/shipped_kept.txt")
echo "a fresh install ships $(wc -l <"$ARRIMA_SCRATCH/shipped.txt") rows; $nshipped of them unchanged in the source"
[ "$nshipped" -ge 9 ] || { echo "expected at least the 9 shipped categories"; exit 1; }

# restore_serial DST, restore_parallel DST: into a fresh database; what
# pg_restore prints goes to $ARRIMA_SCRATCH/restore_DST.err.
restore_serial() {
    "$ARRIMA_PG_BIN/pg_restore" -d "$1" "$dump" 2>"$ARRIMA_SCRATCH/restore_$1.err"
}
restore_parallel() {
    local err=$ARRIMA_SCRATCH/restore_$1.err
    "$ARRIMA_PG_BIN/pg_restore" --section=pre-data -d "$1" "$dump" 2>"$err" &&
    "$ARRIMA_PG_BIN/pg_restore" --section=data -j 2 --disable-triggers -d "$1" "$dump" 2>>"$err" &&
    "$ARRIMA_PG_BIN/pg_restore" --section=post-data -d "$1" "$dump" 2>>"$err"
}

status=0
for how in serial parallel; do
    dst=arrima_case_dump_$how
    say "pg_restore ($how) into a fresh database $dst"
    fresh_db "$dst"
    rc=0
    "restore_$how" "$dst" || rc=$?
    if [ "$rc" -ne 0 ] || [ -s "$ARRIMA_SCRATCH/restore_$dst.err" ]; then
        cat "$ARRIMA_SCRATCH/restore_$dst.err"
        echo "FAIL: pg_restore ($how) exited with status $rc and printed the above"
        status=1
        continue
    fi
    # The outcome calendar is derived (not dumped): the insert trigger makes
    # it again as pg_restore loads invitation, but not with the triggers
    # disabled (the parallel restore): then calendar_check() must report
    # the missing days, and calendar_rebuild() must make it exact.
    missing=$(query "$dst" "SELECT count(*) FROM arrima_stats.calendar_check()")
    is_int "$missing" || die "calendar_check() after pg_restore ($how): $missing"
    echo "after pg_restore ($how), calendar_check() reports $missing differing days"
    if [ "$how" = parallel ]; then
        [ "$missing" -gt 0 ] ||
            die "calendar_check() finds nothing missing after a restore with the triggers disabled"
        psql -d "$dst" -c "SELECT arrima_stats.calendar_rebuild()" >/dev/null
        expect "$dst" "SELECT count(*) FROM arrima_stats.calendar_check()" 0 \
               "the calendar after calendar_rebuild() (pg_restore $how)"
    elif [ "$missing" -ne 0 ]; then
        die "after pg_restore ($how), calendar_check() reports $missing differing days"
    fi
    saved_checksums "$dst" >"$ARRIMA_SCRATCH/$dst.txt"
    if ! diff "$ARRIMA_SCRATCH/src.txt" "$ARRIMA_SCRATCH/$dst.txt"; then
        echo "FAIL: after pg_restore ($how) the tables differ (< source, > restored)"
        status=1
    fi
    # each shipped row the source kept: exactly once
    shipped_rows "$dst" | LC_ALL=C sort | uniq -c |
        awk '{ n = $1; sub(/^ *[0-9]+ /, ""); print n "\t" $0 }' >"$ARRIMA_SCRATCH/${dst}_rows.txt"
    bad=$(awk -F'\t' 'NR == FNR { want[$0] = 1; next }
                      ($2 in want) { seen[$2] = $1 }
                      END { for (r in want) if (seen[r] != 1) print (seen[r] + 0) "x " r }' \
              "$ARRIMA_SCRATCH/shipped_kept.txt" "$ARRIMA_SCRATCH/${dst}_rows.txt")
    if [ -n "$bad" ]; then
        echo "FAIL: after pg_restore ($how), shipped rows not there exactly once:"
        echo "$bad"
        status=1
    fi
    # the foreign keys hold (the parallel restore loads with them off)
    orphans=$(query "$dst" "SELECT (SELECT count(*) FROM arrima_stats.invitation i
                                     WHERE NOT EXISTS (SELECT FROM arrima_stats.invitation_round r
                                                        WHERE r.round_id = i.round_id))
                                   + (SELECT count(*) FROM arrima_stats.invitation_round r
                                       WHERE NOT EXISTS (SELECT FROM arrima_stats.category c
                                                          WHERE c.code = r.category))")
    if [ "$orphans" != 0 ]; then
        echo "FAIL: after pg_restore ($how), $orphans rows without their parent row"
        status=1
    fi
    # the policy came back; the published views come back unpopulated, and
    # publish_latest_release() shows the restored release as the source did
    expect "$dst" "SELECT min_count || ',' || round_to FROM arrima_stats.disclosure_policy" 11,5 \
           "the changed policy after pg_restore ($how)"
    expect "$dst" "SELECT count(*) FILTER (WHERE relispopulated) FROM pg_class
                    WHERE oid IN ('arrima_stats.round_dashboard_published'::regclass,
                                  'arrima_stats.annual_summary_published'::regclass,
                                  'arrima_stats.category_summary_published'::regclass)" 0 \
           "the published views come back unpopulated after pg_restore ($how)"
    expect "$dst" "SELECT count(*) FROM arrima_stats.release_proof" 0 \
           "release_proof is not dumped: empty after pg_restore ($how)"
    psql -d "$dst" -c "SELECT arrima_stats.publish_latest_release()" >/dev/null
    expect "$dst" "SELECT count(*) FROM arrima_stats.release" 1 \
           "publish_latest_release() makes no release (pg_restore $how)"
    derived_checksums "$dst" >"$ARRIMA_SCRATCH/${dst}_derived.txt"
    if ! diff "$ARRIMA_SCRATCH/src_derived.txt" "$ARRIMA_SCRATCH/${dst}_derived.txt"; then
        echo "FAIL: after pg_restore ($how) and publish_latest_release()," \
             "the publication differs from the source's (< source, > restored)"
        status=1
    fi
    # the series goes on: release 2, audited with the restored release 1
    psql -d "$dst" -c "SELECT arrima_stats.refresh_publications('2023-08-25')" >/dev/null
    expect "$dst" "SELECT string_agg(release_id || ' ' || as_of, ',' ORDER BY release_id)
                     FROM arrima_stats.release" "1 2023-08-18,2 2023-08-25" \
           "a refresh after pg_restore ($how) makes release 2"
    audited=$(query "$dst" "SELECT count(*) || ' items (' || count(*) FILTER (WHERE status = 'flow')
                                   || ' flows), ' || count(*) FILTER (WHERE NOT safe) || ' unsafe'
                              FROM generate_series(1, 2) r, arrima_stats.disclosure_audit(r)")
    echo "after pg_restore ($how), releases 1 and 2 audited: $audited"
    [[ $audited =~ ^[1-9][0-9]*\ items\ \([0-9]+\ flows\),\ 0\ unsafe$ ]] ||
        die "releases 1 and 2 after pg_restore ($how): not every withheld count and flow safe ($audited)"
    expect "$dst" "SELECT count(*) FROM arrima_stats.release_proof
                    WHERE cardinality(change) NOT BETWEEN 1 AND 256
                       OR cardinality(round_id) <> cardinality(change)
                       OR cardinality(year) <> cardinality(change)
                       OR cardinality(unknown) <> cardinality(change)
                       OR cardinality(since) <> cardinality(change)" 0 \
           "the refresh after pg_restore ($how) stored points of 1 to 256 changes only"
    # the restored database goes on: the trigger fills response_due_on
    psql -d "$dst" -c "INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on)
                       VALUES (9000003, 1001, '2024-03-02')"
    expect "$dst" "SELECT response_due_on FROM arrima_stats.invitation WHERE invitation_id = 9000003" \
           2024-04-01 "response_due_on filled after pg_restore ($how)"
done
[ "$status" -eq 0 ] || exit 1
echo "ok: $(wc -l <"$ARRIMA_SCRATCH/src.txt") tables and sequences identical after a serial and a" \
     "parallel pg_restore; $nshipped shipped rows exactly once; the same publication shown again," \
     "and a second release audited with the restored one"
