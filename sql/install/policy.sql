------------------------------------------------------------------------
-- The disclosure policy
------------------------------------------------------------------------

-- The disclosure policy is one row.  It is kept in a config table that
-- starts empty (no row: the defaults), so that pg_dump saves a changed
-- policy and a restore does not clash with a row of the install script;
-- the view disclosure_policy always shows exactly one row, and writing to
-- it goes through the trigger below.
CREATE TABLE arrima_stats.disclosure_policy_setting (
  singleton  boolean PRIMARY KEY DEFAULT true
    CONSTRAINT disclosure_policy_setting_one_row CHECK (singleton),
  min_count  integer NOT NULL
    CONSTRAINT min_count_at_least_1 CHECK (min_count >= 1),
  round_to   integer NOT NULL
    CONSTRAINT round_to_at_least_1 CHECK (round_to >= 1),
  changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  cadence    text NOT NULL DEFAULT 'any'
    CONSTRAINT cadence_known CHECK (cadence IN ('any', 'week', 'month'))
);
COMMENT ON TABLE arrima_stats.disclosure_policy_setting IS
  'Politique de diffusion modifiée (aucune ligne : valeurs par défaut) ; à modifier par la vue disclosure_policy / '
  'the disclosure policy as changed (no row: the defaults); change it through the view disclosure_policy';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.singleton IS
  'Toujours vrai : une seule ligne / always true: one row at most';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.min_count IS
  'Voir disclosure_policy.min_count / see disclosure_policy.min_count';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.round_to IS
  'Voir disclosure_policy.round_to / see disclosure_policy.round_to';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.changed_at IS
  'Moment de la dernière modification / when the policy was last changed';
COMMENT ON COLUMN arrima_stats.disclosure_policy_setting.cadence IS
  'Voir disclosure_policy.cadence / see disclosure_policy.cadence';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.disclosure_policy_setting', '');

CREATE VIEW arrima_stats.disclosure_policy AS
  SELECT coalesce(s.min_count, 5) AS min_count,
         coalesce(s.round_to, 1) AS round_to,
         s.changed_at,
         coalesce(s.cadence, 'any') AS cadence
    FROM (VALUES (true)) AS d (singleton)
    LEFT JOIN arrima_stats.disclosure_policy_setting s ON s.singleton = d.singleton;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN min_count SET DEFAULT 5;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN round_to SET DEFAULT 1;
ALTER VIEW arrima_stats.disclosure_policy ALTER COLUMN cadence SET DEFAULT 'any';
COMMENT ON VIEW arrima_stats.disclosure_policy IS
  'Politique de diffusion, une ligne ; se modifie par UPDATE / '
  'the disclosure policy, one row; change it with UPDATE (the published views follow at the next refresh)';
COMMENT ON COLUMN arrima_stats.disclosure_policy.min_count IS
  'Seuil : un nombre de 1 à min_count - 1 n''est jamais diffusé (défaut 5 ; 1 : tout est diffusé) / '
  'threshold: a count from 1 to min_count - 1 is never published (default 5; 1 publishes every count)';
COMMENT ON COLUMN arrima_stats.disclosure_policy.round_to IS
  'Arrondi des nombres diffusés au multiple le plus proche (défaut 1 : pas d''arrondi ; 5 : convention fédérale) / '
  'published counts are rounded to the nearest multiple of this (default 1: no rounding; 5: the federal open-data convention)';
COMMENT ON COLUMN arrima_stats.disclosure_policy.changed_at IS
  'Moment de la dernière modification (NULL : valeurs par défaut) / when the policy was last changed (NULL: the defaults)';
COMMENT ON COLUMN arrima_stats.disclosure_policy.cadence IS
  'Cadence des diffusions : any (à toute date, défaut), week (à la fin de la dernière semaine, dimanche), '
  'month (à la fin du dernier mois), une seule diffusion par date / '
  'cadence of the releases: any (as of any date, the default), week (as of the last Sunday), month (as of '
  'the last day of the last month), one release per date';

CREATE FUNCTION arrima_stats.disclosure_policy_write() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    RAISE EXCEPTION 'the disclosure policy has exactly one row'
      USING ERRCODE = 'unique_violation',
            HINT = 'Change it with UPDATE arrima_stats.disclosure_policy SET min_count = ..., round_to = ...';
  ELSIF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the disclosure policy cannot be deleted'
      USING ERRCODE = 'restrict_violation',
            HINT = 'Return to the defaults with UPDATE arrima_stats.disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT, cadence = DEFAULT';
  END IF;
  IF NEW.min_count IS NULL OR NEW.round_to IS NULL OR NEW.cadence IS NULL THEN
    RAISE EXCEPTION 'min_count, round_to and cadence cannot be NULL'
      USING ERRCODE = 'not_null_violation';
  END IF;
  IF NEW.min_count < 1 THEN
    RAISE EXCEPTION 'min_count must be at least 1, not %', NEW.min_count
      USING ERRCODE = 'check_violation',
            DETAIL = 'A count from 1 to min_count - 1 is withheld; min_count = 1 publishes every count.';
  END IF;
  IF NEW.round_to < 1 THEN
    RAISE EXCEPTION 'round_to must be at least 1, not %', NEW.round_to
      USING ERRCODE = 'check_violation',
            DETAIL = 'Published counts are rounded to a multiple of round_to; round_to = 1 does not round.';
  END IF;
  IF NEW.cadence NOT IN ('any', 'week', 'month') THEN
    RAISE EXCEPTION 'cadence must be any, week or month, not %', NEW.cadence
      USING ERRCODE = 'check_violation',
            DETAIL = 'any: a release as of any date; week: as of the last Sunday; month: as of the '
                     'last day of the last month, one release per date.';
  END IF;
  INSERT INTO arrima_stats.disclosure_policy_setting AS s (min_count, round_to, cadence)
  VALUES (NEW.min_count, NEW.round_to, NEW.cadence)
  ON CONFLICT (singleton) DO UPDATE
    SET min_count = EXCLUDED.min_count, round_to = EXCLUDED.round_to,
        cadence = EXCLUDED.cadence, changed_at = pg_catalog.now()
  RETURNING s.changed_at INTO NEW.changed_at;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION arrima_stats.disclosure_policy_write() IS
  'Déclencheur : valide et enregistre les modifications de disclosure_policy / '
  'trigger: checks and stores changes to disclosure_policy (UPDATE only: it has exactly one row)';

CREATE TRIGGER disclosure_policy_write
  INSTEAD OF INSERT OR UPDATE OR DELETE ON arrima_stats.disclosure_policy
  FOR EACH ROW EXECUTE FUNCTION arrima_stats.disclosure_policy_write();
