-- bench_data.sql: synthetic invitations for test/bench.sh (invented, not real data).
--
-- psql variable n: how many invitations.  With the seed's 40 rounds loaded
-- (test/data/rounds.csv), adds n invitations over them, each round's share
-- in proportion to the invitations it published (500 where unknown), ids and
-- rows in round order as an export would give them.
-- Histories come from setseed(), so a given n always gives the same table:
--   8 % decline within the 60-day window, 12 % never answer, 80 % apply;
--   of applications, 10 % get a notice of intent to cancel 30 to 400 days
--   later (half on each ground); 85 % have a final decision: after a notice
--   400 to 700 days after the application, cancelled 60 %, selected 20 %,
--   rejected 10 %, withdrawn 10 %; without one 60 to 360 days after it,
--   selected 75 %, withdrawn 10 %, refused 8 %, rejected 7 %.
-- Events run into 2025, so that an as_of in 2023 sees some of them as not
-- yet happened, rounds with open windows, and files still in processing.

SELECT setseed(0.2023);

INSERT INTO arrima_stats.invitation
  (invitation_id, round_id, invited_on, response_due_on, declined_on, application_on,
   notice_on, notice_ground, decided_on, decision)
WITH weight AS (
  SELECT round_id, held_on, held_on + response_days AS due,
         coalesce(invitations_published, 500) AS share,
         sum(coalesce(invitations_published, 500)) OVER (ORDER BY round_id) AS upto,
         sum(coalesce(invitations_published, 500)) OVER () AS total
    FROM arrima_stats.invitation_round
), draw AS (                   -- round r gets ids (lo, hi]
  SELECT g AS invitation_id, w.round_id, w.held_on, w.due,
         random() AS fate, random() AS day, random() AS notice, random() AS ground,
         random() AS verdict, random() AS delay
    FROM weight w,
         generate_series(:n::bigint * (w.upto - w.share) / w.total + 1,
                         :n::bigint * w.upto / w.total) g
), life AS (
  SELECT d.*,
         CASE WHEN fate >= 0.20 THEN held_on + 1 + (day * 59)::int END AS applied,
         fate >= 0.20 AND notice < 0.10 AS noticed,
         fate >= 0.20 AND verdict < 0.85 AS decided
    FROM draw d
)
SELECT invitation_id, round_id, held_on, due,
       CASE WHEN fate < 0.08 THEN held_on + (day * 60)::int END,
       applied,
       CASE WHEN noticed THEN applied + 30 + (notice * 3700)::int END,
       CASE WHEN noticed AND ground < 0.5 THEN 'cannot_support'::arrima_stats.notice_ground
            WHEN noticed THEN 'did_not_support' END,
       CASE WHEN decided AND noticed THEN applied + 400 + (delay * 300)::int
            WHEN decided THEN applied + 60 + (delay * 300)::int END,
       CASE WHEN NOT decided THEN NULL
            WHEN noticed THEN                     -- verdict / 0.85 is uniform on [0, 1)
              (CASE WHEN verdict < 0.85 * 0.60 THEN 'cancelled'
                    WHEN verdict < 0.85 * 0.80 THEN 'selected'
                    WHEN verdict < 0.85 * 0.90 THEN 'rejected'
                    ELSE 'withdrawn' END)::arrima_stats.decision
            ELSE (CASE WHEN verdict < 0.85 * 0.75 THEN 'selected'
                       WHEN verdict < 0.85 * 0.85 THEN 'withdrawn'
                       WHEN verdict < 0.85 * 0.93 THEN 'refused'
                       ELSE 'rejected' END)::arrima_stats.decision
       END
  FROM life;
