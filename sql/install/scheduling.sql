------------------------------------------------------------------------
-- Scheduling the refresh with pg_cron
------------------------------------------------------------------------

-- Scheduling with pg_cron, which the extension does not require: the
-- functions look for it when called.
CREATE FUNCTION arrima_stats.pg_cron_check() RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  package text := pg_catalog.format('postgresql-%s-cron',
                                    pg_catalog.current_setting('server_version_num')::integer / 10000);
  cron_database text := pg_catalog.current_setting('cron.database_name', true);
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_available_extensions WHERE name = 'pg_cron') THEN
    RAISE EXCEPTION 'pg_cron is not installed'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = pg_catalog.format('Install pg_cron (on Debian: apt-get install %s), add pg_cron to '
                                     'shared_preload_libraries, set cron.database_name = %L, restart '
                                     'PostgreSQL, then CREATE EXTENSION pg_cron in this database.',
                                     package, pg_catalog.current_database());
  ELSIF cron_database IS NULL THEN
    RAISE EXCEPTION 'pg_cron is installed but not loaded'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = pg_catalog.format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, '
                                     'restart PostgreSQL, then CREATE EXTENSION pg_cron in this database.',
                                     pg_catalog.current_database());
  ELSIF cron_database <> pg_catalog.current_database() THEN
    RAISE EXCEPTION 'pg_cron runs in database %, not in this one', cron_database
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = pg_catalog.format('Set cron.database_name = %L and restart, or schedule from database %s: '
                                     'SELECT cron.schedule_in_database(''arrima_stats refresh_publications'', '
                                     '''<schedule>'', ''SELECT arrima_stats.refresh_publications()'', %L);',
                                     pg_catalog.current_database(), cron_database,
                                     pg_catalog.current_database());
  ELSE
    RAISE EXCEPTION 'the pg_cron extension is not created in this database'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'CREATE EXTENSION pg_cron;';
  END IF;
END
$$;
COMMENT ON FUNCTION arrima_stats.pg_cron_check() IS
  'Erreur explicite si pg_cron n''est pas prêt dans cette base / raises a clear error, with what to do, '
  'unless the pg_cron extension is created in this database';
REVOKE ALL ON FUNCTION arrima_stats.pg_cron_check() FROM PUBLIC;

CREATE FUNCTION arrima_stats.schedule_refresh(cron text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF cron IS NULL THEN
    RAISE EXCEPTION 'the schedule cannot be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM arrima_stats.pg_cron_check();
  -- a job of the same name (and user) is replaced, so this can be rerun
  RETURN cron.schedule('arrima_stats refresh_publications', cron,
                       'SELECT arrima_stats.refresh_publications()');
END
$$;
COMMENT ON FUNCTION arrima_stats.schedule_refresh(text) IS
  'Planifie refresh_publications() avec pg_cron (syntaxe cron, p. ex. ''0 6 * * *'') et rend le numéro de la tâche / '
  'schedules refresh_publications() with pg_cron (cron syntax, e.g. ''0 6 * * *''; replaces an earlier schedule) '
  'and returns the job id; the job runs as the user who scheduled it';
REVOKE ALL ON FUNCTION arrima_stats.schedule_refresh(text) FROM PUBLIC;

CREATE FUNCTION arrima_stats.unschedule_refresh()
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM arrima_stats.pg_cron_check();
  IF NOT EXISTS (SELECT FROM cron.job j
                  WHERE j.jobname = 'arrima_stats refresh_publications' AND j.username = current_user) THEN
    RETURN false;
  END IF;
  RETURN cron.unschedule('arrima_stats refresh_publications');
END
$$;
COMMENT ON FUNCTION arrima_stats.unschedule_refresh() IS
  'Retire la planification de refresh_publications() / removes the pg_cron job of schedule_refresh(); '
  'false if there was none';
REVOKE ALL ON FUNCTION arrima_stats.unschedule_refresh() FROM PUBLIC;
