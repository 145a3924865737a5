#!/usr/bin/env bash
# The outcome calendar under a random walk of writes from two sessions: after
# every step, the roll-ups served from the calendar equal what scanning the
# invitations gives, on every day from the day before the first invitation
# to a year after the last event.
#
# Two sessions (dblink connections a and b to the case's database) write
# arrima_stats.invitation; a driver (this psql session, a procedure) chooses
# each step with random() after setseed(seed), so a seed repeats the same
# walk (ARRIMA_CALENDAR_SEED, default 0.42; ARRIMA_CALENDAR_STEPS, default
# 150).  A step is one session's transaction, or both sessions' at once (sent
# together, run concurrently by the server), or a TRUNCATE.  A transaction is
# 1 to 4 writes: inserts of random invitations (random rounds, dates on the
# boundaries included, response_due_on sometimes left to the table's
# trigger), updates of dates and decisions, changes of round, updates that
# change nothing, deletes, ingest() re-loads of staged rows (new and known
# ids, so INSERT ... ON CONFLICT; bad rows; ids staged twice); each write
# sometimes undone by a savepoint (an exception block); the transaction
# then commits, rolls back, or fails on a broken rule (all undone); now and
# then in REPEATABLE READ.  Session a writes even invitation ids, b odd ones,
# so that the walk's outcome does not depend on timing; they share the rounds
# and so the calendar's keys.
#
# After every step, the driver checks, failing the case with the step, the
# seed and the first differences:
#   - every day from (first invited_on) - 1 to (last date of any event, or
#     response_due_on + 1) + 365: per round and year of invitation, the
#     running sum of the calendar's rows = the tally_by aggregate over the
#     invitations; per round, dashboard_series() over those days = tally_by
#     per round, with the total rows;
#   - no calendar row outside those days, and none when there is no
#     invitation;
#   - on three days (the first, the last, one drawn): round_dashboard(),
#     annual_summary(), category_summary() and group_tallies() = version
#     0.4.0's scanning roll-ups (test/data/scan_rollups.sql) and the tally
#     aggregate;
#   - calendar_check() reports nothing.
# Last, the check must be able to fail: with the delete trigger dropped, a
# deleted invitation must be reported.  (Tried by hand, too: the C step
# function off by one day, src/calendar.h's calendar_day_after() giving
# day + 2, or calendar_day_before() day - 2, fails the walk at its first
# step, with the days that differ.)
. "$(dirname "$0")/common.bash"

db=arrima_case_calendar_random
seed=${ARRIMA_CALENDAR_SEED:-0.42}
steps=${ARRIMA_CALENDAR_STEPS:-150}
fresh_db "$db"
psql -d "$db" -c 'CREATE EXTENSION arrima_stats' -c 'CREATE EXTENSION dblink'
( cd "$ARRIMA_ROOT" && psql -d "$db" -c 'SET client_min_messages = warning' -f test/data/scan_rollups.sql )
conninfo="host=$PGHOST port=$PGPORT dbname=$db user=${PGUSER:-postgres}"
echo "seed $seed, $steps steps"

psql -d "$db" <<'SQL'
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, invitations_published) VALUES
  (1, 'OPMO', '2021-12-30', 100), (2, 'OPMO', '2022-01-10', NULL),
  (3, 'CLASSEMENT_GENERAL', '2022-03-01', 50), (4, 'PAMO_TI', '2022-06-15', NULL),
  (5, 'OEV', '2022-12-31', 20), (6, 'OEV', '2023-02-01', 10);

CREATE SCHEMA walk;

-- What a session runs: its writes, each undone (by an exception block, a
-- savepoint) when undone[k]; then COMMIT, ROLLBACK, or a broken rule.
CREATE PROCEDURE walk.session_tx(actions text[], undone boolean[], finish text)
LANGUAGE plpgsql AS $$
BEGIN
  FOR k IN 1 .. coalesce(cardinality(actions), 0) LOOP
    IF undone[k] THEN
      BEGIN
        EXECUTE actions[k];
        RAISE EXCEPTION USING ERRCODE = 'WALK1', MESSAGE = 'savepoint rolled back';
      EXCEPTION WHEN SQLSTATE 'WALK1' THEN NULL;
      END;
    ELSE
      EXECUTE actions[k];
    END IF;
  END LOOP;
  IF finish = 'commit' THEN
    COMMIT;
  ELSIF finish = 'rollback' THEN
    ROLLBACK;
  ELSE
    -- breaks response_due_on_not_before_invited_on: the whole transaction goes
    INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, response_due_on)
    VALUES (999999, 1, '2022-01-10', '2022-01-01');
  END IF;
END
$$;

-- A random whole number from 0 to n - 1 (the driver's random(), seeded)
CREATE FUNCTION walk.r(n integer) RETURNS integer LANGUAGE sql AS $$
  SELECT floor(random() * n)::integer
$$;

-- A random invitation as a VALUES row: (id, round_id, invited_on,
-- response_due_on, declined_on, application_on, notice_on, notice_ground,
-- decided_on, decision), every rule of the table kept.  Events often fall
-- on the same day as the one before, or on the last day of the window.
CREATE FUNCTION walk.history(id bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  round integer := 1 + walk.r(6);
  invited date := (SELECT held_on FROM arrima_stats.invitation_round WHERE round_id = round) + walk.r(3);
  leave_due boolean := random() < 0.2;       -- the table's trigger fills it: 60 days
  window_days integer := CASE WHEN leave_due THEN 60 ELSE 20 + walk.r(50) END;
  due date := invited + window_days;
  declined date; applied date; notice date; ground text; decided date; decision text;
  u float8 := random();
BEGIN
  IF u < 0.12 THEN
    declined := invited + CASE WHEN random() < 0.3 THEN window_days ELSE walk.r(window_days + 1) END;
  ELSIF u >= 0.25 THEN
    applied := invited + CASE WHEN random() < 0.2 THEN window_days ELSE walk.r(window_days + 1) END;
    IF random() < 0.35 THEN
      notice := applied + walk.r(120);
      ground := CASE WHEN random() < 0.5 THEN 'cannot_support' ELSE 'did_not_support' END;
    END IF;
    IF random() < 0.7 THEN
      decided := coalesce(notice, applied) + walk.r(200);
      decision := (ARRAY['rejected', 'refused', 'withdrawn', 'selected', 'cancelled'])
                    [1 + walk.r(CASE WHEN notice IS NULL THEN 4 ELSE 5 END)];
    END IF;
  END IF;
  RETURN format('(%s, %s, %L::date, %L::date, %L::date, %L::date, %L::date, %L::arrima_stats.notice_ground, %L::date, %L::arrima_stats.decision)',
                id, round, invited, CASE WHEN NOT leave_due THEN due END, declined, applied,
                notice, ground, decided, decision);
END
$$;

-- k distinct random invitation ids of a session (a: even, b: odd), 2 to 400
CREATE FUNCTION walk.ids(session text, k integer) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[] := '{}';
  id bigint;
BEGIN
  WHILE cardinality(ids) < k LOOP
    id := 2 * (1 + walk.r(200)) - CASE WHEN session = 'b' THEN 1 ELSE 0 END;
    IF NOT id = ANY (ids) THEN
      ids := ids || id;
    END IF;
  END LOOP;
  RETURN ids;
END
$$;

-- One random write of a session, as SQL text
CREATE FUNCTION walk.action(session text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  kind integer := walk.r(9);
  ids bigint[] := walk.ids(session, 1 + walk.r(8));
  rows text;
  parity integer := CASE WHEN session = 'b' THEN 1 ELSE 0 END;
  cols text := 'invitation_id, round_id, invited_on, response_due_on, declined_on, application_on, '
               'notice_on, notice_ground, decided_on, decision';
BEGIN
  IF kind <= 2 THEN             -- insert (those already there are left alone)
    SELECT string_agg(walk.history(i), ', ' ORDER BY o) INTO rows FROM unnest(ids) WITH ORDINALITY u(i, o);
    RETURN format('INSERT INTO arrima_stats.invitation (%s) VALUES %s ON CONFLICT (invitation_id) DO NOTHING',
                  cols, rows);
  ELSIF kind = 3 THEN           -- new dates, decisions, rounds: a new history
    SELECT string_agg(walk.history(i), ', ' ORDER BY o) INTO rows FROM unnest(ids) WITH ORDINALITY u(i, o);
    RETURN format('UPDATE arrima_stats.invitation i SET (round_id, invited_on, response_due_on, declined_on, '
                  'application_on, notice_on, notice_ground, decided_on, decision) = '
                  '(v.r, v.i, coalesce(v.d, v.i + 60), v.dc, v.a, v.n, v.g, v.de, v.ds) '
                  'FROM (VALUES %s) v(id, r, i, d, dc, a, n, g, de, ds) WHERE i.invitation_id = v.id',
                  rows);
  ELSIF kind = 4 THEN           -- a decision for files in processing, on a boundary or later
    RETURN format('UPDATE arrima_stats.invitation SET decided_on = GREATEST(application_on, notice_on) + %s, '
                  'decision = %L WHERE invitation_id = ANY (%L) AND application_on IS NOT NULL '
                  'AND decided_on IS NULL',
                  walk.r(3) * walk.r(100), (ARRAY['rejected', 'refused', 'withdrawn', 'selected'])[1 + walk.r(4)],
                  ids);
  ELSIF kind = 5 THEN           -- another round
    RETURN format('UPDATE arrima_stats.invitation SET round_id = %s WHERE invitation_id = ANY (%L)',
                  1 + walk.r(6), ids);
  ELSIF kind = 6 THEN           -- delete, a few or a stretch
    IF random() < 0.7 THEN
      RETURN format('DELETE FROM arrima_stats.invitation WHERE invitation_id = ANY (%L)', ids);
    END IF;
    RETURN format('DELETE FROM arrima_stats.invitation WHERE invitation_id %% 2 = %s AND invitation_id BETWEEN %s AND %s',
                  parity, ids[1], ids[1] + 40);
  ELSIF kind = 7 THEN           -- an update that changes nothing, of all the session's rows
    RETURN format('UPDATE arrima_stats.invitation SET notice_ground = notice_ground WHERE invitation_id %% 2 = %s',
                  parity);
  ELSE                          -- ingest(): known and new ids, a bad row, an id staged twice
    SELECT string_agg(format('SELECT %s', trim(both '()' FROM walk.history(i))), ' UNION ALL ' ORDER BY o)
      INTO rows FROM unnest(ids) WITH ORDINALITY u(i, o);
    RETURN format('INSERT INTO arrima_stats.invitation_staging (%1$s) SELECT * FROM (%2$s) s; '
                  '%3$s'
                  'SELECT * FROM arrima_stats.ingest()',
                  cols, rows,
                  CASE walk.r(4)
                    WHEN 0 THEN format('INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on) '
                                       'VALUES (%L, ''1'', ''2022-02-30''); ', ids[1])
                    WHEN 1 THEN format('INSERT INTO arrima_stats.invitation_staging (invitation_id, round_id, invited_on) '
                                       'VALUES (%L, ''1'', ''2022-01-10''); ', ids[1])
                    ELSE '' END);
  END IF;
END
$$;

CREATE TYPE walk.tx AS (actions text[], undone boolean[], finish text, rr boolean);

CREATE FUNCTION walk.transaction(session text) RETURNS walk.tx LANGUAGE plpgsql AS $$
DECLARE
  t walk.tx := ROW('{}', '{}', NULL, random() < 0.15);
  u float8;
BEGIN
  FOR k IN 1 .. 1 + walk.r(4) LOOP
    t.actions := t.actions || walk.action(session);
    t.undone := t.undone || (random() < 0.2);
  END LOOP;
  u := random();
  t.finish := CASE WHEN u < 0.8 THEN 'commit' WHEN u < 0.9 THEN 'rollback' ELSE 'fail' END;
  RETURN t;
END
$$;

-- Send a transaction to a session, and wait for its end: the driver checks
-- that only a transaction meant to fail failed
CREATE FUNCTION walk.send(session text, t walk.tx) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dblink_exec(session, format('SET default_transaction_isolation = %L',
                                      CASE WHEN t.rr THEN 'repeatable read' ELSE 'read committed' END));
  PERFORM dblink_send_query(session, format('CALL walk.session_tx(%L, %L, %L)',
                                            t.actions, t.undone, t.finish));
END
$$;
CREATE FUNCTION walk.wait(session text, t walk.tx) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  err text;
BEGIN
  PERFORM * FROM dblink_get_result(session, false) AS r(status text);
  err := dblink_error_message(session);
  PERFORM * FROM dblink_get_result(session, false) AS r(status text);
  IF err = 'OK' AND t.finish <> 'fail' THEN
    RETURN t.finish;
  ELSIF t.finish = 'fail' AND err LIKE '%response_due_on_not_before_invited_on%' THEN
    RETURN 'failed';
  END IF;
  RAISE EXCEPTION 'session % ended with "%", meant to %: %', session, err, t.finish, t;
END
$$;

-- The check: NULL if the calendar's roll-ups equal a scan's, else what differs
CREATE FUNCTION walk.differences(drawn float8) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  lo date;
  hi date;
  probe date;
  diff text;
BEGIN
  SELECT min(invited_on) - 1,
         max(GREATEST(invited_on, response_due_on + 1, declined_on, application_on, notice_on,
                      decided_on)) + 365
    INTO lo, hi FROM arrima_stats.invitation;
  IF lo IS NULL THEN
    SELECT string_agg(format('%s/%s/%s', x.round_id, x.year, x.day), ', ') INTO diff
      FROM (SELECT c.round_id, c.year, c.day FROM arrima_stats.outcome_calendar c GROUP BY 1, 2, 3
             HAVING arrima_stats.sum(c.change) OPERATOR(arrima_stats.<>) '{0,0,0,0,0,0,0,0,0,0,0,0,0}') x;
    RETURN CASE WHEN diff IS NOT NULL THEN 'no invitation, yet calendar changes on ' || diff END;
  END IF;
  SELECT string_agg(format('%s/%s/%s', c.round_id, c.year, c.day), ', ') INTO diff
    FROM arrima_stats.outcome_calendar c WHERE c.day NOT BETWEEN lo AND hi;
  IF diff IS NOT NULL THEN
    RETURN format('calendar rows outside %s .. %s: %s', lo, hi, diff);
  END IF;

  -- every day, per round and year: running sums of the calendar = tally_by
  CREATE TEMP TABLE IF NOT EXISTS walk_days (day date PRIMARY KEY);
  TRUNCATE walk_days;
  INSERT INTO walk_days SELECT d::date FROM generate_series(lo, hi, '1 day') d;
  WITH scan AS (
    SELECT d.day, k.key / 10000 AS round_id, k.key % 10000 AS year, k.tally::text AS t
      FROM walk_days d
     CROSS JOIN LATERAL unnest((SELECT arrima_stats.tally_by(i.round_id * 10000 + extract(year FROM i.invited_on)::integer,
                                                             i.invited_on, i.response_due_on, i.declined_on,
                                                             i.application_on, i.notice_on, i.notice_ground,
                                                             i.decided_on, i.decision, d.day)
                                  FROM arrima_stats.invitation i)) k
     WHERE (arrima_stats.tally_counts(k.tally)).invitations > 0
  ), keyed AS (
    SELECT c.round_id, c.year, c.day, arrima_stats.sum(c.change) AS change
      FROM arrima_stats.outcome_calendar c GROUP BY 1, 2, 3
  ), calendar AS (
    SELECT d.day, g.round_id, g.year,
           (arrima_stats.sum(k.change) OVER (PARTITION BY g.round_id, g.year ORDER BY d.day))::text AS t
      FROM (SELECT DISTINCT round_id, year FROM keyed) g
     CROSS JOIN walk_days d
      LEFT JOIN keyed k ON k.round_id = g.round_id AND k.year = g.year AND k.day = d.day
  ), calendar_shown AS (
    SELECT * FROM calendar c WHERE c.t IS NOT NULL AND split_part(ltrim(c.t, '{'), ',', 1) <> '0'
  )
  SELECT string_agg(x, '; ') INTO diff
    FROM (SELECT format('%s round %s year %s: scan %s, calendar %s', coalesce(s.day, c.day),
                        coalesce(s.round_id, c.round_id), coalesce(s.year, c.year), s.t, c.t) AS x
            FROM scan s FULL JOIN calendar_shown c
              ON c.day = s.day AND c.round_id = s.round_id AND c.year = s.year
           WHERE s.t IS DISTINCT FROM c.t
           ORDER BY coalesce(s.day, c.day) LIMIT 5) f;
  IF diff IS NOT NULL THEN
    RETURN 'per round and year: ' || diff;
  END IF;

  -- every day, per round and the total: dashboard_series = tally_by
  WITH scan AS (
    SELECT d.day, r.round_id,
           coalesce(k.tally, '{0,0,0,0,0,0,0,0,0,0,0,0,0}') AS tally
      FROM walk_days d
      JOIN arrima_stats.invitation_round r ON r.held_on <= d.day
      LEFT JOIN LATERAL unnest((SELECT arrima_stats.tally_by(i.round_id, i.invited_on, i.response_due_on,
                                                             i.declined_on, i.application_on, i.notice_on,
                                                             i.notice_ground, i.decided_on, i.decision, d.day)
                                  FROM arrima_stats.invitation i)) k ON k.key = r.round_id
  ), scan_rows AS (
    SELECT s.day, s.round_id, s.tally::text AS t FROM scan s
    UNION ALL
    SELECT d.day, NULL, arrima_stats.sum(s.tally)::text
      FROM walk_days d LEFT JOIN scan s ON s.day = d.day GROUP BY d.day
  ), series AS (
    SELECT s.as_of AS day, s.round_id,
           format('{%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s}', s.invitations, s.awaiting_response,
                  s.declined, s.expired, s.in_processing, s.cancellation_pending, s.rejected,
                  s.refused, s.cancelled, s.withdrawn, s.selected, s.notices_cannot_support,
                  s.notices_did_not_support) AS t
      FROM arrima_stats.dashboard_series(lo, hi) s
  )
  SELECT string_agg(x, '; ') INTO diff
    FROM (SELECT format('%s round %s: scan %s, dashboard_series %s', coalesce(s.day, c.day),
                        coalesce(s.round_id, c.round_id), s.t, c.t) AS x
            FROM scan_rows s FULL JOIN series c
              ON c.day = s.day AND c.round_id IS NOT DISTINCT FROM s.round_id
           WHERE s.t IS DISTINCT FROM c.t
           ORDER BY coalesce(s.day, c.day) LIMIT 5) f;
  IF diff IS NOT NULL THEN
    RETURN 'dashboard_series: ' || diff;
  END IF;

  -- three days: the roll-ups = 0.4.0's scanning ones; group_tallies = tally
  FOREACH probe IN ARRAY ARRAY[lo, hi, lo + floor(drawn * (hi - lo))::integer] LOOP
    IF EXISTS ((SELECT * FROM arrima_stats.round_dashboard(probe)) EXCEPT ALL
               (SELECT * FROM arrima_scan.round_dashboard(probe)))
       OR EXISTS ((SELECT * FROM arrima_scan.round_dashboard(probe)) EXCEPT ALL
                  (SELECT * FROM arrima_stats.round_dashboard(probe))) THEN
      RETURN format('round_dashboard(%s) differs from the scan', probe);
    END IF;
    IF EXISTS ((SELECT * FROM arrima_stats.annual_summary(probe)) EXCEPT ALL
               (SELECT * FROM arrima_scan.annual_summary(probe)))
       OR EXISTS ((SELECT * FROM arrima_scan.annual_summary(probe)) EXCEPT ALL
                  (SELECT * FROM arrima_stats.annual_summary(probe))) THEN
      RETURN format('annual_summary(%s) differs from the scan', probe);
    END IF;
    IF EXISTS ((SELECT * FROM arrima_stats.category_summary(probe)) EXCEPT ALL
               (SELECT * FROM arrima_scan.category_summary(probe)))
       OR EXISTS ((SELECT * FROM arrima_scan.category_summary(probe)) EXCEPT ALL
                  (SELECT * FROM arrima_stats.category_summary(probe))) THEN
      RETURN format('category_summary(%s) differs from the scan', probe);
    END IF;
    IF (SELECT string_agg(format('%s/%s %s', round_id, year, tally), ' ' ORDER BY round_id, year)
          FROM arrima_stats.group_tallies(probe))
       IS DISTINCT FROM
       (SELECT string_agg(format('%s/%s %s', round_id, year, t), ' ' ORDER BY round_id, year)
          FROM (SELECT round_id, extract(year FROM invited_on)::integer AS year,
                       arrima_stats.tally(invited_on, response_due_on, declined_on, application_on,
                                          notice_on, notice_ground, decided_on, decision, probe) AS t
                  FROM arrima_stats.invitation WHERE invited_on <= probe GROUP BY 1, 2) s) THEN
      RETURN format('group_tallies(%s) differs from the tally aggregate', probe);
    END IF;
  END LOOP;

  SELECT string_agg(format('%s/%s/%s', round_id, year, c.day), ', ') INTO diff
    FROM arrima_stats.calendar_check() c;
  IF diff IS NOT NULL THEN
    RETURN 'calendar_check() reports ' || diff;
  END IF;
  RETURN NULL;
END
$$;

CREATE TABLE walk.outcome (what text, n integer);

-- The walk
CREATE PROCEDURE walk.run(seed float8, steps integer, conninfo text)
LANGUAGE plpgsql AS $$
DECLARE
  ta walk.tx;
  tb walk.tx;
  u float8;
  diff text;
  step_what text;
  max_invitations integer := 0;
BEGIN
  PERFORM setseed(seed);
  PERFORM dblink_connect('a', conninfo);
  PERFORM dblink_connect('b', conninfo);
  PERFORM dblink_exec('a', 'SET client_min_messages = warning');
  PERFORM dblink_exec('b', 'SET client_min_messages = warning');
  FOR step IN 1 .. steps LOOP
    u := random();
    IF u < 0.04 THEN
      -- TRUNCATE, committed or rolled back
      ta := ROW(ARRAY['TRUNCATE arrima_stats.invitation'], ARRAY[false],
                CASE WHEN random() < 0.5 THEN 'commit' ELSE 'rollback' END, false);
      PERFORM walk.send('a', ta);
      step_what := 'truncate, ' || walk.wait('a', ta);
    ELSIF u < 0.45 THEN
      -- one session alone
      IF random() < 0.5 THEN
        ta := walk.transaction('a');
        PERFORM walk.send('a', ta);
        step_what := 'a alone, ' || walk.wait('a', ta);
      ELSE
        tb := walk.transaction('b');
        PERFORM walk.send('b', tb);
        step_what := 'b alone, ' || walk.wait('b', tb);
      END IF;
    ELSE
      -- both at once
      ta := walk.transaction('a');
      tb := walk.transaction('b');
      PERFORM walk.send('a', ta);
      PERFORM walk.send('b', tb);
      step_what := 'both, a ' || walk.wait('a', ta);
      step_what := step_what || ', b ' || walk.wait('b', tb);
    END IF;
    UPDATE walk.outcome o SET n = o.n + 1 WHERE o.what = step_what;
    IF NOT FOUND THEN
      INSERT INTO walk.outcome VALUES (step_what, 1);
    END IF;
    max_invitations := GREATEST(max_invitations, (SELECT count(*) FROM arrima_stats.invitation));
    diff := walk.differences(random());
    IF diff IS NOT NULL THEN
      RAISE EXCEPTION 'seed %, step % (%): the calendar differs from the invitations: %',
        seed, step, step_what, diff;
    END IF;
    COMMIT;
  END LOOP;
  INSERT INTO walk.outcome VALUES ('most invitations at once', max_invitations);
  PERFORM dblink_disconnect('a');
  PERFORM dblink_disconnect('b');
END
$$;
SQL

start=$SECONDS
psql -d "$db" -v seed="$seed" -v steps="$steps" -v conninfo="$conninfo" <<'SQL'
SET client_min_messages = warning;
CALL walk.run(:'seed', :'steps', :'conninfo');
SQL
echo "the walk and its checks: $((SECONDS - start)) s"
psql -d "$db" -At -F ': ' -c "SELECT what, n FROM walk.outcome ORDER BY what"
psql -d "$db" -At <<'SQL'
SELECT 'now ' || (SELECT count(*) FROM arrima_stats.invitation) || ' invitations, '
       || count(*) || ' calendar rows, '
       || count(*) - count(DISTINCT (round_id, year, day)) || ' of them a key''s second or later row (left by writers at once)'
  FROM arrima_stats.outcome_calendar;
SQL

# The check can fail: the delete trigger dropped, a delete goes unseen
psql -d "$db" -q <<'SQL'
DROP TRIGGER calendar_after_delete ON arrima_stats.invitation;
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on) VALUES (100001, 3, '2022-03-01');
DELETE FROM arrima_stats.invitation WHERE invitation_id = 100001;
SQL
found=$(psql -d "$db" -At -c "SELECT walk.differences(0.5)")
case $found in
    *2022-03-01*) echo "ok: with the delete trigger dropped, the check reports: ${found:0:150}..." ;;
    *) echo "FAIL: with the delete trigger dropped, the check found nothing ($found)"; exit 1 ;;
esac
echo "ok: $steps steps of seed $seed, the calendar's roll-ups = the scan's on every day, after each"
