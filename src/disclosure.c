/*-------------------------------------------------------------------------
 *
 * disclosure.c
 *	  The SQL functions of disclosure control:
 *
 *	  disclosure_cells(groups..., min_count) returns every figure of the
 *	  three published tables, with whether it is withheld;
 *	  disclosure_bounds(groups..., min_count, withheld cells...) returns how
 *	  far a reader of all the tables can narrow each withheld figure.
 *
 * The groups are given as parallel arrays, one element per (round, year of
 * invitation): round_id, year (NULL for a round held by as_of that has no
 * invitation yet), the round's category, whether the round is held by
 * as_of (shown in round_dashboard), the ministry's figure for the round,
 * and the tally of the group's invitations.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "disclosure.h"
#include "export.h"

#define NUM_GROUP_ARGS	6

/* Elements of array argument n, checked to have ngroups elements */
static void
array_arg(FunctionCallInfo fcinfo, int n, int *nelems, Datum **values, bool **nulls)
{
	ArrayType  *array = PG_GETARG_ARRAYTYPE_P(n);
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array argument %d must have one dimension", n + 1)));
	get_typlenbyvalalign(ARR_ELEMTYPE(array), &typlen, &typbyval, &typalign);
	deconstruct_array(array, ARR_ELEMTYPE(array), typlen, typbyval, typalign,
					  values, nulls, nelems);
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

static void
bad_groups(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid groups of invitations for disclosure control"),
			 errdetail_internal("%s", detail)));
}

/* Read the group arrays (arguments 0 to 5) into a model */
static DcModel *
model_from_args(FunctionCallInfo fcinfo)
{
	int			n[NUM_GROUP_ARGS];
	Datum	   *v[NUM_GROUP_ARGS];
	bool	   *isnull[NUM_GROUP_ARGS];
	int			ngroups;
	DcGroup    *groups;
	char	  **categories;
	int			ncategories = 0;

	for (int a = 0; a < NUM_GROUP_ARGS; a++)
	{
		array_arg(fcinfo, a, &n[a], &v[a], &isnull[a]);
		if (n[a] != n[0])
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("the group arrays must all have the same length")));
	}
	ngroups = n[0];
	groups = palloc0(Max(ngroups, 1) * sizeof(DcGroup));
	categories = palloc(Max(ngroups, 1) * sizeof(char *));

	for (int g = 0; g < ngroups; g++)
	{
		DcGroup    *group = &groups[g];
		const Tally *tally;
		int64		outcomes = 0;

		if (isnull[0][g] || isnull[2][g] || isnull[3][g] || isnull[5][g])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("round_id, category, in_dashboard and tally of a group cannot be NULL")));
		group->round_id = DatumGetInt32(v[0][g]);
		group->has_year = !isnull[1][g];
		group->year = group->has_year ? DatumGetInt32(v[1][g]) : 0;
		categories[g] = TextDatumGetCString(v[2][g]);
		group->in_dashboard = DatumGetBool(v[3][g]);
		group->has_published = !isnull[4][g];
		group->invitations_published = group->has_published ? DatumGetInt32(v[4][g]) : 0;
		tally = DatumGetTallyP(v[5][g]);
		for (int o = 0; o < NUM_OUTCOMES; o++)
		{
			group->var[DC_VAR_OUTCOME(o)] = tally->outcomes[o];
			outcomes += tally->outcomes[o];
		}
		for (int k = 0; k < NUM_GROUNDS; k++)
			group->var[DC_VAR_GROUND(k)] = tally->notices[k];
		if (outcomes != tally->invitations)
			bad_groups(psprintf("The tally of round %d does not add up.", group->round_id));
		if (!group->has_year && (tally->invitations != 0 || !group->in_dashboard))
			bad_groups(psprintf("A group of round %d without a year must be an empty round held by as_of.", group->round_id));
	}

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
			bad_groups(psprintf("Round %d has two groups for one year.", b->round_id));
		if (!a->has_year)
			bad_groups(psprintf("Round %d is said both empty and not.", b->round_id));
		if (a->category != b->category || a->in_dashboard != b->in_dashboard ||
			a->has_published != b->has_published ||
			a->invitations_published != b->invitations_published)
			bad_groups(psprintf("The groups of round %d disagree about the round.", b->round_id));
	}
	return dc_model_build(ngroups, groups, ncategories, categories);
}

static int
min_count_arg(FunctionCallInfo fcinfo, int n)
{
	int32		min_count = PG_GETARG_INT32(n);

	if (min_count < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_count must be at least 1")));
	return min_count;
}

/* Set up a materialized set-returning call; returns its store */
static Tuplestorestate *
materialize(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	Tuplestorestate *store;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	*tupdesc = CreateTupleDescCopy(*tupdesc);
	store = tuplestore_begin_heap(rsinfo->allowedModes & SFRM_Materialize_Random,
								  false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = *tupdesc;
	MemoryContextSwitchTo(old);
	return store;
}

/* The first columns of both functions: where a cell is, and its value */
#define CELL_COLUMNS	7

static void
cell_columns(const DcModel *model, const DcCell *cell, Datum *values, bool *nulls)
{
	const DcRow *row = &model->rows[cell->row];

	values[0] = CStringGetTextDatum(dc_table_names[row->table]);
	values[1] = CStringGetTextDatum(dc_row_key(model, row));
	nulls[2] = !row->has_round;
	values[2] = Int32GetDatum(row->round_id);
	nulls[3] = !row->has_year;
	values[3] = Int32GetDatum(row->year);
	nulls[4] = row->category < 0;
	if (row->category >= 0)
		values[4] = CStringGetTextDatum(model->categories[row->category]);
	values[5] = CStringGetTextDatum(dc_measure_names[cell->measure]);
	values[6] = Int64GetDatum(model->quantities[cell->quantity].value);
}

/*
 * disclosure_cells(round_id int[], year int[], category text[],
 *					in_dashboard bool[], invitations_published int[],
 *					tally tally[], min_count int)
 * returns table (publication text, row_key text, round_id int, year int,
 *				  category text, measure text, value bigint, withheld bool)
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_cells);
Datum
arrima_disclosure_cells(PG_FUNCTION_ARGS)
{
	DcModel    *model = model_from_args(fcinfo);
	int			min_count = min_count_arg(fcinfo, NUM_GROUP_ARGS);
	bool	   *withheld = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	dc_suppress(model, min_count, withheld);
	store = materialize(fcinfo, &tupdesc);
	for (int c = 0; c < model->ncells; c++)
	{
		Datum		values[CELL_COLUMNS + 1];
		bool		nulls[CELL_COLUMNS + 1] = {0};

		cell_columns(model, &model->cells[c], values, nulls);
		values[CELL_COLUMNS] = BoolGetDatum(withheld[model->cells[c].quantity]);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

/* A cell's name, to find the cells a caller lists */
static char *
cell_name(const char *publication, const char *row_key, const char *measure)
{
	return psprintf("%s\x1f%s\x1f%s", publication, row_key, measure);
}

typedef struct NamedCell
{
	char	   *name;
	int			cell;
} NamedCell;

static int
cmp_named(const void *a, const void *b)
{
	return strcmp(((const NamedCell *) a)->name, ((const NamedCell *) b)->name);
}

/*
 * disclosure_bounds(round_id int[], ..., tally tally[], min_count int,
 *					 publication text[], row_key text[], measure text[])
 * returns table (publication text, row_key text, round_id int, year int,
 *				  category text, measure text, value bigint,
 *				  lower bigint, upper bigint, safe bool)
 *
 * The last three arrays list the withheld cells; a count withheld in one
 * table but shown in another is not withheld at all.  One row per listed
 * cell; upper is NULL when nothing bounds it.
 */
PG_FUNCTION_INFO_V1(arrima_disclosure_bounds);
Datum
arrima_disclosure_bounds(PG_FUNCTION_ARGS)
{
	DcModel    *model = model_from_args(fcinfo);
	int			min_count = min_count_arg(fcinfo, NUM_GROUP_ARGS);
	NamedCell  *named = palloc(Max(model->ncells, 1) * sizeof(NamedCell));
	int		   *nshown = palloc0(Max(model->nquantities, 1) * sizeof(int));
	bool	   *withheld = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool	   *listed = palloc0(Max(model->ncells, 1) * sizeof(bool));
	DcBounds   *bounds = palloc0(Max(model->nquantities, 1) * sizeof(DcBounds));
	int			n[3];
	Datum	   *v[3];
	bool	   *isnull[3];
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	for (int c = 0; c < model->ncells; c++)
	{
		const DcCell *cell = &model->cells[c];
		const DcRow *row = &model->rows[cell->row];

		named[c].name = cell_name(dc_table_names[row->table],
								  dc_row_key(model, row),
								  dc_measure_names[cell->measure]);
		named[c].cell = c;
	}
	qsort(named, model->ncells, sizeof(NamedCell), cmp_named);

	for (int a = 0; a < 3; a++)
	{
		array_arg(fcinfo, NUM_GROUP_ARGS + 1 + a, &n[a], &v[a], &isnull[a]);
		if (n[a] != n[0])
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("the withheld cell arrays must all have the same length")));
	}
	for (int i = 0; i < n[0]; i++)
	{
		NamedCell	key;
		NamedCell  *found;

		if (isnull[0][i] || isnull[1][i] || isnull[2][i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a withheld cell cannot have a NULL publication, row_key or measure")));
		key.name = cell_name(TextDatumGetCString(v[0][i]),
							 TextDatumGetCString(v[1][i]),
							 TextDatumGetCString(v[2][i]));
		found = bsearch(&key, named, model->ncells, sizeof(NamedCell), cmp_named);
		if (found == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has no cell (%s, %s)",
							TextDatumGetCString(v[0][i]),
							TextDatumGetCString(v[1][i]),
							TextDatumGetCString(v[2][i]))));
		listed[found->cell] = true;
	}

	/* a quantity is withheld when none of its cells is shown */
	for (int c = 0; c < model->ncells; c++)
		if (!listed[c])
			nshown[model->cells[c].quantity]++;
	for (int q = 0; q < model->nquantities; q++)
		withheld[q] = nshown[q] == 0;
	dc_audit(model, withheld, NULL, min_count, true, bounds);

	store = materialize(fcinfo, &tupdesc);
	for (int c = 0; c < model->ncells; c++)
	{
		int			q = model->cells[c].quantity;
		Datum		values[CELL_COLUMNS + 3];
		bool		nulls[CELL_COLUMNS + 3] = {0};

		if (!listed[c])
			continue;
		cell_columns(model, &model->cells[c], values, nulls);
		if (!withheld[q])
		{
			/* shown elsewhere: known exactly */
			bounds[q].lower = bounds[q].upper = model->quantities[q].value;
			bounds[q].safe = min_count <= 1;
		}
		values[CELL_COLUMNS] = Int64GetDatum((int64) bounds[q].lower);
		nulls[CELL_COLUMNS + 1] = isinf(bounds[q].upper);
		if (!isinf(bounds[q].upper))
			values[CELL_COLUMNS + 1] = Int64GetDatum((int64) bounds[q].upper);
		values[CELL_COLUMNS + 2] = BoolGetDatum(bounds[q].safe);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	return (Datum) 0;
}
