/*-------------------------------------------------------------------------
 *
 * model_groups.c
 *	  Groups of invitations (one round, one year of invitation) from their
 *	  tallies, checked, and the model (model.c) of the tables they make.
 *
 * Each tally must keep the rules its invitations keep (no negative count,
 * the invitations the sum of the ten outcomes, and dc_rules): the audit's
 * linear program is built on them, and tallies that break them would make
 * it fail or prove nonsense.  Every bad group is an error with SQLSTATE
 * 22023 (invalid_parameter_value) and a detail that names the rule.  The
 * SQL entry points read groups from arrays (sql_args.c) or from the rows
 * of the release tables (sql_release_args.c); both come here.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"

#include "model.h"

/* "round 7, year 2022" or "round 7 (no year)" */
static char *
group_name(const DcGroup *group)
{
	return group->has_year ?
		psprintf("round %d, year %d", group->round_id, group->year) :
		psprintf("round %d (no year)", group->round_id);
}

/* The sum of some unknowns of a group; false if it overflows */
static bool
sum_vars(const DcGroup *group, int n, const int *vars, int64 *sum)
{
	*sum = 0;
	for (int i = 0; i < n; i++)
		if (pg_add_s64_overflow(*sum, group->var[vars[i]], sum))
			return false;
	return true;
}

/*
 * Check a group (its tally's counts already in var[]) against the rules its
 * invitations keep.
 */
static void
check_group(const DcGroup *group, const Tally *tally)
{
	const int64 *counter = (const int64 *) tally;
	int64		outcomes = 0;

	for (int i = 0; i < TALLY_NCOUNTERS; i++)
		if (counter[i] < 0)
			dc_bad_groups(psprintf("The tally of %s has %s " INT64_FORMAT
								   "; a count is never negative.",
								   group_name(group), dc_measure_names[i], counter[i]));
	for (int o = 0; o < NUM_OUTCOMES; o++)
		if (pg_add_s64_overflow(outcomes, tally->outcomes[o], &outcomes))
			dc_bad_groups(psprintf("The ten outcomes of the tally of %s add up to more than a bigint holds.",
								   group_name(group)));
	if (outcomes != tally->invitations)
		dc_bad_groups(psprintf("The tally of %s has " INT64_FORMAT " invitations but its ten outcomes "
							   "add up to " INT64_FORMAT "; every invitation has exactly one outcome.",
							   group_name(group), tally->invitations, outcomes));
	for (int r = 0; r < DC_NRULES; r++)
	{
		const DcRule *rule = &dc_rules[r];
		int64		plus = 0;
		int64		minus = 0;

		if (!sum_vars(group, rule->nplus, rule->plus, &plus) ||
			!sum_vars(group, rule->nminus, rule->minus, &minus))
			dc_bad_groups(psprintf("The %s or the %s of the tally of %s add up to more than a bigint holds.",
								   rule->plus_name, rule->minus_name, group_name(group)));
		if (plus < minus)
			dc_bad_groups(psprintf("The tally of %s breaks a rule of invitations, %s >= %s "
								   "(here " INT64_FORMAT " < " INT64_FORMAT "): %s.",
								   group_name(group), rule->plus_name, rule->minus_name,
								   plus, minus, rule->why));
	}
	if (!group->has_year && (tally->invitations != 0 || !group->in_dashboard))
		dc_bad_groups(psprintf("A group of round %d without a year must be an empty round held by as_of.",
							   group->round_id));
	if (group->invitations_published < 0)
		dc_bad_groups(psprintf("The invitations_published of %s is " INT64_FORMAT
							   "; a count is never negative.",
							   group_name(group), group->invitations_published));
}

static int
cmp_string(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static int
cmp_group(const void *a, const void *b)
{
	const DcGroup *x = a;
	const DcGroup *y = b;

	if (x->round_id != y->round_id)
		return x->round_id < y->round_id ? -1 : 1;
	if (x->has_year != y->has_year)
		return x->has_year ? 1 : -1;
	return (x->year > y->year) - (x->year < y->year);
}

/*
 * A group's unknowns from its tally (the ten outcomes, the two grounds),
 * checked against the rules its invitations keep.  The group's other
 * fields must be set: the messages name it.
 */
void
dc_group_set_tally(DcGroup *group, const Tally *tally)
{
	for (int o = 0; o < NUM_OUTCOMES; o++)
		group->var[DC_VAR_OUTCOME(o)] = tally->outcomes[o];
	for (int k = 0; k < NUM_GROUNDS; k++)
		group->var[DC_VAR_GROUND(k)] = tally->notices[k];
	check_group(group, tally);
}

/*
 * The model of the published tables from checked groups, each with its
 * category's name in categories[]: categories sorted, one group per
 * (round, year), the groups of a round agreeing on the round.
 */
DcModel *
dc_model_from_groups(int ngroups, DcGroup *groups, char **categories)
{
	int			ncategories = 0;

	/* categories: sorted, distinct, each group pointing at its own */
	if (ngroups > 0)
	{
		char	  **sorted = palloc(ngroups * sizeof(char *));

		memcpy(sorted, categories, ngroups * sizeof(char *));
		qsort(sorted, ngroups, sizeof(char *), cmp_string);
		for (int g = 0; g < ngroups; g++)
			if (ncategories == 0 || strcmp(sorted[ncategories - 1], sorted[g]) != 0)
				sorted[ncategories++] = sorted[g];
		for (int g = 0; g < ngroups; g++)
		{
			char	  **c = bsearch(&categories[g], sorted, ncategories,
									sizeof(char *), cmp_string);

			groups[g].category = c - sorted;
		}
		categories = sorted;
	}

	/* one group per (round, year); a round's groups agree on the round */
	qsort(groups, ngroups, sizeof(DcGroup), cmp_group);
	for (int g = 1; g < ngroups; g++)
	{
		const DcGroup *a = &groups[g - 1];
		const DcGroup *b = &groups[g];

		if (a->round_id != b->round_id)
			continue;
		if (cmp_group(a, b) == 0)
			dc_bad_groups(psprintf("Round %d has two groups for one year.", b->round_id));
		if (!a->has_year)
			dc_bad_groups(psprintf("Round %d is said both empty and not.", b->round_id));
		if (a->category != b->category || a->in_dashboard != b->in_dashboard ||
			a->has_published != b->has_published ||
			a->invitations_published != b->invitations_published)
			dc_bad_groups(psprintf("The groups of round %d disagree about the round.", b->round_id));
	}
	return dc_model_build(ngroups, groups, ncategories, categories);
}

