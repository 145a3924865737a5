-- test/data/load_rounds.sql: the seed's invitation rounds (test/data/rounds.csv)
-- into arrima_stats.invitation_round.  Run from the project's root, in a
-- database with the extension:
--
--   psql ... -f test/data/load_rounds.sql               the 40 rounds
--   psql ... -v copies=4 -f test/data/load_rounds.sql   4 copies of them:
--                  round_id + 1000 x copy, same dates and categories
\if :{?copies}
\else
\set copies 1
\endif
CREATE TEMP TABLE seed (round_id integer, category text, held_on date,
                        invitations_published integer, source_note text);
\copy seed FROM 'test/data/rounds.csv' (FORMAT csv, HEADER)
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on, invitations_published)
SELECT s.round_id + 1000 * c, s.category, s.held_on, s.invitations_published
  FROM seed s, generate_series(0, :copies - 1) c
 ORDER BY c, s.round_id;
DROP TABLE seed;
