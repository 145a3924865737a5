------------------------------------------------------------------------
-- Microdata: one row per invitation.  Personal information: no grant to
-- PUBLIC.  Each CHECK constraint is one rule of the table, named after it.
------------------------------------------------------------------------

CREATE TABLE arrima_stats.invitation (
  invitation_id   bigint PRIMARY KEY,
  round_id        integer NOT NULL REFERENCES arrima_stats.invitation_round,
  invited_on      date NOT NULL,
  response_due_on date NOT NULL,
  declined_on     date,
  application_on  date,
  notice_on       date,
  notice_ground   arrima_stats.notice_ground,
  decided_on      date,
  decision        arrima_stats.decision,

  CONSTRAINT dates_are_finite CHECK (
    pg_catalog.isfinite(invited_on) AND pg_catalog.isfinite(response_due_on)
    AND pg_catalog.isfinite(declined_on) AND pg_catalog.isfinite(application_on)
    AND pg_catalog.isfinite(notice_on) AND pg_catalog.isfinite(decided_on)),
  CONSTRAINT response_due_on_not_before_invited_on CHECK (response_due_on >= invited_on),
  CONSTRAINT declined_on_not_before_invited_on CHECK (declined_on >= invited_on),
  CONSTRAINT application_on_not_before_invited_on CHECK (application_on >= invited_on),
  -- notice_on and decided_on come on or after application_on, so on or
  -- after invited_on too
  CONSTRAINT declined_and_applied_not_both
    CHECK (declined_on IS NULL OR application_on IS NULL),
  CONSTRAINT declined_on_not_after_response_due_on CHECK (declined_on <= response_due_on),
  CONSTRAINT application_on_not_after_response_due_on CHECK (application_on <= response_due_on),
  CONSTRAINT notice_on_and_notice_ground_together
    CHECK ((notice_on IS NULL) = (notice_ground IS NULL)),
  CONSTRAINT notice_needs_application CHECK (notice_on IS NULL OR application_on IS NOT NULL),
  CONSTRAINT notice_on_not_before_application_on CHECK (notice_on >= application_on),
  CONSTRAINT notice_on_not_after_decided_on CHECK (notice_on <= decided_on),
  CONSTRAINT decided_on_and_decision_together
    CHECK ((decided_on IS NULL) = (decision IS NULL)),
  CONSTRAINT decision_needs_application CHECK (decided_on IS NULL OR application_on IS NOT NULL),
  CONSTRAINT decided_on_not_before_application_on CHECK (decided_on >= application_on),
  CONSTRAINT cancelled_needs_notice CHECK (decision <> 'cancelled' OR notice_on IS NOT NULL)
);
COMMENT ON TABLE arrima_stats.invitation IS
  'Une ligne par invitation (renseignements personnels) / one row per invitation (personal information)';
CREATE INDEX invitation_round_id_idx ON arrima_stats.invitation (round_id);
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.invitation', '');
REVOKE ALL ON arrima_stats.invitation FROM PUBLIC;

-- response_due_on, when a row omits it, is the round's response window
-- counted from invited_on.
CREATE FUNCTION arrima_stats.fill_response_due_on() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.round_id IS NULL THEN
    RETURN NEW;                 -- the NOT NULL constraint will say so
  END IF;
  SELECT NEW.invited_on + r.response_days INTO NEW.response_due_on
    FROM arrima_stats.invitation_round r
   WHERE r.round_id = NEW.round_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'invitation round % does not exist', NEW.round_id
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = 'response_due_on is NULL and can only be filled from an existing round.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION arrima_stats.fill_response_due_on() IS
  'Déclencheur : remplit invitation.response_due_on à partir du délai de l''exercice quand il est NULL / '
  'trigger: fills invitation.response_due_on from the round''s response_days when it is NULL';

CREATE TRIGGER fill_response_due_on
  BEFORE INSERT OR UPDATE ON arrima_stats.invitation
  FOR EACH ROW WHEN (NEW.response_due_on IS NULL)
  EXECUTE FUNCTION arrima_stats.fill_response_due_on();

COMMENT ON COLUMN arrima_stats.invitation.invitation_id IS
  'Identifiant de l''invitation / invitation identifier';
COMMENT ON COLUMN arrima_stats.invitation.round_id IS
  'Exercice d''invitation / invitation round';
COMMENT ON COLUMN arrima_stats.invitation.invited_on IS
  'Date de l''invitation / date of the invitation';
COMMENT ON COLUMN arrima_stats.invitation.response_due_on IS
  'Dernier jour pour déposer la demande (par défaut : invitation + délai de l''exercice) / '
  'last day to file the application (default: invited_on + the round''s response_days)';
COMMENT ON COLUMN arrima_stats.invitation.declined_on IS
  'Date où le candidat a décliné l''invitation / date the candidate declined the invitation';
COMMENT ON COLUMN arrima_stats.invitation.application_on IS
  'Date de réception de la demande de sélection permanente / date the permanent selection application was received';
COMMENT ON COLUMN arrima_stats.invitation.notice_on IS
  'Date de l''avis d''intention d''annulation / date of the notice of intent to cancel';
COMMENT ON COLUMN arrima_stats.invitation.notice_ground IS
  'Motif de l''avis / ground of the notice';
COMMENT ON COLUMN arrima_stats.invitation.decided_on IS
  'Date de la décision finale / date of the final outcome';
COMMENT ON COLUMN arrima_stats.invitation.decision IS
  'Décision finale / final outcome';
