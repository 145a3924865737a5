-- test/data/synthetic_invitations.sql
--
-- SYNTHETIC INVITATIONS.  The ministry (MIFI) never published what became of
-- the invitations of each round: every invitation this file inserts, and
-- every date and outcome in it, is made up.  Only the rounds (their dates and
-- categories) and, where known, the number of invitations of a round come
-- from the seed and from news reports (test/data/rounds.csv).
--
-- Usage, after the rounds are loaded into arrima_stats.invitation_round:
--
--   psql -X -v ON_ERROR_STOP=1 -f test/data/synthetic_invitations.sql
--   psql ... -v scale=100 -f ...          100 times as many invitations per round
--   psql ... -v extract_on=infinity -f ...  no extract date (see below)
--   psql ... -v due_in_sql=on -f ...        response_due_on computed here, not
--                                           by the table's trigger (faster)
--
-- What it does, for each round that has no invitation yet:
--
-- * Count: the round's invitations_published, and for a round without a
--   published figure a synthetic one, 300 to 1000, from a hash of round_id
--   (the news reports give rounds 12 and 13 together as 341; this file does
--   not try to match that).  Both multiplied by :scale (default 1), rounded up.
-- * invitation_id: numbered on from the largest id already in the table, round
--   by round in round_id order.  invited_on is the round's held_on;
--   response_due_on is left NULL, so the table's trigger fills it from the
--   round's response_days (60); with -v due_in_sql=on it is computed here,
--   the same way.
-- * Every random choice is a hash of the invitation id (hashint8extended with
--   one seed per choice): the same ids always get the same data, on any
--   machine and any PostgreSQL version (these hashes are stable: hash
--   partitioning depends on them).
--
-- The mix, roughly what things would look like in 2023:
--
--   3%  decline, on a day within the response window
--   5%  let the invitation expire (neither decline nor application)
--   92% apply, on a day within the window; of the applications:
--     4%  get a notice of intent to cancel, half on each ground
--         (cannot_support, did_not_support), 3 weeks to 6 months after the
--         application; then half are cancelled, 1 to 3 months after the
--         notice, 30% get another decision (60% selected, 25% rejected,
--         15% refused), 1 to 4 months after the notice, and 20% stay pending
--     the others are decided 1.5 to 15.5 months after the application:
--         3% rejected, 1.5% refused, 1% withdrawn, the rest selected
--
-- The data is an extract taken on :extract_on (default 2023-09-12, the date of
-- the seed's access decision): an event planned after that date is not in
-- it (the file stays in processing, the invitation awaiting response...).
-- Events between 2023-08-18 and the extract date are in the data, so that
-- classification as of 2023-08-18 has later events to ignore.  With
-- -v extract_on=infinity every planned event is kept (decisions run into 2024).
-- As of 2023-08-18 the 2021 rounds are nearly all decided, the 2023 rounds
-- mostly still in processing, and the last rounds awaiting response.
--
-- One set-based INSERT ... SELECT.  For scale (2.3 million rows with
-- -v scale=100) it took 45 s on a 2-CPU machine: 5 s to generate the rows,
-- 20 s in the trigger that fills response_due_on (-v due_in_sql=on saves
-- that), the rest in the foreign key check, the constraints and the indexes.

\if :{?scale}
\else
\set scale 1
\endif
\if :{?extract_on}
\else
\set extract_on 2023-09-12
\endif
\if :{?due_in_sql}
\else
\set due_in_sql off
\endif

INSERT INTO arrima_stats.invitation
  (invitation_id, round_id, invited_on, response_due_on, declined_on, application_on,
   notice_on, notice_ground, decided_on, decision)
WITH round_count AS (
  SELECT r.round_id, r.held_on, r.response_days,
         ceil(coalesce(r.invitations_published,
                       300 + abs(hashint4extended(r.round_id, 1) % 701))
              * (:'scale')::numeric)::bigint AS n
    FROM arrima_stats.invitation_round r
   WHERE NOT EXISTS (SELECT FROM arrima_stats.invitation i WHERE i.round_id = r.round_id)
), round_first AS (
  SELECT rc.*,
         (SELECT coalesce(max(invitation_id), 0) FROM arrima_stats.invitation)
         + coalesce(sum(rc.n) OVER (ORDER BY rc.round_id
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                    0)::bigint
           AS id_before
    FROM round_count rc
), invitation AS (
  SELECT rf.round_id, rf.held_on, rf.response_days, rf.id_before + k AS id
    FROM round_first rf
   CROSS JOIN LATERAL generate_series(1::bigint, rf.n) AS k
), draw AS (
  -- one uniform number in [0, 1) per choice
  SELECT i.*,
         (hashint8extended(i.id, 11) & 1048575) / 1048576.0::float8 AS u_response,
         (hashint8extended(i.id, 12) & 1048575) / 1048576.0::float8 AS u_response_day,
         (hashint8extended(i.id, 13) & 1048575) / 1048576.0::float8 AS u_notice,
         (hashint8extended(i.id, 14) & 1048575) / 1048576.0::float8 AS u_ground,
         (hashint8extended(i.id, 15) & 1048575) / 1048576.0::float8 AS u_notice_day,
         (hashint8extended(i.id, 16) & 1048575) / 1048576.0::float8 AS u_after_notice,
         (hashint8extended(i.id, 17) & 1048575) / 1048576.0::float8 AS u_decision,
         (hashint8extended(i.id, 18) & 1048575) / 1048576.0::float8 AS u_decision_day
    FROM invitation i
), response AS (
  -- the day of the decline or the application: 1 to response_days - 1 days
  -- after the invitation, so always within the window
  SELECT d.*,
         d.held_on + 1 + floor(d.u_response_day * greatest(d.response_days - 1, 0))::integer
           AS response_on,
         CASE WHEN d.u_response < 0.03 THEN 'declined'
              WHEN d.u_response < 0.08 THEN 'expired'
              ELSE 'applied' END AS response
    FROM draw d
), plan AS (
  -- every event as planned, with no regard to the extract date
  SELECT r.id, r.round_id, r.held_on, r.response_days,
         CASE WHEN r.response = 'declined' THEN r.response_on END AS declined_on,
         CASE WHEN r.response = 'applied' THEN r.response_on END AS application_on,
         n.notice_on, n.notice_ground, dd.decided_on, dd.decision
    FROM response r
   LEFT JOIN LATERAL (
     SELECT r.response_on + 21 + floor(r.u_notice_day * 160)::integer AS notice_on,
            CASE WHEN r.u_ground < 0.5 THEN 'cannot_support'
                 ELSE 'did_not_support' END::arrima_stats.notice_ground AS notice_ground
      WHERE r.response = 'applied' AND r.u_notice < 0.04
   ) n ON true
   LEFT JOIN LATERAL (
     SELECT CASE
              -- no notice
              WHEN n.notice_on IS NULL
                THEN r.response_on + 45 + floor(r.u_decision_day * 420)::integer
              -- a notice: cancelled, or another decision, later
              WHEN r.u_after_notice < 0.5
                THEN n.notice_on + 30 + floor(r.u_decision_day * 60)::integer
              ELSE n.notice_on + 30 + floor(r.u_decision_day * 90)::integer
            END AS decided_on,
            CASE
              WHEN n.notice_on IS NULL THEN
                CASE WHEN r.u_decision < 0.030 THEN 'rejected'
                     WHEN r.u_decision < 0.045 THEN 'refused'
                     WHEN r.u_decision < 0.055 THEN 'withdrawn'
                     ELSE 'selected' END
              WHEN r.u_after_notice < 0.5 THEN 'cancelled'
              WHEN r.u_decision < 0.60 THEN 'selected'
              WHEN r.u_decision < 0.85 THEN 'rejected'
              ELSE 'refused'
            END::arrima_stats.decision AS decision
      WHERE r.response = 'applied'
        AND (n.notice_on IS NULL OR r.u_after_notice < 0.8)   -- 20% of notices: pending
   ) dd ON true
)
-- the extract: what happened on or before :extract_on.  The events of a file
-- come in date order (application, notice, decision), so dropping the later
-- ones keeps every rule of the table.
SELECT p.id, p.round_id, p.held_on,
       CASE WHEN (:'due_in_sql')::boolean THEN p.held_on + p.response_days END,
       CASE WHEN p.declined_on <= x.on_ THEN p.declined_on END,
       CASE WHEN p.application_on <= x.on_ THEN p.application_on END,
       CASE WHEN p.notice_on <= x.on_ THEN p.notice_on END,
       CASE WHEN p.notice_on <= x.on_ THEN p.notice_ground END,
       CASE WHEN p.decided_on <= x.on_ THEN p.decided_on END,
       CASE WHEN p.decided_on <= x.on_ THEN p.decision END
  FROM plan p
 CROSS JOIN (SELECT (:'extract_on')::date AS on_) x;

ANALYZE arrima_stats.invitation;
