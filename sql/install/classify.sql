------------------------------------------------------------------------
-- Classification
------------------------------------------------------------------------

CREATE FUNCTION arrima_stats.classify(arrima_stats.invitation, as_of date DEFAULT CURRENT_DATE)
RETURNS arrima_stats.outcome
AS 'MODULE_PATHNAME', 'arrima_classify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.classify(arrima_stats.invitation, date) IS
  'Situation de l''invitation à la date as_of / the invitation''s outcome as of a date (NULL before invited_on)';
