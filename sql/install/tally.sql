------------------------------------------------------------------------
-- The tally: every dashboard measure as 13 int8 counters, and the
-- aggregates that count invitations into tallies (src/tally.c, src/tally_agg.c)
------------------------------------------------------------------------

CREATE TYPE arrima_stats.tally;

CREATE FUNCTION arrima_stats.tally_in(cstring) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_out(arrima_stats.tally) RETURNS cstring
AS 'MODULE_PATHNAME', 'arrima_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_recv(internal) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arrima_stats.tally_send(arrima_stats.tally) RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_in(cstring) IS
  'Entrée texte du type tally / text input of the tally type';
COMMENT ON FUNCTION arrima_stats.tally_out(arrima_stats.tally) IS
  'Sortie texte du type tally / text output of the tally type';
COMMENT ON FUNCTION arrima_stats.tally_recv(internal) IS
  'Entrée binaire du type tally / binary input of the tally type';
COMMENT ON FUNCTION arrima_stats.tally_send(arrima_stats.tally) IS
  'Sortie binaire du type tally / binary output of the tally type';

CREATE TYPE arrima_stats.tally (
  INPUT = arrima_stats.tally_in,
  OUTPUT = arrima_stats.tally_out,
  RECEIVE = arrima_stats.tally_recv,
  SEND = arrima_stats.tally_send,
  INTERNALLENGTH = 104,
  ALIGNMENT = double,
  STORAGE = plain
);
COMMENT ON TYPE arrima_stats.tally IS
  'Décompte des invitations / counts of invitations: {invitations, the ten outcomes in enum order, '
  'notices cannot_support, notices did_not_support}';

CREATE FUNCTION arrima_stats.tally_add(arrima_stats.tally, arrima_stats.tally)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_add(arrima_stats.tally, arrima_stats.tally) IS
  'Somme de deux décomptes / the sum of two tallies';

CREATE OPERATOR arrima_stats.+ (
  LEFTARG = arrima_stats.tally,
  RIGHTARG = arrima_stats.tally,
  FUNCTION = arrima_stats.tally_add,
  COMMUTATOR = OPERATOR(arrima_stats.+)
);
COMMENT ON OPERATOR arrima_stats.+ (arrima_stats.tally, arrima_stats.tally) IS
  'Somme de deux décomptes (tally_add) / the sum of two tallies (tally_add)';

CREATE FUNCTION arrima_stats.tally_counts(
  arrima_stats.tally,
  OUT invitations bigint, OUT awaiting_response bigint, OUT declined bigint,
  OUT expired bigint, OUT in_processing bigint, OUT cancellation_pending bigint,
  OUT rejected bigint, OUT refused bigint, OUT cancelled bigint,
  OUT withdrawn bigint, OUT selected bigint,
  OUT notices_cannot_support bigint, OUT notices_did_not_support bigint)
AS 'MODULE_PATHNAME', 'arrima_tally_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_counts(arrima_stats.tally) IS
  'Les compteurs d''un décompte en colonnes / the counters of a tally as columns';

-- Counting invitations: over whole rows ...
CREATE FUNCTION arrima_stats.tally_accum_row(arrima_stats.tally, arrima_stats.invitation, date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_accum_row' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_accum_row(arrima_stats.tally, arrima_stats.invitation, date) IS
  'Transition de l''agrégat tally(invitation, date) / transition function of the aggregate tally(invitation, date)';

CREATE AGGREGATE arrima_stats.tally(arrima_stats.invitation, as_of date) (
  SFUNC = arrima_stats.tally_accum_row,
  STYPE = arrima_stats.tally,
  COMBINEFUNC = arrima_stats.tally_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.tally(arrima_stats.invitation, date) IS
  'Décompte des invitations à la date as_of / tally of invitations as of a date';

-- ... and over the columns, which is cheaper: no row is formed per invitation.
CREATE FUNCTION arrima_stats.tally_accum(
  arrima_stats.tally, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_accum(arrima_stats.tally, date, date, date, date, date,
                                             arrima_stats.notice_ground, date, arrima_stats.decision, date) IS
  'Transition de l''agrégat tally sur les colonnes / transition function of the aggregate tally over the columns';

CREATE AGGREGATE arrima_stats.tally(
  invited_on date, response_due_on date, declined_on date, application_on date,
  notice_on date, notice_ground arrima_stats.notice_ground, decided_on date,
  decision arrima_stats.decision, as_of date) (
  SFUNC = arrima_stats.tally_accum,
  STYPE = arrima_stats.tally,
  COMBINEFUNC = arrima_stats.tally_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.tally(date, date, date, date, date, arrima_stats.notice_ground,
                                        date, arrima_stats.decision, date) IS
  'Décompte des invitations à la date as_of, colonne par colonne / tally of invitations as of a date, from their columns';

CREATE AGGREGATE arrima_stats.sum(arrima_stats.tally) (
  SFUNC = arrima_stats.tally_add,
  STYPE = arrima_stats.tally,
  COMBINEFUNC = arrima_stats.tally_add,
  INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.sum(arrima_stats.tally) IS
  'Somme de décomptes / the sum of tallies';

-- Tallies by an integer key in one aggregate: what GROUP BY key with the
-- tally aggregate gives, without the executor's grouping machinery per row
-- (see src/tally_agg.c).  round_dashboard and annual_summary use it.

CREATE TYPE arrima_stats.keyed_tally AS (key integer, tally arrima_stats.tally);
COMMENT ON TYPE arrima_stats.keyed_tally IS
  'Décompte d''une valeur de clé / the tally of one value of a key (see tally_by)';

CREATE FUNCTION arrima_stats.tally_by_accum(
  internal, key integer, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_accum(internal, integer, date, date, date, date, date,
                                                arrima_stats.notice_ground, date, arrima_stats.decision, date) IS
  'Fonction de transition de tally_by / transition function of tally_by';

CREATE FUNCTION arrima_stats.tally_by_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_combine(internal, internal) IS
  'Fonction de combinaison de tally_by / combine function of tally_by';

CREATE FUNCTION arrima_stats.tally_by_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_by_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_serialize(internal) IS
  'Sérialisation de l''état de tally_by / serialization of the state of tally_by';

CREATE FUNCTION arrima_stats.tally_by_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_deserialize(bytea, internal) IS
  'Désérialisation de l''état de tally_by / deserialization of the state of tally_by';

CREATE FUNCTION arrima_stats.tally_by_final(internal)
RETURNS arrima_stats.keyed_tally[]
AS 'MODULE_PATHNAME', 'arrima_tally_by_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.tally_by_final(internal) IS
  'Fonction finale de tally_by / final function of tally_by';

CREATE AGGREGATE arrima_stats.tally_by(
  key integer, invited_on date, response_due_on date, declined_on date, application_on date,
  notice_on date, notice_ground arrima_stats.notice_ground, decided_on date,
  decision arrima_stats.decision, as_of date) (
  SFUNC = arrima_stats.tally_by_accum,
  STYPE = internal,
  FINALFUNC = arrima_stats.tally_by_final,
  COMBINEFUNC = arrima_stats.tally_by_combine,
  SERIALFUNC = arrima_stats.tally_by_serialize,
  DESERIALFUNC = arrima_stats.tally_by_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE arrima_stats.tally_by(integer, date, date, date, date, date, arrima_stats.notice_ground,
                                           date, arrima_stats.decision, date) IS
  'Décompte des invitations à la date as_of pour chaque valeur de la clé, en ordre de clé (NULL en dernier) / '
  'tally of invitations as of a date for each value of the key, in key order (NULL last): '
  'unnest(tally_by(k, ...)) gives what SELECT k, tally(...) ... GROUP BY k gives';
