------------------------------------------------------------------------
-- Reporting roles
------------------------------------------------------------------------

-- A reporting role reads the reader schema, arrima_published, and the
-- document of a release; and, as before 0.5.0, the published views and
-- the history of what the releases showed in arrima_stats.  Nothing else.
CREATE FUNCTION arrima_stats.grant_reporting(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA arrima_published TO %s', role);
  -- the schema holds only what a reporting role may read: all of it
  EXECUTE pg_catalog.format('GRANT SELECT ON ALL TABLES IN SCHEMA arrima_published TO %s', role);
  EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION arrima_stats.release_document(text, integer) TO %s',
                            role);
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA arrima_stats TO %s', role);
  EXECUTE pg_catalog.format('GRANT SELECT ON arrima_stats.round_dashboard_published, '
                            'arrima_stats.annual_summary_published, '
                            'arrima_stats.category_summary_published, '
                            'arrima_stats.published_release, '
                            'arrima_stats.published_count TO %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.grant_reporting(regrole) IS
  'Donne à un rôle la lecture du schéma arrima_published (toutes ses vues), le document d''une diffusion, les '
  'trois vues diffusées et l''historique montré, et rien d''autre / '
  'grants a role what reading the schema arrima_published (every view in it), the document of a release '
  '(release_document), the three published views and the history of what releases showed takes (USAGE on the '
  'schemas, SELECT on the views, EXECUTE on release_document), nothing more';
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
  EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION arrima_stats.release_document(text, integer) FROM %s',
                            role);
  EXECUTE pg_catalog.format('REVOKE SELECT ON ALL TABLES IN SCHEMA arrima_published FROM %s', role);
  EXECUTE pg_catalog.format('REVOKE USAGE ON SCHEMA arrima_published FROM %s', role);
END
$$;
COMMENT ON FUNCTION arrima_stats.revoke_reporting(regrole) IS
  'Retire ce que grant_reporting a donné / revokes what grant_reporting granted';
REVOKE ALL ON FUNCTION arrima_stats.revoke_reporting(regrole) FROM PUBLIC;
