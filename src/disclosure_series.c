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
 * What must stay protected (the *items*): every withheld count of every
 * release, at least min_count - 1 wide as in one release; and every *flow*:
 * the change of a published count (one of invitations, final outcomes and
 * notices, in any table) between any two releases, when it is 1 to
 * min_count - 1 events either way, must keep an interval at least
 * min_count - 1 wide too.  A flow's min_count is that of the later-made of
 * its two releases: the release that makes a flow answers for it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "lib/stringinfo.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

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

/* Whether a published count never goes down */
bool
dc_measure_grows(int measure)
{
	switch (measure)
	{
		case DC_MEASURE_OUTCOME(OUTCOME_AWAITING_RESPONSE):
		case DC_MEASURE_OUTCOME(OUTCOME_IN_PROCESSING):
		case DC_MEASURE_OUTCOME(OUTCOME_CANCELLATION_PENDING):
			return false;
		default:
			return true;
	}
}

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

/* A published count of a release, by its name */
typedef struct NamedCount
{
	char	   *name;			/* table, row key, measure */
	int			release;
	int			quantity;
	int			cell;
} NamedCount;

static int
cmp_named_count(const void *a, const void *b)
{
	const NamedCount *x = a;
	const NamedCount *y = b;
	int			c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return (x->release > y->release) - (x->release < y->release);
}

/* Add the flow of a count between releases i and j if it must be protected */
static void
add_flow(DcSeries *series, const NamedCount *a, const NamedCount *b,
		 int *maxflows)
{
	const DcRelease *ra = &series->releases[a->release];
	const DcRelease *rb = &series->releases[b->release];
	int64		change = rb->model->quantities[b->quantity].value -
		ra->model->quantities[a->quantity].value;
	int			min_count = ra->release_id > rb->release_id ?
		ra->min_count : rb->min_count;
	DcFlow	   *flow;

	if (change == 0 || change <= -min_count || change >= min_count)
		return;
	if (series->nflows == *maxflows)
	{
		*maxflows *= 2;
		series->flows = repalloc(series->flows, *maxflows * sizeof(DcFlow));
	}
	flow = &series->flows[series->nflows++];
	flow->since = a->release;
	flow->since_quantity = a->quantity;
	flow->release = b->release;
	flow->quantity = b->quantity;
	flow->cell = b->cell;
	flow->value = change;
	flow->need = min_count - 1;
}

/*
 * The flows to protect: for every count of invitations, final outcomes or
 * notices a table shows in two releases, its change between them when it
 * is 1 to min_count - 1 either way.
 */
static void
find_flows(DcSeries *series)
{
	int			ncounts = 0;
	int			maxcounts = 0;
	NamedCount *counts;
	int			maxflows = 64;

	for (int r = 0; r < series->nreleases; r++)
		maxcounts += series->releases[r].model->ncells;
	counts = palloc(Max(maxcounts, 1) * sizeof(NamedCount));
	for (int r = 0; r < series->nreleases; r++)
	{
		const DcModel *model = series->releases[r].model;

		for (int c = 0; c < model->ncells; c++)
		{
			const DcCell *cell = &model->cells[c];
			const DcRow *row = &model->rows[cell->row];

			if (!dc_measure_grows(cell->measure))
				continue;
			counts[ncounts].name = psprintf("%s %s %s", dc_table_names[row->table],
											dc_row_key(model, row),
											dc_measure_names[cell->measure]);
			counts[ncounts].release = r;
			counts[ncounts].quantity = cell->quantity;
			counts[ncounts++].cell = c;
		}
	}
	qsort(counts, ncounts, sizeof(NamedCount), cmp_named_count);

	series->flows = palloc(maxflows * sizeof(DcFlow));
	series->nflows = 0;
	for (int i = 0; i < ncounts; i++)
		for (int j = i + 1; j < ncounts && strcmp(counts[i].name, counts[j].name) == 0; j++)
			add_flow(series, &counts[i], &counts[j], &maxflows);
	for (int i = 0; i < ncounts; i++)
		pfree(counts[i].name);
	pfree(counts);
}

/* A quantity of a release, by the unknowns it adds up */
typedef struct FormEntry
{
	uint32		hash;
	int			n;
	int		   *vars;			/* sorted */
	int			release;
	int			quantity;
} FormEntry;

static int
cmp_form_entry(const void *a, const void *b)
{
	const FormEntry *x = a;
	const FormEntry *y = b;
	int			c;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	c = memcmp(x->vars, y->vars, x->n * sizeof(int));
	if (c != 0)
		return c;
	if (x->release != y->release)
		return x->release < y->release ? -1 : 1;
	return (x->quantity > y->quantity) - (x->quantity < y->quantity);
}

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

/*
 * Classes of quantities that add up the same unknowns, whatever release
 * they are of: a count that did not change from one release to the next is
 * one class.  Whether a count is known depends on its class: shown in one
 * release, it is known in all.
 */
static void
find_classes(DcSeries *series)
{
	int			nentries = 0;
	FormEntry  *entries;
	int		   *vars = palloc(Max(series->nvars, 1) * sizeof(int));

	for (int r = 0; r < series->nreleases; r++)
		nentries += series->releases[r].model->nquantities;
	entries = palloc(Max(nentries, 1) * sizeof(FormEntry));
	nentries = 0;
	for (int r = 0; r < series->nreleases; r++)
	{
		DcRelease  *rel = &series->releases[r];

		rel->class = palloc(Max(rel->model->nquantities, 1) * sizeof(int));
		for (int q = 0; q < rel->model->nquantities; q++)
		{
			FormEntry  *e = &entries[nentries++];

			e->n = dc_series_quantity_vars(series, r, q, vars);
			qsort(vars, e->n, sizeof(int), cmp_int);
			e->vars = palloc(Max(e->n, 1) * sizeof(int));
			memcpy(e->vars, vars, e->n * sizeof(int));
			e->hash = hash_bytes((const unsigned char *) vars, e->n * sizeof(int));
			e->release = r;
			e->quantity = q;
		}
	}
	qsort(entries, nentries, sizeof(FormEntry), cmp_form_entry);

	series->class_start = palloc((nentries + 1) * sizeof(int));
	series->class_release = palloc(Max(nentries, 1) * sizeof(int));
	series->class_quantity = palloc(Max(nentries, 1) * sizeof(int));
	series->nclasses = 0;
	for (int i = 0; i < nentries; i++)
	{
		if (i == 0 || entries[i].hash != entries[i - 1].hash ||
			entries[i].n != entries[i - 1].n ||
			memcmp(entries[i].vars, entries[i - 1].vars, entries[i].n * sizeof(int)) != 0)
			series->class_start[series->nclasses++] = i;
		series->class_release[i] = entries[i].release;
		series->class_quantity[i] = entries[i].quantity;
		series->releases[entries[i].release].class[entries[i].quantity] = series->nclasses - 1;
	}
	series->class_start[series->nclasses] = nentries;
	for (int i = 0; i < nentries; i++)
		pfree(entries[i].vars);
	pfree(entries);
	pfree(vars);
}

/*
 * Whether release r's quantity q is shown by another release: by one made
 * before it (made_before), or by any release but except.
 */
bool
dc_series_shown_elsewhere(const DcSeries *series, int r, int q, bool made_before,
						  int except)
{
	int			c = series->releases[r].class[q];

	for (int i = series->class_start[c]; i < series->class_start[c + 1]; i++)
	{
		const DcRelease *other = &series->releases[series->class_release[i]];

		if (series->class_release[i] == r || series->class_release[i] == except ||
			other->withheld[series->class_quantity[i]])
			continue;
		if (!made_before || other->release_id < series->releases[r].release_id)
			return true;
	}
	return false;
}

/* Whether release r's quantity q is withheld by another release */
bool
dc_series_withheld_elsewhere(const DcSeries *series, int r, int q)
{
	int			c = series->releases[r].class[q];

	for (int i = series->class_start[c]; i < series->class_start[c + 1]; i++)
		if (series->class_release[i] != r &&
			series->releases[series->class_release[i]].withheld[series->class_quantity[i]])
			return true;
	return false;
}

/* ----------------------------------------------------------------------
 * Points kept from one refresh to the next (release_proof)
 * ----------------------------------------------------------------------
 */

/* An unknown as a later series knows it: it starts at the same release */
typedef struct UnknownKey
{
	int32		round_id;
	int32		year;
	int32		has_year;
	int32		unknown;
	int32		since;			/* release_id of the segment's first release */
} UnknownKey;

typedef struct UnknownEntry
{
	UnknownKey	key;
	int			var;
} UnknownEntry;

static UnknownKey
unknown_key(const DcSeries *series, int v)
{
	UnknownKey	key;

	memset(&key, 0, sizeof(key));
	key.round_id = series->var_group[v]->round_id;
	key.has_year = series->var_group[v]->has_year;
	key.year = key.has_year ? series->var_group[v]->year : 0;
	key.unknown = series->var_unknown[v];
	key.since = series->var_since[v];
	return key;
}

/* The key of series unknown v, for storing a point */
void
dc_unknown_key(const DcSeries *series, int v, int32 *round_id, bool *has_year,
			   int32 *year, int16 *unknown, int32 *since)
{
	UnknownKey	key = unknown_key(series, v);

	*round_id = key.round_id;
	*has_year = key.has_year;
	*year = key.year;
	*unknown = (int16) key.unknown;
	*since = key.since;
}

/*
 * Offer the series points stored by an earlier audit, each given by the
 * keys of the unknowns it changes and the changes.  A point whose unknowns
 * this series no longer has (a release made in between, by date) is left
 * out; the others are checked against the rows of every audit that uses
 * them, so a stale or forged point proves nothing.
 */
void
dc_series_offer_point(DcSeries *series, int n, const int32 *round_id,
					  const bool *has_year, const int32 *year,
					  const int16 *unknown, const int32 *since,
					  const double *changes)
{
	int		   *vars = palloc(Max(n, 1) * sizeof(int));

	if (series->unknowns == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(UnknownKey);
		ctl.entrysize = sizeof(UnknownEntry);
		ctl.hcxt = CurrentMemoryContext;
		series->unknowns = hash_create("disclosure unknowns", Max(series->nvars, 16),
									   &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		for (int v = 0; v < series->nvars; v++)
		{
			UnknownKey	key = unknown_key(series, v);
			UnknownEntry *entry = hash_search(series->unknowns, &key, HASH_ENTER, NULL);

			entry->var = v;
		}
	}
	for (int i = 0; i < n; i++)
	{
		UnknownKey	key;
		UnknownEntry *entry;

		memset(&key, 0, sizeof(key));
		key.round_id = round_id[i];
		key.has_year = has_year[i];
		key.year = has_year[i] ? year[i] : 0;
		key.unknown = unknown[i];
		key.since = since[i];
		entry = hash_search(series->unknowns, &key, HASH_FIND, NULL);
		if (entry == NULL)
		{
			pfree(vars);
			return;
		}
		vars[i] = entry->var;
	}
	dc_points_add(series->pool, n, vars, changes);
	pfree(vars);
}

/* What an item is, for a message: "the selected of round_dashboard row 7 in release 3" */
void
dc_item_name(const DcSeries *series, const DcItem *item, StringInfo buf)
{
	const DcRelease *rel = &series->releases[item->release];
	const DcModel *model = rel->model;
	const DcQuantity *quantity = &model->quantities[item->quantity];

	/* a cell showing the quantity, to name it */
	for (int c = 0; c < model->ncells; c++)
	{
		if (model->cells[c].quantity != item->quantity)
			continue;
		appendStringInfo(buf, "the %s of %s row %s",
						 dc_measure_names[quantity->measure],
						 dc_table_names[model->rows[model->cells[c].row].table],
						 dc_row_key(model, &model->rows[model->cells[c].row]));
		break;
	}
	if (series->nreleases > 1)
		appendStringInfo(buf, " in release %d", rel->release_id);
	if (item->flow >= 0)
		appendStringInfo(buf, " (its change since release %d)",
						 series->releases[series->flows[item->flow].since].release_id);
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
	find_flows(series);
	find_classes(series);
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

/*
 * The form of a flow, into vars[] and coefs[] (room for the unknowns of two
 * quantities): the later value minus the earlier.  Returns its length.
 */
int
dc_flow_form(const DcSeries *series, const DcFlow *flow, int *vars, int *coefs)
{
	int			n = dc_series_quantity_vars(series, flow->release, flow->quantity, vars);
	int			m = dc_series_quantity_vars(series, flow->since, flow->since_quantity,
											vars + n);

	for (int i = 0; i < n + m; i++)
		coefs[i] = i < n ? 1 : -1;
	return n + m;
}

/*
 * Every item of the series into *items: the withheld quantities of every
 * release, in series order, then the flows.  Returns how many.
 */
int
dc_series_items(const DcSeries *series, DcItem **items)
{
	int			n = series->nflows;
	int			k = 0;

	for (int r = 0; r < series->nreleases; r++)
		for (int q = 0; q < series->releases[r].model->nquantities; q++)
			n += series->releases[r].withheld[q];
	*items = palloc(Max(n, 1) * sizeof(DcItem));
	for (int r = 0; r < series->nreleases; r++)
	{
		for (int q = 0; q < series->releases[r].model->nquantities; q++)
		{
			/*
			 * A count a release made before showed, unchanged, was public
			 * before this release withheld it (under a stricter policy):
			 * nothing this release does can protect it.
			 */
			if (!series->releases[r].withheld[q] ||
				dc_series_shown_elsewhere(series, r, q, true, -1))
				continue;
			(*items)[k].release = r;
			(*items)[k].quantity = q;
			(*items)[k++].flow = -1;
		}
	}
	for (int f = 0; f < series->nflows; f++)
	{
		(*items)[k].release = series->flows[f].release;
		(*items)[k].quantity = series->flows[f].quantity;
		(*items)[k++].flow = f;
	}
	return k;
}

/*
 * The form of an item into vars[] and coefs[] (room for twice the largest
 * quantity), its true value and the width it needs; returns its length.
 */
int
dc_item_form(const DcSeries *series, const DcItem *item, int *vars, int *coefs,
			 int64 *value, int *need)
{
	const DcRelease *rel = &series->releases[item->release];
	int			n;

	if (item->flow >= 0)
	{
		const DcFlow *flow = &series->flows[item->flow];

		*value = flow->value;
		*need = flow->need;
		return dc_flow_form(series, flow, vars, coefs);
	}
	*value = rel->model->quantities[item->quantity].value;
	*need = rel->min_count - 1;
	n = dc_series_quantity_vars(series, item->release, item->quantity, vars);
	for (int i = 0; i < n; i++)
		coefs[i] = 1;
	return n;
}

/*
 * Bound items of a series as a reader of every release could: those which[]
 * marks (all if NULL), into bounds[] (one per item), as mode asks
 * (dc_audit_form).  pool, if not NULL, keeps points from one audit of the
 * series to the next.  Returns the index of an item that cannot be shown
 * safe (the first, with first: the audit stops there), or -1.
 */
int
dc_series_audit(const DcSeries *series, DcPoints *pool, int nitems,
				const DcItem *items, const bool *which, DcAuditMode mode,
				bool first, DcBounds *bounds)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "disclosure audit of a series",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	DcAudit    *audit = dc_audit_begin(dc_series_system(series), pool);
	int		   *vars = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	int		   *coefs = palloc(Max(2 * series->nvars, 2) * sizeof(int));
	int			unsafe = -1;

	for (int i = 0; i < nitems && (unsafe < 0 || !first); i++)
	{
		int64		value;
		int			need;
		int			n;

		if (which != NULL && !which[i])
			continue;
		n = dc_item_form(series, &items[i], vars, coefs, &value, &need);
		dc_audit_form(audit, n, vars, coefs, value, need, mode, &bounds[i]);
		if (!bounds[i].safe && unsafe < 0)
			unsafe = i;
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return unsafe;
}
