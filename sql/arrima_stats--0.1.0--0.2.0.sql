/* arrima_stats--0.1.0--0.2.0.sql: ingestion, publication, speed */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION arrima_stats UPDATE TO '0.2.0'" to load this file. \quit

-- As in 0.1.0: every name schema-qualified, every function body with
-- search_path = pg_catalog, pg_temp, a COMMENT in French and English on
-- every object.

------------------------------------------------------------------------
-- Hardening: the shipped categories are read-only
--
-- pg_dump leaves the shipped rows of category out (pg_extension_config_dump
-- in 0.1.0) since CREATE EXTENSION makes them again on restore; so a change
-- to one of them (a label) was silently lost by a dump and restore, and a
-- deleted one came back.  They are now refused, with a hint; a user adds a
-- category of their own instead.  An upgrade script that must change a
-- shipped row disables the trigger around it.
------------------------------------------------------------------------

CREATE FUNCTION arrima_stats.category_protect_shipped() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- the codes 0.1.0 ships, as in its pg_extension_config_dump filter
  IF TG_OP = 'TRUNCATE'
     OR OLD.code = ANY ('{OEV_ART26,OEV,OEV_HORS_CMM_ART26,OEV_HORS_CMM_ART26_ART47,OEV_HORS_CMM,'
                        'PAMO_TI,OPMO,OPMO_OEV_HORS_CMM,CLASSEMENT_GENERAL}'::text[]) THEN
    RAISE EXCEPTION 'the categories shipped with arrima_stats cannot be changed or deleted'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = CASE WHEN TG_OP = 'TRUNCATE' THEN 'TRUNCATE would delete them.'
                          ELSE format('Category %s is one of them.', OLD.code) END,
            HINT = 'pg_dump does not save them (CREATE EXTENSION makes them again), so a change '
                   'would be lost by a dump and restore.  Add a category of your own instead.';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION arrima_stats.category_protect_shipped() IS
  'Déclencheur : refuse de modifier ou supprimer les catégories livrées avec l''extension / '
  'trigger: refuses to change or delete the categories shipped with the extension';

CREATE TRIGGER category_protect_shipped
  BEFORE UPDATE OR DELETE ON arrima_stats.category
  FOR EACH ROW EXECUTE FUNCTION arrima_stats.category_protect_shipped();
CREATE TRIGGER category_protect_shipped_truncate
  BEFORE TRUNCATE ON arrima_stats.category
  FOR EACH STATEMENT EXECUTE FUNCTION arrima_stats.category_protect_shipped();

------------------------------------------------------------------------
-- Ingestion: staging, validation in C, quarantine
------------------------------------------------------------------------



------------------------------------------------------------------------
-- Publication: disclosure control, published views, refresh, reporting
------------------------------------------------------------------------



------------------------------------------------------------------------
-- Speed
------------------------------------------------------------------------


