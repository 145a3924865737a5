--
-- The tally type: text and binary forms, addition, sum, reading counters.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- text form: 13 non-negative counters; blanks allowed around each
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13}'::tally;
SELECT ' {  0 ,0,0,0,0,0,0,0,0,0,0,0, 9223372036854775807 }  '::tally;
SELECT (('{1,2,3,4,5,6,7,8,9,10,11,12,13}'::tally)::text)::tally;

-- every malformed form is refused with a reason
\set VERBOSITY default
SELECT ''::tally;
SELECT '1,2,3,4,5,6,7,8,9,10,11,12,13'::tally;
SELECT '{}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13,14}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,13} x'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,-13}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,+13}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,1e3}'::tally;
SELECT '{1,2,3,4,5,6,7,8,9,10,11,12,9223372036854775808}'::tally;
SELECT '{1;2;3;4;5;6;7;8;9;10;11;12;13}'::tally;
\set VERBOSITY terse

-- binary form (tally_send, tally_recv): the 13 counters in their order, each
-- a big-endian 8-byte integer.  Counters that differ in every byte position:
-- 1, 256, 65536, ... 2^56, then 2^63 - 1, 0, 3, 258 and 42.
SELECT length(tally_send('{0,0,0,0,0,0,0,0,0,0,0,0,0}')) AS bytes;
SELECT n AS counter, encode(substr(b, 8 * n - 7, 8), 'hex') AS bytes
  FROM (SELECT tally_send('{1,256,65536,16777216,4294967296,1099511627776,281474976710656,'
                          '72057594037927936,9223372036854775807,0,3,258,42}') AS b) s,
       generate_series(1, 13) n;
-- the same bytes as one string, against the value built from the counters
SELECT tally_send('{1,2,3,4,5,6,7,8,9,10,11,12,13}')
       = (SELECT string_agg(int8send(n), ''::bytea ORDER BY n) FROM generate_series(1, 13) n)
       AS send_in_order;

-- A binary COPY out and back in (the way a client or pg_dump's binary
-- format moves a tally): the same values, alone, in an array and in a
-- keyed_tally (whose send and receive call the tally's); and a file whose
-- field holds bytes written here by hand reads as the counters they spell.
CREATE TEMP TABLE tally_sent (id int, t tally, ts tally[], k keyed_tally);
INSERT INTO tally_sent VALUES
  (1, '{0,0,0,0,0,0,0,0,0,0,0,0,0}', '{}', NULL),
  (2, '{1,2,3,4,5,6,7,8,9,10,11,12,13}',
      ARRAY['{13,12,11,10,9,8,7,6,5,4,3,2,1}', '{9223372036854775807,0,0,0,0,0,0,0,0,0,0,0,1}']::tally[],
      ROW(-7, '{7,0,0,0,0,0,0,0,0,0,0,0,7}')),
  (3, '{9223372036854775807,256,65536,16777216,4294967296,1099511627776,281474976710656,'
      '72057594037927936,1,0,3,258,42}', ARRAY[NULL, '{1,1,0,0,0,0,0,0,0,0,0,0,0}']::tally[],
      ROW(NULL, NULL)),
  (4, NULL, NULL, ROW(2147483647, '{2,0,0,0,0,0,0,0,0,0,0,1,1}'));
\copy tally_sent TO 'results/tally_roundtrip.bin' (FORMAT binary)
CREATE TEMP TABLE tally_received (LIKE tally_sent);
\copy tally_received FROM 'results/tally_roundtrip.bin' (FORMAT binary)
SELECT s.id, r.id IS NOT NULL AS received,
       r.t::text IS NOT DISTINCT FROM s.t::text AS same_t,
       r.ts::text IS NOT DISTINCT FROM s.ts::text AS same_array,
       r.k::text IS NOT DISTINCT FROM s.k::text AS same_keyed
  FROM tally_sent s LEFT JOIN tally_received r USING (id)
 ORDER BY s.id;
SELECT count(*) AS rows_received FROM tally_received;
CREATE TEMP TABLE tally_bytes (b bytea);
INSERT INTO tally_bytes
SELECT string_agg(int8send(v), ''::bytea ORDER BY n)
  FROM unnest('{5,0,1,2,0,0,0,0,0,0,0,1,9223372036854775807}'::bigint[]) WITH ORDINALITY u(v, n);
\copy tally_bytes TO 'results/tally_bytes.bin' (FORMAT binary)
CREATE TEMP TABLE tally_from_bytes (t tally);
\copy tally_from_bytes FROM 'results/tally_bytes.bin' (FORMAT binary)
SELECT t AS received_from_bytes FROM tally_from_bytes;

-- reading the counters back as columns
SELECT * FROM tally_counts('{13,1,2,3,4,0,0,0,0,0,3,5,6}');

-- addition; the operands are left as they were
SELECT a, b, a + b AS sum
  FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally, '{2,0,1,0,0,0,0,0,0,0,1,1,0}'::tally)) v(a, b);
-- past bigint, with the counter named (sum and combining add the same way)
\set VERBOSITY default
SELECT '{9223372036854775807,0,0,0,0,0,0,0,0,0,0,0,0}'::tally + '{1,0,0,0,0,0,0,0,0,0,0,0,0}';
SELECT '{0,0,0,0,0,0,0,0,0,0,0,0,9223372036854775000}'::tally + '{0,0,0,0,0,0,0,0,0,0,0,0,808}';
SELECT sum(t) FROM (VALUES ('{5,0,0,0,0,0,0,9223372036854775807,0,0,0,0,0}'::tally),
                           ('{1,0,0,0,0,0,0,1,0,0,0,0,0}')) v(t);
\set VERBOSITY terse

-- the sum aggregate: NULLs skipped; nothing to add is the empty tally
SELECT sum(t) FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally), (NULL),
                           ('{2,0,0,0,1,1,0,0,0,0,0,0,1}')) v(t);
SELECT sum(t) FROM (VALUES ('{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally)) v(t) WHERE false;
SELECT g, sum(t) FROM (VALUES (1, '{1,1,0,0,0,0,0,0,0,0,0,0,0}'::tally), (2, '{1,0,1,0,0,0,0,0,0,0,0,0,0}'),
                              (1, '{1,0,0,1,0,0,0,0,0,0,0,0,0}')) v(g, t)
 GROUP BY g ORDER BY g;

-- the transition functions called directly do not change their input
SELECT t, tally_accum(t, '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL, '2022-02-01')
  FROM (VALUES ('{5,5,0,0,0,0,0,0,0,0,0,0,0}'::tally)) v(t);
SELECT tally_accum(NULL, '2022-01-10', '2022-03-11', NULL, NULL, NULL, NULL, NULL, NULL, '2022-04-01');

-- a tally can be stored and summed later
CREATE TEMP TABLE stored (label text, t tally);
INSERT INTO stored VALUES ('a', '{3,1,1,1,0,0,0,0,0,0,0,0,0}'), ('b', '{2,0,0,0,1,1,0,0,0,0,0,1,0}');
SELECT sum(t), (tally_counts(sum(t))).invitations FROM stored;
