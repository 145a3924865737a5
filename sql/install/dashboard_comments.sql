------------------------------------------------------------------------
-- The columns of the six dashboards: the raw views and the published ones
-- share their meanings; a published count is NULL when withheld.  And the
-- counts of publication_row, the published views' one pivot.
------------------------------------------------------------------------

DO $$
DECLARE
  col record;
  dashboard text;
  -- the columns that are not counts
  keys text[] := ARRAY['round_id', 'category', 'held_on', 'year', 'is_total', 'as_of',
                       'refreshed_at', 'row_key'];
BEGIN
  FOR col IN
    SELECT * FROM (VALUES
      ('round_id', 'Exercice d''invitation (NULL : ligne de total)',
                   'invitation round (NULL in the total row)'),
      ('category', 'Catégorie de l''exercice (NULL : toutes, dans les sous-totaux)',
                   'category of the round (NULL: all categories, in subtotals)'),
      ('held_on', 'Date de l''exercice', 'date of the round'),
      ('year', 'Année d''invitation (NULL : toutes, dans les sous-totaux)',
               'year of invitation (NULL: all years, in subtotals)'),
      ('invitations', 'Invitations', 'invitations'),
      ('declined', 'Invitations déclinées par le candidat', 'invitations the candidate declined'),
      ('expired', 'Invitations expirées sans réponse dans le délai',
                  'invitations that expired unanswered within the response window'),
      ('rejected', 'Demandes rejetées (faux ou trompeur, ou pièces non fournies)',
                   'applications rejected (false or misleading, or documents not provided)'),
      ('refused', 'Demandes refusées (seuil de la grille non atteint)',
                  'applications refused (below the selection grid''s pass mark)'),
      ('notices_cannot_support',
       'Avis d''intention d''annulation, motif : ne pourrait fournir les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate cannot provide supporting documents'),
      ('notices_did_not_support',
       'Avis d''intention d''annulation, motif : n''a pas fourni les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate did not provide supporting documents'),
      ('notices', 'Avis d''intention d''annulation émis, deux motifs',
                  'notices of intent to cancel issued, both grounds'),
      ('awaiting_response', 'En attente de réponse (délai en cours)', 'awaiting a response (window open)'),
      ('in_processing', 'Demandes en traitement', 'applications in processing'),
      ('cancellation_pending', 'Annulation en attente (avis envoyé, pas de décision)',
                               'cancellation pending (notice sent, no final outcome yet)'),
      ('cancelled', 'Invitations annulées', 'invitations cancelled'),
      ('withdrawn', 'Demandes retirées', 'applications withdrawn'),
      ('selected', 'Candidats sélectionnés (CSQ délivré)', 'candidates selected (CSQ issued)'),
      ('invitations_published', 'Nombre d''invitations publié par le ministère',
                                'number of invitations the ministry published, when known'),
      ('is_total', 'Ligne de total', 'the total row'),
      ('as_of', 'Date à laquelle les situations sont lues', 'the date the outcomes are read as of'),
      ('refreshed_at', 'Moment du calcul de la diffusion', 'when the publication was computed'),
      ('row_key', 'Clé de ligne non nulle (index unique)', 'non-NULL row key (for the unique index)')
    ) AS v (name, fr, en)
  LOOP
    FOREACH dashboard IN ARRAY ARRAY['round_dashboard', 'annual_summary', 'category_summary'] LOOP
      IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = pg_catalog.format('arrima_stats.%I', dashboard)::regclass
                    AND a.attname = col.name) THEN
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_stats.%I.%I IS %L',
                                  dashboard, col.name, col.fr || ' / ' || col.en);
      END IF;
      IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = pg_catalog.format('arrima_stats.%I_published', dashboard)::regclass
                    AND a.attname = col.name) THEN
        -- a published count is NULL when withheld
        EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_stats.%I.%I IS %L',
                                  dashboard || '_published', col.name,
                                  CASE WHEN col.name = ANY (keys)
                                       THEN col.fr || ' / ' || col.en
                                       ELSE col.fr || ' (NULL : masqué) / ' || col.en || ' (NULL: withheld)'
                                  END);
      END IF;
    END LOOP;
    -- the counts of publication_row, which the published views are made
    -- from, as theirs (its other columns are commented with it)
    IF col.name <> ALL (keys)
       AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = 'arrima_stats.publication_row'::regclass
                      AND a.attname = col.name) THEN
      EXECUTE pg_catalog.format('COMMENT ON COLUMN arrima_stats.publication_row.%I IS %L', col.name,
                                col.fr || ' (NULL : masqué) / ' || col.en || ' (NULL: withheld)');
    END IF;
  END LOOP;
END
$$;
