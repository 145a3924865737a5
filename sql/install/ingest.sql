------------------------------------------------------------------------
-- Ingestion: staging, validation in C, quarantine
------------------------------------------------------------------------

-- An analyst loads a CSV export into the staging table, where every column
-- is text so that no value can make COPY fail, then calls ingest(): each
-- staged row goes into invitation, or into invitation_reject with the
-- reason it was refused.  Nothing staged is lost or silently changed.

CREATE TABLE arrima_stats.invitation_staging (
  invitation_id   text,
  round_id        text,
  invited_on      text,
  response_due_on text,
  declined_on     text,
  application_on  text,
  notice_on       text,
  notice_ground   text,
  decided_on      text,
  decision        text
);
COMMENT ON TABLE arrima_stats.invitation_staging IS
  'Invitations à charger, telles que lues d''un fichier : chaque colonne d''invitation, en texte ; '
  'ingest() les vide / invitations to load as read from a file: every column of invitation, as text; '
  'ingest() empties it';
COMMENT ON COLUMN arrima_stats.invitation_staging.invitation_id IS
  'Entier, requis / integer, required';
COMMENT ON COLUMN arrima_stats.invitation_staging.round_id IS
  'Entier, un exercice d''invitation_round, requis / integer, a round of invitation_round, required';
COMMENT ON COLUMN arrima_stats.invitation_staging.invited_on IS
  'Date AAAA-MM-JJ, requise / date YYYY-MM-DD, required';
COMMENT ON COLUMN arrima_stats.invitation_staging.response_due_on IS
  'Date AAAA-MM-JJ ; vide : invited_on plus le délai de l''exercice / date YYYY-MM-DD; empty: '
  'invited_on plus the round''s response_days';
COMMENT ON COLUMN arrima_stats.invitation_staging.declined_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.application_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.notice_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.notice_ground IS
  'cannot_support, did_not_support ou vide / or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.decided_on IS
  'Date AAAA-MM-JJ ou vide / date YYYY-MM-DD or empty';
COMMENT ON COLUMN arrima_stats.invitation_staging.decision IS
  'rejected, refused, cancelled, withdrawn, selected ou vide / or empty';
REVOKE ALL ON arrima_stats.invitation_staging FROM PUBLIC;

CREATE SEQUENCE arrima_stats.ingest_batch;
COMMENT ON SEQUENCE arrima_stats.ingest_batch IS
  'Numéros des appels à ingest() / numbers of the calls to ingest()';
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.ingest_batch', '');
REVOKE ALL ON SEQUENCE arrima_stats.ingest_batch FROM PUBLIC;

CREATE TABLE arrima_stats.invitation_reject (
  LIKE arrima_stats.invitation_staging INCLUDING COMMENTS,
  reason          text NOT NULL,
  rejected_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  batch_id        bigint NOT NULL
);
COMMENT ON TABLE arrima_stats.invitation_reject IS
  'Lignes refusées par ingest(), valeurs brutes telles que chargées, avec la raison '
  '(renseignements personnels) / rows ingest() refused, raw values as staged, with the reason '
  '(personal information)';
COMMENT ON COLUMN arrima_stats.invitation_reject.reason IS
  'Pourquoi la ligne est refusée : la colonne, la valeur et la règle / why the row was refused: '
  'the column, the value and the rule';
COMMENT ON COLUMN arrima_stats.invitation_reject.rejected_at IS
  'Moment de l''appel à ingest() / when ingest() was called';
COMMENT ON COLUMN arrima_stats.invitation_reject.batch_id IS
  'L''appel à ingest() qui l''a refusée (ingest_batch) / the call to ingest() that refused it '
  '(ingest_batch)';
CREATE INDEX invitation_reject_batch_id_idx ON arrima_stats.invitation_reject (batch_id);
SELECT pg_catalog.pg_extension_config_dump('arrima_stats.invitation_reject', '');
REVOKE ALL ON arrima_stats.invitation_reject FROM PUBLIC;

-- The validator, in C: one staged row, the response window of its round
-- (NULL when its round_id names no round) ...
CREATE FUNCTION arrima_stats.invitation_fault(
  staged arrima_stats.invitation_staging, response_days integer)
RETURNS text
AS 'MODULE_PATHNAME', 'arrima_invitation_fault'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.invitation_fault(arrima_stats.invitation_staging, integer) IS
  'Pourquoi une ligne chargée serait refusée, NULL si elle est valide ; response_days est le délai '
  'de réponse de son exercice, NULL s''il n''existe pas / why a staged row would be refused, NULL '
  'if it is valid; response_days is the response window of its round, NULL when there is no such round';

-- ... the same, with the invitation the row makes ...
CREATE FUNCTION arrima_stats.parse_staged(
  staged arrima_stats.invitation_staging, response_days integer,
  OUT invitation_id bigint, OUT round_id integer, OUT invited_on date,
  OUT response_due_on date, OUT declined_on date, OUT application_on date,
  OUT notice_on date, OUT notice_ground arrima_stats.notice_ground,
  OUT decided_on date, OUT decision arrima_stats.decision, OUT fault text)
RETURNS record
AS 'MODULE_PATHNAME', 'arrima_parse_staged'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.parse_staged(arrima_stats.invitation_staging, integer) IS
  'Une ligne chargée lue comme l''invitation qu''elle donne (response_due_on complétée), et sa '
  'faute (invitation_fault) / a staged row read as the invitation it makes (response_due_on '
  'filled), and its fault (invitation_fault)';

-- ... and the round a staged round_id names, read the same way.
CREATE FUNCTION arrima_stats.staged_round_id(text)
RETURNS integer
AS 'MODULE_PATHNAME', 'arrima_staged_round_id'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION arrima_stats.staged_round_id(text) IS
  'Le round_id qu''une valeur chargée désigne, lu comme le lit le validateur, NULL si ce n''est pas '
  'un entier / the round_id a staged value names, read as the validator reads it, NULL when it is '
  'not an integer';

-- One set-based statement: no subtransaction per row, and no bad value can
-- make it fail.  The staged rows are taken with DELETE ... RETURNING, so a
-- concurrent call waits for this one's row locks and then finds the rows
-- gone: no row is loaded twice, none is lost.  response_due_on is filled
-- here (by the validator) so that the table's per-row trigger does not fire.
CREATE FUNCTION arrima_stats.ingest(
  OUT inserted bigint, OUT updated bigint, OUT rejected bigint, OUT batch_id bigint)
RETURNS record
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  batch bigint := nextval('arrima_stats.ingest_batch');
BEGIN
  WITH taken AS (
    DELETE FROM arrima_stats.invitation_staging s RETURNING s
  ), parsed AS (
    -- v: the invitation the row makes, and its fault (called in the select
    -- list, which is cheaper than a function scan per row)
    SELECT t.s AS staged, arrima_stats.parse_staged(t.s, r.response_days) AS v
      FROM taken t
      LEFT JOIN arrima_stats.invitation_round r
             ON r.round_id = arrima_stats.staged_round_id((t.s).round_id)
  ), repeated AS (
    -- an invitation_id staged more than once (whether or not each row is
    -- valid): which row is right cannot be told, so none is loaded
    SELECT (p.v).invitation_id, count(*) AS copies
      FROM parsed p
     WHERE (p.v).invitation_id IS NOT NULL
     GROUP BY (p.v).invitation_id
    HAVING count(*) > 1
  ), loaded AS (
    INSERT INTO arrima_stats.invitation AS i
      (invitation_id, round_id, invited_on, response_due_on, declined_on, application_on,
       notice_on, notice_ground, decided_on, decision)
    SELECT (p.v).invitation_id, (p.v).round_id, (p.v).invited_on, (p.v).response_due_on,
           (p.v).declined_on, (p.v).application_on, (p.v).notice_on, (p.v).notice_ground,
           (p.v).decided_on, (p.v).decision
      FROM parsed p
     WHERE (p.v).fault IS NULL
       AND NOT EXISTS (SELECT FROM repeated d WHERE d.invitation_id = (p.v).invitation_id)
    ON CONFLICT (invitation_id) DO UPDATE
       SET round_id = excluded.round_id, invited_on = excluded.invited_on,
           response_due_on = excluded.response_due_on, declined_on = excluded.declined_on,
           application_on = excluded.application_on, notice_on = excluded.notice_on,
           notice_ground = excluded.notice_ground, decided_on = excluded.decided_on,
           decision = excluded.decision
    -- a row this statement inserted has no xmax; the new version of a row
    -- it updated carries the lock ON CONFLICT took on the old one
    RETURNING i.xmax = 0 AS is_new
  ), quarantined AS (
    INSERT INTO arrima_stats.invitation_reject
      (invitation_id, round_id, invited_on, response_due_on, declined_on, application_on,
       notice_on, notice_ground, decided_on, decision, reason, rejected_at, batch_id)
    SELECT (p.staged).invitation_id, (p.staged).round_id, (p.staged).invited_on,
           (p.staged).response_due_on, (p.staged).declined_on, (p.staged).application_on,
           (p.staged).notice_on, (p.staged).notice_ground, (p.staged).decided_on,
           (p.staged).decision,
           coalesce((p.v).fault, format('invitation_id %s appears %s times in this batch',
                                        d.invitation_id, d.copies)),
           now(), batch
      FROM parsed p
      LEFT JOIN repeated d ON d.invitation_id = (p.v).invitation_id
     WHERE (p.v).fault IS NOT NULL OR d.invitation_id IS NOT NULL
    RETURNING 1
  )
  SELECT count(*) FILTER (WHERE l.is_new), count(*) FILTER (WHERE NOT l.is_new),
         (SELECT count(*) FROM quarantined)
    INTO inserted, updated, rejected
    FROM loaded l;
  batch_id := batch;
END
$$;
COMMENT ON FUNCTION arrima_stats.ingest() IS
  'Charge les lignes d''invitation_staging : les valides dans invitation (ajout ou mise à jour par '
  'invitation_id), les autres dans invitation_reject avec la raison ; renvoie les nombres et le lot / '
  'loads the rows of invitation_staging: valid ones into invitation (insert or update by '
  'invitation_id), the others into invitation_reject with the reason; returns the counts and the batch';
REVOKE ALL ON FUNCTION arrima_stats.ingest() FROM PUBLIC;
