/*-------------------------------------------------------------------------
 *
 * model.c
 *	  What the published tables show, as sums over groups of invitations:
 *	  their rows, the distinct quantities they show, and the relations
 *	  between those quantities that publication reveals.
 *
 * The rows mirror the roll-ups (model_rows.c).  The relations are the ones
 * a reader can write down from
 * the tables: in every row the invitations are the ten outcomes and the
 * notices both grounds; and a row whose groups are exactly those of several
 * rows of one level (the rounds, the (year, category) cells, the years, the
 * categories) is their sum, column by column.  The audit does not need the
 * relations (it works on the groups); the choice of complements does.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "model.h"

/* The quantity a set shows for a measure, created on first sight */
static int
intern_quantity(DcModel *model, int set, int measure)
{
	int		   *slot = &model->set_quantity[set * DC_NMEASURES + measure];
	DcQuantity *q;
	int			vars[DC_NVARS];
	int			nvars = dc_measure_vars(measure, vars);
	int			g = -1;

	if (*slot >= 0)
		return *slot;
	q = &model->quantities[model->nquantities];
	q->set = set;
	q->measure = measure;
	q->value = 0;
	while ((g = bms_next_member(model->sets[set], g)) >= 0)
		for (int v = 0; v < nvars; v++)
			q->value += model->groups[g].var[vars[v]];
	/* zeros are published: never withheld to protect another count */
	q->eligible = q->value > 0;
	*slot = model->nquantities++;
	return *slot;
}

/* The ministry's figure for a round_dashboard round row, if any */
static bool
round_published(const DcModel *model, const DcRow *row, int64 *published)
{
	/* every group of a round carries the round's figure */
	int			g = bms_next_member(model->sets[row->set], -1);

	if (g < 0 || !model->groups[g].has_published)
		return false;
	*published = model->groups[g].invitations_published;
	return true;
}

/*
 * Whether a round_dashboard row's invitations equal the ministry's figure
 * for the row (the round's, or for the total the sum over the rounds when
 * every round has one): a reader knows them anyway, so withholding them
 * protects nothing.
 */
static bool
ministry_knows(const DcModel *model, const DcRow *row, int64 invitations)
{
	int64		published = 0;
	int64		p;

	if (row->has_round)
		return round_published(model, row, &p) && p == invitations;
	for (int r = 0; r < model->nrows; r++)
	{
		const DcRow *round = &model->rows[r];

		if (round->table != DC_ROUND_DASHBOARD || !round->has_round)
			continue;
		if (!round_published(model, round, &p))
			return false;
		published += p;
	}
	return published == invitations;
}

static void
add_relation(DcModel *model, int parent, int nchildren, const int *children)
{
	DcRelation *rel = &model->relations[model->nrelations++];

	rel->parent = parent;
	rel->nchildren = nchildren;
	rel->children = palloc(nchildren * sizeof(int));
	memcpy(rel->children, children, nchildren * sizeof(int));
}

/* Relations within each set: invitations = outcomes, notices = grounds */
static void
row_relations(DcModel *model, int set, int *children)
{
	const int  *sq = &model->set_quantity[set * DC_NMEASURES];
	int			n = 0;

	for (int o = 0; o < NUM_OUTCOMES; o++)
		if ((children[n] = sq[DC_MEASURE_OUTCOME(o)]) >= 0)
			n++;
	if (sq[DC_MEASURE_INVITATIONS] >= 0 && n == NUM_OUTCOMES)
		add_relation(model, sq[DC_MEASURE_INVITATIONS], n, children);
	n = 0;
	for (int g = 0; g < NUM_GROUNDS; g++)
		if ((children[n] = sq[DC_MEASURE_GROUND(g)]) >= 0)
			n++;
	if (sq[DC_MEASURE_NOTICES] >= 0 && n == NUM_GROUNDS)
		add_relation(model, sq[DC_MEASURE_NOTICES], n, children);
}

/* Relations between a set and the sets of one level that partition it */
static void
partition_relations(DcModel *model, const DcRowLevel *levels, int parent,
					DcRowLevel level, int *parts, int *children)
{
	const Bitmapset *whole = model->sets[parent];
	Bitmapset  *covered = NULL;
	int			nparts = 0;
	int			members = 0;

	for (int r = 0; r < model->nrows; r++)
	{
		int			s = model->rows[r].set;

		CHECK_FOR_INTERRUPTS();
		if (levels[r] != level || s == parent || bms_is_empty(model->sets[s]) ||
			!bms_is_subset(model->sets[s], whole))
			continue;
		parts[nparts++] = s;
		members += bms_num_members(model->sets[s]);
		covered = bms_add_members(covered, model->sets[s]);
	}
	/* the rows of a level are disjoint; they must cover the whole */
	if (nparts < 2 || !bms_equal(covered, whole) ||
		members != bms_num_members(whole))
		return;
	for (int m = 0; m < DC_NMEASURES; m++)
	{
		int			p = model->set_quantity[parent * DC_NMEASURES + m];
		int			n = 0;

		if (p < 0)
			continue;
		for (; n < nparts; n++)
			if ((children[n] = model->set_quantity[parts[n] * DC_NMEASURES + m]) < 0)
				break;
		if (n == nparts)
			add_relation(model, p, nparts, children);
	}
}

static void
build_relations(DcModel *model, const DcRowLevel *levels)
{
	int			maxchildren = Max(model->nsets, NUM_OUTCOMES);
	int		   *parts = palloc(maxchildren * sizeof(int));
	int		   *children = palloc(maxchildren * sizeof(int));
	int			maxrelations = model->nsets * (2 + (DC_NUM_LEVELS - 1) * DC_NMEASURES);

	model->relations = palloc0(maxrelations * sizeof(DcRelation));
	for (int s = 0; s < model->nsets; s++)
	{
		CHECK_FOR_INTERRUPTS();
		row_relations(model, s, children);
		/* a set of fewer than two groups has no two disjoint parts */
		if (bms_membership(model->sets[s]) != BMS_MULTIPLE)
			continue;
		for (DcRowLevel level = DC_LEVEL_ROUND; level <= DC_LEVEL_CATEGORY; level++)
			partition_relations(model, levels, s, level, parts, children);
	}
	Assert(model->nrelations <= maxrelations);

	/* each quantity's relations */
	model->nmember_of = palloc0(Max(model->nquantities, 1) * sizeof(int));
	model->member_of = palloc0(Max(model->nquantities, 1) * sizeof(int *));
	for (int pass = 0; pass < 2; pass++)
	{
		for (int r = 0; r < model->nrelations; r++)
		{
			const DcRelation *rel = &model->relations[r];

			for (int k = -1; k < rel->nchildren; k++)
			{
				int			q = k < 0 ? rel->parent : rel->children[k];

				if (pass == 1)
					model->member_of[q][model->nmember_of[q]] = r;
				model->nmember_of[q]++;
			}
		}
		/* after counting, make room and count again while filling */
		for (int q = 0; pass == 0 && q < model->nquantities; q++)
		{
			model->member_of[q] = palloc(Max(model->nmember_of[q], 1) * sizeof(int));
			model->nmember_of[q] = 0;
		}
	}
}

/*
 * A count that is the sum or the difference of counts that are never
 * withheld (zeros, the ministry's own figures) is known as well: withheld as
 * a complement, it would protect nothing.  Mark such counts not eligible
 * (eligible[], one per quantity), until no relation has a single eligible
 * member left.  A member already withheld (withheld[], NULL for none: a
 * zero the search withheld as a last resort, a count forced) is not known:
 * the relation's one eligible member may protect it, and stays eligible.
 */
void
dc_close_eligibility(const DcModel *model, const bool *withheld, bool *eligible)
{
	bool		changed = true;

	while (changed)
	{
		CHECK_FOR_INTERRUPTS();
		changed = false;
		for (int r = 0; r < model->nrelations; r++)
		{
			const DcRelation *rel = &model->relations[r];
			int			neligible = 0;
			int			last = -1;

			for (int k = -1; k < rel->nchildren && neligible < 2; k++)
			{
				int			q = k < 0 ? rel->parent : rel->children[k];

				if (eligible[q] || (withheld != NULL && withheld[q]))
				{
					neligible++;
					last = q;
				}
			}
			if (neligible == 1 && eligible[last])
			{
				eligible[last] = false;
				changed = true;
			}
		}
	}
}

/* The unknowns a quantity adds up (group g's are g * DC_NVARS on), into vars[] */
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

/* The index of a group of a model, by its round and year, or -1 */
int
dc_model_find_group(const DcModel *model, const DcGroup *key)
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
 * Which quantities are withheld, from the cells listed as withheld: a
 * quantity is withheld when none of its cells is shown.
 */
void
dc_withheld_from_listed(const DcModel *model, const bool *listed, bool *withheld)
{
	for (int q = 0; q < model->nquantities; q++)
		withheld[q] = true;
	for (int c = 0; c < model->ncells; c++)
		if (!listed[c])
			withheld[model->cells[c].quantity] = false;
}

/*
 * Build the model of the published tables from the groups (each with its
 * category index into the sorted categories).
 */
DcModel *
dc_model_build(int ngroups, DcGroup *groups, int ncategories, char **categories)
{
	DcModel    *model = palloc0(sizeof(DcModel));
	DcRowLevel   *levels;
	bool	   *eligible;

	model->ngroups = ngroups;
	model->groups = groups;
	model->ncategories = ncategories;
	model->categories = categories;
	levels = dc_model_rows(model);

	model->set_quantity = palloc(model->nsets * DC_NMEASURES * sizeof(int));
	memset(model->set_quantity, -1, model->nsets * DC_NMEASURES * sizeof(int));
	model->quantities = palloc0(model->nsets * DC_NMEASURES * sizeof(DcQuantity));
	model->cells = palloc0(model->nrows * DC_NMEASURES * sizeof(DcCell));
	for (int r = 0; r < model->nrows; r++)
	{
		const DcRow *row = &model->rows[r];

		CHECK_FOR_INTERRUPTS();
		for (int m = 0; m < DC_NMEASURES; m++)
		{
			DcCell	   *cell;

			if (!dc_table_shows(row->table, m))
				continue;
			cell = &model->cells[model->ncells++];
			cell->row = r;
			cell->measure = m;
			cell->quantity = intern_quantity(model, row->set, m);
			if (m == DC_MEASURE_INVITATIONS &&
				((row->table == DC_ROUND_DASHBOARD && !row->has_round) ||
				 row->table == DC_ANNUAL_SUMMARY))
				model->quantities[cell->quantity].headline = true;
			if (row->table == DC_ROUND_DASHBOARD && m == DC_MEASURE_INVITATIONS &&
				ministry_knows(model, row, model->quantities[cell->quantity].value))
				model->quantities[cell->quantity].eligible = false;
		}
	}
	build_relations(model, levels);

	/* what publishing zeros and the ministry's figures leaves eligible */
	eligible = palloc(Max(model->nquantities, 1) * sizeof(bool));
	for (int q = 0; q < model->nquantities; q++)
		eligible[q] = model->quantities[q].eligible;
	dc_close_eligibility(model, NULL, eligible);
	for (int q = 0; q < model->nquantities; q++)
		model->quantities[q].eligible = eligible[q];
	pfree(eligible);
	return model;
}
