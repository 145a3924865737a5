--
-- round_dashboard, annual_summary and category_summary on a small data set
-- whose every number is worked out by hand below, as of 2023-08-18.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

INSERT INTO invitation_round (round_id, category, held_on, invitations_published) VALUES
  (1, 'OPMO',               '2021-09-30', 10),
  (2, 'CLASSEMENT_GENERAL', '2022-01-27', NULL),
  (3, 'OPMO',               '2022-03-10', 3),
  (4, 'PAMO_TI',            '2023-08-07', 5),     -- no invitation loaded: a row of zeros
  (5, 'OPMO',               '2023-09-01', 7),     -- held after as_of: not shown
  (6, 'CLASSEMENT_GENERAL', '2023-07-17', NULL);

INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision) VALUES
  -- round 1, 2021-09-30, response due 2021-11-29
  (101, 1, '2021-09-30', '2021-10-05', NULL, NULL, NULL, NULL, NULL),                 -- declined
  (102, 1, '2021-09-30', NULL, NULL, NULL, NULL, NULL, NULL),                         -- expired
  (103, 1, '2021-09-30', NULL, '2021-10-10', NULL, NULL, '2022-01-15', 'rejected'),
  (104, 1, '2021-09-30', NULL, '2021-10-10', NULL, NULL, '2022-02-01', 'refused'),
  (105, 1, '2021-09-30', NULL, '2021-10-10', '2021-12-01', 'cannot_support', '2022-03-01', 'cancelled'),
  (106, 1, '2021-09-30', NULL, '2021-10-10', '2021-12-01', 'did_not_support', '2022-03-01', 'selected'),
  (107, 1, '2021-09-30', NULL, '2021-10-10', NULL, NULL, '2022-01-10', 'withdrawn'),
  (108, 1, '2021-09-30', NULL, '2021-10-10', NULL, NULL, '2022-01-10', 'selected'),
  -- round 2, 2022-01-27, response due 2022-03-28
  (201, 2, '2022-01-27', NULL, '2022-02-10', '2023-08-18', 'cannot_support', NULL, NULL), -- notice on as_of: pending
  (202, 2, '2022-01-27', NULL, '2022-02-10', '2023-08-19', 'did_not_support', NULL, NULL), -- notice after: in processing
  (203, 2, '2022-01-27', NULL, '2022-02-10', NULL, NULL, '2023-08-19', 'selected'),     -- decided after: in processing
  (204, 2, '2022-01-27', '2022-03-28', NULL, NULL, NULL, NULL, NULL),                  -- declined on the last day
  (205, 2, '2022-01-27', NULL, '2022-03-01', NULL, NULL, '2022-06-01', 'refused'),
  -- round 3, 2022-03-10, response due 2022-05-09
  (301, 3, '2022-03-10', NULL, '2022-04-01', '2022-05-01', 'did_not_support', '2022-06-01', 'rejected'),
  (302, 3, '2022-03-10', NULL, NULL, NULL, NULL, NULL, NULL),                          -- expired
  -- round 5, after as_of
  (501, 5, '2023-09-01', NULL, NULL, NULL, NULL, NULL, NULL),
  -- round 6, 2023-07-17, response due 2023-09-15
  (601, 6, '2023-07-17', NULL, NULL, NULL, NULL, NULL, NULL),                          -- awaiting
  (602, 6, '2023-07-17', NULL, '2023-08-01', NULL, NULL, NULL, NULL),                  -- in processing
  (603, 6, '2023-07-17', '2023-08-20', NULL, NULL, NULL, NULL, NULL);                  -- declines later: awaiting

-- By round (held on or before 2023-08-18, in date order):
--   1: 8 invitations = declined 1 + expired 1 + rejected 1 + refused 1 + cancelled 1
--      + withdrawn 1 + selected 2 (106, 108); notices: cannot_support 1 (105),
--      did_not_support 1 (106, though selected).
--   2: 5 = declined 1 (204) + refused 1 (205) + cancellation_pending 1 (201)
--      + in_processing 2 (202, 203); notices: cannot_support 1 (201); 202's is later.
--   3: 2 = expired 1 (302) + rejected 1 (301); notices: did_not_support 1 (301).
--   6: 3 = awaiting_response 2 (601, 603) + in_processing 1 (602).
--   4: 0, published 5.
--   total: 18 = declined 2 + expired 2 + rejected 2 + refused 2 + awaiting 2
--      + in_processing 3 + pending 1 + cancelled 1 + withdrawn 1 + selected 2;
--      notices 2 + 2; published NULL (rounds 2 and 6 have none).
SELECT * FROM round_dashboard('2023-08-18');

-- By year of invitation:
--   2021 = round 1.
--   2022 = rounds 2 + 3: 7 = rejected 1 + refused 1 + declined 1 + expired 1
--      + in_processing 2 + pending 1; notices 2 (201, 301).
--   2023 = round 6: 3 = awaiting 2 + in_processing 1.  Invitation 501 (2023-09-01) is not yet.
SELECT * FROM annual_summary('2023-08-18');

-- By year and category:
--   (2021, OPMO) = round 1; (2022, CLASSEMENT_GENERAL) = round 2; (2022, OPMO) = round 3;
--   (2023, CLASSEMENT_GENERAL) = round 6.  Year subtotals = the annual table.
--   CLASSEMENT_GENERAL = rounds 2 + 6: 8 = refused 1 + declined 1 + awaiting 2
--      + in_processing 3 + pending 1; notices cannot_support 1.
--   OPMO = rounds 1 + 3: 10 = rejected 2 + refused 1 + declined 1 + expired 2
--      + cancelled 1 + withdrawn 1 + selected 2; notices 1 + 2.
--   PAMO_TI has no invitation, so no row.  Grand total = the dashboard's total.
SELECT * FROM category_summary('2023-08-18');

-- The parts add up to the totals, whatever the date.
CREATE TEMP TABLE as_of_dates AS
  SELECT d::date AS as_of FROM generate_series('2021-09-01'::date, '2023-10-01', '1 month') d;
SELECT count(*) AS dates_checked,
       -- dashboard total row = sum of the round rows
       count(*) FILTER (WHERE (SELECT row(coalesce(sum(invitations), 0)::bigint, coalesce(sum(declined), 0)::bigint, coalesce(sum(expired), 0)::bigint, coalesce(sum(rejected), 0)::bigint,
                                          coalesce(sum(refused), 0)::bigint, coalesce(sum(notices_cannot_support), 0)::bigint,
                                          coalesce(sum(notices_did_not_support), 0)::bigint, coalesce(sum(awaiting_response), 0)::bigint,
                                          coalesce(sum(in_processing), 0)::bigint, coalesce(sum(cancellation_pending), 0)::bigint,
                                          coalesce(sum(cancelled), 0)::bigint, coalesce(sum(withdrawn), 0)::bigint, coalesce(sum(selected), 0)::bigint)
                                 FROM round_dashboard(a.as_of) WHERE NOT is_total)
                             = (SELECT row(invitations, declined, expired, rejected, refused,
                                           notices_cannot_support, notices_did_not_support,
                                           awaiting_response, in_processing, cancellation_pending,
                                           cancelled, withdrawn, selected)::record
                                  FROM round_dashboard(a.as_of) WHERE is_total)) AS total_is_sum_of_rounds,
       -- in every row, the invitations are the sum of the ten outcomes
       count(*) FILTER (WHERE NOT EXISTS (
         SELECT FROM round_dashboard(a.as_of)
          WHERE invitations <> declined + expired + rejected + refused + awaiting_response
                               + in_processing + cancellation_pending + cancelled + withdrawn + selected))
         AS rows_are_sums_of_outcomes,
       -- the year subtotals of category_summary are the annual table
       count(*) FILTER (WHERE NOT EXISTS (
         (SELECT year, invitations, rejected, refused, notices, declined, expired, awaiting_response,
                 in_processing, cancellation_pending, cancelled, withdrawn, selected
            FROM category_summary(a.as_of) WHERE category IS NULL AND year IS NOT NULL
          EXCEPT ALL SELECT * FROM annual_summary(a.as_of))
         UNION ALL
         (SELECT * FROM annual_summary(a.as_of)
          EXCEPT ALL SELECT year, invitations, rejected, refused, notices, declined, expired,
                            awaiting_response, in_processing, cancellation_pending, cancelled,
                            withdrawn, selected
            FROM category_summary(a.as_of) WHERE category IS NULL AND year IS NOT NULL)))
         AS year_subtotals_are_annual,
       -- the grand total of category_summary is the dashboard's total
       count(*) FILTER (WHERE (SELECT invitations FROM category_summary(a.as_of)
                                WHERE year IS NULL AND category IS NULL)
                            = (SELECT invitations FROM round_dashboard(a.as_of) WHERE is_total))
         AS grand_total_is_dashboard_total
  FROM as_of_dates a;

-- Edges of as_of: before the first round only the total row, of zeros; on
-- the first round's day all its invitations await a response.
SELECT round_id, invitations, awaiting_response, is_total FROM round_dashboard('2021-09-29');
SELECT round_id, invitations, awaiting_response, is_total FROM round_dashboard('2021-09-30');
SELECT year, category, invitations FROM category_summary('2021-09-29');
SELECT count(*) AS years FROM annual_summary('2021-09-29');
-- a NULL as_of gives no rows
SELECT count(*) FROM round_dashboard(NULL);
SELECT count(*) FROM annual_summary(NULL);
SELECT count(*) FROM category_summary(NULL);

-- The views are the functions as of today (round 5 is long held by now).
SELECT (SELECT count(*) FROM round_dashboard) AS view_rows,
       (SELECT count(*) FROM (SELECT * FROM round_dashboard
                              EXCEPT SELECT * FROM round_dashboard(CURRENT_DATE)) d) AS view_differs,
       (SELECT count(*) FROM (SELECT * FROM annual_summary
                              EXCEPT SELECT * FROM annual_summary(CURRENT_DATE)) d) AS annual_differs,
       (SELECT count(*) FROM (SELECT * FROM category_summary
                              EXCEPT SELECT * FROM category_summary(CURRENT_DATE)) d) AS category_differs;

TRUNCATE invitation, invitation_round;
