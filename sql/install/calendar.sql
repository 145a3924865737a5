------------------------------------------------------------------------
-- The outcome calendar: per round, year of invitation and day, how the
-- tally of those invitations changes that day (src/calendar.h,
-- src/calendar_agg.c).  Kept by triggers on invitation; the roll-ups read
-- it for any as_of instead of scanning the invitations.
------------------------------------------------------------------------

-- The signed counterpart of a tally (src/tally_change.c)
CREATE TYPE arrima_stats.tally_change;

CREATE FUNCTION arrima_stats.tally_change_in(cstring) RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_change_out(arrima_stats.tally_change) RETURNS cstring
AS 'MODULE_PATHNAME', 'arrima_tally_change_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_change_recv(internal) RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_change_send(arrima_stats.tally_change) RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_change_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_in(cstring) IS
  'Entrée texte du type tally_change / text input of the tally_change type';
COMMENT ON FUNCTION arrima_stats.tally_change_out(arrima_stats.tally_change) IS
  'Sortie texte du type tally_change / text output of the tally_change type';
COMMENT ON FUNCTION arrima_stats.tally_change_recv(internal) IS
  'Entrée binaire du type tally_change / binary input of the tally_change type';
COMMENT ON FUNCTION arrima_stats.tally_change_send(arrima_stats.tally_change) IS
  'Sortie binaire du type tally_change / binary output of the tally_change type';

CREATE TYPE arrima_stats.tally_change (
  INPUT = arrima_stats.tally_change_in,
  OUTPUT = arrima_stats.tally_change_out,
  RECEIVE = arrima_stats.tally_change_recv,
  SEND = arrima_stats.tally_change_send,
  INTERNALLENGTH = 104,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE arrima_stats.tally_change IS
  'Variation d''un décompte, compteurs signés / change of a tally, signed counters: '
  '{invitations, the ten outcomes in enum order, notices cannot_support, notices did_not_support}';

CREATE FUNCTION arrima_stats.tally_change_add(arrima_stats.tally_change, arrima_stats.tally_change)
RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_add(arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Somme de deux variations / the sum of two tally changes';

CREATE OPERATOR arrima_stats.+ (
  LEFTARG = arrima_stats.tally_change,
  RIGHTARG = arrima_stats.tally_change,
  FUNCTION = arrima_stats.tally_change_add,
  COMMUTATOR = OPERATOR(arrima_stats.+)
);
COMMENT ON OPERATOR arrima_stats.+ (arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Somme de deux variations (tally_change_add) / the sum of two tally changes (tally_change_add)';

CREATE FUNCTION arrima_stats.tally_change_eq(arrima_stats.tally_change, arrima_stats.tally_change)
RETURNS boolean
AS 'MODULE_PATHNAME', 'arrima_tally_change_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_eq(arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Deux variations égales, compteur par compteur / whether two tally changes are equal, counter by counter';
CREATE FUNCTION arrima_stats.tally_change_ne(arrima_stats.tally_change, arrima_stats.tally_change)
RETURNS boolean
AS 'MODULE_PATHNAME', 'arrima_tally_change_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change_ne(arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Deux variations différentes / whether two tally changes differ';

CREATE OPERATOR arrima_stats.= (
  LEFTARG = arrima_stats.tally_change,
  RIGHTARG = arrima_stats.tally_change,
  FUNCTION = arrima_stats.tally_change_eq,
  COMMUTATOR = OPERATOR(arrima_stats.=),
  NEGATOR = OPERATOR(arrima_stats.<>)
);
COMMENT ON OPERATOR arrima_stats.= (arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Variations égales (tally_change_eq) / equal tally changes (tally_change_eq)';
CREATE OPERATOR arrima_stats.<> (
  LEFTARG = arrima_stats.tally_change,
  RIGHTARG = arrima_stats.tally_change,
  FUNCTION = arrima_stats.tally_change_ne,
  COMMUTATOR = OPERATOR(arrima_stats.<>),
  NEGATOR = OPERATOR(arrima_stats.=)
);
COMMENT ON OPERATOR arrima_stats.<> (arrima_stats.tally_change, arrima_stats.tally_change) IS
  'Variations différentes (tally_change_ne) / different tally changes (tally_change_ne)';

CREATE AGGREGATE arrima_stats.sum(arrima_stats.tally_change) (
  SFUNC = arrima_stats.tally_change_add,
  STYPE = arrima_stats.tally_change,
  COMBINEFUNC = arrima_stats.tally_change_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.sum(arrima_stats.tally_change) IS
  'Somme de variations / the sum of tally changes';

-- A change with no negative counter is a tally (the sum of a round's
-- changes up to a date is its tally as of that date); a tally is the
-- change from nothing to it.
CREATE FUNCTION arrima_stats.tally(arrima_stats.tally_change) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_change_to_tally' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally(arrima_stats.tally_change) IS
  'Conversion en décompte, refusée si un compteur est négatif / '
  'the tally_change as a tally, refused (SQLSTATE 22003) when a counter is negative';
CREATE CAST (arrima_stats.tally_change AS arrima_stats.tally)
  WITH FUNCTION arrima_stats.tally(arrima_stats.tally_change);

CREATE FUNCTION arrima_stats.tally_change(arrima_stats.tally) RETURNS arrima_stats.tally_change
AS 'MODULE_PATHNAME', 'arrima_tally_change_from_tally' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_change(arrima_stats.tally) IS
  'Un décompte comme variation depuis rien / a tally as the change from nothing to it';
CREATE CAST (arrima_stats.tally AS arrima_stats.tally_change)
  WITH FUNCTION arrima_stats.tally_change(arrima_stats.tally) AS ASSIGNMENT;

-- The calendar.  Derived from invitation, so not dumped: restoring the
-- invitations (COPY, which fires the triggers below) makes it again.
-- Normally one row per round, year and day; writers at the same time may
-- leave a few rows for one key until a later write folds them together
-- (see calendar_apply): every reader sums them.  A change that comes to
-- nothing has no row.
CREATE TABLE arrima_stats.outcome_calendar (
  round_id integer NOT NULL,
  year     integer NOT NULL,
  day      date NOT NULL,
  change   arrima_stats.tally_change NOT NULL
);
CREATE INDEX outcome_calendar_key ON arrima_stats.outcome_calendar (round_id, year, day);
COMMENT ON TABLE arrima_stats.outcome_calendar IS
  'Calendrier des situations : par exercice, année d''invitation et jour, la variation du décompte '
  'de ces invitations ce jour-là ; tenu par des déclencheurs sur invitation (dérivé des '
  'microdonnées : non accordé à PUBLIC) / outcome calendar: per round, year of invitation and day, '
  'how the tally of those invitations changes that day; kept by triggers on invitation (derived '
  'from microdata: not granted to PUBLIC)';
COMMENT ON COLUMN arrima_stats.outcome_calendar.round_id IS
  'Exercice d''invitation / invitation round';
COMMENT ON COLUMN arrima_stats.outcome_calendar.year IS
  'Année d''invitation (invited_on) / year of invitation (invited_on)';
COMMENT ON COLUMN arrima_stats.outcome_calendar.day IS
  'Jour de la variation / day of the change';
COMMENT ON COLUMN arrima_stats.outcome_calendar.change IS
  'Décompte à ce jour moins décompte la veille ; la somme jusqu''à une date est le décompte à cette date / '
  'tally as of the day less tally as of the day before; the sum up to a date is the tally as of that date';
REVOKE ALL ON arrima_stats.outcome_calendar FROM PUBLIC;

-- The calendar's rows of a set of invitations, from the C step function
-- (src/calendar_agg.c): sign 1 adds an invitation, -1 takes it away.
CREATE FUNCTION arrima_stats.calendar_changes_accum(
  internal, sign integer, round_id integer, invited_on date, response_due_on date,
  declined_on date, application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_accum(internal, integer, integer, date, date, date, date, date,
                                                        arrima_stats.notice_ground, date, arrima_stats.decision) IS
  'Fonction de transition de calendar_changes / transition function of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_combine(internal, internal) IS
  'Fonction de combinaison de calendar_changes / combine function of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_serialize(internal) IS
  'Sérialisation de l''état de calendar_changes / serialization of the state of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_deserialize(bytea, internal) IS
  'Désérialisation de l''état de calendar_changes / deserialization of the state of calendar_changes';

CREATE FUNCTION arrima_stats.calendar_changes_final(internal)
RETURNS arrima_stats.outcome_calendar[]
AS 'MODULE_PATHNAME', 'arrima_calendar_changes_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.calendar_changes_final(internal) IS
  'Fonction finale de calendar_changes / final function of calendar_changes';

CREATE AGGREGATE arrima_stats.calendar_changes(
  sign integer, round_id integer, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground, decided_on date,
  decision arrima_stats.decision) (
  SFUNC = arrima_stats.calendar_changes_accum,
  STYPE = internal,
  FINALFUNC = arrima_stats.calendar_changes_final,
  COMBINEFUNC = arrima_stats.calendar_changes_combine,
  SERIALFUNC = arrima_stats.calendar_changes_serialize,
  DESERIALFUNC = arrima_stats.calendar_changes_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.calendar_changes(integer, integer, date, date, date, date, date,
                                                   arrima_stats.notice_ground, date, arrima_stats.decision) IS
  'Lignes du calendrier d''un ensemble d''invitations (signe 1 : ajoutées, -1 : retirées), en ordre de clé / '
  'the outcome calendar rows of a set of invitations (sign 1: added, -1: taken away), in key order: '
  'each invitation stepped through its own dates with the classification of classify()';

-- Adding changes to the calendar.  Writers never wait for one another
-- here: each inserts rows of its own.  In READ COMMITTED, a writer also
-- folds the rows already there for the keys it touches into its own,
-- taking only rows no one else holds (SKIP LOCKED), so that a key keeps
-- about one row.  With a transaction snapshot (REPEATABLE READ,
-- SERIALIZABLE) a row folded by another transaction since the snapshot
-- would be a serialization failure: such a writer only adds its rows, and
-- a later writer folds them.
CREATE FUNCTION arrima_stats.calendar_apply(changes arrima_stats.outcome_calendar[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF coalesce(pg_catalog.cardinality(changes), 0) = 0 THEN
    RETURN;
  END IF;
  IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
    INSERT INTO arrima_stats.outcome_calendar (round_id, year, day, change)
    SELECT k.round_id, k.year, k.day, k.change FROM pg_catalog.unnest(changes) k;
    RETURN;
  END IF;
  WITH mine AS (
    SELECT k.round_id, k.year, k.day, k.change FROM pg_catalog.unnest(changes) k
  ), held AS (
    -- the keys of changes are unique: a join
    SELECT c.ctid AS tid
      FROM arrima_stats.outcome_calendar c
      JOIN mine m ON m.round_id = c.round_id AND m.year = c.year AND m.day = c.day
       FOR UPDATE OF c SKIP LOCKED
  ), folded AS (
    DELETE FROM arrima_stats.outcome_calendar c
     WHERE c.ctid = ANY (ARRAY(SELECT h.tid FROM held h))
    RETURNING c.round_id, c.year, c.day, c.change
  )
  INSERT INTO arrima_stats.outcome_calendar (round_id, year, day, change)
  SELECT u.round_id, u.year, u.day, arrima_stats.sum(u.change)
    FROM (SELECT m.round_id, m.year, m.day, m.change FROM mine m
          UNION ALL
          SELECT f.round_id, f.year, f.day, f.change FROM folded f) u
   GROUP BY u.round_id, u.year, u.day
  HAVING arrima_stats.sum(u.change) OPERATOR(arrima_stats.<>) '{0,0,0,0,0,0,0,0,0,0,0,0,0}';
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_apply(arrima_stats.outcome_calendar[]) IS
  'Ajoute des variations au calendrier (déclencheurs) / adds changes to the outcome calendar '
  '(the triggers): never waits for another writer';
REVOKE ALL ON FUNCTION arrima_stats.calendar_apply(arrima_stats.outcome_calendar[]) FROM PUBLIC;

-- The triggers: one per statement, with its transition tables, so that a
-- statement of a million rows (ingest(), COPY) makes one pass.  SECURITY
-- DEFINER: a role that may write invitation need not be granted the
-- calendar.
CREATE FUNCTION arrima_stats.calendar_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.calendar_apply(
    (SELECT arrima_stats.calendar_changes(1, n.round_id, n.invited_on, n.response_due_on,
                                          n.declined_on, n.application_on, n.notice_on,
                                          n.notice_ground, n.decided_on, n.decision)
       FROM new_rows n));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_insert() IS
  'Déclencheur : ajoute au calendrier les invitations insérées / '
  'trigger: adds the inserted invitations to the outcome calendar';

CREATE FUNCTION arrima_stats.calendar_after_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.calendar_apply(
    (SELECT arrima_stats.calendar_changes(r.sign, r.round_id, r.invited_on, r.response_due_on,
                                          r.declined_on, r.application_on, r.notice_on,
                                          r.notice_ground, r.decided_on, r.decision)
       FROM (SELECT -1 AS sign, o.* FROM old_rows o
             UNION ALL
             SELECT 1, n.* FROM new_rows n) r));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_update() IS
  'Déclencheur : retire du calendrier les invitations d''avant la mise à jour, ajoute celles d''après / '
  'trigger: takes the invitations as they were out of the outcome calendar, adds them as they are';

CREATE FUNCTION arrima_stats.calendar_after_delete() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.calendar_apply(
    (SELECT arrima_stats.calendar_changes(-1, o.round_id, o.invited_on, o.response_due_on,
                                          o.declined_on, o.application_on, o.notice_on,
                                          o.notice_ground, o.decided_on, o.decision)
       FROM old_rows o));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_delete() IS
  'Déclencheur : retire du calendrier les invitations supprimées / '
  'trigger: takes the deleted invitations out of the outcome calendar';

CREATE FUNCTION arrima_stats.calendar_after_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM arrima_stats.outcome_calendar;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_after_truncate() IS
  'Déclencheur : vide le calendrier quand invitation est vidée / '
  'trigger: empties the outcome calendar when invitation is truncated';

-- SECURITY DEFINER: no one calls them but the triggers (firing a trigger
-- checks no privilege on its function)
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_insert() FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_update() FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_delete() FROM PUBLIC;
REVOKE ALL ON FUNCTION arrima_stats.calendar_after_truncate() FROM PUBLIC;

CREATE TRIGGER calendar_after_insert
  AFTER INSERT ON arrima_stats.invitation
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_insert();
CREATE TRIGGER calendar_after_update
  AFTER UPDATE ON arrima_stats.invitation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_update();
CREATE TRIGGER calendar_after_delete
  AFTER DELETE ON arrima_stats.invitation
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_delete();
CREATE TRIGGER calendar_after_truncate
  AFTER TRUNCATE ON arrima_stats.invitation
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.calendar_after_truncate();

-- For operators and tests: the calendar made again from the invitations,
-- and the difference between what is stored and what the invitations give.
CREATE FUNCTION arrima_stats.calendar_rebuild()
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  changes arrima_stats.outcome_calendar[];
  made bigint;
BEGIN
  -- no writer of invitation meanwhile (their changes would be counted
  -- twice, or lost); readers of the calendar go on
  LOCK TABLE arrima_stats.invitation IN SHARE MODE;
  LOCK TABLE arrima_stats.outcome_calendar IN EXCLUSIVE MODE;
  -- a query that writes nothing, so that it may run in parallel
  SELECT arrima_stats.calendar_changes(1, i.round_id, i.invited_on, i.response_due_on,
                                       i.declined_on, i.application_on, i.notice_on,
                                       i.notice_ground, i.decided_on, i.decision)
    INTO changes
    FROM arrima_stats.invitation i;
  DELETE FROM arrima_stats.outcome_calendar;
  INSERT INTO arrima_stats.outcome_calendar (round_id, year, day, change)
  SELECT k.round_id, k.year, k.day, k.change FROM pg_catalog.unnest(changes) k;
  GET DIAGNOSTICS made = ROW_COUNT;
  RETURN made;
END
$$;
COMMENT ON FUNCTION arrima_stats.calendar_rebuild() IS
  'Refait le calendrier à partir des invitations, renvoie son nombre de lignes (après une restauration '
  'sans déclencheurs, par exemple) / makes the outcome calendar again from the invitations and returns '
  'its number of rows (after a restore with triggers disabled, for instance)';
REVOKE ALL ON FUNCTION arrima_stats.calendar_rebuild() FROM PUBLIC;

CREATE FUNCTION arrima_stats.calendar_check()
RETURNS TABLE (round_id integer, year integer, day date,
               stored arrima_stats.tally_change, computed arrima_stats.tally_change)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH stored AS (
    SELECT c.round_id, c.year, c.day, arrima_stats.sum(c.change) AS change
      FROM arrima_stats.outcome_calendar c
     GROUP BY c.round_id, c.year, c.day
    HAVING arrima_stats.sum(c.change) OPERATOR(arrima_stats.<>) '{0,0,0,0,0,0,0,0,0,0,0,0,0}'
  ), computed AS (
    SELECT k.round_id, k.year, k.day, k.change
      FROM (SELECT arrima_stats.calendar_changes(1, i.round_id, i.invited_on, i.response_due_on,
                                                 i.declined_on, i.application_on, i.notice_on,
                                                 i.notice_ground, i.decided_on, i.decision) AS changes
              FROM arrima_stats.invitation i) a
     CROSS JOIN LATERAL pg_catalog.unnest(a.changes) k
  )
  SELECT coalesce(s.round_id, c.round_id), coalesce(s.year, c.year), coalesce(s.day, c.day),
         s.change, c.change
    FROM stored s
    FULL JOIN computed c ON c.round_id = s.round_id AND c.year = s.year AND c.day = s.day
   WHERE s.change IS NULL OR c.change IS NULL
      OR s.change OPERATOR(arrima_stats.<>) c.change
   ORDER BY 1, 2, 3
$$;
COMMENT ON FUNCTION arrima_stats.calendar_check() IS
  'Compare le calendrier à celui que donnent les invitations ; renvoie chaque jour qui diffère '
  '(aucune ligne : il est exact) / compares the outcome calendar with the one the invitations give; '
  'returns every round, year and day that differs (no row: it is exact)';
REVOKE ALL ON FUNCTION arrima_stats.calendar_check() FROM PUBLIC;

-- What the roll-ups and the publication are computed from: the tally of
-- each round and year of invitation as of a date, summed from the calendar.
CREATE FUNCTION arrima_stats.group_tallies(as_of date)
RETURNS TABLE (round_id integer, year integer, tally arrima_stats.tally)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT g.round_id, g.year, g.tally
    FROM (SELECT c.round_id, c.year, arrima_stats.sum(c.change)::arrima_stats.tally AS tally
            FROM arrima_stats.outcome_calendar c
           WHERE c.day <= as_of
           GROUP BY c.round_id, c.year) g
   -- the groups with an invitation invited by as_of (rows left by
   -- invitations since taken away may sum to nothing)
   WHERE (arrima_stats.tally_counts(g.tally)).invitations > 0
   ORDER BY g.round_id, g.year
$$;
COMMENT ON FUNCTION arrima_stats.group_tallies(date) IS
  'Décompte de chaque exercice et année d''invitation à la date as_of, tiré du calendrier : une ligne '
  'par (exercice, année) ayant une invitation au plus tard à cette date / the tally of each round and '
  'year of invitation as of a date, from the outcome calendar: one row per (round, year) with an '
  'invitation invited on or before as_of';
REVOKE ALL ON FUNCTION arrima_stats.group_tallies(date) FROM PUBLIC;

-- The dates of a dashboard series: from_date, then every step while on or
-- before to_date, at most 100,000 of them; each argument checked, so that
-- a bad one is refused with what is wrong (22023), not with an error of
-- the query that uses them.
CREATE FUNCTION arrima_stats.dashboard_series_dates(from_date date, to_date date, step interval)
RETURNS date[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  max_dates CONSTANT integer := 100000;
  n bigint;
  dates date[];
BEGIN
  IF NOT (isfinite(from_date) AND isfinite(to_date)) THEN
    RAISE EXCEPTION 'the dates of a series must be finite, not % and %', from_date, to_date
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF step < interval '1 day' THEN
    RAISE EXCEPTION 'the step of a series must be at least one day, not %', step
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A dashboard is as of a date: a shorter step gives no other dates.';
  END IF;
  BEGIN
    -- one more than the most there may be, to tell a series too long
    SELECT count(*), coalesce(array_agg(DISTINCT s.d::date ORDER BY s.d::date), '{}')
      INTO n, dates
      FROM (SELECT generate_series(from_date::timestamp, to_date::timestamp, step) AS d
             LIMIT max_dates + 1) s;
  EXCEPTION WHEN datetime_field_overflow THEN
    RAISE EXCEPTION 'the dates of a series must stay within the range of timestamps, '
                    '4713-01-01 BC to 294276-12-31'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('From %s to %s every %s, a date of the series, or the step after the last, '
                            'falls outside it.', from_date, to_date, step);
  END;
  IF n > max_dates THEN
    RAISE EXCEPTION 'a series has at most % dates', max_dates
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('From %s to %s every %s makes more.', from_date, to_date, step),
            HINT = 'Take a longer step or a shorter period.';
  END IF;
  RETURN dates;
END
$$;
COMMENT ON FUNCTION arrima_stats.dashboard_series_dates(date, date, interval) IS
  'Les dates d''une série de tableaux de bord (from_date, puis chaque pas jusqu''à to_date, au plus 100 000), '
  'arguments vérifiés / the dates of a dashboard series (from_date, then every step up to to_date, at most '
  '100,000), its arguments checked (SQLSTATE 22023): finite dates within the range of timestamps, a step of '
  'at least one day';

-- The round dashboard at every step between two dates, in one pass over
-- the calendar: each change is put in the first date of the series on or
-- after its day, and the changes are summed cumulatively per round.  A SQL
-- function: an error in its query names the function, not the query.
CREATE FUNCTION arrima_stats.dashboard_series(from_date date, to_date date,
                                              step interval DEFAULT '1 day')
RETURNS TABLE (
  as_of date, round_id integer, category text, held_on date,
  invitations bigint, declined bigint, expired bigint, rejected bigint, refused bigint,
  notices_cannot_support bigint, notices_did_not_support bigint,
  awaiting_response bigint, in_processing bigint, cancellation_pending bigint,
  cancelled bigint, withdrawn bigint, selected bigint,
  invitations_published integer, is_total boolean)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH series AS (
    -- from_date, then every step while on or before to_date
    SELECT arrima_stats.dashboard_series_dates(from_date, to_date, step) AS dates
  ), dates AS (
    SELECT pg_catalog.unnest(s.dates) AS as_of FROM series s
  ), round AS (
    -- the rounds held by the last date; a round is shown from its held_on on
    SELECT r.round_id, r.held_on
      FROM arrima_stats.invitation_round r, series s
     WHERE r.held_on <= s.dates[pg_catalog.cardinality(s.dates)]
  ), changes AS (
    -- each change counts from the first date of the series on or after
    -- its day and its round's held_on (width_bucket: how many dates come
    -- before)
    SELECT c.round_id,
           s.dates[pg_catalog.width_bucket(GREATEST(c.day, r.held_on) - 1, s.dates) + 1]
             AS as_of,
           arrima_stats.sum(c.change) AS change
      FROM arrima_stats.outcome_calendar c
      JOIN round r ON r.round_id = c.round_id
     CROSS JOIN series s
     WHERE GREATEST(c.day, r.held_on) <= s.dates[pg_catalog.cardinality(s.dates)]
     GROUP BY 1, 2
  ), cumulated AS (
    -- the sum of the changes up to each date, per round
    SELECT d.as_of, r.round_id,
           arrima_stats.sum(ch.change) OVER (PARTITION BY r.round_id ORDER BY d.as_of) AS change
      FROM round r
      JOIN dates d ON d.as_of >= r.held_on
      LEFT JOIN changes ch ON ch.round_id = r.round_id AND ch.as_of = d.as_of
  ), shown AS (
    SELECT u.as_of, r.round_id, r.category, r.held_on, r.invitations_published,
           coalesce(u.change, '{0,0,0,0,0,0,0,0,0,0,0,0,0}')::arrima_stats.tally AS tally
      FROM cumulated u
      JOIN arrima_stats.invitation_round r ON r.round_id = u.round_id
  ), with_total AS (
    SELECT s.as_of, s.round_id, s.category, s.held_on, s.invitations_published, s.tally,
           false AS is_total
      FROM shown s
    UNION ALL
    -- as round_dashboard: the total's published figure only when every
    -- round has one
    SELECT d.as_of, NULL, NULL, NULL,
           CASE WHEN count(s.round_id) = count(s.invitations_published)
                THEN sum(s.invitations_published)::integer END,
           arrima_stats.sum(s.tally), true
      FROM dates d
      LEFT JOIN shown s ON s.as_of = d.as_of
     GROUP BY d.as_of
  )
  -- the counters read from one call of tally_counts per row (a lateral
  -- function scan would make a tuplestore per row)
  SELECT w.as_of, w.round_id, w.category, w.held_on,
         (w.c).invitations, (w.c).declined, (w.c).expired, (w.c).rejected, (w.c).refused,
         (w.c).notices_cannot_support, (w.c).notices_did_not_support,
         (w.c).awaiting_response, (w.c).in_processing, (w.c).cancellation_pending,
         (w.c).cancelled, (w.c).withdrawn, (w.c).selected,
         w.invitations_published, w.is_total
    FROM (SELECT t.as_of, t.round_id, t.category, t.held_on, t.invitations_published,
                 t.is_total, arrima_stats.tally_counts(t.tally) AS c
            FROM with_total t
          OFFSET 0) w
   ORDER BY w.as_of, w.is_total, w.held_on, w.round_id;
$$;
COMMENT ON FUNCTION arrima_stats.dashboard_series(date, date, interval) IS
  'Le tableau de bord par exercice à chaque pas entre deux dates (une ligne par date et exercice, et un '
  'total par date), tiré du calendrier en une passe / the round dashboard at every step from from_date '
  'to to_date (one row per date and round, and a total row per date), from the outcome calendar in one pass';
REVOKE ALL ON FUNCTION arrima_stats.dashboard_series(date, date, interval) FROM PUBLIC;
