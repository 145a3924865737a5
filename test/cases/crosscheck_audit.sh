#!/usr/bin/env bash
# The disclosure audit against GLPK: test/cases/crosscheck_audit.py rebuilds, from
# the rules alone, what a reader of all the published tables knows, and
# bounds every withheld count with glpsol, as a linear program (the audit's
# bounds and verdict must be exactly these) and as an integer program (a
# count the audit calls safe must be safe by integer bounds too).  See the
# script for the rules.  Any disagreement fails the case.
#
# Each publication is a first release (first_release below forgets the
# releases made before, as sql/publication.sql does): the audit of a first
# release, disclosure_audit(), is the audit of one publication.  A series
# of releases is attacked by test/cases/attack_releases.py (release_series.sh).
#
# Publications checked:
# * the demo data (test/data/load_rounds.sql and synthetic_invitations.sql)
#   as of 2023-08-18, a first release with the default policy and one with
#   min_count 10, round_to 5: as refresh_publications() made them
#   (--published: every withheld count safe, no small count shown, the
#   working tables hold the release, the views and the reader schema's
#   release_count show exactly its cells, rounded);
# * the hand-worked tables of sql/publication.sql (C: a column with one
#   small cell, at min_count 5, 4 and 14 and round_to 5; D: the rules of an
#   invitation bounding notices; E: linked annual totals), as released, and
#   the under-suppressed publications built from them by hand in the working
#   tables (G: a partner published, only the primary cell withheld, a count
#   withheld in one table and shown in another; D with only the notices
#   withheld; E with 2022's rejected shown), audited with disclosure_bounds()
#   (--edited), where the audit must find the unsafe counts GLPK finds;
# * a publication built by hand where a count is bounded to [0, 3]: unsafe
#   at min_count 5 (3 < 4) but safe at 4: what tells an audit that is one
#   off in its threshold.
. "$(dirname "$0")/common.bash"

db=arrima_case_crosscheck
crosscheck=(/usr/bin/python3 "$ARRIMA_ROOT/test/cases/crosscheck_audit.py")
command -v glpsol >/dev/null || die "glpsol is missing: apt-get install glpk-utils"
[ -x /usr/bin/python3 ] || die "python3 is missing: apt-get install python3"

status=0
# run_check TITLE [--published | --edited]: the cross-check of what $db holds now
run_check() {
    local title=$1
    shift
    echo "== $title"
    if ! "${crosscheck[@]}" "$@" "$db" >"$ARRIMA_SCRATCH/check.txt" 2>&1; then
        cat "$ARRIMA_SCRATCH/check.txt"
        echo "FAIL: $title: the audit and GLPK disagree (above)"
        status=1
        return
    fi
    grep -v '^note: ' "$ARRIMA_SCRATCH/check.txt" || true
    # integer bounds narrower than the LP's are allowed, but shown
    grep '^note: ' "$ARRIMA_SCRATCH/check.txt" || true
}
# audit_count SQL-CONDITION EXPECTED TITLE: how many rows of the audit of
# the release meet it
audit_count() {
    expect "$db" "SELECT count(*) FROM arrima_stats.disclosure_audit() WHERE $1" "$2" "$3"
}
# edited_count SQL-CONDITION EXPECTED TITLE: the same, of the working tables
# as edited by hand (crosscheck.audit_as_edited(), made by new_db)
edited_count() {
    expect "$db" "SELECT count(*) FROM crosscheck.audit_as_edited() WHERE $1" "$2" "$3"
}
# new_db: a fresh $db with the extension, and the audit of the working tables
# as edited, crosscheck.audit_as_edited() (test/data/audit_as_edited.sql, as
# sql/publication.sql makes it), which crosscheck_audit.py --edited reads too
new_db() {
    fresh_db "$db"
    psql -d "$db" -c 'CREATE EXTENSION arrima_stats' -c 'CREATE SCHEMA crosscheck'
    psql -d "$db" -v schema=crosscheck -f "$ARRIMA_ROOT/test/data/audit_as_edited.sql"
}
# first_release DATE: forget the releases $db kept (a superuser can go
# around the triggers that keep them, as sql/publication.sql does), then
# make a release as of DATE under the policy in force: release 1
first_release() {
    psql -d "$db" -o /dev/null <<SQL
BEGIN;
SET LOCAL session_replication_role = replica;
TRUNCATE arrima_stats.release, arrima_stats.release_group, arrima_stats.release_cell;
COMMIT;
SELECT setval('arrima_stats.release_id_seq', 1, false);
SELECT arrima_stats.refresh_publications('$1');
SQL
    expect "$db" "SELECT string_agg(release_id || ' ' || as_of, ',') FROM arrima_stats.release" "1 $1" \
           "first_release: release 1 as of $1, and no other"
}

# ---------------------------------------------------------------------------
# The demo data
# ---------------------------------------------------------------------------
new_db
load_demo_data "$db"
first_release 2023-08-18
withheld=$(query "$db" "SELECT count(*) FROM arrima_stats.release_cell WHERE withheld")
is_int "$withheld" || die "no count of the withheld cells: '$withheld'"
echo "demo data: $withheld cells withheld"
[ "$withheld" -gt 100 ] || die "only $withheld cells withheld in the demo's release"
audit_count 'true' "$withheld" "the audit lists every withheld cell"
audit_count 'NOT safe' 0 "the demo's release is all safe"
run_check "demo data as of 2023-08-18, min_count 5" --published
psql -d "$db" -c 'UPDATE arrima_stats.disclosure_policy SET min_count = 10, round_to = 5'
first_release 2023-08-18
run_check "demo data as of 2023-08-18, min_count 10, round_to 5" --published

# ---------------------------------------------------------------------------
# Hand-worked tables (sql/publication.sql)
# ---------------------------------------------------------------------------
new_db

# C. Two rounds of 2022, one category: round 1 100 = rejected 3 + selected
# 97, round 2 100 = rejected 10 + selected 90.
psql -d "$db" >/dev/null <<'SQL'
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on) VALUES
  (1, 'OPMO', '2022-03-10'), (2, 'OPMO', '2022-05-05');
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT r * 1000 + k, r, CASE r WHEN 1 THEN date '2022-03-10' ELSE date '2022-05-05' END,
       CASE r WHEN 1 THEN date '2022-03-20' ELSE date '2022-05-15' END,
       CASE r WHEN 1 THEN date '2022-09-01' ELSE date '2022-11-01' END,
       CASE WHEN k <= CASE r WHEN 1 THEN 3 ELSE 10 END THEN 'rejected' ELSE 'selected' END::arrima_stats.decision
  FROM generate_series(1, 2) r, generate_series(1, 100) k;
SQL
first_release 2023-08-18
audit_count 'true' 4 "C: the four cells of the rectangle"
run_check "C: one small cell, min_count 5" --published

# G. Under-suppressed by hand: round 2's rejected published (every
# withheld cell pinned), ...
psql -d "$db" -c "UPDATE arrima_stats.publication_cell SET withheld = false
                   WHERE publication = 'round_dashboard' AND row_key = '2' AND measure = 'rejected'"
edited_count 'NOT safe' 3 "G: a partner published: three cells pinned"
run_check "G: a partner published" --edited
# ... only the primary cell withheld ...
psql -d "$db" -c "UPDATE arrima_stats.publication_cell
                     SET withheld = (publication = 'round_dashboard' AND row_key = '1' AND measure = 'rejected')"
edited_count 'NOT safe' 1 "G: the primary cell alone is pinned"
run_check "G: only the primary cell withheld" --edited
# ... the rejected column withheld in round_dashboard only (shown in the
# other tables: the total's is no secret).
psql -d "$db" -c "UPDATE arrima_stats.publication_cell
                     SET withheld = (measure = 'rejected' AND publication = 'round_dashboard')"
edited_count 'NOT safe' 3 "G: withheld in one table, shown in another"
run_check "G: a count withheld in one table and shown in another" --edited

for policy in "4 1" "14 1" "5 5"; do
    read -r min_count round_to <<<"$policy"
    psql -d "$db" -c "UPDATE arrima_stats.disclosure_policy SET min_count = $min_count, round_to = $round_to"
    first_release 2023-08-18
    run_check "C: min_count $min_count, round_to $round_to" --published
done
psql -d "$db" -c 'UPDATE arrima_stats.disclosure_policy SET min_count = DEFAULT, round_to = DEFAULT' \
     -c 'TRUNCATE arrima_stats.invitation, arrima_stats.invitation_round'

# D. One round of 50: declined 44 + cancelled 6, notices cannot_support 2 +
# did_not_support 4.  Refreshed, then with every notice count withheld and
# nothing else: the rules pin the notices columns at 6 (a cancelled file
# had a notice, a notice needs an application), each ground is 0 to 6.
psql -d "$db" >/dev/null <<'SQL'
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on) VALUES (1, 'OPMO', '2022-03-10');
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, declined_on, application_on,
                                     notice_on, notice_ground, decided_on, decision)
SELECT k, 1, '2022-03-10',
       CASE WHEN k > 6 THEN date '2022-03-20' END,
       CASE WHEN k <= 6 THEN date '2022-03-20' END,
       CASE WHEN k <= 6 THEN date '2022-04-01' END,
       CASE WHEN k <= 2 THEN 'cannot_support' WHEN k <= 6 THEN 'did_not_support' END::arrima_stats.notice_ground,
       CASE WHEN k <= 6 THEN date '2022-05-01' END,
       CASE WHEN k <= 6 THEN 'cancelled' END::arrima_stats.decision
  FROM generate_series(1, 50) k;
SQL
first_release 2023-08-18
run_check "D: notices and the rules, as released" --published
psql -d "$db" -c "UPDATE arrima_stats.publication_cell SET withheld = measure LIKE 'notices%'"
edited_count "measure = 'notices' AND NOT safe AND lower = 6 AND upper = 6" 5 \
             "D: the notices columns pinned at 6 by the rules"
edited_count "measure <> 'notices' AND safe AND lower = 0 AND upper = 6" 12 \
             "D: each ground anywhere from 0 to 6"
run_check "D: only the notices withheld" --edited
psql -d "$db" -c 'TRUNCATE arrima_stats.invitation, arrima_stats.invitation_round'

# E. Linked annual totals: three OPMO rounds of 50, round 2 (2022) with
# rejected 2.  Refreshed, then with 2022's rejected shown in the annual
# table: round 2's is pinned (2022 = round 1 + round 2, round 1 shows 0).
psql -d "$db" >/dev/null <<'SQL'
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on) VALUES
  (1, 'OPMO', '2022-03-10'), (2, 'OPMO', '2022-06-09'), (3, 'OPMO', '2023-02-16');
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT r * 1000 + k, r, h, h + 10, h + 100,
       CASE WHEN r = 2 AND k <= 2 THEN 'rejected' ELSE 'selected' END::arrima_stats.decision
  FROM (VALUES (1, date '2022-03-10'), (2, date '2022-06-09'), (3, date '2023-02-16')) v (r, h),
       generate_series(1, 50) k;
SQL
first_release 2023-08-18
run_check "E: linked annual totals, as released" --published
psql -d "$db" -c "UPDATE arrima_stats.publication_cell SET withheld = false
                   WHERE publication = 'annual_summary' AND row_key = '2022' AND measure = 'rejected'"
edited_count "publication = 'round_dashboard' AND row_key = '2' AND NOT safe" 2 \
             "E: round 2's rejected and selected pinned once 2022's rejected is shown"
run_check "E: 2022's rejected shown" --edited
psql -d "$db" -c 'TRUNCATE arrima_stats.invitation, arrima_stats.invitation_round'

# ---------------------------------------------------------------------------
# A count bounded to [0, 3]: round 1 10 = rejected 2 + selected 8, round 2
# 10 = rejected 1 + selected 9, both 2022 OPMO; withheld by hand: the four
# rejected and selected counts of the two rounds, nothing else (the totals
# show 3 and 17).  Round 1's rejected r: r + s1 = 10, r + r2 = 3,
# r2 + s2 = 10, s1 + s2 = 17: anything from 0 to 3.  Unsafe at min_count 5,
# safe at min_count 4.
# ---------------------------------------------------------------------------
psql -d "$db" >/dev/null <<'SQL'
INSERT INTO arrima_stats.invitation_round (round_id, category, held_on) VALUES
  (1, 'OPMO', '2022-03-10'), (2, 'OPMO', '2022-05-05');
INSERT INTO arrima_stats.invitation (invitation_id, round_id, invited_on, application_on, decided_on, decision)
SELECT r * 1000 + k, r, h, h + 10, h + 100,
       CASE WHEN k <= 3 - r THEN 'rejected' ELSE 'selected' END::arrima_stats.decision
  FROM (VALUES (1, date '2022-03-10'), (2, date '2022-05-05')) v (r, h), generate_series(1, 10) k;
SQL
first_release 2023-08-18
psql -d "$db" -c "UPDATE arrima_stats.publication_cell
                     SET withheld = (publication = 'round_dashboard' AND row_key IN ('1', '2')
                                     AND measure IN ('rejected', 'selected'))"
edited_count "lower = 0 AND upper = 3 AND NOT safe" 2 "[0, 3]: the rejected counts, unsafe at min_count 5"
run_check "[0, 3] at min_count 5" --edited
psql -d "$db" -c 'UPDATE arrima_stats.publication_state SET min_count = 4'
edited_count "lower = 0 AND upper = 3 AND safe" 2 "[0, 3]: the rejected counts, safe at min_count 4"
run_check "[0, 3] at min_count 4" --edited

[ "$status" -eq 0 ] || exit 1
echo "ok: the audit agrees with GLPK on every publication"
