/* arrima_stats--0.2.0--0.3.0.sql: prefixed C symbols, one pivot for the published views, comments */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION arrima_stats UPDATE TO '0.3.0'" to load this file. \quit

------------------------------------------------------------------------
-- Every C function bound to the main library under its arrima_ symbol.
--
-- 0.1.0 and 0.2.0 name the symbols without the prefix (classify, tally_in
-- ...).  Installed from their scripts today, they are bound to
-- $libdir/arrima_stats_legacy, which forwards each call to arrima_<name>;
-- installed before 0.3.0, to $libdir/arrima_stats under the old name,
-- which the library no longer exports.  Either way, from here on every C
-- function is MODULE_PATHNAME's arrima_<name>: same signature, same
-- attributes, only the link symbol changes.
------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION arrima_stats.classify(arrima_stats.invitation, as_of date DEFAULT CURRENT_DATE)
RETURNS arrima_stats.outcome
AS 'MODULE_PATHNAME', 'arrima_classify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_in(cstring) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_out(arrima_stats.tally) RETURNS cstring
AS 'MODULE_PATHNAME', 'arrima_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_recv(internal) RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_send(arrima_stats.tally) RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_add(arrima_stats.tally, arrima_stats.tally)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_counts(
  arrima_stats.tally,
  OUT invitations bigint, OUT awaiting_response bigint, OUT declined bigint,
  OUT expired bigint, OUT in_processing bigint, OUT cancellation_pending bigint,
  OUT rejected bigint, OUT refused bigint, OUT cancelled bigint,
  OUT withdrawn bigint, OUT selected bigint,
  OUT notices_cannot_support bigint, OUT notices_did_not_support bigint)
AS 'MODULE_PATHNAME', 'arrima_tally_counts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_accum_row(arrima_stats.tally, arrima_stats.invitation, date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_accum_row' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_accum(
  arrima_stats.tally, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS arrima_stats.tally
AS 'MODULE_PATHNAME', 'arrima_tally_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_accum(
  internal, key integer, invited_on date, response_due_on date, declined_on date,
  application_on date, notice_on date, notice_ground arrima_stats.notice_ground,
  decided_on date, decision arrima_stats.decision, as_of date)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'arrima_tally_by_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'arrima_tally_by_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.tally_by_final(internal)
RETURNS arrima_stats.keyed_tally[]
AS 'MODULE_PATHNAME', 'arrima_tally_by_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.invitation_fault(
  staged arrima_stats.invitation_staging, response_days integer)
RETURNS text
AS 'MODULE_PATHNAME', 'arrima_invitation_fault'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.parse_staged(
  staged arrima_stats.invitation_staging, response_days integer,
  OUT invitation_id bigint, OUT round_id integer, OUT invited_on date,
  OUT response_due_on date, OUT declined_on date, OUT application_on date,
  OUT notice_on date, OUT notice_ground arrima_stats.notice_ground,
  OUT decided_on date, OUT decision arrima_stats.decision, OUT fault text)
RETURNS record
AS 'MODULE_PATHNAME', 'arrima_parse_staged'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.staged_round_id(text)
RETURNS integer
AS 'MODULE_PATHNAME', 'arrima_staged_round_id'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.disclosure_cells(
  round_id integer[], year integer[], category text[], in_dashboard boolean[],
  invitations_published integer[], tally arrima_stats.tally[], min_count integer)
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, withheld boolean)
AS 'MODULE_PATHNAME', 'arrima_disclosure_cells'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION arrima_stats.disclosure_bounds(
  round_id integer[], year integer[], category text[], in_dashboard boolean[],
  invitations_published integer[], tally arrima_stats.tally[], min_count integer,
  withheld_publication text[], withheld_row_key text[], withheld_measure text[])
RETURNS TABLE (publication text, row_key text, round_id integer, year integer, category text,
               measure text, value bigint, lower bigint, upper bigint, safe boolean)
AS 'MODULE_PATHNAME', 'arrima_disclosure_bounds'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
------------------------------------------------------------------------
-- Comments: the French of invitation_round's says what the English says;
-- the operator + has one.
------------------------------------------------------------------------

COMMENT ON TABLE arrima_stats.invitation_round IS
  'Exercices d''invitation, avec le nombre d''invitations publié par le ministère s''il est connu / '
  'invitation rounds, with the number of invitations the ministry published when known';
COMMENT ON OPERATOR arrima_stats.+ (arrima_stats.tally, arrima_stats.tally) IS
  'Somme de deux décomptes (tally_add) / the sum of two tallies (tally_add)';
