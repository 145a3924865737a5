------------------------------------------------------------------------
-- Reference data: categories and invitation rounds
------------------------------------------------------------------------

CREATE TABLE arrima_stats.category (
  code     text PRIMARY KEY CONSTRAINT category_code_not_blank CHECK (btrim(code) <> '')
                            CONSTRAINT category_code_at_most_64 CHECK (length(code) <= 64),
  label_fr text NOT NULL CONSTRAINT category_label_fr_at_most_255 CHECK (length(label_fr) <= 255),
  label_en text NOT NULL CONSTRAINT category_label_en_at_most_255 CHECK (length(label_en) <= 255)
);
COMMENT ON TABLE arrima_stats.category IS
  'Catégories d''exercices d''invitation / categories of invitation rounds';

INSERT INTO arrima_stats.category (code, label_fr, label_en) VALUES
  ('OEV_ART26',
   'RE dans la BDI avec une OEV et personnes visées par l''article 26 du RIQ',
   'Foreign nationals in the pool with a validated job offer, and persons covered by RIQ section 26'),
  ('OEV',
   'RE dans la BDI avec une OEV',
   'Foreign nationals in the pool with a validated job offer'),
  ('OEV_HORS_CMM_ART26',
   'RE dans la BDI avec une OEV hors CMM et personnes visées par l''article 26 du RIQ',
   'Foreign nationals in the pool with a validated job offer outside the Montreal metropolitan community, and persons covered by RIQ section 26'),
  ('OEV_HORS_CMM_ART26_ART47',
   'RE dans la BDI avec une OEV hors CMM et personnes visées par l''article 26 du RIQ et 47 de la LIQ',
   'Foreign nationals in the pool with a validated job offer outside the Montreal metropolitan community, persons covered by RIQ section 26, and persons invited by exemption (LIQ section 47)'),
  ('OEV_HORS_CMM',
   'RE dans la BDI avec une OEV hors CMM',
   'Foreign nationals in the pool with a validated job offer outside the Montreal metropolitan community'),
  ('PAMO_TI',
   'PAMO-TI',
   'Government action plan against the labour shortage in information technology'),
  ('OPMO',
   'OPMO',
   'Labour shortage operation (Opération main-d''œuvre) occupations'),
  ('OPMO_OEV_HORS_CMM',
   'OPMO+ OEV hors CMM',
   'Labour shortage operation occupations, or a validated job offer outside the Montreal metropolitan community'),
  ('CLASSEMENT_GENERAL',
   'Classement général',
   'General ranking by score');

-- pg_dump keeps the rows users add; the shipped ones come with the extension.
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.category',
  $$WHERE code NOT IN ('OEV_ART26', 'OEV', 'OEV_HORS_CMM_ART26', 'OEV_HORS_CMM_ART26_ART47',
                       'OEV_HORS_CMM', 'PAMO_TI', 'OPMO', 'OPMO_OEV_HORS_CMM', 'CLASSEMENT_GENERAL')$$);

-- The shipped categories are read-only: pg_dump leaves them out (above),
-- since CREATE EXTENSION makes them again on restore, so a change to one
-- of them (a label) would be silently lost by a dump and restore, and a
-- deleted one would come back.  They are refused, with a hint; a user adds a
-- category of their own instead.  An upgrade script that must change a
-- shipped row disables the trigger around it.
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

CREATE TABLE arrima_stats.invitation_round (
  round_id              integer PRIMARY KEY,
  category              text NOT NULL REFERENCES arrima_stats.category,
  held_on               date NOT NULL
    CONSTRAINT held_on_is_finite CHECK (pg_catalog.isfinite(held_on)),
  invitations_published integer
    CONSTRAINT invitations_published_not_negative CHECK (invitations_published >= 0),
  response_days         integer NOT NULL DEFAULT 60
    CONSTRAINT response_days_positive CHECK (response_days > 0)
);
COMMENT ON TABLE arrima_stats.invitation_round IS
  'Exercices d''invitation, avec le nombre d''invitations publié par le ministère s''il est connu / '
  'invitation rounds, with the number of invitations the ministry published when known';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.invitation_round', '');

COMMENT ON COLUMN arrima_stats.category.code IS
  'Code de la catégorie / category code';
COMMENT ON COLUMN arrima_stats.category.label_fr IS
  'Libellé français (tel que publié par le ministère) / French label, as the ministry publishes it';
COMMENT ON COLUMN arrima_stats.category.label_en IS
  'Libellé anglais / English label';
COMMENT ON COLUMN arrima_stats.invitation_round.round_id IS
  'Numéro de l''exercice d''invitation / invitation round number';
COMMENT ON COLUMN arrima_stats.invitation_round.category IS
  'Catégorie de profils invités / category of the profiles invited';
COMMENT ON COLUMN arrima_stats.invitation_round.held_on IS
  'Date de l''exercice / date of the round';
COMMENT ON COLUMN arrima_stats.invitation_round.invitations_published IS
  'Nombre d''invitations publié par le ministère, s''il est connu / number of invitations the ministry published for the round, when known';
COMMENT ON COLUMN arrima_stats.invitation_round.response_days IS
  'Délai de réponse en jours (60 à ce jour) / response window in days (60 in every round so far)';
