/*-------------------------------------------------------------------------
 *
 * disclosure_series.c
 *	  What a reader holding every kept release knows: the tables of each
 *	  release, the rules, and that a count of invitations, of final outcomes
 *	  or of notices never goes down from one release to a later one.
 *
 * The releases are put in the order of their dates (as_of, then id).  The
 * unknowns are those of every group (round, year of invitation) of every
 * release; but one unknown of a group whose true value is the same in two
 * releases next to each other is one unknown of the system, not two (a
 * *segment*).  That grants the reader a little more than the tables show
 * (which of the finest counts did not change between two releases), so
 * what the audit proves safe is safe against the reader of the contract,
 * and a year of releases is a system of the size of the counts that
 * changed, not of the number of releases.
 *
 * What the reader knows, as rows of a system (disclosure_system.c):
 *	- every count each release shows: its unknowns add up to it;
 *	- the rules, for every group of every release;
 *	- for every group and every unknown that never goes down (declined,
 *	  expired, the five decisions, the notices of each ground) and for its
 *	  invitations: the later value is at least the earlier one.  Where the
 *	  data was corrected and a count went down, that relation is false and
 *	  is left out; every relation between two releases that does hold is
 *	  kept, so the reader knows where corrections happened, not by how much.
 *
 * What must stay protected, and its audit: series_audit.c; the flows
 * between releases, and the counts several releases show: series_flows.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "disclosure.h"

/* The unknowns that never go down, as indexes into a group's twelve */
static const int growing_vars[] = {
	DC_VAR_OUTCOME(OUTCOME_DECLINED), DC_VAR_OUTCOME(OUTCOME_EXPIRED),
	DC_VAR_OUTCOME(OUTCOME_REJECTED), DC_VAR_OUTCOME(OUTCOME_REFUSED),
	DC_VAR_OUTCOME(OUTCOME_CANCELLED), DC_VAR_OUTCOME(OUTCOME_WITHDRAWN),
	DC_VAR_OUTCOME(OUTCOME_SELECTED),
	DC_VAR_GROUND(GROUND_CANNOT_SUPPORT), DC_VAR_GROUND(GROUND_DID_NOT_SUPPORT),
};

#define NUM_GROWING	lengthof(growing_vars)

/* The unknowns a quantity adds up, into vars[]; returns how many */
int
dc_quantity_vars(const DcModel *model, int q, int *vars)
{
	const DcQuantity *quantity = &model->quantities[q];
	int			measure_vars[DC_NVARS];
	int			nvars = dc_measure_vars(quantity->measure, measure_vars);
	int			n = 0;
	int			g = -1;

	while ((g = bms_next_member(model->sets[quantity->set], g)) >= 0)
		for (int v = 0; v < nvars; v++)
			vars[n++] = g * DC_NVARS + measure_vars[v];
	return n;
}

/*
 * The rules of the contract for one set of invitations, whose twelve
 * unknowns are group_vars[]: sum(plus) - sum(minus) >= 0.
 */
void
dc_rule_rows(DcSystem *sys, const int *group_vars)
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

/* The index of a group of a model, by its round and year, or -1 */
static int
find_group(const DcModel *model, const DcGroup *key)
{
	int			lo = 0;
	int			hi = model->ngroups - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		const DcGroup *g = &model->groups[mid];
		int			c;

		if (g->round_id != key->round_id)
			c = g->round_id < key->round_id ? -1 : 1;
		else if (g->has_year != key->has_year)
			c = g->has_year ? 1 : -1;
		else
			c = (g->year > key->year) - (g->year < key->year);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * The unknowns: each release's groups' twelve, one unknown for a run of
 * releases next to each other where a group's count keeps its value.
 */
static void
assign_segments(DcSeries *series)
{
	int			maxvars = 0;
	int			nvars = 0;

	for (int r = 0; r < series->nreleases; r++)
		maxvars += series->releases[r].model->ngroups * DC_NVARS;
	series->truth = palloc(Max(maxvars, 1) * sizeof(int64));
	series->var_group = palloc(Max(maxvars, 1) * sizeof(DcGroup *));
	series->var_unknown = palloc(Max(maxvars, 1) * sizeof(int));
	series->var_since = palloc(Max(maxvars, 1) * sizeof(int32));

	for (int r = 0; r < series->nreleases; r++)
	{
		DcRelease  *rel = &series->releases[r];
		const DcModel *model = rel->model;

		rel->var = palloc(Max(model->ngroups * DC_NVARS, 1) * sizeof(int));
		for (int g = 0; g < model->ngroups; g++)
		{
			const DcGroup *group = &model->groups[g];
			int			prev = -1;

			if (r > 0)
				prev = find_group(series->releases[r - 1].model, group);
			for (int k = 0; k < DC_NVARS; k++)
			{
				int			v;

				if (prev >= 0 &&
					series->truth[series->releases[r - 1].var[prev * DC_NVARS + k]] == group->var[k])
					v = series->releases[r - 1].var[prev * DC_NVARS + k];
				else
				{
					v = nvars++;
					series->truth[v] = group->var[k];
					series->var_group[v] = group;
					series->var_unknown[v] = k;
					series->var_since[v] = rel->release_id;
				}
				rel->var[g * DC_NVARS + k] = v;
			}
		}
	}
	series->nvars = nvars;
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

		for (int g = 0; g < rel->model->ngroups; g++)
			dc_rule_rows(sys, &rel->var[g * DC_NVARS]);
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

			if (r > 0 && find_group(series->releases[r - 1].model, group) >= 0)
				continue;		/* not the start of its chain */
			for (int s = r; s < n; s++)
			{
				int			h = find_group(series->releases[s].model, group);

				if (h < 0)
					break;
				releases[len] = s;
				groups[len++] = h;
			}
			if (len < 2)
				continue;

			/* each unknown that never goes down */
			for (int u = 0; u < (int) NUM_GROWING; u++)
			{
				for (int i = 0; i < len; i++)
				{
					const DcRelease *rel = &series->releases[releases[i]];

					terms[i] = &rel->var[groups[i] * DC_NVARS + growing_vars[u]];
					values[i] = series->truth[*terms[i]];
				}
				chain_rows(sys, len, 1, terms, values);
			}
			/* the invitations: the ten outcomes together */
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
		}
	}
	pfree(terms);
	pfree(values);
	pfree(outcome_vars);
	pfree(releases);
	pfree(groups);
}

/* The unknowns of release r's quantity q, into vars[]; returns how many */
int
dc_series_quantity_vars(const DcSeries *series, int r, int q, int *vars)
{
	const DcRelease *rel = &series->releases[r];
	int			n = dc_quantity_vars(rel->model, q, vars);

	for (int i = 0; i < n; i++)
		vars[i] = rel->var[vars[i]];
	return n;
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
	assign_segments(series);
	series->fixed = dc_system_create(series->nvars, series->truth);
	fixed_rows(series, series->fixed);
	dc_find_flows(series);
	dc_find_classes(series);
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

	for (int r = 0; r < series->nreleases; r++)
	{
		const DcRelease *rel = &series->releases[r];

		for (int q = 0; q < rel->model->nquantities; q++)
		{
			if (rel->withheld[q])
				continue;
			dc_system_add_row(sys, true, dc_series_quantity_vars(series, r, q, vars),
							  vars, NULL, rel->model->quantities[q].value);
		}
	}
	pfree(vars);
	return sys;
}
