-- test/data/audit_as_edited.sql: the audit of a publication as the working
-- tables hold it, once edited by hand to publish more than
-- refresh_publications() did (the audit of the one release there is,
-- disclosure_audit(), reads the kept releases, which no one edits):
-- disclosure_bounds() of the withheld cells over the stored groups, each
-- cell primary (1 to min_count - 1) or secondary.  Makes the function
-- :schema.audit_as_edited(); set the psql variable schema first.
-- sql/publication.sql makes it in pg_temp; test/cases/crosscheck_audit.sh in
-- a schema of its own, where test/cases/crosscheck_audit.py --edited reads it.
CREATE FUNCTION :schema.audit_as_edited()
RETURNS TABLE (publication text, row_key text, measure text, value bigint, status text,
               lower bigint, upper bigint, safe boolean)
LANGUAGE sql AS $$
  SELECT b.publication, b.row_key, b.measure, b.value,
         CASE WHEN b.value BETWEEN 1 AND s.min_count - 1 THEN 'primary' ELSE 'secondary' END,
         b.lower, b.upper, b.safe
    FROM arrima_stats.publication_state s
   CROSS JOIN (SELECT array_agg(g.round_id) AS round_id, array_agg(g.year) AS year,
                      array_agg(g.category) AS category, array_agg(g.in_dashboard) AS in_dashboard,
                      array_agg(g.invitations_published) AS invitations_published,
                      array_agg(g.tally) AS tally
                 FROM arrima_stats.publication_group g) g
   CROSS JOIN (SELECT coalesce(array_agg(c.publication), '{}') AS publication,
                      coalesce(array_agg(c.row_key), '{}') AS row_key,
                      coalesce(array_agg(c.measure), '{}') AS measure
                 FROM arrima_stats.publication_cell c WHERE c.withheld) w
   CROSS JOIN LATERAL arrima_stats.disclosure_bounds(g.round_id, g.year, g.category, g.in_dashboard,
                                                     g.invitations_published, g.tally, s.min_count,
                                                     w.publication, w.row_key, w.measure) b
   ORDER BY b.publication, b.year NULLS LAST, b.round_id NULLS LAST, b.category NULLS LAST, b.measure
$$;
