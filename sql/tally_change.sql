--
-- The tally_change type, the signed counterpart of a tally: text and binary
-- forms, addition and its overflow, sum, equality, and the casts to and
-- from tally (to a tally only without a negative counter).
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- text form: 13 counters, each may be negative; blanks around each
SELECT '{1,-2,3,-4,5,-6,7,-8,9,-10,11,-12,13}'::tally_change;
SELECT ' { -9223372036854775808 ,0,0,0,0,0,0,0,0,0,0,0, 9223372036854775807 }  '::tally_change;
SELECT (('{1,-2,3,-4,5,-6,7,-8,9,-10,11,-12,13}'::tally_change)::text)::tally_change;
SELECT '{-0,0,0,0,0,0,0,0,0,0,0,0,0}'::tally_change;

-- every malformed form is refused with a reason
\set VERBOSITY default
SELECT ''::tally_change;
SELECT '{}'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12}'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13,14}'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13} x'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,--13}'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,- 13}'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,+13}'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,9223372036854775808}'::tally_change;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,-9223372036854775809}'::tally_change;
-- a tally still refuses a minus sign
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,-13}'::tally;
\set VERBOSITY terse

-- binary form: the 13 counters, each a big-endian 8-byte integer, signed
SELECT length(tally_change_send('{0,0,0,0,0,0,0,0,0,0,0,0,0}')) AS bytes;
SELECT tally_change_send('{1,-2,3,-4,5,-6,7,-8,9,-10,11,-12,13}')
       = (SELECT string_agg(int8send(CASE WHEN n % 2 = 0 THEN -n ELSE n END), ''::bytea ORDER BY n)
            FROM generate_series(1, 13) n) AS send_in_order;
-- a binary COPY out and back in, alone and in an array
CREATE TEMP TABLE change_sent (id int, c tally_change, cs tally_change[]);
INSERT INTO change_sent VALUES
  (1, '{0,0,0,0,0,0,0,0,0,0,0,0,0}', '{}'),
  (2, '{-9223372036854775808,1,-1,0,0,0,0,0,0,0,0,0,9223372036854775807}',
      ARRAY['{1,-1,0,0,0,0,0,0,0,0,0,0,0}', NULL]::tally_change[]),
  (3, NULL, NULL);
\copy change_sent TO 'results/tally_change_roundtrip.bin' (FORMAT binary)
CREATE TEMP TABLE change_received (LIKE change_sent);
\copy change_received FROM 'results/tally_change_roundtrip.bin' (FORMAT binary)
SELECT s.id, r.c::text IS NOT DISTINCT FROM s.c::text AS same,
       r.cs::text IS NOT DISTINCT FROM s.cs::text AS same_array
  FROM change_sent s JOIN change_received r USING (id) ORDER BY s.id;

-- addition; the operands are left as they were
SELECT a, b, a + b AS sum
  FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally_change,
                '{-1,-1,0,0,0,0,0,0,0,0,0,0,2}'::tally_change)) v(a, b);
-- past bigint, either way, with the counter named
\set VERBOSITY default
SELECT '{9223372036854775807,0,0,0,0,0,0,0,0,0,0,0,0}'::tally_change
       + '{1,0,0,0,0,0,0,0,0,0,0,0,0}'::tally_change;
SELECT '{0,0,-9223372036854775807,0,0,0,0,0,0,0,0,0,0}'::tally_change
       + '{0,0,-2,0,0,0,0,0,0,0,0,0,0}'::tally_change;
\set VERBOSITY terse

-- sum: NULLs skipped, nothing to add is zero, and a change undone is zero
SELECT sum(c) FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally_change), (NULL),
                           ('{0,-1,0,1,0,0,0,0,0,0,0,0,0}')) v(c);
SELECT sum(c) FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally_change)) v(c) WHERE false;
SELECT sum(c) FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally_change),
                           ('{-1,-1,0,0,0,0,0,0,0,0,0,0,0}')) v(c);
SELECT sum(c) FROM (VALUES ('{9223372036854775807,0,0,0,0,0,0,0,0,0,0,0,0}'::tally_change),
                           ('{1,0,0,0,0,0,0,0,0,0,0,0,0}')) v(c);
-- a running sum (what dashboard_series does), and a sum in parallel workers
SELECT d, sum(c) OVER (ORDER BY d) AS running
  FROM (VALUES (1, '{2,2,0,0,0,0,0,0,0,0,0,0,0}'::tally_change),
               (2, '{0,-1,1,0,0,0,0,0,0,0,0,0,0}'),
               (3, '{0,-1,0,1,0,0,0,0,0,0,0,0,0}')) v(d, c);
CREATE TABLE change_parts AS
  SELECT ('{1,' || (k % 2) || ',' || -(k % 3) || ',0,0,0,0,0,0,0,0,0,' || k || '}')::tally_change AS c
    FROM generate_series(1, 20000) k;
ANALYZE change_parts;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT sum(c) FROM change_parts;
SELECT sum(c) FROM change_parts;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
DROP TABLE change_parts;

-- equality, counter by counter
SELECT '{1,-1,0,0,0,0,0,0,0,0,0,0,0}'::tally_change = '{1,-1,0,0,0,0,0,0,0,0,0,0,0}' AS eq,
       '{1,-1,0,0,0,0,0,0,0,0,0,0,0}'::tally_change = '{1,-1,0,0,0,0,0,0,0,0,0,0,1}' AS eq2,
       '{1,-1,0,0,0,0,0,0,0,0,0,0,0}'::tally_change <> '{1,-1,0,0,0,0,0,0,0,0,0,0,1}' AS ne,
       '{0,0,0,0,0,0,0,0,0,0,0,0,0}'::tally_change <> '{-0,0,0,0,0,0,0,0,0,0,0,0,0}' AS ne2;

-- a change without a negative counter is a tally ...
SELECT '{3,1,1,1,0,0,0,0,0,0,0,0,0}'::tally_change::tally;
SELECT tally('{0,0,0,0,0,0,0,0,0,0,0,0,0}'::tally_change);
-- ... one with a negative counter is refused, the counter named
\set VERBOSITY default
SELECT '{1,-1,2,0,0,0,0,0,0,0,0,0,0}'::tally_change::tally;
SELECT '{0,0,0,0,0,0,0,0,0,0,0,0,-9223372036854775808}'::tally_change::tally;
\set VERBOSITY terse
-- a tally is a change from nothing, explicitly or on assignment
SELECT '{5,1,1,1,1,1,0,0,0,0,0,1,0}'::tally::tally_change;
CREATE TEMP TABLE stored_change (c tally_change);
INSERT INTO stored_change SELECT '{2,2,0,0,0,0,0,0,0,0,0,0,0}'::tally;
SELECT c FROM stored_change;
-- round trips through both
SELECT ('{5,1,1,1,1,1,0,0,0,0,0,1,0}'::tally::tally_change)::tally;
