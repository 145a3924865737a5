#!/usr/bin/env bash
# search_path safety: a hostile role with CREATE on schema public shadows
# the built-in functions, aggregates and operators the extension uses, and
# the extension's own functions and operators; a superuser with public FIRST
# on the search_path, and pg_catalog explicitly LAST (so that every
# unqualified name resolves to the hostile object when one exists),
# installs the extension, updates it, and calls every function of the
# extension, reads its views and tables (the reader schema's and the
# document after a refresh too), runs its aggregates and the trigger
# path (an INSERT without response_due_on): every answer is the one given
# with public off the search_path, and no hostile object ever ran.
#
# What is shadowed (found, not listed by hand, so it follows what lands):
# * every function or aggregate of pg_catalog named in the extension's
#   scripts (sql/versions/arrima_stats--*.sql), or in a list of usual suspects
#   (btrim, isfinite, sum, count, format ...), with the same argument types,
#   when they are not pseudo-types (count(*) included);
# * every operator of pg_catalog named in the scripts (=, <=, +, || ...)
#   between the ordinary types (date, integers, numeric, text, boolean,
#   timestamps, interval);
# * every function, aggregate and operator of the extension, in public with
#   the same signature (after CREATE EXTENSION, before ALTER EXTENSION UPDATE).
# A hostile object logs its call (a row, a WARNING and a sequence, which no
# rollback undoes) and returns NULL, a wrong answer.
#
# Every function of the extension is called with arguments made from its
# argument types and names: an invitation row or its column of the same
# name, a date, an enum label, a tally, a number, a text; each call in a
# transaction rolled back.  A function whose argument types cannot be made is
# listed as not called (type I/O functions, trigger functions: reached
# through casts and the INSERT).  Calls give the same answer (or the same
# error) in both runs.
#
# Catalog checks: every SECURITY DEFINER function of the extension, and every
# SQL or PL/pgSQL one (the project's rule), has SET search_path =
# pg_catalog, pg_temp.  A grep of the install scripts: every table, view,
# function, type or sequence that a statement names is schema-qualified.
. "$(dirname "$0")/common.bash"

db=arrima_case_search_path
role=arrima_case_mallory
fresh_db "$db"
case_role "$role"
psql -d "$db" -c "GRANT CREATE ON SCHEMA public TO $role"

status=0
fail() { echo "FAIL: $*"; status=1; }

# ---------------------------------------------------------------------------
# 1. The grep: schema-qualified names in the install and upgrade scripts
# ---------------------------------------------------------------------------
# Statements (comments and string literals removed, function bodies kept)
# that name a relation, function, type or sequence: CREATE/ALTER/DROP/COMMENT
# ON/GRANT ... ON/REVOKE ... ON, REFERENCES, FROM/JOIN/INTO/UPDATE, EXECUTE
# FUNCTION, pg_extension_config_dump.  The name after them must have a dot,
# be a CTE or alias of the same statement, a trigger's transition table
# (REFERENCING NEW TABLE AS name), or a function call's FROM
# (extract(year FROM x)).
unqualified=$(perl -0777 -ne '
    my $file = $ARGV;
    s/--[^\n]*//g;                 # comments
    s/\x27(?:[^\x27]|\x27\x27)*\x27/\x27\x27/g;   # string literals
    my %cte;
    $cte{lc $1} = 1 while /\b(\w+)\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi;
    $cte{lc $1} = 1 while /\b(?:NEW|OLD)\s+TABLE\s+AS\s+(\w+)/gi;   # transition tables
    my $kw = qr/(?:CREATE(?:\s+OR\s+REPLACE)?(?:\s+UNIQUE)?(?:\s+MATERIALIZED)?\s+(?:TABLE|VIEW|FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|SEQUENCE)(?:\s+IF\s+NOT\s+EXISTS)?|ALTER\s+(?:TABLE|VIEW|FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|SEQUENCE|MATERIALIZED\s+VIEW)(?:\s+IF\s+EXISTS)?(?:\s+ONLY)?|DROP\s+(?:TABLE|VIEW|FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|SEQUENCE|MATERIALIZED\s+VIEW)(?:\s+IF\s+EXISTS)?|COMMENT\s+ON\s+(?:TABLE|VIEW|FUNCTION|PROCEDURE|AGGREGATE|TYPE|DOMAIN|SEQUENCE|MATERIALIZED\s+VIEW|COLUMN)|ON\s+(?:TABLE|FUNCTION|SEQUENCE|TYPE)|REFERENCES|INSERT\s+INTO|DELETE\s+FROM|(?<!\w\s)UPDATE(?=\s+\w+\s+SET)|\bFROM|\bJOIN|EXECUTE\s+FUNCTION|REFRESH\s+MATERIALIZED\s+VIEW(?:\s+CONCURRENTLY)?|TRUNCATE(?:\s+TABLE)?)/ix;
    while (/\b($kw)\s+([A-Za-z_][\w\$]*)(\s*\.)?/g) {
        my ($k, $name, $dot) = ($1, $2, $3);
        next if $dot;
        next if $cte{lc $name};
        next if $name =~ /^(?:ON|OR|LATERAL|ONLY|SELECT|VALUES|ROWS|pg_catalog|arrima_stats|NEW|OLD|EXCLUDED|CURRENT_DATE|TABLE|unnest|generate_series)$/i;
        my $pre = substr($_, 0, pos($_) - length($&));
        my ($stmt) = $pre =~ /([^;]*)$/;
        next if $k =~ /^FROM$/i && $stmt =~ /^\s*REVOKE\b/i;   # REVOKE ... FROM role
        next if $k =~ /^FROM$/i && $pre =~ /\b(?:extract|substring|trim|overlay|position|btrim|DISTINCT)\s*\([^()]*$/i;
        next if $k =~ /^FROM$/i && $pre =~ /\bIS\s+(?:NOT\s+)?DISTINCT\s*$/i;
        my $line = 1 + ($pre =~ tr/\n//);
        print "$file:$line: $k $name\n";
    }
' "$ARRIMA_ROOT"/sql/versions/arrima_stats--*.sql)
if [ -n "$unqualified" ]; then
    echo "$unqualified"
    fail "names not schema-qualified in the install or upgrade scripts (above)"
else
    echo "ok: every name the install and upgrade scripts refer to is schema-qualified"
fi

# Names of functions and operators the scripts use: candidates to shadow.
fnames=$(cat "$ARRIMA_ROOT"/sql/versions/arrima_stats--*.sql | sed 's/--.*//' |
         grep -oE '\b[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' | tr -d '( \t' | tr 'A-Z' 'a-z' |
         sort -u | paste -sd, -)
fnames="$fnames,btrim,isfinite,sum,count,format,max,min,coalesce,nullif,greatest,least,extract,date_part,string_agg,array_agg,now,length,lower,upper,concat,concat_ws,make_date,date_trunc,to_char,replace,split_part,abs,ceil,floor,round,trunc,jsonb_build_object,row_number,bool_and,bool_or,every,array_length,cardinality"
onames=$(cat "$ARRIMA_ROOT"/sql/versions/arrima_stats--*.sql | sed 's/--.*//' |
         grep -oE '(<=|>=|<>|!=|\|\||@>|<@|&&|[=<>+*/-])' | sort -u | paste -sd, -)
echo "operators the scripts use: $onames"

# ---------------------------------------------------------------------------
# 2. The hostile role's objects
# ---------------------------------------------------------------------------
# shadow_sql: run as the hostile role; :'targets' is a query listing
# (kind, name, argtypes oid[], result oid, left oid, right oid) to shadow.
read -r -d '' SHADOW <<'SQL' || true
DO $do$
DECLARE
  o record;
  n int := coalesce((SELECT max(substr(proname, 13)::int) FROM pg_proc
                      WHERE proname ~ '^hostile_fn__\d+$'), 0);
  fn text;
  args text;
  sig text;
  made int := 0;
BEGIN
  FOR o IN SELECT * FROM pg_temp.shadow_targets LOOP
    n := n + 1;
    fn := format('public.hostile_fn__%s', n);
    sig := o.descr;
    IF o.kind = 'aggregate' THEN
      -- transition function (state, args...) returning the state type
      args := array_to_string(ARRAY(SELECT format_type(t, NULL)
                                      FROM unnest(o.result || o.argtypes) t), ', ');
    ELSE
      args := array_to_string(ARRAY(SELECT format_type(t, NULL) FROM unnest(o.argtypes) t), ', ');
    END IF;
    BEGIN
      EXECUTE format($f$CREATE FUNCTION %s(%s) RETURNS %s LANGUAGE plpgsql
                       SET search_path = pg_catalog, pg_temp AS $b$
                       BEGIN
                         PERFORM nextval('public.hostile_seq');
                         INSERT INTO public.hostile_calls (what) VALUES (%L);
                         RAISE WARNING 'hostile object called: %%', %L;
                         RETURN NULL;
                       END $b$$f$,
                     fn, args, format_type(o.result, NULL), sig, sig);
      IF o.kind = 'function' THEN
        EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE sql AS %L',
                       o.name,
                       array_to_string(ARRAY(SELECT format_type(t, NULL) FROM unnest(o.argtypes) t), ', '),
                       format_type(o.result, NULL),
                       format('SELECT %s(%s)', fn,
                              array_to_string(ARRAY(SELECT '$' || i FROM generate_series(1, cardinality(o.argtypes)) i), ', ')));
      ELSIF o.kind = 'aggregate' THEN
        EXECUTE format('CREATE AGGREGATE public.%I(%s) (SFUNC = %s, STYPE = %s)',
                       o.name,
                       coalesce(nullif(array_to_string(ARRAY(SELECT format_type(t, NULL)
                                                              FROM unnest(o.argtypes) t), ', '), ''), '*'),
                       fn, format_type(o.result, NULL));
      ELSE
        EXECUTE format('CREATE OPERATOR public.%s (%s FUNCTION = %s)', o.name,
                       CASE WHEN o.lefttype <> 0 THEN format('LEFTARG = %s, ', format_type(o.lefttype, NULL)) ELSE '' END
                       || format('RIGHTARG = %s,', format_type(o.righttype, NULL)), fn);
      END IF;
      made := made + 1;
    EXCEPTION WHEN duplicate_function OR duplicate_object OR invalid_function_definition
                   OR invalid_object_definition THEN
      NULL;   -- the same signature twice, or one PostgreSQL refuses to shadow
    END;
  END LOOP;
  RAISE NOTICE 'hostile objects made: %', made;
END
$do$;
SQL

# shadow NAMESPACE FUNCTION_NAMES OPERATOR_NAMES: as the hostile role, shadow
# in public the functions, aggregates and operators of NAMESPACE with those
# names ('*': all of them, of any types; otherwise operators between the
# ordinary types only).
shadow() {
    psql -d "$db" -v role="$role" -v nsp="$1" -v fnames="$2" -v onames="$3" <<SQL
SET ROLE :"role";
CREATE TEMP TABLE shadow_targets AS
WITH ordinary(t) AS (
  SELECT unnest('{date,int2,int4,int8,numeric,text,varchar,bool,timestamp,timestamptz,interval,float8,name,oid}'::regtype[])::oid
)
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END AS kind, p.proname::text AS name,
       p.proargtypes::oid[] AS argtypes, p.prorettype AS result, 0::oid AS lefttype, 0::oid AS righttype,
       p.oid::regprocedure::text AS descr
  FROM pg_proc p
 WHERE p.pronamespace = :'nsp'::regnamespace
   AND (:'fnames' = '*' OR p.proname = ANY (string_to_array(:'fnames', ',')))
   AND p.prokind IN ('f', 'a') AND NOT p.proretset AND p.provariadic = 0
   AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::oid[] || p.prorettype) t
                    JOIN pg_type y ON y.oid = t WHERE y.typtype = 'p')
UNION ALL
SELECT 'operator', o.oprname::text,
       CASE WHEN o.oprleft = 0 THEN ARRAY[o.oprright] ELSE ARRAY[o.oprleft, o.oprright] END,
       o.oprresult, o.oprleft, o.oprright, o.oid::regoperator::text
  FROM pg_operator o
 WHERE o.oprnamespace = :'nsp'::regnamespace
   AND (:'onames' = '*'
        OR (o.oprname = ANY (string_to_array(:'onames', ','))
            AND (o.oprleft = 0 OR o.oprleft IN (SELECT t FROM ordinary))
            AND o.oprright IN (SELECT t FROM ordinary)));
SELECT :'nsp' AS shadows_of, kind, count(*) FROM shadow_targets GROUP BY kind ORDER BY kind;
$SHADOW
SQL
}

# Phase 1, before the extension exists: shadows of pg_catalog.
psql -d "$db" -v role="$role" <<'SQL'
SET ROLE :"role";
CREATE TABLE public.hostile_calls (at timestamptz DEFAULT clock_timestamp(), what text);
CREATE SEQUENCE public.hostile_seq;
GRANT INSERT ON public.hostile_calls TO PUBLIC;
GRANT USAGE, UPDATE ON SEQUENCE public.hostile_seq TO PUBLIC;
SQL
shadow pg_catalog "$fnames" "$onames"

# ---------------------------------------------------------------------------
# 3. The superuser, public first and pg_catalog last: install the oldest
#    version, shadow the extension's own objects, update to the newest.
# ---------------------------------------------------------------------------
hostile_path='public, arrima_stats, pg_catalog'
oldest=$(cd "$ARRIMA_ROOT/sql/versions" && ls arrima_stats--*.sql | grep -v -- '--.*--' |
         sed 's/^arrima_stats--//; s/\.sql$//' | sort -V | head -1)
PGOPTIONS="-c search_path=public,arrima_stats,pg_catalog" \
    psql -d "$db" -c "CREATE EXTENSION arrima_stats VERSION '$oldest'"

shadow arrima_stats '*' '*'

# Control: the shadows work.  Unqualified names, public first: each of these
# three statements must call a hostile object (a built-in function, a
# built-in operator, a function of the extension).
controls=$(PGOPTIONS="-c search_path=public,arrima_stats,pg_catalog" psql -d "$db" -At <<'SQL' 2>&1
SELECT isfinite('2023-01-01'::pg_catalog.date);
SELECT '2023-01-01'::pg_catalog.date = '2023-01-02'::pg_catalog.date;
SELECT tally_add('{1,0,0,0,0,0,0,0,0,0,0,0,0}', '{1,0,0,0,0,0,0,0,0,0,0,0,0}');
SQL
)
ncontrol=$(psql -d "$db" -At -c 'SELECT count(DISTINCT what) FROM public.hostile_calls')
echo "control: $ncontrol hostile objects ran for the 3 unqualified control statements"
if [ "$ncontrol" -ne 3 ]; then
    echo "$controls"
    echo "FAIL: the hostile objects do not work as they should: the case would find nothing"
    exit 1
fi
psql -d "$db" -c 'TRUNCATE public.hostile_calls' -c "SELECT setval('public.hostile_seq', 1, false)" >/dev/null

PGOPTIONS="-c search_path=public,arrima_stats,pg_catalog" \
    psql -d "$db" -c 'ALTER EXTENSION arrima_stats UPDATE'

# The data, loaded with the default search_path (the loader is not the
# extension: its own unqualified names are not under test).
load_demo_data "$db" 0.1

# ---------------------------------------------------------------------------
# 4. Every function, aggregate, view and table, both ways
# ---------------------------------------------------------------------------
psql -d "$db" <<'SQL'
CREATE SCHEMA harness;
CREATE TABLE harness.calls (id serial, hdr text, q text);
CREATE TABLE harness.not_called (what text);
DO $$
DECLARE
  f record;
  k int;
  types oid[];
  modes text[];
  names text[];
  args text[];
  expr text;
  uses_row boolean;
  call text;
  q text;
  inv regclass := 'arrima_stats.invitation';
  ty record;
BEGIN
  FOR f IN SELECT p.*, p.oid::regprocedure::text AS descr
             FROM pg_proc p
             JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
            WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
            ORDER BY p.oid::regprocedure::text LOOP
    types := coalesce(f.proallargtypes, ARRAY(SELECT unnest(f.proargtypes::oid[])));  -- from 1
    modes := coalesce(f.proargmodes::text[], array_fill('i'::text, ARRAY[cardinality(types)]));
    names := coalesce(f.proargnames, array_fill(''::text, ARRAY[cardinality(types)]));
    args := '{}';
    uses_row := false;
    expr := '';
    FOR k IN 1 .. coalesce(cardinality(types), 0) LOOP
      CONTINUE WHEN modes[k] NOT IN ('i', 'b');
      SELECT t.oid, t.typtype, t.typrelid, t.typname, format_type(t.oid, NULL) AS fq
        INTO ty FROM pg_type t WHERE t.oid = types[k];
      expr := CASE
        WHEN ty.typrelid = inv THEN 'i'
        WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = inv AND a.attname = names[k]
                       AND a.atttypid = ty.oid AND NOT a.attisdropped)
          THEN 'i.' || quote_ident(names[k])
        -- another row type (invitation_staging ...): the invitation's
        -- columns of the same names
        WHEN ty.typtype = 'c' AND ty.typrelid <> 0 THEN
          format('pg_catalog.jsonb_populate_record(NULL::%s, pg_catalog.to_jsonb(i))', ty.fq)
        WHEN ty.oid = 'date'::regtype THEN $e$'2023-08-18'::pg_catalog.date$e$
        WHEN ty.typtype = 'e' THEN
          quote_literal((SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = ty.oid
                          ORDER BY e.enumsortorder LIMIT 1)) || '::' || ty.fq
        WHEN ty.oid = 'arrima_stats.tally'::regtype THEN
          $e$'{5,1,1,1,1,1,0,0,0,0,0,1,0}'::arrima_stats.tally$e$
        WHEN ty.oid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype)
          THEN '1::pg_catalog.' || ty.typname
        WHEN ty.oid IN ('text'::regtype, 'varchar'::regtype, 'name'::regtype)
          THEN $e$'x'::pg_catalog.$e$ || ty.typname
        WHEN ty.oid = 'bool'::regtype THEN 'true'
        WHEN ty.oid = 'regclass'::regtype THEN $e$'arrima_stats.invitation'::pg_catalog.regclass$e$
        WHEN ty.oid = 'regrole'::regtype THEN $e$'postgres'::pg_catalog.regrole$e$
        WHEN ty.oid = 'timestamptz'::regtype THEN $e$'2023-08-18 12:00+00'::pg_catalog.timestamptz$e$
        WHEN ty.oid = 'interval'::regtype THEN $e$'1 day'::pg_catalog.interval$e$
        END;
      EXIT WHEN expr IS NULL;
      uses_row := uses_row OR expr = 'i' OR expr LIKE 'i.%' OR expr LIKE '%to_jsonb(i)%';
      args := args || expr;
    END LOOP;
    IF expr IS NULL OR f.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
       OR f.provariadic <> 0 THEN
      INSERT INTO harness.not_called VALUES (f.descr);
      CONTINUE;
    END IF;
    call := format('%I.%I(%s)', f.pronamespace::regnamespace, f.proname, array_to_string(args, ', '));
    q := CASE
      WHEN f.prokind = 'a' THEN
        format('SELECT (%s)::pg_catalog.text FROM arrima_stats.invitation i', call)
      WHEN f.prokind = 'p' THEN 'CALL ' || call
      WHEN f.proretset THEN
        format($q$SELECT pg_catalog.string_agg(t::pg_catalog.text, E'\n' ORDER BY t::pg_catalog.text COLLATE pg_catalog."C") FROM %s %s t$q$,
               CASE WHEN uses_row THEN 'arrima_stats.invitation i CROSS JOIN LATERAL' ELSE '' END, call)
      WHEN uses_row THEN
        format($q$SELECT pg_catalog.string_agg((%s)::pg_catalog.text, E'\n' ORDER BY i.invitation_id) FROM arrima_stats.invitation i$q$, call)
      ELSE format('SELECT (%s)::pg_catalog.text', call)
    END;
    INSERT INTO harness.calls (hdr, q) VALUES (format('SELECT %L', '== ' || f.descr), q);
  END LOOP;
  -- the views, materialized views and tables
  INSERT INTO harness.calls (hdr, q)
  SELECT format('SELECT %L', '== ' || c.oid::regclass::text),
         format($q$SELECT pg_catalog.count(*), pg_catalog.md5(pg_catalog.string_agg(t::pg_catalog.text, E'\n' ORDER BY t::pg_catalog.text COLLATE pg_catalog."C")) FROM %s t$q$,
                c.oid::regclass)
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
   WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
     AND c.relkind IN ('r', 'p', 'v', 'm')
   ORDER BY 1;
  -- the reader schema and the document, with a release made in the same
  -- transaction (the calls above are each rolled back: no release is
  -- left for them); the document without the day it is made
  INSERT INTO harness.calls (hdr, q)
  SELECT format('SELECT %L', '== ' || w || ', after a refresh'),
         $q$SELECT arrima_stats.refresh_publications('2023-08-18'::pg_catalog.date); $q$ || v.query
    FROM (VALUES
      ('release_document(fr)', $q$SELECT pg_catalog.md5(pg_catalog.replace(arrima_stats.release_document('fr'::pg_catalog.text), arrima_stats.format_date(CURRENT_DATE, 'fr'::pg_catalog.text), ''::pg_catalog.text))$q$),
      ('release_document(en)', $q$SELECT pg_catalog.md5(pg_catalog.replace(arrima_stats.release_document('en'::pg_catalog.text), arrima_stats.format_date(CURRENT_DATE, 'en'::pg_catalog.text), ''::pg_catalog.text))$q$)
    ) AS v (w, query)
  UNION ALL
  SELECT format('SELECT %L', '== ' || c.oid::regclass::text || ', after a refresh'),
         format($q$SELECT arrima_stats.refresh_publications('2023-08-18'::pg_catalog.date); SELECT pg_catalog.count(*), pg_catalog.md5(pg_catalog.string_agg(t::pg_catalog.text, E'\n' ORDER BY t::pg_catalog.text COLLATE pg_catalog."C")) FROM %s t$q$,
                c.oid::regclass)
    FROM pg_class c
   WHERE c.relnamespace = 'arrima_published'::regnamespace AND c.relname <> 'release';
END
$$;
-- The extension's sequences, put back before each run: nextval is not
-- undone by a rollback (ingest() numbers its calls).
CREATE TABLE harness.seq_state (seq regclass, last_value bigint, is_called boolean);
DO $$
DECLARE
  s regclass;
BEGIN
  FOR s IN SELECT c.oid::regclass FROM pg_class c
             JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
            WHERE c.relkind = 'S'
              AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats') LOOP
    EXECUTE format('INSERT INTO harness.seq_state SELECT %L, last_value, is_called FROM %s', s, s);
  END LOOP;
END
$$;
SELECT count(*) AS calls FROM harness.calls;
SELECT what AS "not called: type I/O, trigger, or unknown argument types"
  FROM harness.not_called ORDER BY 1;
SQL

run_calls() {   # $1: search_path
    psql -d "$db" -At -v ON_ERROR_STOP=0 -v path="$1" <<'SQL' 2>&1 |
SELECT setval(seq, last_value, is_called) FROM harness.seq_state \g /dev/null
SELECT set_config('search_path', :'path', false) \g /dev/null
SELECT hdr, $$BEGIN$$, q, $$ROLLBACK$$ FROM harness.calls ORDER BY id \gexec
SQL
        sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+([+-][0-9]{2})?/<timestamp>/g'
}
run_calls 'arrima_stats, pg_catalog' >"$ARRIMA_SCRATCH/clean.txt"
run_calls "$hostile_path" >"$ARRIMA_SCRATCH/hostile.txt"
ncalls=$(grep -c '^== ' "$ARRIMA_SCRATCH/clean.txt")
if ! diff "$ARRIMA_SCRATCH/clean.txt" "$ARRIMA_SCRATCH/hostile.txt"; then
    fail "answers differ with public first on the search_path (< public off, > public first)"
fi
echo "calls: $ncalls, $(grep -c '^ERROR' "$ARRIMA_SCRATCH/clean.txt" || true) of them errors (the same both ways)"
if grep -q '^ERROR' "$ARRIMA_SCRATCH/clean.txt"; then
    grep -B3 '^ERROR' "$ARRIMA_SCRATCH/clean.txt" | grep -E '^(==|ERROR)' | head -20
fi

# ---------------------------------------------------------------------------
# 5. The trigger path: INSERT and UPDATE without response_due_on
# ---------------------------------------------------------------------------
# three rows of the data, chosen with public off the search_path
ids=$(psql -d "$db" -At -c 'SET search_path = pg_catalog' \
          -c 'SELECT array_agg(invitation_id) FROM (SELECT invitation_id FROM arrima_stats.invitation
                                                    ORDER BY invitation_id LIMIT 3) s')
# with public first, only literals and qualified operators in these statements
PGOPTIONS="-c search_path=public,arrima_stats,pg_catalog" psql -d "$db" -v ids="$ids" <<'SQL'
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on)
VALUES (99000001, 1, '2021-02-01'::pg_catalog.date), (99000002, 2, '2021-04-01'::pg_catalog.date);
UPDATE arrima_stats.invitation SET response_due_on = NULL
 WHERE invitation_id OPERATOR(pg_catalog.=) ANY (:'ids'::pg_catalog.int8[]);
SQL
bad_due=$(psql -d "$db" -At -v ids="$ids" <<'SQL'
SET search_path = pg_catalog;
SELECT count(*) FILTER (WHERE i.response_due_on IS DISTINCT FROM i.invited_on + r.response_days)
       || ' of ' || count(*)
  FROM arrima_stats.invitation i JOIN arrima_stats.invitation_round r USING (round_id)
 WHERE i.invitation_id >= 99000000 OR i.invitation_id = ANY (:'ids'::int8[]);
SQL
)
echo "trigger path: response_due_on wrong in $bad_due rows"
[ "${bad_due%% *}" = 0 ] && [ "${bad_due##* }" = 5 ] || fail "the trigger filled response_due_on wrongly: $bad_due"

# ---------------------------------------------------------------------------
# 6. No hostile object ran; the catalog's search_path settings
# ---------------------------------------------------------------------------
psql -d "$db" -At -c 'SET search_path = pg_catalog' \
     -c "SELECT 'hostile objects in public: ' || count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace" \
     -c "SELECT 'hostile calls logged: ' || count(*) FROM public.hostile_calls"
called=$(psql -d "$db" -At -c 'SELECT is_called FROM public.hostile_seq')
if [ "$called" != f ] || grep -q 'hostile object called' "$ARRIMA_SCRATCH/hostile.txt"; then
    psql -d "$db" -c 'SELECT what, count(*) FROM public.hostile_calls GROUP BY 1 ORDER BY 1'
    grep 'hostile object called' "$ARRIMA_SCRATCH/hostile.txt" | sort | uniq -c || true
    fail "a hostile object ran (nextval of hostile_seq is_called = $called)"
fi

nosp=$(psql -d "$db" -At <<'SQL'
SELECT p.oid::regprocedure || CASE WHEN p.prosecdef THEN ' (SECURITY DEFINER)' ELSE '' END
       || ': ' || coalesce(array_to_string(p.proconfig, ' '), 'no SET')
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_language l ON l.oid = p.prolang
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
   AND (p.prosecdef OR l.lanname IN ('sql', 'plpgsql'))
   AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
 ORDER BY 1
SQL
)
nchecked=$(psql -d "$db" -At <<'SQL'
SELECT count(*) || ' (' || count(*) FILTER (WHERE p.prosecdef) || ' SECURITY DEFINER)'
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_language l ON l.oid = p.prolang
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'arrima_stats')
   AND (p.prosecdef OR l.lanname IN ('sql', 'plpgsql'))
SQL
)
if [ -n "$nosp" ]; then
    echo "$nosp"
    fail "functions without SET search_path = pg_catalog, pg_temp (above)"
else
    echo "ok: $nchecked SQL, PL/pgSQL or SECURITY DEFINER functions, each with SET search_path = pg_catalog, pg_temp"
fi

[ "$status" -eq 0 ] || exit 1
echo "ok: $ncalls calls and reads give the same answers with public first; no hostile object ran"
