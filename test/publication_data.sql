-- Synthetic invitations for trying disclosure control on realistic shapes
-- (NOT real data: the ministry never published per-round outcomes).
--
--   psql -v copies=N -v seed=0.42 -f test/publication_data.sql
--
-- Loads the seed's 40 rounds (test/data/rounds.csv, read from the current
-- directory) N times (round_id + 1000 * copy), each with the ministry's
-- published number of invitations or else 300 to 1300, and outcomes drawn
-- so that small counts occur: 5% declined, 8% expired, then of the
-- applications about 1% rejected, 0.5% refused, 0.5% cancelled, 2%
-- withdrawn, the rest selected, decided 100 to 500 days after the round
-- (so recent rounds are still in processing), and 2% of the applications
-- given a notice of intent to cancel.
\set ON_ERROR_STOP on
SELECT setseed(:seed);
CREATE TEMP TABLE seed_round (round_id integer, category text, held_on date,
                              invitations_published integer, source_note text);
\copy seed_round FROM 'test/data/rounds.csv' WITH (FORMAT csv, HEADER)
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, invitations_published)
SELECT s.round_id + 1000 * c, s.category, s.held_on, s.invitations_published
  FROM seed_round s, generate_series(0, :copies - 1) c;
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, declined_on,
                                     application_on, notice_on, notice_ground, decided_on, decision)
SELECT r.round_id::bigint * 100000 + k, r.round_id, r.held_on,
       CASE WHEN u < 0.05 THEN r.held_on + 10 END,
       CASE WHEN u >= 0.13 THEN r.held_on + 20 END,
       CASE WHEN u >= 0.13 AND (decision = 'cancelled' OR w < 0.02) THEN r.held_on + 50 END,
       CASE WHEN u >= 0.13 AND (decision = 'cancelled' OR w < 0.02)
            THEN (CASE WHEN w < 0.5 THEN 'cannot_support' ELSE 'did_not_support' END)::arrima_stats.notice_ground END,
       CASE WHEN u >= 0.13 THEN r.held_on + 100 + (v * 400)::integer END,
       decision::arrima_stats.decision
  FROM arrima_stats.invitation_round r
 CROSS JOIN LATERAL generate_series(1, coalesce(r.invitations_published,
                                                300 + (random() * 1000)::integer)) k
 CROSS JOIN LATERAL (SELECT random() + 0 * k AS u, random() + 0 * k AS v, random() + 0 * k AS w) x
 CROSS JOIN LATERAL (SELECT CASE WHEN u < 0.13 THEN NULL
                                 WHEN u < 0.14 THEN 'rejected'
                                 WHEN u < 0.145 THEN 'refused'
                                 WHEN u < 0.15 THEN 'cancelled'
                                 WHEN u < 0.17 THEN 'withdrawn'
                                 ELSE 'selected' END AS decision) d;
