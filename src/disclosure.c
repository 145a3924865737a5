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
 * invitation), read and checked by disclosure_args.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "disclosure.h"
#include "export.h"

/* Set up a materialized set-returning call; returns its store */
Tuplestorestate *
dc_materialize(FunctionCallInfo fcinfo, TupleDesc *tupdesc)
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
#define CELL_COLUMNS	DC_CELL_COLUMNS

void
dc_cell_columns(const DcModel *model, const DcCell *cell, Datum *values, bool *nulls)
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
	DcModel    *model = dc_model_from_args(fcinfo);
	int			min_count = dc_min_count_arg(fcinfo, DC_NGROUP_ARGS);
	bool	   *withheld = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	dc_suppress(model, min_count, withheld);
	store = dc_materialize(fcinfo, &tupdesc);
	for (int c = 0; c < model->ncells; c++)
	{
		Datum		values[CELL_COLUMNS + 1];
		bool		nulls[CELL_COLUMNS + 1] = {0};

		dc_cell_columns(model, &model->cells[c], values, nulls);
		values[CELL_COLUMNS] = BoolGetDatum(withheld[model->cells[c].quantity]);
		tuplestore_putvalues(store, tupdesc, values, nulls);
	}
	return (Datum) 0;
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
	DcModel    *model = dc_model_from_args(fcinfo);
	int			min_count = dc_min_count_arg(fcinfo, DC_NGROUP_ARGS);
	bool	   *withheld = palloc0(Max(model->nquantities, 1) * sizeof(bool));
	bool	   *listed = palloc0(Max(model->ncells, 1) * sizeof(bool));
	DcBounds   *bounds = palloc0(Max(model->nquantities, 1) * sizeof(DcBounds));
	DcRelease  *release = palloc0(sizeof(DcRelease));
	DcSeries   *series;
	DcItem	   *items;
	int			nitems;
	DcBounds   *item_bounds;
	TupleDesc	tupdesc;
	Tuplestorestate *store;

	dc_withheld_args(fcinfo, DC_NGROUP_ARGS + 1, model, listed);
	dc_withheld_from_listed(model, listed, withheld);

	/* one release alone */
	release->model = model;
	release->min_count = min_count;
	release->withheld = withheld;
	series = dc_series_build(1, release);
	nitems = dc_series_items(series, &items);
	item_bounds = palloc(Max(nitems, 1) * sizeof(DcBounds));
	dc_series_audit(series, NULL, nitems, items, NULL, DC_EXACT, false, item_bounds);
	for (int i = 0; i < nitems; i++)
		bounds[items[i].quantity] = item_bounds[i];

	store = dc_materialize(fcinfo, &tupdesc);
	for (int c = 0; c < model->ncells; c++)
	{
		int			q = model->cells[c].quantity;
		Datum		values[CELL_COLUMNS + 3];
		bool		nulls[CELL_COLUMNS + 3] = {0};

		if (!listed[c])
			continue;
		dc_cell_columns(model, &model->cells[c], values, nulls);
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
