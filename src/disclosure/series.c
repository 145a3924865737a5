/*-------------------------------------------------------------------------
 *
 * series.c
 *	  What a reader holding every kept release knows (series.h): the tables
 *	  of each release, the rules, and that a count of invitations, of final
 *	  outcomes or of notices never goes down from one release to a later
 *	  one (dc_measure_grows, model_measures.c).
 *
 * The releases are put in the order of their dates (as_of, then id), and
 * their unknowns numbered (series_unknowns.c).  What the reader knows, as
 * rows of a system of the audit (audit.h):
 *	- every count each release shows: its unknowns add up to it;
 *	- the rules, for every group of every release;
 *	- for every group and every unknown that never goes down (declined,
 *	  expired, the five decisions, the notices of each ground) and for its
 *	  invitations: the later value is at least the earlier one.  Where the
 *	  data was corrected and a count went down, that relation is false and
 *	  is left out; every relation between two releases that does hold is
 *	  kept, so the reader knows where corrections happened, not by how much.
 *
 * The flows between releases, and the counts several releases show:
 * series_flows.c; what must stay protected, and its audit: items.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "series.h"

/*
 * The rules of the contract for one set of invitations, whose twelve
 * unknowns are group_vars[]: sum(plus) - sum(minus) >= 0.
 */
static void
rule_rows(DcSystem *sys, const int *group_vars)
{
	for (int r = 0; r < DC_NRULES; r++)
	{
		const DcRule *rule = &dc_rules[r];
		int			vars[2 * NUM_OUTCOMES];
		int			coefs[2 * NUM_OUTCOMES];
		int			n = 0;

		for (int i = 0; i < rule->nplus; i++)
		{
			vars[n] = group_vars[rule->plus[i]];
			coefs[n++] = 1;
		}
		for (int i = 0; i < rule->nminus; i++)
		{
			vars[n] = group_vars[rule->minus[i]];
			coefs[n++] = -1;
		}
		dc_system_add_row(sys, false, n, vars, coefs, 0);
	}
}

static int
cmp_release(const void *a, const void *b)
{
	const DcRelease *x = a;
	const DcRelease *y = b;

	if (x->as_of != y->as_of)
		return x->as_of < y->as_of ? -1 : 1;
	return (x->release_id > y->release_id) - (x->release_id < y->release_id);
}

/*
 * The relations "never goes down" of one chain: sums[i] over terms[i]
 * (nterms each, the same unknowns of a group in successive releases
 * holding it), values[i] their true sums.  Every true relation between two
 * of them is kept, through the fewest rows: i to j when values[i] <=
 * values[j] and no k between has a value between them (that one already
 * links i to j).  Without corrections, that is each to the next.
 */
static void
chain_rows(DcSystem *sys, int n, int nterms, int *const *terms,
		   const int64 *values)
{
	int		   *vars = palloc(2 * nterms * sizeof(int));
	int		   *coefs = palloc(2 * nterms * sizeof(int));
	int64	   *suffix_min = palloc((n + 1) * sizeof(int64));

	suffix_min[n] = PG_INT64_MAX;
	for (int i = n - 1; i >= 0; i--)
		suffix_min[i] = Min(values[i], suffix_min[i + 1]);
	for (int i = 0; i + 1 < n; i++)
	{
		/* the least value >= values[i] seen since i */
		int64		least = PG_INT64_MAX;

		for (int j = i + 1; j < n && suffix_min[j] < least; j++)
		{
			if (values[j] < values[i] || values[j] >= least)
				continue;
			least = values[j];
			for (int t = 0; t < nterms; t++)
			{
				vars[t] = terms[j][t];
				coefs[t] = 1;
				vars[nterms + t] = terms[i][t];
				coefs[nterms + t] = -1;
			}
			dc_system_add_row(sys, false, 2 * nterms, vars, coefs, 0);
		}
	}
	pfree(vars);
	pfree(coefs);
	pfree(suffix_min);
}

/*
 * The rows that do not depend on what is withheld: the rules of every group
 * of every release, and the relations "never goes down".
 */
static void
fixed_rows(DcSeries *series, DcSystem *sys)
{
	int			n = series->nreleases;
	int		  **terms = palloc(Max(n, 1) * sizeof(int *));
	int64	   *values = palloc(Max(n, 1) * sizeof(int64));
	int		   *outcome_vars = palloc(Max(n, 1) * NUM_OUTCOMES * sizeof(int));
	int		   *releases = palloc(Max(n, 1) * sizeof(int));
	int		   *groups = palloc(Max(n, 1) * sizeof(int));

	for (int r = 0; r < n; r++)
	{
		const DcRelease *rel = &series->releases[r];

		CHECK_FOR_INTERRUPTS();
		for (int g = 0; g < rel->model->ngroups; g++)
			rule_rows(sys, &rel->var[g * DC_NVARS]);
	}

	/*
	 * The chains: for each group of each release not held by the release
	 * before (where a chain starts), follow it forward.
	 */
	for (int r = 0; r < n; r++)
	{
		const DcModel *model = series->releases[r].model;

		for (int g = 0; g < model->ngroups; g++)
		{
			const DcGroup *group = &model->groups[g];
			int			len = 0;

			CHECK_FOR_INTERRUPTS();
			if (r > 0 && dc_model_find_group(series->releases[r - 1].model, group) >= 0)
				continue;		/* not the start of its chain */
			for (int s = r; s < n; s++)
			{
				int			h = dc_model_find_group(series->releases[s].model, group);

				if (h < 0)
					break;
				releases[len] = s;
				groups[len++] = h;
			}
			if (len < 2)
				continue;

			/*
			 * each unknown whose count never goes down (its notices follow:
			 * they are the sum of its two grounds)
			 */
			for (int u = 0; u < DC_NVARS; u++)
			{
				if (!dc_measure_grows(DC_MEASURE_OF_VAR(u)))
					continue;
				for (int i = 0; i < len; i++)
				{
					const DcRelease *rel = &series->releases[releases[i]];

					terms[i] = &rel->var[groups[i] * DC_NVARS + u];
					values[i] = series->truth[*terms[i]];
				}
				chain_rows(sys, len, 1, terms, values);
			}
			/* the invitations, which never go down: the ten outcomes together */
			Assert(dc_measure_grows(DC_MEASURE_INVITATIONS));
			for (int i = 0; i < len; i++)
			{
				const DcRelease *rel = &series->releases[releases[i]];
				int		   *t = &outcome_vars[i * NUM_OUTCOMES];

				values[i] = 0;
				for (int o = 0; o < NUM_OUTCOMES; o++)
				{
					t[o] = rel->var[groups[i] * DC_NVARS + DC_VAR_OUTCOME(o)];
					values[i] += series->truth[t[o]];
				}
				terms[i] = t;
			}
			chain_rows(sys, len, NUM_OUTCOMES, terms, values);
			/* ... and equal from one release to the next where they are */
			for (int i = 0; i + 1 < len; i++)
			{
				int			vars[2 * NUM_OUTCOMES];
				int			coefs[2 * NUM_OUTCOMES];

				if (values[i] != values[i + 1])
					continue;
				for (int o = 0; o < NUM_OUTCOMES; o++)
				{
					vars[o] = terms[i + 1][o];
					coefs[o] = 1;
					vars[NUM_OUTCOMES + o] = terms[i][o];
					coefs[NUM_OUTCOMES + o] = -1;
				}
				dc_system_add_row(sys, true, 2 * NUM_OUTCOMES, vars, coefs, 0);
			}
		}
	}
	pfree(terms);
	pfree(values);
	pfree(outcome_vars);
	pfree(releases);
	pfree(groups);
}

/*
 * Build a series from its releases (each with its model, withheld[] and
 * policy), which it puts in order.  The release being decided, if any,
 * has its withheld[] filled in later; it must be set before the series is
 * audited.
 */
DcSeries *
dc_series_build(int nreleases, DcRelease *releases)
{
	DcSeries   *series = palloc0(sizeof(DcSeries));

	qsort(releases, nreleases, sizeof(DcRelease), cmp_release);
	series->nreleases = nreleases;
	series->releases = releases;
	dc_series_number_unknowns(series);
	series->fixed = dc_system_create(series->nvars, series->truth);
	fixed_rows(series, series->fixed);
	dc_find_flows(series);
	dc_find_classes(series);
	series->intervals_known = true;
	series->pool = dc_points_create(series->nvars, DC_SERIES_POINTS);
	return series;
}

/* The index in the series of the release with an id, or -1 */
int
dc_series_find(const DcSeries *series, int32 release_id)
{
	for (int r = 0; r < series->nreleases; r++)
		if (series->releases[r].release_id == release_id)
			return r;
	return -1;
}

/* What the reader knows, given what every release withholds */
DcSystem *
dc_series_system(const DcSeries *series)
{
	DcSystem   *sys = dc_system_copy(series->fixed);
	int		   *vars = palloc(Max(series->nvars, 1) * sizeof(int));
	int		   *minus = palloc(Max(series->nvars, 1) * sizeof(int));

	dc_system_set_chained(sys, series->nreleases > 1);

	for (int r = 0; r < series->nreleases; r++)
	{
		const DcRelease *rel = &series->releases[r];

		CHECK_FOR_INTERRUPTS();
		for (int q = 0; q < rel->model->nquantities; q++)
		{
			int			n;

			if (!rel->withheld[q])
			{
				dc_system_add_row(sys, true, dc_series_quantity_vars(series, r, q, vars),
								  vars, NULL, rel->model->quantities[q].value);
				continue;
			}
			if (!series->intervals_known || rel->has_interval == NULL ||
				!rel->has_interval[q])
				continue;
			/* the interval published with it: lower <= sum, -sum >= -upper */
			n = dc_series_quantity_vars(series, r, q, vars);
			if (rel->lower[q] > 0)
				dc_system_add_row(sys, false, n, vars, NULL, rel->lower[q]);
			if (rel->upper[q] >= 0)
			{
				for (int i = 0; i < n; i++)
					minus[i] = -1;
				dc_system_add_row(sys, false, n, vars, minus, -rel->upper[q]);
			}
		}
	}
	pfree(vars);
	pfree(minus);
	return sys;
}
