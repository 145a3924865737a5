/*-------------------------------------------------------------------------
 *
 * series_flows.c
 *	  What the releases of a series show of each other: the flows (the
 *	  change of a published count between two releases) and the classes of
 *	  counts that add up the same unknowns in several releases.
 *
 * Every *flow* must stay protected, like a withheld count (items.h): the
 * change of a published count that never goes down (dc_measure_grows: the
 * invitations, the final outcomes and the notices, in any table) between
 * any two releases, when it is 1 to min_count - 1 events either way.  A
 * flow's min_count is that of the later-made of its two releases: the
 * release that makes a flow answers for it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"

#include "series.h"

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
	flow->min_count = min_count;
}

/*
 * The flows to protect: for every count of invitations, final outcomes or
 * notices a table shows in two releases, its change between them when it
 * is 1 to min_count - 1 either way.
 */
void
dc_find_flows(DcSeries *series)
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
	{
		CHECK_FOR_INTERRUPTS();
		for (int j = i + 1; j < ncounts && strcmp(counts[i].name, counts[j].name) == 0; j++)
			add_flow(series, &counts[i], &counts[j], &maxflows);
	}
	for (int i = 0; i < ncounts; i++)
		pfree(counts[i].name);
	pfree(counts);
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

/* ----------------------------------------------------------------------
 * Classes: the same count in several releases
 * ----------------------------------------------------------------------
 */

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
 * What a quantity adds up, for its class: its unknowns; for invitations, the
 * segments of its groups' invitations (after every unknown), which stay the
 * same while the groups' invitations do, whatever their outcomes.
 */
static int
class_vars(const DcSeries *series, int r, int q, int *vars)
{
	const DcRelease *rel = &series->releases[r];
	const DcQuantity *quantity = &rel->model->quantities[q];
	int			n = 0;
	int			g = -1;

	if (quantity->measure != DC_MEASURE_INVITATIONS)
		return dc_series_quantity_vars(series, r, q, vars);
	while ((g = bms_next_member(rel->model->sets[quantity->set], g)) >= 0)
		vars[n++] = series->nvars + rel->invitations[g];
	return n;
}

/*
 * Classes of quantities that add up the same unknowns, whatever release
 * they are of: a count that did not change from one release to the next is
 * one class.  Whether a count is known depends on its class: shown in one
 * release, it is known in all.
 */
void
dc_find_classes(DcSeries *series)
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

		CHECK_FOR_INTERRUPTS();
		rel->class = palloc(Max(rel->model->nquantities, 1) * sizeof(int));
		for (int q = 0; q < rel->model->nquantities; q++)
		{
			FormEntry  *e = &entries[nentries++];

			e->n = class_vars(series, r, q, vars);
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
