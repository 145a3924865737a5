#!/usr/bin/env bash
# Memory: the extension's aggregates keep constant memory however many rows
# they count.  Each aggregate runs over 1 million and over 10 million rows,
# each time in a new backend, and the backend's peak resident memory (VmHWM
# of /proc/self/status, read with pg_read_file) must be the same within
# 2 MB: a leak of 1 byte per row would show 9 MB.  The answer over 10 M rows
# must be exactly 10 times the answer over 1 M (the same rows ten times).
#
# The rows: a cross join of a table of 10,000 invitation-like rows with 100
# or 1,000 rows of another, streamed by a nested loop (no sort, no hash, no
# temporary file), so that the only memory that could grow is the
# aggregate's.  JIT is off: above jit_above_cost the 10 M query would be
# compiled and LLVM loaded (about 60 MB more, once, unrelated to the row
# count); parallel query is off, so that one backend does all the counting.
#
# About 10 s on a 2-core machine (tally over rows is the slowest: ~2.5 s for
# 10 M rows), which is why 10 M rows, not more.
. "$(dirname "$0")/common.bash"

db=arrima_case_memory
fresh_db "$db"
psql -d "$db" <<'SQL'
CREATE EXTENSION arrima_stats;
CREATE TABLE outer_rows AS SELECT g FROM generate_series(1, 1000) g;
-- 10,000 invitations of every kind of history, and a tally each
CREATE TABLE inner_rows AS
SELECT g, d,
       CASE WHEN k = 0 THEN d + 5 END AS declined_on,
       CASE WHEN k >= 2 THEN d + 10 END AS application_on,
       CASE WHEN k IN (4, 5, 6) THEN d + 40 END AS notice_on,
       CASE WHEN k IN (4, 6) THEN 'cannot_support'::arrima_stats.notice_ground
            WHEN k = 5 THEN 'did_not_support' END AS notice_ground,
       CASE WHEN k >= 6 THEN d + 100 END AS decided_on,
       (CASE WHEN k = 6 THEN 'cancelled' WHEN k = 7 THEN 'rejected' WHEN k = 8 THEN 'refused'
             WHEN k = 9 THEN 'withdrawn' WHEN k >= 10 THEN 'selected' END)::arrima_stats.decision
         AS decision,
       ('{1,' || (k = 1)::int || ',0,0,0,0,0,0,0,0,' || (k % 2) || ',0,0}')::arrima_stats.tally AS t
  FROM generate_series(1, 10000) g,
       LATERAL (SELECT g % 12 AS k, '2021-01-01'::date + (g % 900) AS d) x;
ANALYZE outer_rows, inner_rows;
SQL

# peak N AGGREGATE: "VmHWM-in-kB answer" of AGGREGATE over N x 10,000 rows
peak() {
    psql -d "$db" -At -v n="$1" <<SQL
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SELECT $2 FROM outer_rows a CROSS JOIN inner_rows b WHERE a.g <= :n \gset answer_
SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*(\d+) kB'))[1] || ' ' || :'answer_$3';
SQL
}

aggregates=(
    "arrima_stats.tally(b.d, b.d + 60, b.declined_on, b.application_on, b.notice_on, b.notice_ground, b.decided_on, b.decision, '2023-08-18') AS agg"
    "arrima_stats.tally(ROW(b.g, 1, b.d, b.d + 60, b.declined_on, b.application_on, b.notice_on, b.notice_ground, b.decided_on, b.decision)::arrima_stats.invitation, '2023-08-18') AS agg"
    "arrima_stats.sum(b.t) AS agg"
    "(arrima_stats.tally_by(b.g % 40, b.d, b.d + 60, b.declined_on, b.application_on, b.notice_on, b.notice_ground, b.decided_on, b.decision, '2023-08-18'))[1].tally AS agg"
    "count(b.d) AS agg"
)
names=("tally(columns)" "tally(invitation row)" "sum(tally)" "tally_by(40 keys), key 0" "count(date), for comparison")

# Every aggregate of the extension should be measured here.
measured='arrima_stats.sum(arrima_stats.tally)
arrima_stats.tally(arrima_stats.invitation,date)
arrima_stats.tally(date,date,date,date,date,arrima_stats.notice_ground,date,arrima_stats.decision,date)
arrima_stats.tally_by(integer,date,date,date,date,date,arrima_stats.notice_ground,date,arrima_stats.decision,date)'
all=$(psql -d "$db" -At <<'SQL'
SELECT p.oid::regprocedure FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE p.prokind = 'a' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
 ORDER BY p.oid::regprocedure::text COLLATE "C"
SQL
)
if [ "$all" != "$measured" ]; then
    echo "note: the extension's aggregates are not the ones this case measures; add the new ones:"
    diff <(echo "$measured") <(echo "$all") || true
fi

status=0
printf '%-28s %12s %12s %10s\n' aggregate 'peak 1M kB' 'peak 10M kB' 'growth kB'
for i in "${!aggregates[@]}"; do
    read -r hwm1 ans1 <<<"$(peak 100 "${aggregates[$i]}" agg)"
    start=$SECONDS
    read -r hwm10 ans10 <<<"$(peak 1000 "${aggregates[$i]}" agg)"
    secs=$((SECONDS - start))
    growth=$((hwm10 - hwm1))
    printf '%-28s %12s %12s %10s   (10M rows: %s s)\n' "${names[$i]}" "$hwm1" "$hwm10" "$growth" "$secs"
    if [ "$growth" -gt 2048 ]; then
        echo "FAIL: ${names[$i]}: peak memory grew by $growth kB from 1 M to 10 M rows"
        status=1
    fi
    # ten times the rows, ten times every count
    IFS=, read -ra counts <<<"${ans1//[\{\}]/}"
    want=
    for c in "${counts[@]}"; do want+=${want:+,}$((c * 10)); done
    [[ $ans1 != \{* ]] || want="{$want}"
    if [ "$ans10" != "$want" ]; then
        echo "FAIL: ${names[$i]}: over 10 M rows $ans10, expected 10 x $ans1 = $want"
        status=1
    fi
done
[ "$status" -eq 0 ] || exit 1
echo "ok: constant memory from 1 M to 10 M rows, and exact answers"
