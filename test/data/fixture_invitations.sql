-- test/data/fixture_invitations.sql: invitations for the tests, cycling
-- through twenty kinds of history, into the rounds already in
-- arrima_stats.invitation_round.  Run from the project's root, in a database
-- with the extension, after inserting the rounds:
--
--   \i test/data/fixture_invitations.sql                   38,000 invitations
--   psql ... -v invitations=1000 -f test/data/fixture_invitations.sql    950
--
-- (g runs to :invitations, default 40,000, and one g in 20 makes none.)
--
-- Invitation g (g = 1, 2, ...; its invitation_id) goes to a round in blocks
-- of 20: invitations 1-20 to the first round (in round_id order), 21-40 to
-- the second ..., back to the first after the last round; it is invited on
-- its round's held_on, response due 60 days later (the rounds' default), and
-- its kind k = g % 20 decides its history (dates counted from held_on):
--
--   k = 0        declined on day 5
--   k = 1        no answer (expired after day 60)
--   k = 2, 3     applied on day 10 + k, no decision
--   k = 4, 5     applied, notice on day 40 + k (cannot_support, did_not_support), pending
--   k = 6, 7     applied, notice (cannot_support, did_not_support), cancelled on day 100 + 10 k
--   k = 8        none: a cancelled file needs a notice (so 19 invitations per block of 20)
--   k = 9-11     applied, rejected on day 100 + 10 k
--   k = 12, 13   applied, refused on day 100 + 10 k
--   k = 14       applied, withdrawn on day 240
--   k = 15-19    applied, selected on day 100 + 10 k
--
-- Used by sql/parallel.sql and sql/small_work_mem.sql (and any test that
-- needs many invitations of every kind without caring which).
\if :{?invitations}
\else
\set invitations 40000
\endif
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                                     notice_on, notice_ground, decided_on, decision)
SELECT g, r.round_id, r.held_on,
       CASE WHEN k = 0 THEN r.held_on + 5 END,
       CASE WHEN k >= 2 THEN r.held_on + 10 + k END,
       CASE WHEN k IN (4, 5, 6, 7) THEN r.held_on + 40 + k END,
       CASE WHEN k IN (4, 6) THEN 'cannot_support'::arrima_stats.notice_ground
            WHEN k IN (5, 7) THEN 'did_not_support' END,
       CASE WHEN k >= 6 THEN r.held_on + 100 + 10 * k END,
       (CASE WHEN k IN (6, 7) THEN 'cancelled'
             WHEN k IN (9, 10, 11) THEN 'rejected'
             WHEN k IN (12, 13) THEN 'refused'
             WHEN k = 14 THEN 'withdrawn'
             WHEN k >= 15 THEN 'selected' END)::arrima_stats.decision
  FROM generate_series(1, :invitations) g
 CROSS JOIN LATERAL (SELECT g % 20 AS k) kk
  JOIN (SELECT round_id, held_on, row_number() OVER (ORDER BY round_id) - 1 AS n
          FROM arrima_stats.invitation_round) r
    ON r.n = ((g - 1) / 20) % (SELECT count(*) FROM arrima_stats.invitation_round)
 WHERE k <> 8;
ANALYZE arrima_stats.invitation_round, arrima_stats.invitation;
