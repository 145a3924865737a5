------------------------------------------------------------------------
-- Enums: the outcome model (src/outcome.h mirrors them, in the same order)
------------------------------------------------------------------------

CREATE TYPE arrima_stats.notice_ground AS ENUM ('cannot_support', 'did_not_support');
COMMENT ON TYPE arrima_stats.notice_ground IS
  'Motif de l''avis d''intention d''annulation / ground of a notice of intent to cancel: '
  'cannot_support (reason to believe the candidate cannot provide supporting documents), '
  'did_not_support (the candidate did not provide them)';

CREATE TYPE arrima_stats.decision AS ENUM ('rejected', 'refused', 'cancelled', 'withdrawn', 'selected');
COMMENT ON TYPE arrima_stats.decision IS
  'Décision finale / final outcome of an application';

CREATE TYPE arrima_stats.outcome AS ENUM (
  'awaiting_response', 'declined', 'expired', 'in_processing', 'cancellation_pending',
  'rejected', 'refused', 'cancelled', 'withdrawn', 'selected');
COMMENT ON TYPE arrima_stats.outcome IS
  'Situation d''une invitation à une date / what has become of an invitation as of a date';
