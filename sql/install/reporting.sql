------------------------------------------------------------------------
-- Reporting roles
------------------------------------------------------------------------

-- A reporting role reads the published views, and the history of what the
-- releases showed, and nothing else.
CREATE FUNCTION arrima_stats.grant_reporting(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA arrima_stats TO %s', role);
  EXECUTE pg_catalog.format('GRANT SELECT ON arrima_stats.round_dashboard_published, '
                            'arrima_stats.annual_summary_published, '
                            'arrima_stats.category_summary_published, '
                            'arrima_stats.published_release, '
                            'arrima_stats.published_count TO %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.grant_reporting(regrole) IS
  'Donne à un rôle la lecture des trois vues diffusées et de l''historique montré, et rien d''autre / '
  'grants a role what reading the three published views and the history of what releases showed takes '
  '(USAGE on the schema, SELECT on the views), nothing more';
REVOKE ALL ON FUNCTION arrima_stats.grant_reporting(regrole) FROM PUBLIC;

CREATE FUNCTION arrima_stats.revoke_reporting(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  EXECUTE pg_catalog.format('REVOKE SELECT ON arrima_stats.round_dashboard_published, '
                            'arrima_stats.annual_summary_published, '
                            'arrima_stats.category_summary_published, '
                            'arrima_stats.published_release, '
                            'arrima_stats.published_count FROM %s', role);
  EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA arrima_stats FROM %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.revoke_reporting(regrole) IS
  'Retire ce que grant_reporting a donné / revokes what grant_reporting granted';
REVOKE ALL ON FUNCTION arrima_stats.revoke_reporting(regrole) FROM PUBLIC;
