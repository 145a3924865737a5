------------------------------------------------------------------------
-- The columns of the six dashboards: the raw views and the published ones
-- share their meanings; a published count is NULL when withheld.  And the
-- counts of publication_row, the published views' one pivot.  (The
-- reader schema's dashboards have their own, reader.sql.)
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
      -- (name, the dashboard it is for, or NULL: every one, French, English)
      ('round_id', NULL, 'Exercice d''invitation (NULL : ligne de total)',
                         'invitation round (NULL in the total row)'),
      ('category', 'round_dashboard', 'Catégorie de l''exercice (NULL : ligne de total)',
                                      'category of the round (NULL in the total row)'),
      ('category', 'category_summary', 'Catégorie de l''exercice (NULL : toutes, dans les sous-totaux)',
                                       'category of the round (NULL: all categories, in subtotals)'),
      ('held_on', NULL, 'Date de l''exercice', 'date of the round'),
      ('year', 'annual_summary', 'Année d''invitation', 'year of invitation'),
      ('year', 'category_summary', 'Année d''invitation (NULL : toutes, dans les sous-totaux)',
                                   'year of invitation (NULL: all years, in subtotals)'),
      ('invitations', NULL, 'Invitations', 'invitations'),
      ('declined', NULL, 'Invitations déclinées par le candidat', 'invitations the candidate declined'),
      ('expired', NULL, 'Invitations expirées sans réponse dans le délai',
                        'invitations that expired unanswered within the response window'),
      ('rejected', NULL, 'Demandes rejetées (faux ou trompeur, ou pièces non fournies)',
                         'applications rejected (false or misleading, or documents not provided)'),
      ('refused', NULL, 'Demandes refusées (seuil de la grille non atteint)',
                        'applications refused (below the selection grid''s pass mark)'),
      ('notices_cannot_support', NULL,
       'Avis d''intention d''annulation, motif : ne pourrait fournir les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate cannot provide supporting documents'),
      ('notices_did_not_support', NULL,
       'Avis d''intention d''annulation, motif : n''a pas fourni les pièces justificatives',
       'notices of intent to cancel on the ground that the candidate did not provide supporting documents'),
      ('notices', NULL, 'Avis d''intention d''annulation émis, deux motifs',
                        'notices of intent to cancel issued, both grounds'),
      ('awaiting_response', NULL, 'En attente de réponse (délai en cours)', 'awaiting a response (window open)'),
      ('in_processing', NULL, 'Demandes en traitement', 'applications in processing'),
      ('cancellation_pending', NULL, 'Annulation en attente (avis envoyé, pas de décision)',
                                     'cancellation pending (notice sent, no final outcome yet)'),
      ('cancelled', NULL, 'Invitations annulées', 'invitations cancelled'),
      ('withdrawn', NULL, 'Demandes retirées', 'applications withdrawn'),
      ('selected', NULL, 'Candidats sélectionnés (CSQ délivré)', 'candidates selected (CSQ issued)'),
      ('invitations_published', NULL,
       'Nombre d''invitations publié par le ministère (NULL : non publié ; ligne de total : la somme, '
       's''il est publié pour chaque exercice)',
       'number of invitations the ministry published (NULL: not published; in the total row, the sum when '
       'it is published for every round)'),
      ('is_total', NULL, 'Ligne de total', 'the total row'),
      ('as_of', NULL, 'Date à laquelle les situations sont lues', 'the date the outcomes are read as of'),
      ('refreshed_at', NULL, 'Moment du calcul de la diffusion', 'when the publication was computed'),
      ('row_key', NULL,
       'Clé unique de la ligne : numéro de l''exercice ou total, année/catégorie (pour l''index unique de '
       'REFRESH … CONCURRENTLY) ; jamais NULL, bien que la colonne soit dite nullable',
       'unique key of the row: the round number or total, year/category (for the unique index '
       'REFRESH … CONCURRENTLY needs); never NULL, though clients see a nullable column')
    ) AS v (name, for_dashboard, fr, en)
  LOOP
    FOREACH dashboard IN ARRAY ARRAY['round_dashboard', 'annual_summary', 'category_summary'] LOOP
      CONTINUE WHEN col.for_dashboard <> dashboard;
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
                                       -- not published, or withheld: it would give a withheld count away
                                       WHEN col.name = 'invitations_published'
                                       THEN 'Nombre d''invitations publié par le ministère (NULL : non publié, '
                                            'ou masqué avec le nombre d''invitations, qu''il révélerait) / '
                                            'number of invitations the ministry published (NULL: not '
                                            'published, or withheld with the count of invitations, which it '
                                            'would give away)'
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
