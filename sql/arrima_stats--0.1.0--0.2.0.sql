/* arrima_stats--0.1.0--0.2.0.sql: ingestion, publication, speed */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION arrima_stats UPDATE TO '0.2.0'" to load this file. \quit

-- As in 0.1.0: every name schema-qualified, every function body with
-- search_path = pg_catalog, pg_temp, a COMMENT in French and English on
-- every object.

------------------------------------------------------------------------
-- Ingestion: staging, validation in C, quarantine
------------------------------------------------------------------------



------------------------------------------------------------------------
-- Publication: disclosure control, published views, refresh, reporting
------------------------------------------------------------------------



------------------------------------------------------------------------
-- Speed
------------------------------------------------------------------------


