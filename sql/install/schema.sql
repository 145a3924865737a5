------------------------------------------------------------------------
-- The schema: usable by all; what is in it is granted object by object
------------------------------------------------------------------------

GRANT USAGE ON SCHEMA arrima_stats TO PUBLIC;

-- Every name is schema-qualified and every function body runs with
-- search_path = pg_catalog, pg_temp, so objects a user creates elsewhere can
-- never stand in for the ones meant here.
