#!/usr/bin/env bash
# Memory: the extension's aggregates keep constant memory however many rows
# they count.  Each aggregate runs over 1 million and over 10 million rows,
# each time in a new backend, and the backend's peak resident memory (VmHWM
# of /proc/self/status, read with pg_read_file) must be the same within
# 2 MB: a leak of 1 byte per row would show 9 MB.  The answer over 1 M rows
# must be the one a plain-SQL reference gives (the contract's classification
# as a CASE, counted with FILTER), and the answer over 10 M rows exactly 10
# times it (the same rows ten times).  Every measurement must be a number:
# a failing query or an empty reading fails the case.
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
       ('{1,' || (k = 1)::int || ',0,0,0,0,0,0,0,0,' || (k % 2) || ',0,0}')::arrima_stats.tally AS t,
       ('{1,' || -(k = 1)::int || ',0,0,0,0,0,0,0,0,' || (k % 2) || ',0,0}')::arrima_stats.tally_change AS c
  FROM generate_series(1, 10000) g,
       LATERAL (SELECT g % 12 AS k, '2021-01-01'::date + (g % 900) AS d) x;
ANALYZE outer_rows, inner_rows;

-- The reference, over the 10,000 inner rows: each invitation classified
-- as of 2023-08-18 by the contract's rules written as a CASE.
CREATE TABLE reference AS
SELECT b.g, b.t,
       CASE WHEN b.declined_on <= '2023-08-18' THEN 'declined'
            WHEN b.application_on IS NULL OR b.application_on > '2023-08-18' THEN
              CASE WHEN b.d + 60 < '2023-08-18' THEN 'expired' ELSE 'awaiting_response' END
            WHEN b.decided_on <= '2023-08-18' THEN b.decision::text
            WHEN b.notice_on <= '2023-08-18' THEN 'cancellation_pending'
            ELSE 'in_processing' END AS outcome,
       CASE WHEN b.notice_on <= '2023-08-18' THEN b.notice_ground::text END AS notice
  FROM inner_rows b
 WHERE b.d <= '2023-08-18';
-- a tally's text form, from the reference rows, each count times m
CREATE FUNCTION tally_of(rows_where text, m integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t text;
BEGIN
  EXECUTE format($q$
    SELECT format('{%%s,%%s,%%s,%%s,%%s,%%s,%%s,%%s,%%s,%%s,%%s,%%s,%%s}',
                  $1 * count(*), $1 * count(*) FILTER (WHERE outcome = 'awaiting_response'),
                  $1 * count(*) FILTER (WHERE outcome = 'declined'),
                  $1 * count(*) FILTER (WHERE outcome = 'expired'),
                  $1 * count(*) FILTER (WHERE outcome = 'in_processing'),
                  $1 * count(*) FILTER (WHERE outcome = 'cancellation_pending'),
                  $1 * count(*) FILTER (WHERE outcome = 'rejected'),
                  $1 * count(*) FILTER (WHERE outcome = 'refused'),
                  $1 * count(*) FILTER (WHERE outcome = 'cancelled'),
                  $1 * count(*) FILTER (WHERE outcome = 'withdrawn'),
                  $1 * count(*) FILTER (WHERE outcome = 'selected'),
                  $1 * count(*) FILTER (WHERE notice = 'cannot_support'),
                  $1 * count(*) FILTER (WHERE notice = 'did_not_support'))
      FROM reference WHERE %s$q$, rows_where) INTO t USING m;
  RETURN t;
END
$$;
SQL

# The answers over 1 M rows (100 x the 10,000), in the order of aggregates[]
# below: the tally of every row (twice: by columns, by row), the sum of the
# stored tallies (each is {1, k = 1, 0 ..., k odd, 0, 0}), the tally of key 0
# of g % 40, the count, the sum of the stored changes (each is {1, -(k = 1),
# 0 ..., k odd, 0, 0}), and the changes calendar_changes makes, summed over
# the days up to the date: the tally of every row again.
mapfile -t want1 < <(psql -d "$db" -At <<'SQL'
SELECT tally_of('true', 100);
SELECT tally_of('true', 100);
SELECT format('{%s,%s,0,0,0,0,0,0,0,0,%s,0,0}', 100 * count(*),
              100 * count(*) FILTER (WHERE g % 12 = 1), 100 * count(*) FILTER (WHERE g % 12 % 2 = 1))
  FROM inner_rows;
SELECT tally_of('g % 40 = 0', 100);
SELECT 100 * count(*) FROM inner_rows;
SELECT format('{%s,%s,0,0,0,0,0,0,0,0,%s,0,0}', 100 * count(*),
              -100 * count(*) FILTER (WHERE g % 12 = 1), 100 * count(*) FILTER (WHERE g % 12 % 2 = 1))
  FROM inner_rows;
SELECT tally_of('true', 100);
SQL
)
[ ${#want1[@]} -eq 7 ] || die "the reference gave ${#want1[@]} answers, not 7"

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
    "arrima_stats.sum(b.c) AS agg"
    "(SELECT arrima_stats.sum(x.change) FROM unnest(arrima_stats.calendar_changes(1, b.g % 40, b.d, b.d + 60, b.declined_on, b.application_on, b.notice_on, b.notice_ground, b.decided_on, b.decision)) x WHERE x.day <= '2023-08-18') AS agg"
)
names=("tally(columns)" "tally(invitation row)" "sum(tally)" "tally_by(40 keys), key 0" "count(date), for comparison"
       "sum(tally_change)" "calendar_changes(40 rounds)")

# Every aggregate of the extension should be measured here.
measured='arrima_stats.calendar_changes(integer,integer,date,date,date,date,date,arrima_stats.notice_ground,date,arrima_stats.decision)
arrima_stats.sum(arrima_stats.tally)
arrima_stats.sum(arrima_stats.tally_change)
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
[ -n "$all" ] || die "no aggregate of the extension found"
if [ "$all" != "$measured" ]; then
    echo "FAIL: the extension's aggregates are not the ones this case measures; measure the new ones:"
    diff <(echo "$measured") <(echo "$all") || true
    exit 1
fi

status=0
printf '%-28s %12s %12s %10s\n' aggregate 'peak 1M kB' 'peak 10M kB' 'growth kB'
for i in "${!aggregates[@]}"; do
    # a plain assignment: psql's failure ends the case (set -e)
    out1=$(peak 100 "${aggregates[$i]}" agg)
    read -r hwm1 ans1 <<<"$out1"
    start=$SECONDS
    out10=$(peak 1000 "${aggregates[$i]}" agg)
    read -r hwm10 ans10 <<<"$out10"
    secs=$((SECONDS - start))
    if ! is_int "$hwm1" || ! is_int "$hwm10" || [ -z "$ans1" ] || [ -z "$ans10" ]; then
        die "${names[$i]}: no measurement (1 M: '$out1', 10 M: '$out10')"
    fi
    growth=$((hwm10 - hwm1))
    printf '%-28s %12s %12s %10s   (10M rows: %s s)\n' "${names[$i]}" "$hwm1" "$hwm10" "$growth" "$secs"
    if [ "$growth" -gt 2048 ]; then
        echo "FAIL: ${names[$i]}: peak memory grew by $growth kB from 1 M to 10 M rows"
        status=1
    fi
    if [ "$ans1" != "${want1[$i]}" ]; then
        echo "FAIL: ${names[$i]}: over 1 M rows $ans1, the reference says ${want1[$i]}"
        status=1
    fi
    # ten times the rows, ten times every count
    IFS=, read -ra counts <<<"${ans1//[\{\}]/}"
    want=
    for c in "${counts[@]}"; do
        is_int "$c" || die "${names[$i]}: '$c' in '$ans1' is not a count"
        want+=${want:+,}$((c * 10))
    done
    [[ $ans1 != \{* ]] || want="{$want}"
    if [ "$ans10" != "$want" ]; then
        echo "FAIL: ${names[$i]}: over 10 M rows $ans10, expected 10 x $ans1 = $want"
        status=1
    fi
done
[ "$status" -eq 0 ] || exit 1
echo "ok: constant memory from 1 M to 10 M rows, and exact answers"
