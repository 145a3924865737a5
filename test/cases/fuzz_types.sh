#!/usr/bin/env bash
# Fuzzing the types of the extension: every type whose input function belongs
# to the extension (arrima_stats.tally and tally_change today; found in pg_depend and pg_type,
# so types added later are covered) gets hostile and random text, and every
# type whose receive function belongs to the extension gets random binary
# data.  Each must give the right value or a clear error, never a crash:
#
# * text: a fixed list of hostile strings (empty, blanks of every kind,
#   unbalanced and nested braces, signs, exponents, hex, NaN, numbers just
#   past the int8 range, 1 MB of digits, 100,000 braces, non-ASCII digits and
#   blanks, emoji), random ASCII, random Unicode (every code point but NUL and
#   the surrogates), random strings over the type's own alphabet ({},0-9 and
#   blanks), and valid values mutated by random edits.  An error must be of
#   SQLSTATE class 22 (data exception) and name the type; a value must come
#   back the same through its text form; a valid value (written in its
#   canonical form) must print as the very string sent.
# * binary: COPY ... FROM a file in the binary COPY format (the way a client
#   reaches a receive function) holding random bytes of every length 0-300,
#   and payloads of exactly the type's length with random bytes or with
#   8-byte counters (some negative); also the same inside a one-dimensional
#   array (array_recv calls the element's receive function on a slice of its
#   buffer).  What each payload must give is worked out from its bytes here,
#   independently (a tally: exactly 13 big-endian counters, none negative;
#   a tally_change: exactly 13, of any sign):
#   a valid payload must be received as that value and sent back (the send
#   function) as the very bytes received; an invalid one must be refused
#   with an error of class 22 or 08P01 (insufficient data left in message).
# * round trips of every type the extension defines (found in pg_depend:
#   tally, the enums, keyed_tally, document_count, and the row types of its
#   tables and views), with values the server made from some data: through the text
#   form, and through a binary COPY out and back in, alone and in arrays,
#   the values come back the same.
#
# The random choices are seeded (ARRIMA_FUZZ_SEED, default 0.42): a failure
# prints the input, and the same seed repeats the run.  The server must still
# be up, and its log must show no crash, at the end.
. "$(dirname "$0")/common.bash"

db=arrima_case_fuzz_types
seed=${ARRIMA_FUZZ_SEED:-0.42}
fresh_db "$db"
psql -d "$db" -c 'CREATE EXTENSION arrima_stats'
log_offset=$(server_log_offset)
echo "seed $seed"

# A file the server writes and reads, per sample, in the case's scratch dir.
psql -d "$db" -v seed="$seed" -v dir="$ARRIMA_SCRATCH" <<'SQL'
SET client_min_messages = warning;
SELECT setseed(:'seed') \g /dev/null
SET arrima.fuzz_dir = :'dir';

-- The types under test.
CREATE TEMP VIEW input_types AS
  SELECT t.oid::regtype AS typ, t.typname::text AS typname
    FROM pg_type t
    JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
   WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
     AND EXISTS (SELECT FROM pg_depend f
                  WHERE f.classid = 'pg_proc'::regclass AND f.objid = t.typinput
                    AND f.deptype = 'e' AND f.refobjid = d.refobjid);
CREATE TEMP VIEW recv_types AS
  SELECT t.oid::regtype AS typ, t.typname::text AS typname, t.typlen::int AS typlen,
         t.typarray::regtype AS arraytyp, t.typsend::regproc AS typsend
    FROM pg_type t
    JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
   WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
     AND EXISTS (SELECT FROM pg_depend f
                  WHERE f.classid = 'pg_proc'::regclass AND f.objid = t.typreceive
                    AND f.deptype = 'e' AND f.refobjid = d.refobjid);

SELECT 'input: ' || string_agg(typ::text, ', ') FROM input_types;
SELECT 'receive: ' || string_agg(typ::text, ', ') FROM recv_types;

-- Random text helpers
CREATE FUNCTION pg_temp.rand_int(lo int, hi int) RETURNS int
  LANGUAGE sql AS $$ SELECT lo + floor(random() * (hi - lo + 1))::int $$;
CREATE FUNCTION pg_temp.rand_from(alphabet text, len int) RETURNS text
  LANGUAGE sql AS $$
    SELECT coalesce(string_agg(substr(alphabet, pg_temp.rand_int(1, length(alphabet)), 1), ''), '')
      FROM generate_series(1, len) $$;
CREATE FUNCTION pg_temp.rand_unicode(len int) RETURNS text
  LANGUAGE sql AS $$
    SELECT coalesce(string_agg(chr(CASE WHEN c BETWEEN 55296 AND 57343 THEN c - 4096 ELSE c END), ''), '')
      FROM (SELECT pg_temp.rand_int(1, 1114111) AS c FROM generate_series(1, len)) s $$;
CREATE FUNCTION pg_temp.rand_int8() RETURNS text
  LANGUAGE sql AS $$
    SELECT CASE pg_temp.rand_int(0, 3)
             WHEN 0 THEN '0'
             WHEN 1 THEN pg_temp.rand_int(0, 1000)::text
             WHEN 2 THEN '9223372036854775807'
             ELSE floor(random()::numeric * 9223372036854775807)::text END $$;
-- a random edit of a string: delete, insert, replace or duplicate a piece
CREATE FUNCTION pg_temp.mutate(s text) RETURNS text
  LANGUAGE sql AS $$
    SELECT CASE pg_temp.rand_int(0, 4)
             WHEN 0 THEN overlay(s placing '' from p for pg_temp.rand_int(1, 3))
             WHEN 1 THEN overlay(s placing pg_temp.rand_from('{},-+ 09e.x' || E'\t', 1) from p for 0)
             WHEN 2 THEN overlay(s placing pg_temp.rand_from('{},-+ 0123456789', 1) from p for 1)
             WHEN 3 THEN overlay(s placing substr(s, p, pg_temp.rand_int(1, 8)) from p for 0)
             ELSE s || pg_temp.rand_from(',0123456789}', pg_temp.rand_int(1, 3)) END
      FROM (SELECT pg_temp.rand_int(1, greatest(length(s), 1)) AS p) x $$;

CREATE TEMP TABLE input_sample (id serial, kind text, s text);

-- hostile strings, the same for every type
INSERT INTO input_sample (kind, s)
SELECT 'hostile', s FROM unnest(ARRAY[
  '', ' ', E'\t\n\r\f\v', '{', '}', '{}', '{{}}', '}{', '{,}', '{,,,,,,,,,,,,}', '{ }',
  '{0}', '{0,0,0,0,0,0,0,0,0,0,0,0}', '{0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
  '{0,0,0,0,0,0,0,0,0,0,0,0,0', '0,0,0,0,0,0,0,0,0,0,0,0,0}', '{0,0,0,0,0,0,0,0,0,0,0,0,0}}',
  '{{0,0,0,0,0,0,0,0,0,0,0,0,0}}', '{0,0,0,0,0,0,0,0,0,0,0,0,0},', '{0,0,0,0,0,0,0,0,0,0,0,0,}',
  '{0,0,0,0,0,0,0,0,0,0,0,0,-0}', '{0,0,0,0,0,0,0,0,0,0,0,0,+0}', '{-9223372036854775808,0,0,0,0,0,0,0,0,0,0,0,0}',
  '{9223372036854775808,0,0,0,0,0,0,0,0,0,0,0,0}', '{18446744073709551616,0,0,0,0,0,0,0,0,0,0,0,0}',
  '{99999999999999999999999999999999,0,0,0,0,0,0,0,0,0,0,0,0}',
  '{0x10,0,0,0,0,0,0,0,0,0,0,0,0}', '{1e3,0,0,0,0,0,0,0,0,0,0,0,0}', '{1.5,0,0,0,0,0,0,0,0,0,0,0,0}',
  '{NaN,0,0,0,0,0,0,0,0,0,0,0,0}', '{Infinity,0,0,0,0,0,0,0,0,0,0,0,0}', '{null,0,0,0,0,0,0,0,0,0,0,0,0}',
  '{"1",0,0,0,0,0,0,0,0,0,0,0,0}', '(0,0,0,0,0,0,0,0,0,0,0,0,0)', '[0,0,0,0,0,0,0,0,0,0,0,0,0]',
  '{0 0,0,0,0,0,0,0,0,0,0,0,0,0}', '{0;0;0;0;0;0;0;0;0;0;0;0;0}', 'NULL', 'null', 'tally',
  '{١,٢,٣,0,0,0,0,0,0,0,0,0,0}', '{１,0,0,0,0,0,0,0,0,0,0,0,0}', E'{\u00a00,0,0,0,0,0,0,0,0,0,0,0,0}',
  E'\u3000{0,0,0,0,0,0,0,0,0,0,0,0,0}', '{0,0,0,0,0,0,0,0,0,0,0,0,0}😀', '😀',
  E'{0,0,0,0,0,0,0,0,0,0,0,0,0}\u200b', E'\\x7b302c307d', '\{0,0,0,0,0,0,0,0,0,0,0,0,0}'
]) s
UNION ALL SELECT 'long', repeat('{', 100000)
UNION ALL SELECT 'long', repeat('}', 100000)
UNION ALL SELECT 'long', repeat('{}', 50000)
UNION ALL SELECT 'long', '{' || repeat('9', 1000000) || ',0,0,0,0,0,0,0,0,0,0,0,0}'
UNION ALL SELECT 'long', '{' || repeat('0', 1000000) || '1,0,0,0,0,0,0,0,0,0,0,0,0}'
UNION ALL SELECT 'long', '{' || repeat('1,', 100000) || '1}'
UNION ALL SELECT 'long', repeat(' ', 1000000) || '{0,0,0,0,0,0,0,0,0,0,0,0,0}' || repeat(E'\n', 1000000)
UNION ALL SELECT 'long', '{' || repeat(' ', 1000000) || '0,0,0,0,0,0,0,0,0,0,0,0,0}'
UNION ALL SELECT 'long', '{' || repeat('-', 100000) || '1,0,0,0,0,0,0,0,0,0,0,0,0}';

-- random ASCII (1-127), random Unicode, random over the type's alphabet,
-- valid values with random counters, and mutations of valid values
INSERT INTO input_sample (kind, s)
SELECT 'ascii', string_agg(chr(pg_temp.rand_int(1, 127)), '')
  FROM generate_series(1, 2000) i CROSS JOIN LATERAL generate_series(0, pg_temp.rand_int(0, 80) + i * 0) j
 GROUP BY i;
INSERT INTO input_sample (kind, s)
SELECT 'unicode', pg_temp.rand_unicode(pg_temp.rand_int(0, 60) + i * 0) FROM generate_series(1, 2000) i;
INSERT INTO input_sample (kind, s)
SELECT 'alphabet', pg_temp.rand_from('{},0123456789' || E' \t\n', pg_temp.rand_int(0, 80) + i * 0)
  FROM generate_series(1, 3000) i;
INSERT INTO input_sample (kind, s)
SELECT 'valid', '{' || string_agg(pg_temp.rand_int8(), ',') || '}'
  FROM generate_series(1, 1000) i CROSS JOIN generate_series(1, 13) j GROUP BY i;
INSERT INTO input_sample (kind, s)
SELECT 'mutated', pg_temp.mutate(pg_temp.mutate(s)) FROM input_sample WHERE kind = 'valid'
UNION ALL
SELECT 'mutated', pg_temp.mutate(s) FROM input_sample WHERE kind = 'valid'
UNION ALL
SELECT 'mutated', pg_temp.mutate(pg_temp.mutate(pg_temp.mutate(s))) FROM input_sample WHERE kind = 'valid';

CREATE TEMP TABLE input_result (typ regtype, kind text, id int, sqlstate text, message text,
                                round_trip_ok boolean, output text);

DO $$
DECLARE
  t record;
  r record;
  out_text text;
  again text;
  state text;
  msg text;
BEGIN
  FOR t IN SELECT * FROM input_types LOOP
    FOR r IN SELECT * FROM input_sample ORDER BY id LOOP
      BEGIN
        EXECUTE format('SELECT ($1::text)::%s::text', t.typ) INTO out_text USING r.s;
        EXECUTE format('SELECT ($1::text)::%s::text', t.typ) INTO again USING out_text;
        INSERT INTO input_result VALUES (t.typ, r.kind, r.id, NULL, NULL, again = out_text, out_text);
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        INSERT INTO input_result VALUES (t.typ, r.kind, r.id, state, msg, NULL, NULL);
      END;
    END LOOP;
  END LOOP;
END
$$;

\echo '== text input: results per type, kind of input, SQLSTATE'
SELECT r.typ, r.kind, coalesce(r.sqlstate, 'ok') AS result, count(*)
  FROM input_result r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- what is wrong: an error of another class or that does not name the type,
-- a value that does not come back the same, a valid value refused or read
-- as another (a valid value is written in the canonical form: its output
-- must be the very string sent)
CREATE TEMP TABLE input_bad AS
SELECT r.typ, r.kind, r.sqlstate, r.message, r.round_trip_ok,
       CASE WHEN length(s.s) > 200 THEN left(s.s, 100) || format('... (%s characters)', length(s.s))
            ELSE s.s END AS input
  FROM input_result r JOIN input_sample s ON s.id = r.id
  JOIN input_types t ON t.typ = r.typ
 WHERE (r.sqlstate IS NOT NULL AND (left(r.sqlstate, 2) <> '22' OR position(t.typname IN r.message) = 0))
    OR (r.sqlstate IS NULL AND NOT r.round_trip_ok)
    OR (r.kind = 'valid' AND r.output IS DISTINCT FROM s.s);
SELECT * FROM input_bad LIMIT 20;

-- Binary: random payloads through COPY FROM (FORMAT binary).
CREATE TEMP TABLE recv_sample (id serial, kind text, b bytea);
CREATE FUNCTION pg_temp.rand_bytes(len int) RETURNS bytea
  LANGUAGE sql AS $$
    SELECT coalesce(string_agg(set_byte('\x00'::bytea, 0, pg_temp.rand_int(0, 255)), ''::bytea), ''::bytea)
      FROM generate_series(1, len) $$;
-- a value of exactly the type's length: random bytes, or 8-byte counters
-- with the top bit clear (valid for tally) or set (negative)
INSERT INTO recv_sample (kind, b)
SELECT 'random', pg_temp.rand_bytes(pg_temp.rand_int(0, 300) + i * 0) FROM generate_series(1, 600) i;
INSERT INTO recv_sample (kind, b)
SELECT 'exact', pg_temp.rand_bytes(l) FROM recv_types, generate_series(1, 300) i, LATERAL (SELECT greatest(typlen, 8) + i * 0 AS l) x;
INSERT INTO recv_sample (kind, b)
SELECT 'int8s', (SELECT string_agg(int8send(CASE WHEN random() < 0.05 THEN -pg_temp.rand_int(1, 9)
                                                 ELSE pg_temp.rand_int8()::int8 END), ''::bytea)
                   FROM generate_series(1, greatest(typlen / 8, 1) + i * 0))
  FROM recv_types, generate_series(1, 300) i;
INSERT INTO recv_sample (kind, b)
SELECT 'int8s_off_by_one', CASE WHEN i % 2 = 0 THEN substr(b, 2) ELSE b || '\x00'::bytea END
  FROM (SELECT row_number() OVER () AS i, b FROM recv_sample WHERE kind = 'int8s' LIMIT 100) s;

-- What a payload must give, worked out here from the bytes, independently
-- of the receive function: the value's text form, or NULL when the payload
-- is not a value of the type (then an error is due).  A tally is exactly
-- 13 big-endian 8-byte counters, none negative; a tally_change, exactly 13
-- of any sign.  A type of the extension
-- with a receive function of its own and no reference here fails the case.
CREATE FUNCTION pg_temp.expected_text(typname text, b bytea) RETURNS text
  LANGUAGE plpgsql AS $$
DECLARE
  counts bigint[];
BEGIN
  IF typname = 'tally' THEN
    IF length(b) <> 13 * 8 THEN
      RETURN NULL;
    END IF;
    counts := ARRAY(SELECT ('x' || encode(substr(b, 8 * i + 1, 8), 'hex'))::bit(64)::bigint
                      FROM generate_series(0, 12) i ORDER BY i);
    IF EXISTS (SELECT FROM unnest(counts) c WHERE c < 0) THEN
      RETURN NULL;
    END IF;
    RETURN '{' || array_to_string(counts, ',') || '}';
  END IF;
  IF typname = 'tally_change' THEN
    IF length(b) <> 13 * 8 THEN
      RETURN NULL;
    END IF;
    RETURN '{' || (SELECT string_agg(('x' || encode(substr(b, 8 * i + 1, 8), 'hex'))::bit(64)::bigint::text,
                                     ',' ORDER BY i)
                     FROM generate_series(0, 12) i) || '}';
  END IF;
  RAISE EXCEPTION 'no reference decoder for the binary form of type %: add one to fuzz_types.sh', typname;
END
$$;

-- One row per payload and pass: the error, or whether the value received is
-- the expected one and is sent back as the very bytes received.
CREATE TEMP TABLE recv_result (typ regtype, kind text, id int, valid boolean, sqlstate text,
                               message text, same_value boolean, same_bytes boolean);

DO $$
DECLARE
  t record;
  r record;
  f text := current_setting('arrima.fuzz_dir') || '/recv.bin';
  state text;
  msg text;
  want text;
  same_value boolean;
  same_bytes boolean;
  elems bytea;
  sent bytea;
BEGIN
  FOR t IN SELECT * FROM recv_types LOOP
    EXECUTE format('CREATE TEMP TABLE recv_target (v %s)', t.typ);
    EXECUTE format('CREATE TEMP TABLE recv_array_target (v %s)', t.arraytyp);
    FOR r IN SELECT * FROM recv_sample ORDER BY id LOOP
      want := pg_temp.expected_text(t.typname, r.b);
      -- the payload as one field, then as the one element of an array
      -- (ndim 1, no nulls, element type, 1 element from 1, length, bytes)
      elems := int4send(1) || int4send(0) || int4send(t.typ::oid::int) || int4send(1)
               || int4send(1) || int4send(length(r.b)) || r.b;
      FOR pass IN 1..2 LOOP
        sent := CASE pass WHEN 1 THEN r.b ELSE elems END;
        EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', sent, f);
        BEGIN
          IF pass = 1 THEN
            EXECUTE format('COPY recv_target FROM %L (FORMAT binary)', f);
            EXECUTE format('SELECT bool_and(v::text = $1), bool_and(%s(v) = $2) FROM recv_target',
                           t.typsend)
               INTO same_value, same_bytes USING want, sent;
            TRUNCATE recv_target;
          ELSE
            EXECUTE format('COPY recv_array_target FROM %L (FORMAT binary)', f);
            EXECUTE format('SELECT bool_and(v[1]::text = $1 AND cardinality(v) = 1),
                                   bool_and(array_send(v) = $2) FROM recv_array_target')
               INTO same_value, same_bytes USING want, sent;
            TRUNCATE recv_array_target;
          END IF;
          INSERT INTO recv_result VALUES (t.typ, r.kind || CASE pass WHEN 2 THEN ' in array' ELSE '' END,
                                          r.id, want IS NOT NULL, NULL, NULL,
                                          coalesce(same_value, false), coalesce(same_bytes, false));
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
          INSERT INTO recv_result VALUES (t.typ, r.kind || CASE pass WHEN 2 THEN ' in array' ELSE '' END,
                                          r.id, want IS NOT NULL, state, msg, NULL, NULL);
        END;
      END LOOP;
    END LOOP;
    DROP TABLE recv_target, recv_array_target;
  END LOOP;
END
$$;

\echo '== binary input: results per type, kind of input, SQLSTATE'
SELECT r.typ, r.kind, coalesce(r.sqlstate, 'ok') AS result, count(*),
       count(*) FILTER (WHERE r.valid) AS valid_payloads
  FROM recv_result r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- what is wrong: an error of another class; a valid payload refused; an
-- invalid one accepted; a value other than the payload's, or sent back as
-- other bytes
CREATE TEMP TABLE recv_bad AS
SELECT r.typ, r.kind, r.valid, r.sqlstate, r.message, r.same_value, r.same_bytes, s.b AS input
  FROM recv_result r JOIN recv_sample s ON s.id = r.id
 WHERE (r.sqlstate IS NOT NULL AND left(r.sqlstate, 2) <> '22' AND r.sqlstate <> '08P01')
    OR (r.valid AND r.sqlstate IS NOT NULL)
    OR (NOT r.valid AND r.sqlstate IS NULL)
    OR (r.sqlstate IS NULL AND NOT (r.same_value AND r.same_bytes));
SELECT * FROM recv_bad LIMIT 20;

-- Round trips of every type the extension defines: its base, enum and
-- composite types and the row types of its tables and views, each with
-- values the server made (output of real values, never hand-typed), alone
-- and in an array.  Text: the value read back from its text form prints
-- the same text.  Binary: COPY ... TO (FORMAT binary), then COPY ... FROM
-- the file into a fresh table: the same values (as text), row for row.
-- Some data first, so that every table and view has rows.
INSERT INTO arrima_stats.category (code, label_fr, label_en) VALUES ('FUZZ', 'é "q" \ , ( )', 'x');
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, invitations_published) VALUES
  (1, 'OPMO', '2022-01-10', 12), (2, 'FUZZ', '2022-06-01', NULL);
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                                     notice_on, notice_ground, decided_on, decision)
SELECT k, 1 + k % 2, CASE k % 2 WHEN 0 THEN date '2022-01-10' ELSE date '2022-06-01' END + 0,
       NULL, NULL, NULL, NULL, NULL, NULL
  FROM generate_series(1, 6) k;
UPDATE arrima_stats.invitation SET application_on = invited_on + 5 WHERE invitation_id IN (1, 2, 3);
UPDATE arrima_stats.invitation SET notice_on = application_on + 10, notice_ground = 'did_not_support',
                                   decided_on = application_on + 20, decision = 'cancelled'
 WHERE invitation_id = 1;
UPDATE arrima_stats.invitation SET decided_on = application_on + 30, decision = 'selected'
 WHERE invitation_id = 2;
UPDATE arrima_stats.invitation SET declined_on = invited_on + 1 WHERE invitation_id = 4;
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on)
VALUES ('7', '1', '2022-01-10'), (E'b\tad', '1', '2022-01-10');
SELECT * FROM arrima_stats.ingest() \g /dev/null
INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on, decision)
VALUES ('8', '2', '2022-06-01', NULL);
UPDATE arrima_stats.disclosure_policy SET min_count = 3, round_to = 2;
SELECT arrima_stats.refresh_publications('2023-08-18') \g /dev/null

CREATE TEMP VIEW ext_types AS
  SELECT t.oid::regtype AS typ, t.typtype::text AS typtype, t.typarray::regtype AS arraytyp,
         c.oid::regclass AS rel
    FROM pg_type t
    JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
    LEFT JOIN pg_class c ON c.oid = t.typrelid
   WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
     -- arrays are sent as the arrays of each type below; on PostgreSQL 17 and
     -- 18 (not 15) the array types of the tables' and views' row types are
     -- members of the extension too
     AND t.typcategory <> 'A'
  UNION ALL
  SELECT c.reltype::regtype, 'c', t.typarray::regtype, c.oid::regclass
    FROM pg_class c
    JOIN pg_type t ON t.oid = c.reltype
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
   WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
     AND c.relkind IN ('r', 'p', 'v', 'm');

CREATE TEMP TABLE rt_sample (id serial, typ regtype, v text);
DO $$
DECLARE
  t record;
  n int;
BEGIN
  FOR t IN SELECT * FROM ext_types ORDER BY typ::text LOOP
    IF t.typ = 'arrima_stats.tally'::regtype THEN
      INSERT INTO rt_sample (typ, v)
      SELECT t.typ, s FROM input_sample WHERE kind = 'valid'
      UNION ALL
      SELECT t.typ, arrima_stats.tally(i, d)::text
        FROM arrima_stats.invitation i, unnest('{2022-01-01,2022-03-01,2023-08-18}'::date[]) d
       GROUP BY d;
    ELSIF t.typ = 'arrima_stats.tally_change'::regtype THEN
      -- the valid inputs, the int8 extremes, and changes the calendar holds
      INSERT INTO rt_sample (typ, v)
      SELECT t.typ, s FROM input_sample WHERE kind = 'valid'
      UNION ALL SELECT t.typ, '{-9223372036854775808,9223372036854775807,-1,0,1,0,0,0,0,0,0,0,0}'
      UNION ALL (SELECT t.typ, c.change::text FROM arrima_stats.outcome_calendar c
                  ORDER BY c.round_id, c.year, c.day LIMIT 200);
    ELSIF t.typ = 'arrima_stats.keyed_tally'::regtype THEN
      INSERT INTO rt_sample (typ, v)
      SELECT t.typ, k::text
        FROM unnest((SELECT arrima_stats.tally_by(CASE WHEN i.invitation_id < 6 THEN i.round_id END,
                                                  i.invited_on, i.response_due_on, i.declined_on,
                                                  i.application_on, i.notice_on, i.notice_ground,
                                                  i.decided_on, i.decision, '2023-08-18')
                       FROM arrima_stats.invitation i)) k
      UNION ALL SELECT t.typ, ROW(NULL, NULL)::arrima_stats.keyed_tally::text;
    ELSIF t.typ = 'arrima_stats.document_count'::regtype THEN
      -- what release_document hands its pieces: the release's counts as the
      -- reader schema shows them, and a label with quotes, commas and markup
      INSERT INTO rt_sample (typ, v)
      (SELECT t.typ, (c.dashboard, c.row_kind, c.round_id, c.held_on, c.year, c.category, k.label_fr, c.measure,
                      c.value, c.lower, c.upper, c.carried_value, c.carried_as_of)::arrima_stats.document_count::text
         FROM arrima_published.release_count c LEFT JOIN arrima_published.category k ON k.code = c.category
        ORDER BY c.row_key, c.measure LIMIT 200)
      UNION ALL
      SELECT t.typ, ROW('round_dashboard', 'round', 1, '2022-01-10', NULL, 'OPMO', '<b>"a", (b)</b> \ c', 'refused',
                        NULL, 0, NULL, 22736, '2023-08-18')::arrima_stats.document_count::text;
    ELSIF t.typtype = 'e' THEN
      EXECUTE format('INSERT INTO rt_sample (typ, v) SELECT %L, unnest(enum_range(NULL::%s))::text',
                     t.typ, t.typ);
    ELSIF t.rel IS NOT NULL THEN
      EXECUTE format('INSERT INTO rt_sample (typ, v) SELECT %L, r::text FROM %s r LIMIT 200',
                     t.typ, t.rel);
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
      RAISE EXCEPTION 'no sample value of type %: give this case a way to make some', t.typ;
    END IF;
  END LOOP;
END
$$;

CREATE TEMP TABLE rt_result (typ regtype, form text, samples int, differ int);
DO $$
DECLARE
  t record;
  f text := current_setting('arrima.fuzz_dir') || '/roundtrip.bin';
  n int;
  bad int;
BEGIN
  FOR t IN SELECT * FROM ext_types ORDER BY typ::text LOOP
    -- the values, and arrays of them (three per array, one NULL)
    EXECUTE format('CREATE TEMP TABLE rt_sent AS
                      SELECT id, v::%s AS v, ARRAY[v::%s, NULL, v::%s] AS a
                        FROM rt_sample WHERE typ = %L::regtype', t.typ, t.typ, t.typ, t.typ);
    SELECT count(*) INTO n FROM rt_sent;
    -- text: read back from the text, printed again
    EXECUTE format('SELECT count(*) FROM rt_sent s JOIN rt_sample r USING (id)
                     WHERE s.v::text <> r.v OR s.v::text::%s::text <> r.v
                        OR s.a::text::%s::text <> s.a::text', t.typ, t.arraytyp) INTO bad;
    INSERT INTO rt_result VALUES (t.typ, 'text', n, bad);
    -- binary: out to a file and back in
    EXECUTE format('COPY rt_sent TO %L (FORMAT binary)', f);
    EXECUTE format('CREATE TEMP TABLE rt_received (id int, v %s, a %s)', t.typ, t.arraytyp);
    EXECUTE format('COPY rt_received FROM %L (FORMAT binary)', f);
    SELECT count(*) INTO bad
      FROM rt_sent s FULL JOIN rt_received r USING (id)
     WHERE s.id IS NULL OR r.id IS NULL
        OR s.v::text IS DISTINCT FROM r.v::text OR s.a::text IS DISTINCT FROM r.a::text;
    INSERT INTO rt_result VALUES (t.typ, 'binary', n, bad);
    DROP TABLE rt_sent, rt_received;
  END LOOP;
END
$$;
\echo '== round trips: values per type, and how many came back different'
SELECT typ, form, samples, differ FROM rt_result ORDER BY typ::text, form;

-- Fail if anything is wrong, or if nothing was tested.
DO $$
BEGIN
  IF (SELECT count(*) FROM input_types) = 0 OR (SELECT count(*) FROM recv_types) = 0 THEN
    RAISE EXCEPTION 'no type of the extension with an input or receive function of its own';
  END IF;
  IF (SELECT count(*) FROM input_result WHERE sqlstate IS NULL) = 0
     OR (SELECT count(*) FROM input_result WHERE sqlstate IS NOT NULL) = 0
     OR (SELECT count(*) FROM recv_result WHERE sqlstate IS NULL) = 0
     OR (SELECT count(*) FROM recv_result WHERE sqlstate IS NOT NULL) = 0 THEN
    RAISE EXCEPTION 'the fuzzing got only values or only errors: it tested nothing';
  END IF;
  IF (SELECT count(*) FROM recv_result WHERE valid AND sqlstate IS NULL) = 0 THEN
    RAISE EXCEPTION 'no valid binary payload was received: the check of received values tested nothing';
  END IF;
  IF EXISTS (SELECT FROM input_bad) OR EXISTS (SELECT FROM recv_bad) THEN
    RAISE EXCEPTION '% text and % binary inputs handled wrongly (listed above)',
      (SELECT count(*) FROM input_bad), (SELECT count(*) FROM recv_bad);
  END IF;
  IF EXISTS (SELECT FROM rt_result WHERE differ > 0 OR samples = 0) THEN
    RAISE EXCEPTION 'round trips: values of % types came back different (listed above)',
      (SELECT count(DISTINCT typ) FROM rt_result WHERE differ > 0 OR samples = 0);
  END IF;
END
$$;
SELECT format('ok: %s text inputs, %s binary inputs (%s valid, received as sent), round trips of %s types',
              (SELECT count(*) FROM input_result), (SELECT count(*) FROM recv_result),
              (SELECT count(*) FROM recv_result WHERE valid), (SELECT count(DISTINCT typ) FROM rt_result));
SQL

if server_crashed_since "$log_offset"; then
    echo "FAIL: the server log shows a crash (above)"
    exit 1
fi
psql -d "$db" -Atc 'SELECT 1' >/dev/null
