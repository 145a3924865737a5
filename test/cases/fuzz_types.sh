#!/usr/bin/env bash
# Fuzzing the types of the extension: every type whose input function belongs
# to the extension (arrima_stats.tally today; found in pg_depend and pg_type,
# so types added later are covered) gets hostile and random text, and every
# type whose receive function belongs to the extension gets random binary
# data.  Each must give a value or a clear error, never a crash:
#
# * text: a fixed list of hostile strings (empty, blanks of every kind,
#   unbalanced and nested braces, signs, exponents, hex, NaN, numbers just
#   past the int8 range, 1 MB of digits, 100,000 braces, non-ASCII digits and
#   blanks, emoji), random ASCII, random Unicode (every code point but NUL and
#   the surrogates), random strings over the type's own alphabet ({},0-9 and
#   blanks), and valid values mutated by random edits.  An error must be of
#   SQLSTATE class 22 (data exception) and name the type; a value must come
#   back the same through its text form.
# * binary: COPY ... FROM a file in the binary COPY format (the way a client
#   reaches a receive function) holding random bytes of every length 0-300,
#   and payloads of exactly the type's length with random bytes; also the
#   same inside a one-dimensional array (array_recv calls the element's
#   receive function on a slice of its buffer).  An error must be of class 22
#   or 08P01 (insufficient data left in message); a value must come back the
#   same through its text form.
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
         t.typarray::regtype AS arraytyp
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
                                round_trip_ok boolean);

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
        INSERT INTO input_result VALUES (t.typ, r.kind, r.id, NULL, NULL, again = out_text);
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        INSERT INTO input_result VALUES (t.typ, r.kind, r.id, state, msg, NULL);
      END;
    END LOOP;
  END LOOP;
END
$$;

\echo '== text input: results per type, kind of input, SQLSTATE'
SELECT r.typ, r.kind, coalesce(r.sqlstate, 'ok') AS result, count(*)
  FROM input_result r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- what is wrong: an error of another class or that does not name the type,
-- a value that does not come back the same, a valid value refused
CREATE TEMP TABLE input_bad AS
SELECT r.typ, r.kind, r.sqlstate, r.message, r.round_trip_ok,
       CASE WHEN length(s.s) > 200 THEN left(s.s, 100) || format('... (%s characters)', length(s.s))
            ELSE s.s END AS input
  FROM input_result r JOIN input_sample s ON s.id = r.id
  JOIN input_types t ON t.typ = r.typ
 WHERE (r.sqlstate IS NOT NULL AND (left(r.sqlstate, 2) <> '22' OR position(t.typname IN r.message) = 0))
    OR (r.sqlstate IS NULL AND NOT r.round_trip_ok)
    OR (r.kind = 'valid' AND r.sqlstate IS NOT NULL);
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

CREATE TEMP TABLE recv_result (typ regtype, kind text, id int, sqlstate text, message text,
                               round_trip_ok boolean);

DO $$
DECLARE
  t record;
  r record;
  f text := current_setting('arrima.fuzz_dir') || '/recv.bin';
  state text;
  msg text;
  ok boolean;
  elems bytea;
BEGIN
  FOR t IN SELECT * FROM recv_types LOOP
    EXECUTE format('CREATE TEMP TABLE recv_target (v %s)', t.typ);
    EXECUTE format('CREATE TEMP TABLE recv_array_target (v %s)', t.arraytyp);
    FOR r IN SELECT * FROM recv_sample ORDER BY id LOOP
      -- the payload as one field, then as the one element of an array
      -- (ndim 1, no nulls, element type, 1 element from 1, length, bytes)
      FOR pass IN 1..2 LOOP
        IF pass = 1 THEN
          EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', r.b, f);
        ELSE
          elems := int4send(1) || int4send(0) || int4send(t.typ::oid::int) || int4send(1)
                   || int4send(1) || int4send(length(r.b)) || r.b;
          EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', elems, f);
        END IF;
        BEGIN
          IF pass = 1 THEN
            EXECUTE format('COPY recv_target FROM %L (FORMAT binary)', f);
            EXECUTE format('SELECT bool_and(v::text::%s::text = v::text) FROM recv_target', t.typ) INTO ok;
            TRUNCATE recv_target;
          ELSE
            EXECUTE format('COPY recv_array_target FROM %L (FORMAT binary)', f);
            EXECUTE format('SELECT bool_and(v::text::%s::text = v::text) FROM recv_array_target', t.arraytyp) INTO ok;
            TRUNCATE recv_array_target;
          END IF;
          INSERT INTO recv_result VALUES (t.typ, r.kind || CASE pass WHEN 2 THEN ' in array' ELSE '' END,
                                          r.id, NULL, NULL, ok);
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
          INSERT INTO recv_result VALUES (t.typ, r.kind || CASE pass WHEN 2 THEN ' in array' ELSE '' END,
                                          r.id, state, msg, NULL);
        END;
      END LOOP;
    END LOOP;
    DROP TABLE recv_target, recv_array_target;
  END LOOP;
END
$$;

\echo '== binary input: results per type, kind of input, SQLSTATE'
SELECT r.typ, r.kind, coalesce(r.sqlstate, 'ok') AS result, count(*)
  FROM recv_result r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

CREATE TEMP TABLE recv_bad AS
SELECT r.typ, r.kind, r.sqlstate, r.message, r.round_trip_ok, s.b AS input
  FROM recv_result r JOIN recv_sample s ON s.id = r.id
 WHERE (r.sqlstate IS NOT NULL AND left(r.sqlstate, 2) <> '22' AND r.sqlstate <> '08P01')
    OR (r.sqlstate IS NULL AND NOT r.round_trip_ok);
SELECT * FROM recv_bad LIMIT 20;

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
  IF EXISTS (SELECT FROM input_bad) OR EXISTS (SELECT FROM recv_bad) THEN
    RAISE EXCEPTION '% text and % binary inputs handled wrongly (listed above)',
      (SELECT count(*) FROM input_bad), (SELECT count(*) FROM recv_bad);
  END IF;
END
$$;
SELECT format('ok: %s text inputs, %s binary inputs', (SELECT count(*) FROM input_result),
              (SELECT count(*) FROM recv_result));
SQL

if server_crashed_since "$log_offset"; then
    echo "FAIL: the server log shows a crash (above)"
    exit 1
fi
psql -d "$db" -Atc 'SELECT 1' >/dev/null
