-- test/cases/extension_catalog.sql: the catalog of the extension arrima_stats
-- as sorted lines of text, to compare two databases (upgrade_path.sh).  OIDs
-- never appear: objects are named (regclass, regprocedure, pg_describe_object).
--
--   object      every member (pg_depend deptype 'e'), described
--   function    pg_get_functiondef (the body, or the library and link
--               symbol of a C function); for an aggregate, its pg_aggregate row
--   proc        the function's arguments, result, language, library and link
--               symbol (C), volatility, strictness, parallel safety, security,
--               cost, rows, support function, SET options, owner, ACL
--   relation    kind, persistence, options, row security, owner, ACL
--   column      position among the visible columns, name, type, collation,
--               NOT NULL, default, identity, generated, storage, ACL
--   constraint  pg_get_constraintdef; index pg_get_indexdef; trigger
--               pg_get_triggerdef; policy; view pg_get_viewdef
--   type        kind, length, alignment, storage, I/O functions, default,
--               enum labels in order, domain constraints, owner, ACL
--   operator    arguments, result, function, commutator, negator, estimators
--   comment     every comment on a member or a column of a member
--   init_privs  pg_init_privs (the ACLs pg_dump compares against)
--   config      pg_extension_config_dump registrations and their filters
--   schema      the extension's schema, and the schemas it creates: owner and ACL
--   extension   version, relocatable, schema
\pset format unaligned
\pset tuples_only on
SET datestyle = ISO;
SET extra_float_digits = 0;

WITH ext AS (
  SELECT e.oid, e.extnamespace FROM pg_extension e WHERE e.extname = 'arrima_stats'
), member AS (
  SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d, ext
   WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rel AS (
  SELECT c.* FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
), proc AS (
  SELECT p.* FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
), typ AS (
  SELECT t.* FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
)
SELECT line FROM (
  SELECT 'object ' || pg_describe_object(m.classid, m.objid, m.objsubid) AS line FROM member m

  UNION ALL
  SELECT 'function ' || p.oid::regprocedure || E'\n' ||
         CASE WHEN p.prokind = 'a' THEN
           (SELECT format('aggregate kind=%s direct=%s trans=%s final=%s combine=%s serial=%s '
                          'deserial=%s mtrans=%s minvtrans=%s mfinal=%s finalextra=%s '
                          'mfinalextra=%s finalmodify=%s mfinalmodify=%s sortop=%s '
                          'transtype=%s transspace=%s mtranstype=%s mtransspace=%s '
                          'initval=%s minitval=%s',
                          a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure,
                          a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
                          a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggfinalextra,
                          a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
                          a.aggsortop::regoperator, a.aggtranstype::regtype, a.aggtransspace,
                          a.aggmtranstype::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)
              FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
         ELSE pg_get_functiondef(p.oid) END
    FROM proc p
  UNION ALL
  SELECT format('proc %s args=(%s) result=%s kind=%s language=%s library=%s symbol=%s '
                'volatile=%s strict=%s parallel=%s secdef=%s leakproof=%s cost=%s rows=%s '
                'support=%s config=%s owner=%s acl=%s',
                p.oid::regprocedure, pg_get_function_arguments(p.oid),
                pg_get_function_result(p.oid), p.prokind, l.lanname, p.probin,
                CASE WHEN l.lanname = 'c' THEN p.prosrc END,
                p.provolatile, p.proisstrict, p.proparallel, p.prosecdef, p.proleakproof,
                p.procost, p.prorows, p.prosupport, p.proconfig, p.proowner::regrole, p.proacl)
    FROM proc p JOIN pg_language l ON l.oid = p.prolang

  UNION ALL
  SELECT format('relation %s kind=%s persistence=%s options=%s rls=%s forcerls=%s owner=%s acl=%s',
                c.oid::regclass, c.relkind, c.relpersistence, c.reloptions, c.relrowsecurity,
                c.relforcerowsecurity, c.relowner::regrole, c.relacl)
    FROM rel c
  UNION ALL
  SELECT format('column %s %s %s type=%s collation=%s notnull=%s default=%s identity=%s '
                'generated=%s storage=%s acl=%s',
                c.oid::regclass,
                lpad((row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum))::text, 4, '0'), a.attname,
                format_type(a.atttypid, a.atttypmod),
                CASE WHEN a.attcollation <> 0 THEN a.attcollation::regcollation::text END,
                a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity,
                a.attgenerated, a.attstorage, a.attacl)
    FROM rel c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  UNION ALL
  SELECT format('constraint %s %s %s deferrable=%s deferred=%s validated=%s',
                c.oid::regclass, k.conname, pg_get_constraintdef(k.oid), k.condeferrable,
                k.condeferred, k.convalidated)
    FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid
  UNION ALL
  SELECT format('index %s %s', c.oid::regclass, pg_get_indexdef(x.indexrelid))
    FROM rel c JOIN pg_index x ON x.indrelid = c.oid
  UNION ALL
  SELECT format('trigger %s enabled=%s', pg_get_triggerdef(t.oid), t.tgenabled)
    FROM rel c JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
  UNION ALL
  SELECT format('policy %s %s cmd=%s permissive=%s roles=%s using=%s check=%s',
                c.oid::regclass, p.polname, p.polcmd, p.polpermissive,
                p.polroles::regrole[], pg_get_expr(p.polqual, p.polrelid),
                pg_get_expr(p.polwithcheck, p.polrelid))
    FROM rel c JOIN pg_policy p ON p.polrelid = c.oid
  UNION ALL
  SELECT format('view %s %s', c.oid::regclass, pg_get_viewdef(c.oid))
    FROM rel c WHERE c.relkind IN ('v', 'm')
  UNION ALL
  SELECT format('sequence %s type=%s start=%s inc=%s min=%s max=%s cache=%s cycle=%s',
                c.oid::regclass, s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin,
                s.seqmax, s.seqcache, s.seqcycle)
    FROM rel c JOIN pg_sequence s ON s.seqrelid = c.oid

  UNION ALL
  SELECT format('type %s kind=%s len=%s byval=%s align=%s storage=%s in=%s out=%s recv=%s '
                'send=%s modin=%s modout=%s analyze=%s subscript=%s default=%s notnull=%s '
                'base=%s labels=%s checks=%s owner=%s acl=%s',
                t.oid::regtype, t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage,
                t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout,
                t.typanalyze, t.typsubscript, t.typdefault, t.typnotnull,
                t.typbasetype::regtype,
                (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                   FROM pg_enum e WHERE e.enumtypid = t.oid),
                (SELECT string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), ', '
                                   ORDER BY k.conname)
                   FROM pg_constraint k WHERE k.contypid = t.oid),
                t.typowner::regrole, t.typacl)
    FROM typ t

  UNION ALL
  SELECT format('operator %s kind=%s result=%s code=%s com=%s negate=%s rest=%s join=%s '
                'merges=%s hashes=%s',
                o.oid::regoperator, o.oprkind, o.oprresult::regtype, o.oprcode::regprocedure,
                o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest, o.oprjoin,
                o.oprcanmerge, o.oprcanhash)
    FROM pg_operator o JOIN member m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid

  UNION ALL
  SELECT 'comment ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ': ' || d.description
    FROM pg_description d
   WHERE (d.classoid, d.objoid) IN (SELECT m.classid, m.objid FROM member m)
  UNION ALL
  SELECT format('init_privs %s %s %s', pg_describe_object(i.classoid, i.objoid, i.objsubid),
                i.privtype, i.initprivs)
    FROM pg_init_privs i
   WHERE (i.classoid, i.objoid) IN (SELECT m.classid, m.objid FROM member m)
  UNION ALL
  SELECT format('config %s %s', c.relid::regclass, c.condition)
    FROM pg_extension e, ext,
         unnest(e.extconfig, e.extcondition) AS c(relid, condition)
   WHERE e.oid = ext.oid
  UNION ALL
  SELECT format('schema %s owner=%s acl=%s', n.nspname, n.nspowner::regrole, n.nspacl)
    FROM pg_namespace n, ext
   WHERE n.oid = ext.extnamespace
      OR n.oid IN (SELECT m.objid FROM member m WHERE m.classid = 'pg_namespace'::regclass)
  UNION ALL
  SELECT format('extension %s version=%s relocatable=%s schema=%s',
                e.extname, e.extversion, e.extrelocatable, e.extnamespace::regnamespace)
    FROM pg_extension e, ext WHERE e.oid = ext.oid
) lines
ORDER BY line COLLATE "C";
