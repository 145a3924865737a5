/*-------------------------------------------------------------------------
 *
 * model_rows.c
 *	  The rows of the published tables (model.c), each with the set of
 *	  groups it adds up: round_dashboard a row per round held by as_of and a
 *	  total row; annual_summary a row per year of invitation;
 *	  category_summary a row per (year, category), per year, per category
 *	  and a grand total.  Rows with the same groups share one set.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "model.h"

static int
cmp_int32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* Sorted distinct values of an array, in place; returns how many */
static int
distinct_int32(int32 *values, int n)
{
	int			k = 0;

	qsort(values, n, sizeof(int32), cmp_int32);
	for (int i = 0; i < n; i++)
		if (k == 0 || values[k - 1] != values[i])
			values[k++] = values[i];
	return k;
}

/*
 * The distinct sets of groups, found by hash (open addressing): a model of
 * many rounds has as many sets, and comparing each new one with all the
 * others would cost their square.
 */
typedef struct SetIndex
{
	int			nslots;			/* a power of two */
	int		   *slot;			/* set + 1, or 0 */
} SetIndex;

static void
set_index_init(SetIndex *index, int maxsets)
{
	index->nslots = 16;
	while (index->nslots < 2 * maxsets)
		index->nslots *= 2;
	index->slot = palloc0(index->nslots * sizeof(int));
}

/* The index of a set of groups, added if new */
static int
intern_set(DcModel *model, SetIndex *index, Bitmapset *set)
{
	uint32		h = bms_hash_value(set) & (index->nslots - 1);

	for (;;)
	{
		int			s = index->slot[h] - 1;

		if (s < 0)
			break;
		if (bms_equal(model->sets[s], set))
			return s;
		h = (h + 1) & (index->nslots - 1);
	}
	model->sets[model->nsets] = set;
	index->slot[h] = model->nsets + 1;
	return model->nsets++;
}

/* The first group of a round (groups are sorted by round), or ngroups */
static int
first_group_of(const DcModel *model, int32 round_id)
{
	int			lo = 0;
	int			hi = model->ngroups;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (model->groups[mid].round_id < round_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

typedef struct RowSpec
{
	DcTable		table;
	DcRowLevel	level;
	bool		has_round;
	int32		round_id;
	bool		has_year;
	int32		year;
	int			category;
} RowSpec;

/*
 * Add a row; its groups are those matching spec (round, year, category):
 * a round's are found by its round, the others among every group.
 */
static void
add_row(DcModel *model, SetIndex *index, DcRowLevel *levels, const RowSpec *spec)
{
	Bitmapset  *set = NULL;
	DcRow	   *row = &model->rows[model->nrows];
	bool		by_round = spec->table == DC_ROUND_DASHBOARD && spec->has_round;

	CHECK_FOR_INTERRUPTS();
	for (int g = by_round ? first_group_of(model, spec->round_id) : 0;
		 g < model->ngroups; g++)
	{
		const DcGroup *group = &model->groups[g];

		if (by_round && group->round_id != spec->round_id)
			break;
		if (spec->table == DC_ROUND_DASHBOARD)
		{
			if (!group->in_dashboard)
				continue;
		}
		else if (!group->has_year ||
				 (spec->has_year && group->year != spec->year) ||
				 (spec->category >= 0 && group->category != spec->category))
			continue;
		set = bms_add_member(set, g);
	}
	row->table = spec->table;
	row->has_round = spec->has_round;
	row->round_id = spec->round_id;
	row->has_year = spec->has_year;
	row->year = spec->year;
	row->category = spec->category;
	row->set = intern_set(model, index, set);
	levels[model->nrows++] = spec->level;
}

/*
 * The rows of the three tables into model->rows and their sets into
 * model->sets; returns the level of each row (palloc'd, one per row)
 */
DcRowLevel *
dc_model_rows(DcModel *model)
{
	int32	   *rounds = palloc(Max(model->ngroups, 1) * sizeof(int32));
	int32	   *years = palloc(Max(model->ngroups, 1) * sizeof(int32));
	int			nrounds = 0;
	int			nyears = 0;
	bool	   *year_category;
	int			maxrows;
	DcRowLevel   *levels;
	RowSpec		spec;
	SetIndex	index;

	for (int g = 0; g < model->ngroups; g++)
	{
		if (model->groups[g].in_dashboard)
			rounds[nrounds++] = model->groups[g].round_id;
		if (model->groups[g].has_year)
			years[nyears++] = model->groups[g].year;
	}
	nrounds = distinct_int32(rounds, nrounds);
	nyears = distinct_int32(years, nyears);

	/* which (year, category) cells have invitations */
	year_category = palloc0(Max(nyears * model->ncategories, 1) * sizeof(bool));
	for (int g = 0; g < model->ngroups; g++)
	{
		const DcGroup *group = &model->groups[g];

		if (group->has_year)
		{
			int32	   *y = bsearch(&group->year, years, nyears, sizeof(int32), cmp_int32);

			year_category[(y - years) * model->ncategories + group->category] = true;
		}
	}

	maxrows = nrounds + 1 + nyears + nyears * (model->ncategories + 2) +
		model->ncategories + 1;
	model->rows = palloc0(maxrows * sizeof(DcRow));
	model->sets = palloc0(maxrows * sizeof(Bitmapset *));
	levels = palloc0(maxrows * sizeof(DcRowLevel));
	set_index_init(&index, maxrows);

	memset(&spec, 0, sizeof(spec));
	spec.table = DC_ROUND_DASHBOARD;
	spec.category = -1;
	spec.level = DC_LEVEL_ROUND;
	spec.has_round = true;
	for (int r = 0; r < nrounds; r++)
	{
		spec.round_id = rounds[r];
		add_row(model, &index, levels, &spec);
	}
	spec.level = DC_LEVEL_NONE;
	spec.has_round = false;
	add_row(model, &index, levels, &spec);

	spec.table = DC_ANNUAL_SUMMARY;
	spec.has_year = true;
	for (int y = 0; y < nyears; y++)
	{
		spec.year = years[y];
		add_row(model, &index, levels, &spec);
	}

	spec.table = DC_CATEGORY_SUMMARY;
	for (int y = 0; y < nyears; y++)
	{
		spec.year = years[y];
		spec.level = DC_LEVEL_CELL;
		for (int c = 0; c < model->ncategories; c++)
		{
			if (!year_category[y * model->ncategories + c])
				continue;
			spec.category = c;
			add_row(model, &index, levels, &spec);
		}
		spec.level = DC_LEVEL_YEAR;
		spec.category = -1;
		add_row(model, &index, levels, &spec);
	}
	spec.has_year = false;
	spec.level = DC_LEVEL_CATEGORY;
	for (int c = 0; c < model->ncategories; c++)
	{
		bool		any = false;

		for (int y = 0; y < nyears; y++)
			any |= year_category[y * model->ncategories + c];
		if (!any)
			continue;
		spec.category = c;
		add_row(model, &index, levels, &spec);
	}
	spec.level = DC_LEVEL_NONE;
	spec.category = -1;
	add_row(model, &index, levels, &spec);

	Assert(model->nrows <= maxrows);
	pfree(index.slot);
	pfree(year_category);
	return levels;
}
