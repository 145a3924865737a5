--
-- Disclosure control: the policy, withholding worked out by hand on small
-- tables, the audit (and that it can fail), rounding, and the published
-- views.  Every publication here is as of 2023-08-18.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

-- Each publication here is a first release (the releases test has
-- series): first_release() forgets the releases made before, then makes
-- one.  (Releases are kept for ever; a superuser can go around the triggers
-- that keep them, as here.)
CREATE FUNCTION pg_temp.forget_releases() RETURNS void
LANGUAGE sql AS $$
  SELECT pg_catalog.set_config('session_replication_role', 'replica', true);
  TRUNCATE arrima_stats.release, arrima_stats.release_group, arrima_stats.release_cell;
  SELECT pg_catalog.set_config('session_replication_role', 'origin', true);
  SELECT pg_catalog.setval('arrima_stats.release_id_seq', 1, false);
$$;
CREATE FUNCTION pg_temp.first_release(as_of date) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_temp.forget_releases();
  SELECT arrima_stats.refresh_publications(as_of);
$$;

-- The audit of the publication as the working tables hold it, once edited
-- by hand below to publish more than refresh_publications() did (the
-- audit of the one release there is, disclosure_audit(), reads the kept
-- releases, which no one edits): pg_temp.audit_as_edited(), from
-- test/data/audit_as_edited.sql.
\set schema pg_temp
\set ECHO none
\i test/data/audit_as_edited.sql
\set ECHO all

-- What the three published views show, compactly: one line per row, the
-- counts that are not zero, '·' for a withheld one (zeros are published).
CREATE TEMP VIEW shown AS
  SELECT c.publication, c.row_key,
         string_agg(c.measure || ' ' || CASE WHEN c.withheld THEN '·' ELSE c.value::text END, ', '
                    ORDER BY c.measure) FILTER (WHERE c.value <> 0 OR c.withheld) AS counts
    FROM publication_cell c
   GROUP BY c.publication, c.row_key
   ORDER BY c.publication, c.row_key;

------------------------------------------------------------------------
-- The policy: one row, defaults 5 and 1, changed by UPDATE only.
------------------------------------------------------------------------
SELECT min_count, round_to, changed_at IS NULL AS never_changed FROM disclosure_policy;
INSERT INTO disclosure_policy (min_count, round_to) VALUES (3, 1);
DELETE FROM disclosure_policy;
UPDATE disclosure_policy SET min_count = 0;
UPDATE disclosure_policy SET round_to = 0;
UPDATE disclosure_policy SET min_count = -5;
UPDATE disclosure_policy SET min_count = NULL;
UPDATE disclosure_policy SET min_count = 10, round_to = 5;
SELECT min_count, round_to, changed_at IS NOT NULL AS changed FROM disclosure_policy;
SELECT count(*) AS setting_rows FROM disclosure_policy_setting;
UPDATE disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT;
SELECT min_count, round_to FROM disclosure_policy;
-- the stored row cannot be doubled either
INSERT INTO disclosure_policy_setting (min_count, round_to) VALUES (5, 1);
INSERT INTO disclosure_policy_setting VALUES (false, 5, 1, '2023-01-01 00:00+00');

-- Rounding to the nearest multiple, halfway up.
SELECT n, round_count(n, 1) AS "1", round_count(n, 2) AS "2", round_count(n, 5) AS "5",
       round_count(n, 10) AS "10"
  FROM unnest('{0,1,2,3,4,5,7,8,12,13,15,25}'::bigint[]) n;

-- The published views are empty until the first refresh.
SELECT relname, relispopulated FROM pg_class
 WHERE oid IN ('round_dashboard_published'::regclass, 'annual_summary_published'::regclass,
               'category_summary_published'::regclass)
 ORDER BY relname;
SELECT count(*) FROM round_dashboard_published;
SELECT refresh_publications(NULL);

------------------------------------------------------------------------
-- A. A round of one invitation (awaiting a response), min_count 5.
-- Every table shows one row of it (dashboard round and total, the year,
-- the (year, category) cell and both subtotals): one quantity each.
-- invitations = 1 and awaiting_response = 1 are withheld; every other
-- count is zero and published.  The reader knows invitations =
-- awaiting_response, and nothing else: both have no upper bound, safe.
-- The ministry published 1 for the round: not shown beside a withheld count.
------------------------------------------------------------------------
INSERT INTO invitation_round (round_id, category, held_on, invitations_published)
VALUES (1, 'OPMO', '2023-08-01', 1);
INSERT INTO invitation (invitation_id, round_id, invited_on) VALUES (101, 1, '2023-08-01');
SELECT pg_temp.first_release('2023-08-18');
SELECT * FROM shown;
SELECT round_id, invitations, awaiting_response, declined, invitations_published, is_total
  FROM round_dashboard_published ORDER BY is_total, round_id;
SELECT year, invitations, awaiting_response, declined FROM annual_summary_published;
SELECT year, category, invitations, awaiting_response, declined FROM category_summary_published
 ORDER BY year NULLS LAST, category NULLS LAST;
SELECT publication, row_key, measure, value, status, lower, upper, safe FROM disclosure_audit();
TRUNCATE invitation, invitation_round;

------------------------------------------------------------------------
-- B. A round where every count is small: 4 invitations = declined 1 +
-- expired 1 + selected 2, one notice (did_not_support) on a selected file.
-- Every non-zero count is primary; withheld, nothing bounds them.
------------------------------------------------------------------------
INSERT INTO invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2021-09-30');
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision) VALUES
  (101, 1, '2021-09-30', '2021-10-05', NULL, NULL, NULL, NULL, NULL),
  (102, 1, '2021-09-30', NULL, NULL, NULL, NULL, NULL, NULL),
  (103, 1, '2021-09-30', NULL, '2021-10-10', '2021-12-01', 'did_not_support', '2022-03-01', 'selected'),
  (104, 1, '2021-09-30', NULL, '2021-10-10', NULL, NULL, '2022-01-10', 'selected');
SELECT pg_temp.first_release('2023-08-18');
SELECT * FROM shown;
SELECT count(*) AS withheld, count(*) FILTER (WHERE safe AND upper IS NULL) AS unbounded_and_safe
  FROM disclosure_audit();
TRUNCATE invitation, invitation_round;

------------------------------------------------------------------------
-- C. A column with one small cell: two rounds of 2022, one category.
--   round 1: 100 = rejected 3 + selected 97
--   round 2: 100 = rejected 10 + selected 90
--   total (= the year, the category, every table's total): 200 = 13 + 187
-- rejected 3 is primary.  Alone in round 1's row (100 = 3 + 97 + zeros)
-- it needs a second withheld count there: not a zero, the cheapest of
-- selected 97 and invitations 100 -> selected 97.  Alone in its column
-- (13 = 3 + 10 + ...) it needs a partner there: round 2's 10 is cheaper
-- than the total's 13.  Then round 1's selected 97 is alone in its column:
-- round 2's 90 joins (its row already has a withheld count, so it costs
-- less than the total's 187).  Four cells, a rectangle: t = round 1's
-- rejected can be anything from 0 to 13 (97 -> 100 - t, 10 -> 13 - t,
-- 90 -> 87 + t), 13 apart: safe.
------------------------------------------------------------------------
INSERT INTO invitation_round (round_id, category, held_on) VALUES
  (1, 'OPMO', '2022-03-10'), (2, 'OPMO', '2022-05-05');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT r * 1000 + k, r, CASE r WHEN 1 THEN date '2022-03-10' ELSE date '2022-05-05' END,
       CASE r WHEN 1 THEN date '2022-03-20' ELSE date '2022-05-15' END,
       CASE r WHEN 1 THEN date '2022-09-01' ELSE date '2022-11-01' END,
       CASE WHEN k <= CASE r WHEN 1 THEN 3 ELSE 10 END THEN 'rejected' ELSE 'selected' END::decision
  FROM generate_series(1, 2) r, generate_series(1, 100) k;
SELECT pg_temp.first_release('2023-08-18');
SELECT * FROM shown;
SELECT round_id, invitations, rejected, selected, is_total FROM round_dashboard_published
 ORDER BY is_total, round_id;
SELECT publication, row_key, measure, value, status, lower, upper, safe FROM disclosure_audit();

-- G. The audit can fail.  Built by hand: publish round 2's rejected (10):
-- then round 1's is 13 - 10 = 3 exactly, and its selected 100 - 3 = 97;
-- round 2's selected is 90 from its own row.  Every withheld cell unsafe.
UPDATE publication_cell SET withheld = false
 WHERE publication = 'round_dashboard' AND row_key = '2' AND measure = 'rejected';
SELECT * FROM pg_temp.audit_as_edited();
-- Only the primary cell withheld: pinned by its row (100 - 97) and its
-- column (13 - 10).
UPDATE publication_cell SET withheld = (publication = 'round_dashboard' AND row_key = '1'
                                        AND measure = 'rejected');
SELECT * FROM pg_temp.audit_as_edited();
-- A count withheld in one table but shown in another is no secret: the
-- total's rejected withheld in round_dashboard only, with round 1's and 2's.
UPDATE publication_cell SET withheld = (measure = 'rejected' AND publication = 'round_dashboard');
SELECT * FROM pg_temp.audit_as_edited();

------------------------------------------------------------------------
-- Each policy value on the same tables.
------------------------------------------------------------------------
-- min_count 1: nothing withheld.
UPDATE disclosure_policy SET min_count = 1;
SELECT pg_temp.first_release('2023-08-18');
SELECT count(*) FILTER (WHERE withheld) AS withheld, count(*) AS cells FROM publication_cell;
SELECT count(*) AS audited FROM disclosure_audit();
-- min_count 4: 3 is still primary, the same four cells.
UPDATE disclosure_policy SET min_count = 4;
SELECT pg_temp.first_release('2023-08-18');
SELECT * FROM shown;
-- min_count 14: 3, 10 and the total's 13 are primary: the whole rejected
-- column; each row then withholds its selected (cheaper than its
-- invitations).  Round 1's rejected: 100 - selected, anything from 0 to
-- 100 as far as the tables tell (the column total is withheld too).
UPDATE disclosure_policy SET min_count = 14;
SELECT pg_temp.first_release('2023-08-18');
SELECT * FROM shown;
SELECT publication, row_key, measure, value, status, lower, upper, safe FROM disclosure_audit()
 WHERE publication = 'round_dashboard';
-- round_to 5 (min_count 5): the same cells withheld as with min_count 5
-- (withholding is decided on the exact counts), the others rounded: the
-- total's 13 shows 15 and its 187 shows 185.
UPDATE disclosure_policy SET min_count = 5, round_to = 5;
SELECT pg_temp.first_release('2023-08-18');
SELECT round_id, invitations, rejected, selected, is_total FROM round_dashboard_published
 ORDER BY is_total, round_id;
TRUNCATE invitation, invitation_round;

-- Rounding without withholding: rounded figures no longer add up.
-- Round 1: 13 = selected 7 + declined 6 shows 15 = 5 + 5.
UPDATE disclosure_policy SET min_count = 1, round_to = 5;
INSERT INTO invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2022-03-10');
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on, decided_on, decision)
SELECT k, 1, '2022-03-10', CASE WHEN k > 7 THEN date '2022-03-20' END,
       CASE WHEN k <= 7 THEN date '2022-03-20' END, CASE WHEN k <= 7 THEN date '2022-09-01' END,
       CASE WHEN k <= 7 THEN 'selected'::decision END
  FROM generate_series(1, 13) k;
SELECT pg_temp.first_release('2023-08-18');
SELECT round_id, invitations, declined, selected, is_total FROM round_dashboard_published
 ORDER BY is_total, round_id;
SELECT year, invitations, declined, selected FROM annual_summary_published;
TRUNCATE invitation, invitation_round;
UPDATE disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT;

------------------------------------------------------------------------
-- D. The audit knows the rules every invitation keeps.  One round of 50:
-- declined 44 + cancelled 6, notices cannot_support 2 + did_not_support 4.
-- Withhold by hand every notice count (both grounds and the notices
-- columns) and nothing else: the tables alone would leave them unbounded,
-- but a cancelled file had a notice (notices >= 6) and a notice needs an
-- application (notices <= 6, the only applications being the cancelled):
-- the notices columns are pinned at 6 (unsafe: withholding them protects
-- nothing), each ground is anywhere from 0 to 6.
------------------------------------------------------------------------
WITH cells (publication, row_key, measure) AS (
  SELECT 'round_dashboard', k, m
    FROM unnest('{1,total}'::text[]) k, unnest('{notices_cannot_support,notices_did_not_support}'::text[]) m
  UNION ALL SELECT 'annual_summary', '2022', 'notices'
  UNION ALL
  SELECT 'category_summary', k, m
    FROM unnest('{2022/OPMO,2022/,/OPMO,/}'::text[]) k,
         unnest('{notices,notices_cannot_support,notices_did_not_support}'::text[]) m)
SELECT b.publication, b.row_key, b.measure, b.value, b.lower, b.upper, b.safe
  FROM (SELECT array_agg(publication) p, array_agg(row_key) k, array_agg(measure) m FROM cells) c,
       disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}',
                         '{"{50,0,44,0,0,0,0,0,6,0,0,2,4}"}', 5, c.p, c.k, c.m) b
 ORDER BY 1, 2, 3;

-- The C functions check their input.
SELECT * FROM disclosure_cells('{1,2}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{0,0,0,0,0,0,0,0,0,0,0,0,0}"}', 5);
SELECT * FROM disclosure_cells('{NULL}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{0,0,0,0,0,0,0,0,0,0,0,0,0}"}', 5);
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{3,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
SELECT * FROM disclosure_cells('{1,1}', '{2022,2022}', '{OPMO,OPMO}', '{t,t}', '{NULL,NULL}',
                               '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}","{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
SELECT * FROM disclosure_cells('{1,1}', '{2021,2022}', '{OPMO,PAMO_TI}', '{t,t}', '{NULL,NULL}',
                               '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}","{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
SELECT * FROM disclosure_cells('{1}', '{NULL}', '{OPMO}', '{t}', '{NULL}', '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5);
SELECT * FROM disclosure_cells('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 0);
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{round_dashboard}', '{7}', '{declined}');
SELECT * FROM disclosure_bounds('{1}', '{2022}', '{OPMO}', '{t}', '{NULL}', '{"{1,0,1,0,0,0,0,0,0,0,0,0,0}"}', 5,
                                '{round_dashboard}', '{1}', '{notices}');
-- no group at all: the totals, of zeros, nothing withheld
SELECT publication, row_key, count(*) AS cells, sum(value) AS total, bool_or(withheld) AS withheld
  FROM disclosure_cells('{}', '{}', '{}', '{}', '{}', '{}', 5)
 GROUP BY 1, 2 ORDER BY 1, 2;

------------------------------------------------------------------------
-- E. Linked annual totals.  Three OPMO rounds of 50:
--   round 1 (2022): selected 50;  round 2 (2022): rejected 2 + selected 48;
--   round 3 (2023): selected 50.
-- rejected 2 is round 2's, but also 2022's (annual row, (2022, OPMO) cell,
-- year subtotal: one quantity) and the total's (dashboard total, OPMO
-- subtotal, grand total): all primary, withheld in every table.  Each of
-- those rows then needs a second withheld count: its selected, cheaper
-- than its invitations.  Round 1 and round 3 (= 2023, whose rows are the
-- same quantities) show everything: nothing of them is needed.  The reader
-- knows round 2's rejected + selected = 50, 2022's = 100 = 50 + round 2's,
-- the total's = 150: rejected is anything from 0 to 50.
------------------------------------------------------------------------
INSERT INTO invitation_round (round_id, category, held_on) VALUES
  (1, 'OPMO', '2022-03-10'), (2, 'OPMO', '2022-06-09'), (3, 'OPMO', '2023-02-16');
INSERT INTO invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT r * 1000 + k, r, h, h + 10, h + 100,
       CASE WHEN r = 2 AND k <= 2 THEN 'rejected' ELSE 'selected' END::decision
  FROM (VALUES (1, date '2022-03-10'), (2, date '2022-06-09'), (3, date '2023-02-16')) v (r, h),
       generate_series(1, 50) k;
SELECT pg_temp.first_release('2023-08-18');
SELECT * FROM shown;
SELECT year, invitations, rejected, selected FROM annual_summary_published ORDER BY year;
SELECT publication, row_key, measure, value, status, lower, upper, safe FROM disclosure_audit();
-- Had the annual table shown 2022's rejected (the ministry's own practice
-- of publishing per-year figures beside a dashboard), round 2's would be
-- pinned: 2022 = round 1 + round 2, and round 1 shows 0.
UPDATE publication_cell SET withheld = false
 WHERE publication = 'annual_summary' AND row_key = '2022' AND measure = 'rejected';
SELECT publication, row_key, measure, value, lower, upper, safe FROM pg_temp.audit_as_edited()
 WHERE publication = 'round_dashboard' AND row_key = '2';
TRUNCATE invitation, invitation_round;

------------------------------------------------------------------------
-- With min_count 1 the published views are the roll-ups, including a round
-- whose invitations span two years, a round with none, and an invitation
-- dated before its round is held (in the annual tables, not the dashboard).
------------------------------------------------------------------------
UPDATE disclosure_policy SET min_count = 1;
INSERT INTO invitation_round (round_id, category, held_on, invitations_published) VALUES
  (1, 'OPMO', '2021-12-30', 3), (2, 'PAMO_TI', '2022-05-05', 9), (3, 'OPMO', '2023-09-01', NULL),
  (4, 'CLASSEMENT_GENERAL', '2022-07-07', NULL);
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision) VALUES
  (1, 1, '2021-12-30', NULL, '2022-01-05', NULL, NULL, '2022-06-01', 'selected'),
  (2, 1, '2022-01-03', NULL, '2022-01-05', '2022-02-01', 'cannot_support', '2022-06-01', 'cancelled'),
  (3, 1, '2022-01-03', '2022-01-04', NULL, NULL, NULL, NULL, NULL),
  (4, 3, '2023-08-01', NULL, NULL, NULL, NULL, NULL, NULL),
  (5, 4, '2022-07-07', NULL, '2022-07-20', '2022-08-01', 'did_not_support', NULL, NULL);
SELECT pg_temp.first_release('2023-08-18');
SELECT count(*) AS differences FROM (
  (SELECT round_id, category, held_on, invitations, declined, expired, rejected, refused,
          notices_cannot_support, notices_did_not_support, awaiting_response, in_processing,
          cancellation_pending, cancelled, withdrawn, selected, invitations_published, is_total
     FROM round_dashboard_published
   EXCEPT ALL SELECT * FROM round_dashboard('2023-08-18'))
  UNION ALL
  (SELECT * FROM round_dashboard('2023-08-18')
   EXCEPT ALL
   SELECT round_id, category, held_on, invitations, declined, expired, rejected, refused,
          notices_cannot_support, notices_did_not_support, awaiting_response, in_processing,
          cancellation_pending, cancelled, withdrawn, selected, invitations_published, is_total
     FROM round_dashboard_published)) d;
SELECT count(*) AS differences FROM (
  (SELECT year, invitations, rejected, refused, notices, declined, expired, awaiting_response,
          in_processing, cancellation_pending, cancelled, withdrawn, selected
     FROM annual_summary_published
   EXCEPT ALL SELECT * FROM annual_summary('2023-08-18'))
  UNION ALL
  (SELECT * FROM annual_summary('2023-08-18')
   EXCEPT ALL
   SELECT year, invitations, rejected, refused, notices, declined, expired, awaiting_response,
          in_processing, cancellation_pending, cancelled, withdrawn, selected
     FROM annual_summary_published)) d;
SELECT count(*) AS differences FROM (
  (SELECT year, category, invitations, rejected, refused, notices, declined, expired,
          awaiting_response, in_processing, cancellation_pending, cancelled, withdrawn,
          selected, notices_cannot_support, notices_did_not_support
     FROM category_summary_published
   EXCEPT ALL SELECT * FROM category_summary('2023-08-18'))
  UNION ALL
  (SELECT * FROM category_summary('2023-08-18')
   EXCEPT ALL
   SELECT year, category, invitations, rejected, refused, notices, declined, expired,
          awaiting_response, in_processing, cancellation_pending, cancelled, withdrawn,
          selected, notices_cannot_support, notices_did_not_support
     FROM category_summary_published)) d;
SELECT count(*) AS rows, count(DISTINCT as_of) AS dates, min(as_of) AS as_of
  FROM (SELECT as_of FROM round_dashboard_published UNION ALL SELECT as_of FROM annual_summary_published
        UNION ALL SELECT as_of FROM category_summary_published) a;
-- The same with min_count 5, on these tables: round 1 spans 2021 and 2022.
-- Everything non-zero is small; the audit proves each withheld cell safe.
UPDATE disclosure_policy SET min_count = DEFAULT;
SELECT pg_temp.first_release('2023-08-18');
SELECT count(*) AS withheld, count(*) FILTER (WHERE safe) AS safe FROM disclosure_audit();
SELECT count(*) AS small_counts_shown FROM publication_cell
 WHERE NOT withheld AND value BETWEEN 1 AND 4;
TRUNCATE invitation, invitation_round;

------------------------------------------------------------------------
-- 40 rounds of the seed's size (synthetic: outcomes drawn from a hash of
-- the invitation id, so the same on every version), 3 years, 4 categories.
-- Properties of the publication rather than its every cell:
--  - no count from 1 to 4 is shown anywhere; no zero is withheld;
--  - a count shown in two tables is withheld in both or in neither
--    (annual rows = category_summary's year subtotals, totals);
--  - the audit proves every withheld count safe.
------------------------------------------------------------------------
INSERT INTO invitation_round (round_id, category, held_on, invitations_published)
SELECT k, (ARRAY['OPMO', 'PAMO_TI', 'CLASSEMENT_GENERAL', 'OEV'])[1 + k % 4],
       date '2021-01-26' + 23 * k, NULL
  FROM generate_series(1, 40) k;
INSERT INTO invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                        notice_on, notice_ground, decided_on, decision)
SELECT i, r.round_id, r.held_on,
       CASE WHEN u < 50 THEN r.held_on + 10 END,
       CASE WHEN u >= 130 THEN r.held_on + 20 END,
       CASE WHEN u >= 130 AND (u BETWEEN 145 AND 149 OR w < 20) THEN r.held_on + 50 END,
       CASE WHEN u >= 130 AND (u BETWEEN 145 AND 149 OR w < 20)
            THEN (CASE WHEN w % 2 = 0 THEN 'cannot_support' ELSE 'did_not_support' END)::notice_ground END,
       CASE WHEN u >= 130 THEN r.held_on + 100 + w * 4 / 10 END,
       CASE WHEN u < 130 THEN NULL WHEN u < 140 THEN 'rejected' WHEN u < 145 THEN 'refused'
            WHEN u < 150 THEN 'cancelled' WHEN u < 170 THEN 'withdrawn'
            ELSE 'selected' END::decision
  FROM invitation_round r
 CROSS JOIN LATERAL generate_series(r.round_id * 10000 + 1,
                                    r.round_id * 10000 + 20 + (r.round_id * 397) % 900) i
 CROSS JOIN LATERAL (SELECT ((i::bigint * 2654435761) % 1000)::integer AS u,
                            ((i::bigint * 40503) % 1000)::integer AS w) h;
SELECT count(*) AS invitations FROM invitation;
SELECT pg_temp.first_release('2023-08-18');
SELECT count(*) AS cells,
       count(*) FILTER (WHERE withheld) AS withheld,
       count(*) FILTER (WHERE withheld AND value BETWEEN 1 AND 4) AS primary_cells,
       count(*) FILTER (WHERE NOT withheld AND value BETWEEN 1 AND 4) AS small_shown,
       count(*) FILTER (WHERE withheld AND value = 0) AS zeros_withheld
  FROM publication_cell;
-- the annual rows and the year subtotals withhold the same counts
SELECT count(*) AS disagreements
  FROM publication_cell a
  JOIN publication_cell c ON c.publication = 'category_summary' AND c.row_key = a.row_key || '/'
                         AND c.measure = a.measure
 WHERE a.publication = 'annual_summary' AND a.withheld <> c.withheld;
SELECT count(*) AS withheld, count(*) FILTER (WHERE safe) AS safe,
       count(*) FILTER (WHERE upper IS NULL) AS unbounded,
       min(upper - lower) AS narrowest
  FROM disclosure_audit();
-- no complement is withheld in vain: shown, any one of them would let a
-- reader narrow some withheld count (the complements greed chose that
-- later ones made unneeded were released)
WITH g AS (SELECT array_agg(round_id) AS round_id, array_agg(year) AS year,
                  array_agg(category) AS category, array_agg(in_dashboard) AS in_dashboard,
                  array_agg(invitations_published) AS invitations_published,
                  array_agg(tally) AS tally
             FROM publication_group),
     complement AS (SELECT publication, row_key, measure FROM publication_cell
                     WHERE withheld AND value >= 5)
SELECT count(*) AS complements,
       count(*) FILTER (WHERE (SELECT bool_and(b.safe)
                                 FROM g, (SELECT array_agg(w.publication) AS publication,
                                                 array_agg(w.row_key) AS row_key,
                                                 array_agg(w.measure) AS measure
                                            FROM publication_cell w
                                           WHERE w.withheld
                                             AND (w.publication, w.row_key, w.measure)
                                                 <> (c.publication, c.row_key, c.measure)) w,
                                      disclosure_bounds(g.round_id, g.year, g.category,
                                                        g.in_dashboard, g.invitations_published,
                                                        g.tally, 5, w.publication, w.row_key,
                                                        w.measure) b)) AS not_needed
  FROM complement c;
-- the published views show NULL exactly where cells are withheld
SELECT (SELECT count(*) FROM publication_cell WHERE withheld AND publication = 'round_dashboard') AS withheld,
       (SELECT sum(num_nulls(invitations, declined, expired, rejected, refused, notices_cannot_support,
                             notices_did_not_support, awaiting_response, in_processing,
                             cancellation_pending, cancelled, withdrawn, selected))
          FROM round_dashboard_published) AS nulls;
SELECT count(*) AS small_counts_in_views FROM (
  SELECT unnest(ARRAY[invitations, declined, expired, rejected, refused, notices_cannot_support,
                      notices_did_not_support, awaiting_response, in_processing,
                      cancellation_pending, cancelled, withdrawn, selected]) v
    FROM round_dashboard_published
  UNION ALL
  SELECT unnest(ARRAY[invitations, rejected, refused, notices, declined, expired, awaiting_response,
                      in_processing, cancellation_pending, cancelled, withdrawn, selected])
    FROM annual_summary_published
  UNION ALL
  SELECT unnest(ARRAY[invitations, rejected, refused, notices, declined, expired, awaiting_response,
                      in_processing, cancellation_pending, cancelled, withdrawn, selected,
                      notices_cannot_support, notices_did_not_support])
    FROM category_summary_published) v
 WHERE v BETWEEN 1 AND 4;

-- A refresh of populated views is concurrent; a later date changes them.
SELECT pg_temp.first_release('2022-06-30');
SELECT count(*) AS rounds, max(as_of) AS as_of FROM round_dashboard_published WHERE NOT is_total;
SELECT count(*) AS withheld, count(*) FILTER (WHERE safe) AS safe FROM disclosure_audit();
TRUNCATE invitation, invitation_round;

------------------------------------------------------------------------
-- Scheduling needs pg_cron; without it (here: not installed, not loaded,
-- or not created in this database) a clear error with a hint.
------------------------------------------------------------------------
DO $$
BEGIN
  PERFORM arrima_stats.schedule_refresh('0 6 * * *');
  RAISE EXCEPTION 'schedule_refresh did not complain';
EXCEPTION WHEN object_not_in_prerequisite_state THEN
  DECLARE
    hint text;
  BEGIN
    GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
    RAISE NOTICE 'refused, with a hint: %', hint <> '';
  END;
END
$$;
SELECT schedule_refresh(NULL);

-- Leave things as found: the defaults, nothing published.
DELETE FROM disclosure_policy_setting;
SELECT pg_temp.forget_releases();
TRUNCATE publication_state, publication_group, publication_cell;
REFRESH MATERIALIZED VIEW round_dashboard_published WITH NO DATA;
REFRESH MATERIALIZED VIEW annual_summary_published WITH NO DATA;
REFRESH MATERIALIZED VIEW category_summary_published WITH NO DATA;
