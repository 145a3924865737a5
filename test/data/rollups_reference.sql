-- test/data/rollups_reference.sql: the roll-ups worked out in plain SQL, as
-- a reference to hold round_dashboard, annual_summary and category_summary
-- to.  Each invitation is classified by the contract's rules written as a
-- CASE (the one sql/classify.sql holds classify() to) and counted with
-- count(*) FILTER; nothing of the extension is used but its tables.
--
-- Needs a table as_of_dates (as_of date) of the dates to compare at, and the
-- data in arrima_stats.invitation_round and arrima_stats.invitation.
-- Creates temporary tables (a snapshot of the data when it runs):
--
--   classified      (as_of, invitation_id, round_id, category, year, outcome, notice)
--   ref_rounds      one row per (as_of, round held by then): the dashboard's columns
--   ref_dashboard   what round_dashboard(as_of) must give, with as_of
--   ref_category    what category_summary(as_of) must give, with as_of (its
--                   rows with category NULL and year not NULL: annual_summary);
--                   a date before any invitation has a grand total of zeros
--
-- and a temporary view rollups_vs_reference: per as_of, the rows of each
-- roll-up that are not in the reference (EXCEPT ALL) and the difference in
-- row counts, all zero when the roll-ups are right.  The roll-ups run when
-- the view is read, with the settings of the moment.
--
-- Used by sql/small_work_mem.sql (\i) and test/cases/fuzz_reference.py.
CREATE TEMP TABLE classified AS
SELECT a.as_of, i.invitation_id, i.round_id, r.category, extract(year FROM i.invited_on)::int AS year,
       CASE WHEN i.declined_on <= a.as_of THEN 'declined'
            WHEN i.application_on IS NULL OR i.application_on > a.as_of THEN
              CASE WHEN i.response_due_on < a.as_of THEN 'expired' ELSE 'awaiting_response' END
            WHEN i.decided_on <= a.as_of THEN i.decision::text
            WHEN i.notice_on <= a.as_of THEN 'cancellation_pending'
            ELSE 'in_processing' END AS outcome,
       CASE WHEN i.notice_on <= a.as_of THEN i.notice_ground::text END AS notice
  FROM as_of_dates a
  JOIN arrima_stats.invitation i ON i.invited_on <= a.as_of
  JOIN arrima_stats.invitation_round r ON r.round_id = i.round_id;

CREATE TEMP TABLE ref_rounds AS
SELECT a.as_of, r.round_id, r.category, r.held_on,
       count(c.*) AS invitations,
       count(*) FILTER (WHERE c.outcome = 'declined') AS declined,
       count(*) FILTER (WHERE c.outcome = 'expired') AS expired,
       count(*) FILTER (WHERE c.outcome = 'rejected') AS rejected,
       count(*) FILTER (WHERE c.outcome = 'refused') AS refused,
       count(*) FILTER (WHERE c.notice = 'cannot_support') AS notices_cannot_support,
       count(*) FILTER (WHERE c.notice = 'did_not_support') AS notices_did_not_support,
       count(*) FILTER (WHERE c.outcome = 'awaiting_response') AS awaiting_response,
       count(*) FILTER (WHERE c.outcome = 'in_processing') AS in_processing,
       count(*) FILTER (WHERE c.outcome = 'cancellation_pending') AS cancellation_pending,
       count(*) FILTER (WHERE c.outcome = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE c.outcome = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE c.outcome = 'selected') AS selected,
       r.invitations_published
  FROM as_of_dates a
  JOIN arrima_stats.invitation_round r ON r.held_on <= a.as_of
  LEFT JOIN classified c ON c.as_of = a.as_of AND c.round_id = r.round_id
 GROUP BY a.as_of, r.round_id;

-- every date gets a total row, of zeros when no round is held by then
CREATE TEMP TABLE ref_dashboard AS
SELECT as_of, round_id, category, held_on, invitations, declined, expired, rejected, refused,
       notices_cannot_support, notices_did_not_support, awaiting_response, in_processing,
       cancellation_pending, cancelled, withdrawn, selected, invitations_published, false AS is_total
  FROM ref_rounds
UNION ALL
SELECT a.as_of, NULL, NULL, NULL, coalesce(sum(invitations), 0), coalesce(sum(declined), 0),
       coalesce(sum(expired), 0), coalesce(sum(rejected), 0), coalesce(sum(refused), 0),
       coalesce(sum(notices_cannot_support), 0), coalesce(sum(notices_did_not_support), 0),
       coalesce(sum(awaiting_response), 0), coalesce(sum(in_processing), 0),
       coalesce(sum(cancellation_pending), 0), coalesce(sum(cancelled), 0),
       coalesce(sum(withdrawn), 0), coalesce(sum(selected), 0),
       CASE WHEN count(*) = count(invitations_published) THEN sum(invitations_published) END, true
  FROM as_of_dates a LEFT JOIN ref_rounds r ON r.as_of = a.as_of
 GROUP BY a.as_of;

CREATE TEMP TABLE ref_category AS
SELECT as_of, year, category, count(*) AS invitations,
       count(*) FILTER (WHERE outcome = 'rejected') AS rejected,
       count(*) FILTER (WHERE outcome = 'refused') AS refused,
       count(notice) AS notices,
       count(*) FILTER (WHERE outcome = 'declined') AS declined,
       count(*) FILTER (WHERE outcome = 'expired') AS expired,
       count(*) FILTER (WHERE outcome = 'awaiting_response') AS awaiting_response,
       count(*) FILTER (WHERE outcome = 'in_processing') AS in_processing,
       count(*) FILTER (WHERE outcome = 'cancellation_pending') AS cancellation_pending,
       count(*) FILTER (WHERE outcome = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE outcome = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE outcome = 'selected') AS selected,
       count(*) FILTER (WHERE notice = 'cannot_support') AS notices_cannot_support,
       count(*) FILTER (WHERE notice = 'did_not_support') AS notices_did_not_support
  FROM classified
 GROUP BY as_of, GROUPING SETS ((year, category), (year), (category), ())
-- a date before any invitation still has its grand total, of zeros
UNION ALL
SELECT a.as_of, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  FROM as_of_dates a
 WHERE NOT EXISTS (SELECT FROM classified c WHERE c.as_of = a.as_of);

CREATE TEMP VIEW rollups_vs_reference AS
SELECT a.as_of,
       (SELECT count(*) FROM (SELECT * FROM arrima_stats.round_dashboard(a.as_of)
                              EXCEPT ALL SELECT round_id, category, held_on, invitations, declined,
                                                expired, rejected, refused, notices_cannot_support,
                                                notices_did_not_support, awaiting_response,
                                                in_processing, cancellation_pending, cancelled,
                                                withdrawn, selected, invitations_published, is_total
                                           FROM ref_dashboard r WHERE r.as_of = a.as_of) x) AS dashboard_extra,
       (SELECT count(*) FROM arrima_stats.round_dashboard(a.as_of))
       - (SELECT count(*) FROM ref_dashboard r WHERE r.as_of = a.as_of) AS dashboard_rows_diff,
       (SELECT count(*) FROM (SELECT * FROM arrima_stats.category_summary(a.as_of)
                              EXCEPT ALL SELECT year, category, invitations, rejected, refused, notices,
                                                declined, expired, awaiting_response, in_processing,
                                                cancellation_pending, cancelled, withdrawn, selected,
                                                notices_cannot_support, notices_did_not_support
                                           FROM ref_category r WHERE r.as_of = a.as_of) x) AS category_extra,
       (SELECT count(*) FROM arrima_stats.category_summary(a.as_of))
       - (SELECT count(*) FROM ref_category r WHERE r.as_of = a.as_of) AS category_rows_diff,
       (SELECT count(*) FROM (SELECT * FROM arrima_stats.annual_summary(a.as_of)
                              EXCEPT ALL SELECT year, invitations, rejected, refused, notices, declined,
                                                expired, awaiting_response, in_processing,
                                                cancellation_pending, cancelled, withdrawn, selected
                                           FROM ref_category r
                                          WHERE r.as_of = a.as_of AND r.category IS NULL
                                            AND r.year IS NOT NULL) x) AS annual_extra,
       (SELECT count(*) FROM arrima_stats.annual_summary(a.as_of))
       - (SELECT count(*) FROM ref_category r
           WHERE r.as_of = a.as_of AND r.category IS NULL AND r.year IS NOT NULL) AS annual_rows_diff
  FROM as_of_dates a;
